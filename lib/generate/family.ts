/**
 * Generator families: what a generated "character" folder shows. Every family gives a label table (one label per
 * semantic part, shared by all frames of the subject) and a scene per frame; the rendering, line styles and
 * dataset layout are common to all.
 *
 * - `human`: the humanoid anime characters (character.ts, head.ts, body.ts): the original generator.
 * - `creature`: chibi and mascot blob creatures (creature.ts). **The transfer family**: never used for training
 *   or for choosing defaults; `deno task train` refuses a training set that contains it.
 * - `quadruped`, `bird`: animals (animals.ts).
 * - `prop`: bags, swords, chairs, cars (props.ts).
 * - `mecha`: armoured robots of boxes and plates (mecha.ts).
 * - `group`: two or three humans overlapping in one frame.
 * - `closeup`: a human seen very close: the face only, or one hand.
 *
 * @module
 */
import type { Rng } from "../util/rng.ts";
import { UserError } from "../util/errors.ts";
import { animalSequence, buildAnimalScene, makeAnimal } from "./animals.ts";
import { type LabelInfo, makeCharacter } from "./character.ts";
import { buildCreatureScene, creatureSequence, makeCreature } from "./creature.ts";
import { type Affine, chain, mapScale, scale, transformPts, translate } from "./geometry.ts";
import { makeSequence, smoothTrack } from "./pose.ts";
import { buildMechaScene, makeMecha, mechaSequence } from "./mecha.ts";
import { buildPropScene, makeProp, propSequence } from "./props.ts";
import { buildScene, type ScenePart, type SceneStroke } from "./scene.ts";

/** Every family. */
export const FAMILIES = [
  "human",
  "creature",
  "quadruped",
  "bird",
  "prop",
  "mecha",
  "group",
  "closeup",
] as const;
/** A family name. */
export type Family = typeof FAMILIES[number];

/** The held-out family of the transfer split: never trained on, never used to choose a default. */
export const TRANSFER_FAMILY: Family = "creature";

/** The families a training set may use (all but the transfer family). */
export const TRAIN_FAMILIES: readonly Family[] = FAMILIES.filter((f) => f !== TRANSFER_FAMILY);

/** The shapes of one frame. */
export interface FrameScene {
  parts: ScenePart[];
  strokes: SceneStroke[];
}

/** A generated subject: its labels and the scene of each of its frames. */
export interface Subject {
  family: Family;
  labels: LabelInfo[];
  scene(frame: number): FrameScene;
}

/**
 * Parses `--family NAME[,NAME...]`: known names, no repeats; `all` = every family but the transfer family.
 *
 * @example
 * ```ts
 * parseFamilies("human,quadruped"); // ["human", "quadruped"]
 * ```
 */
export function parseFamilies(text: string): Family[] {
  const names = text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new UserError(`--family needs a name (one of ${FAMILIES.join("|")}, or all)`);
  const out: Family[] = [];
  for (const n of names) {
    if (n === "all") {
      for (const f of TRAIN_FAMILIES) if (!out.includes(f)) out.push(f);
      continue;
    }
    if (!(FAMILIES as readonly string[]).includes(n)) {
      throw new UserError(
        `unknown family ${JSON.stringify(n)}: use ${FAMILIES.join(", ")} or all (comma-separated)`,
      );
    }
    if (!out.includes(n as Family)) out.push(n as Family);
  }
  return out;
}

/**
 * The scene mapped by `m` (contours and strokes, stroke widths scaled), its depths raised by `depthOffset`.
 *
 * @example
 * ```ts
 * const zoomed = transformScene(scene, chain(translate(256, 256), scale(2), translate(-cx, -cy)));
 * ```
 */
export function transformScene(s: FrameScene, m: Affine, depthOffset = 0): FrameScene {
  const k = mapScale(m);
  return {
    parts: s.parts.map((p) => ({
      ...p,
      depth: p.depth + depthOffset,
      contours: p.contours.map((c) => transformPts(m, c)),
    })),
    strokes: s.strokes.map((t) => ({ pts: transformPts(m, t.pts), width: t.width * k })),
  };
}

function sorted(s: FrameScene): FrameScene {
  const order = s.parts.map((p, i) => ({ p, i })).sort((x, y) => x.p.depth - y.p.depth || x.i - y.i);
  return { parts: order.map((o) => o.p), strokes: s.strokes };
}

function human(rng: Rng, name: string, frames: number, width: number, height: number): Subject {
  // The original generator's streams ("spec", "sequence"): a square frame gives the original bytes.
  const spec = makeCharacter(rng.fork("spec"), name);
  const side = Math.min(width, height);
  const seq = makeSequence(rng.fork("sequence"), frames, side);
  const ox = (width - side) / 2, oy = (height - side) / 2;
  const cams = ox === 0 && oy === 0
    ? seq.cameras
    : seq.cameras.map((c) => ({ ...c, cx: c.cx + ox, cy: c.cy + oy }));
  return { family: "human", labels: spec.labels, scene: (f) => buildScene(spec, seq.poses[f], cams[f]) };
}

function group(rng: Rng, name: string, frames: number, width: number, height: number): Subject {
  const n = rng.int(2, 4);
  const members: { s: Subject; m: Affine; offset: number; depth: number }[] = [];
  const labels: LabelInfo[] = [];
  const order = rng.shuffle(Array.from({ length: n }, (_, k) => k));
  for (let k = 0; k < n; k++) {
    const s = human(rng.fork(`member:${k}`), `${name}.${k}`, frames, width, height);
    const sc = rng.range(0.5, 0.75);
    const x = width * ((k + 0.5) / n - 0.5) * rng.range(0.6, 0.95);
    const y = height * rng.range(-0.05, 0.12);
    const m = chain(translate(width / 2 + x, height / 2 + y), scale(sc), translate(-width / 2, -height / 2));
    // Depth: one member wholly in front of another (their parts' depths stay below 100).
    members.push({ s, m, offset: labels.length, depth: order[k] * 100 });
    for (const l of s.labels) labels.push({ name: `m${k}.${l.name}`, color: l.color });
  }
  return {
    family: "group",
    labels,
    scene: (f) => {
      const parts: ScenePart[] = [], strokes: SceneStroke[] = [];
      members.forEach((mb) => {
        const t = transformScene(mb.s.scene(f), mb.m, mb.depth);
        for (const p of t.parts) {
          parts.push({
            ...p,
            label: p.label + mb.offset,
            ...(p.clip ? { clip: p.clip.map((c) => c + mb.offset) } : {}),
          });
        }
        strokes.push(...t.strokes);
      });
      return sorted({ parts, strokes });
    },
  };
}

function closeup(rng: Rng, name: string, frames: number, width: number, height: number): Subject {
  const base = human(rng, name, frames, width, height);
  const c = rng.fork("closeup");
  const onHand = c.bool(0.25);
  const side = c.bool() ? "L" : "R";
  const targets = new Set(
    base.labels.map((l, i) => ({ l, i })).filter(({ l }) =>
      onHand ? l.name === `hand${side}` : ["face", "irisL", "irisR", "mouth"].includes(l.name)
    ).map(({ i }) => i),
  );
  const zoom = smoothTrack(c, frames, onHand ? 1.5 : 1.4, onHand ? 2.4 : 2.3);
  // The camera follows the target's centroid, smoothed over the frames, so the zoom does not jitter.
  const centres = Array.from({ length: frames }, (_, f) => {
    let sx = 0, sy = 0, n = 0;
    for (const p of base.scene(f).parts) {
      if (!targets.has(p.label)) continue;
      for (const ct of p.contours) {
        for (let i = 0; i < ct.length; i += 2) (sx += ct[i]), (sy += ct[i + 1]), n++;
      }
    }
    return n > 0 ? [sx / n, sy / n] : [width / 2, height / 2];
  });
  const smooth = centres.map((_, f) => {
    let sx = 0, sy = 0, w = 0;
    for (let g = Math.max(0, f - 2); g <= Math.min(frames - 1, f + 2); g++) {
      (sx += centres[g][0]), (sy += centres[g][1]), w++;
    }
    return [sx / w, sy / w];
  });
  return {
    family: "closeup",
    labels: base.labels,
    scene: (f) => {
      const m = chain(
        translate(width / 2, height / 2),
        scale(zoom[f]),
        translate(-smooth[f][0], -smooth[f][1]),
      );
      return transformScene(base.scene(f), m);
    },
  };
}

/**
 * The subject of one generated character folder.
 *
 * @example
 * ```ts
 * const s = makeSubject("creature", new Rng(1).fork("character:0"), "char00000", 15, 512, 512);
 * const scene = s.scene(3);
 * ```
 */
export function makeSubject(
  family: Family,
  rng: Rng,
  name: string,
  frames: number,
  width: number,
  height: number,
): Subject {
  switch (family) {
    case "human":
      return human(rng, name, frames, width, height);
    case "creature": {
      const spec = makeCreature(rng.fork("spec"), name);
      const seq = creatureSequence(rng.fork("sequence"), frames, width, height);
      return {
        family,
        labels: spec.labels,
        scene: (f) => buildCreatureScene(spec, seq.poses[f], seq.cameras[f]),
      };
    }
    case "quadruped":
    case "bird": {
      const spec = makeAnimal(rng.fork("spec"), name, family);
      const seq = animalSequence(rng.fork("sequence"), frames, width, height);
      return {
        family,
        labels: spec.labels,
        scene: (f) => buildAnimalScene(spec, seq.poses[f], seq.cameras[f]),
      };
    }
    case "prop": {
      const spec = makeProp(rng.fork("spec"), name);
      const seq = propSequence(rng.fork("sequence"), frames, width, height);
      return {
        family,
        labels: spec.labels,
        scene: (f) => buildPropScene(spec, seq.poses[f], seq.cameras[f]),
      };
    }
    case "mecha": {
      const spec = makeMecha(rng.fork("spec"), name);
      const seq = mechaSequence(rng.fork("sequence"), frames, width, height);
      return {
        family,
        labels: spec.labels,
        scene: (f) => buildMechaScene(spec, seq.poses[f], seq.cameras[f]),
      };
    }
    case "group":
      return group(rng, name, frames, width, height);
    case "closeup":
      return closeup(rng, name, frames, width, height);
  }
}
