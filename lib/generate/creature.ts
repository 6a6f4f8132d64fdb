/**
 * The `creature` family: chibi and mascot creatures built from blobs: a round or bean body (or one blob that is
 * body and head at once, like a slime), a head with ears (pointed, round, long or none), one or two eyes, a
 * mouth, cheeks, spots, a belly patch, a tail, two or four stubby legs, arms, wings and horns, each a part with
 * its own label, posed by smooth tracks (head turn and tilt, squash, tail swing, walking legs, ear and wing
 * flaps, blinks) and seen through a drifting camera. Parts occlude one another, split and leave the frame as
 * the humanoid characters' do.
 *
 * This is the project's TRANSFER family ({@link TRANSFER_FAMILY} in family.ts): never trained on, never used to
 * choose a default.
 *
 * Lengths are in body units (1 = the body's half height).
 *
 * @module
 */
import type { Rng } from "../util/rng.ts";
import type { LabelInfo } from "./character.ts";
import {
  type Affine,
  capsule,
  chain,
  closedSpline,
  ellipse,
  lock,
  type Pts,
  reversePts,
  rotate,
  translate,
} from "./geometry.ts";
import { accentColor, hsl, lightOf, type Rgb, shadeOf } from "./palette.ts";
import { type Camera, smoothTrack, trackedCameras } from "./pose.ts";
import { cameraMap, SceneBuilder, type ScenePart, type SceneStroke } from "./scene.ts";
import { LabelTable } from "./labels.ts";

/** A creature. */
export interface CreatureSpec {
  name: string;
  labels: LabelInfo[];
  L: Record<string, number>;
  /** One blob for body and head (slime, mascot ball). */
  merged: boolean;
  body: { rx: number; ry: number; wobble: number[] };
  head: { r: number; rx: number; dy: number; wobble: number[] };
  ears: { kind: "pointed" | "round" | "long" | "none"; size: number; spread: number; inner: boolean };
  eyes: { count: 1 | 2; r: number; spacing: number; y: number; anime: boolean; lights: number };
  mouth: { w: number; y: number; open: boolean };
  nose: boolean;
  cheeks: boolean;
  spots: { x: number; y: number; rx: number; ry: number; onHead: boolean }[];
  belly: boolean;
  tail: { kind: "none" | "thin" | "fluffy"; len: number; w: number; side: number };
  legs: 0 | 2 | 4;
  legLen: number;
  arms: boolean;
  wings: boolean;
  horns: "none" | "horns" | "antennae";
  shading: boolean;
  lightX: number;
}

/** One frame's pose. */
export interface CreaturePose {
  yaw: number;
  tilt: number;
  squash: number;
  tail: number;
  walk: number;
  ears: number;
  arms: number;
  wings: number;
  blink: number;
  mouth: number;
}

function wobbly(rng: Rng, n: number, amt: number): number[] {
  return Array.from({ length: n }, () => 1 + rng.range(-amt, amt));
}

/**
 * A random creature and its label table.
 *
 * @example
 * ```ts
 * const c = makeCreature(new Rng(1).fork("spec"), "char00000");
 * ```
 */
export function makeCreature(rng: Rng, name: string): CreatureSpec {
  const T = new LabelTable();
  const hue = rng.range(0, 360);
  const main: Rgb = hsl(hue, rng.range(0.3, 0.8), rng.range(0.5, 0.8));
  const second: Rgb = rng.bool(0.5)
    ? hsl((hue + rng.range(20, 60)) % 360, rng.range(0.3, 0.7), rng.range(0.4, 0.7))
    : lightOf(main, 0.55);
  const accent = accentColor(rng);
  const shading = rng.bool(0.7);
  const merged = rng.bool(0.3);
  const spec: CreatureSpec = {
    name,
    labels: [],
    L: {},
    merged,
    body: { rx: rng.range(0.85, 1.35), ry: 1, wobble: wobbly(rng, 8, 0.08) },
    head: {
      r: rng.range(0.75, 1.2),
      rx: rng.range(0.95, 1.25),
      dy: rng.range(0.75, 1.05),
      wobble: wobbly(rng, 8, 0.06),
    },
    ears: {
      kind: rng.pick(["pointed", "pointed", "round", "long", "none"] as const),
      size: rng.range(0.35, 0.7),
      spread: rng.range(0.45, 0.85),
      inner: rng.bool(0.6),
    },
    eyes: {
      count: rng.bool(0.9) ? 2 : 1,
      r: rng.range(0.12, 0.26),
      spacing: rng.range(0.3, 0.5),
      y: rng.range(-0.15, 0.1),
      anime: rng.bool(0.6),
      lights: rng.int(1, 3),
    },
    mouth: { w: rng.range(0.12, 0.3), y: rng.range(0.3, 0.5), open: rng.bool(0.6) },
    nose: rng.bool(0.5),
    cheeks: rng.bool(0.5),
    spots: [],
    belly: rng.bool(0.6),
    tail: {
      kind: rng.pick(["none", "thin", "fluffy", "fluffy"] as const),
      len: rng.range(0.8, 1.8),
      w: rng.range(0.15, 0.4),
      side: rng.bool() ? 1 : -1,
    },
    legs: merged ? rng.pick([0, 0, 2] as const) : rng.pick([2, 2, 4] as const),
    legLen: rng.range(0.35, 0.7),
    arms: rng.bool(0.55),
    wings: rng.bool(0.25),
    horns: rng.pick(["none", "none", "horns", "antennae"] as const),
    shading,
    lightX: rng.bool() ? 1 : -1,
  };
  if (merged) spec.head = { ...spec.head, r: 1, rx: spec.body.rx, dy: 0 };
  const nSpots = rng.int(0, 6);
  for (let k = 0; k < nSpots; k++) {
    spec.spots.push({
      x: rng.range(-0.7, 0.7),
      y: rng.range(-0.6, 0.7),
      rx: rng.range(0.1, 0.28),
      ry: rng.range(0.08, 0.24),
      onHead: !merged && rng.bool(0.3),
    });
  }
  // Labels, back to front.
  if (spec.tail.kind !== "none") T.add("tail", rng.bool(0.5) ? main : second);
  if (spec.tail.kind === "fluffy" && rng.bool(0.6)) T.add("tailTip", lightOf(second, 0.4));
  if (spec.wings) {
    const wc = lightOf(accent, 0.5);
    T.add("wingL", wc);
    T.add("wingR", wc);
  }
  for (let k = 0; k < spec.legs; k++) T.add(`leg${k}`, main);
  if (spec.legs > 0) { for (let k = 0; k < spec.legs; k++) T.add(`paw${k}`, second); }
  T.add("body", main);
  if (spec.belly) T.add("belly", lightOf(main, 0.6));
  spec.spots.forEach((_, k) => T.add(`spot${k}`, second));
  if (shading) T.add("bodyShadow", shadeOf(main));
  if (spec.arms) {
    T.add("armL", main);
    T.add("armR", main);
  }
  if (spec.horns !== "none") {
    const hc = spec.horns === "horns" ? hsl(rng.range(30, 50), 0.3, rng.range(0.7, 0.9)) : main;
    T.add("hornL", hc);
    T.add("hornR", hc);
    if (spec.horns === "antennae") {
      T.add("bulbL", accent);
      T.add("bulbR", accent);
    }
  }
  if (spec.ears.kind !== "none") {
    T.add("earL", main);
    T.add("earR", main);
    if (spec.ears.inner) {
      const ic = hsl(rng.range(340, 370) % 360, 0.6, 0.8);
      T.add("innerEarL", ic);
      T.add("innerEarR", ic);
    }
  }
  if (!merged) {
    T.add("head", main);
    if (shading) T.add("headShadow", shadeOf(main));
  }
  if (rng.bool(0.3) && !merged) T.add("collar", accent);
  const eyeC = hsl(rng.range(0, 360), rng.range(0.4, 0.9), rng.range(0.3, 0.55));
  const sides = spec.eyes.count === 2 ? ["L", "R"] : ["C"];
  for (const s of sides) {
    if (spec.eyes.anime) {
      T.add(`sclera${s}`, hsl(0, 0, 0.99));
      T.add(`iris${s}`, eyeC);
    }
    T.add(`pupil${s}`, hsl(0, 0, rng.range(0.05, 0.15)));
    for (let j = 0; j < spec.eyes.lights; j++) T.add(`light${s}${j}`, hsl(0, 0, 1));
  }
  if (spec.nose) T.add("nose", shadeOf(main, 0.5));
  T.add("mouth", hsl(rng.range(345, 370) % 360, 0.55, 0.3));
  if (spec.mouth.open) T.add("tongue", hsl(rng.range(345, 365) % 360, 0.7, 0.65));
  if (spec.cheeks) {
    T.add("cheekL", hsl(rng.range(340, 365) % 360, 0.75, 0.78));
    T.add("cheekR", T.labels[T.L.cheekL].color);
  }
  spec.labels = T.labels;
  spec.L = T.L;
  return spec;
}

/** Poses and cameras of a creature sequence. */
export interface CreatureSequence {
  poses: CreaturePose[];
  cameras: Camera[];
}

/**
 * A smooth sequence of `n` creature poses and cameras for a `width x height` canvas.
 *
 * @example
 * ```ts
 * const seq = creatureSequence(new Rng(1).fork("sequence"), 15, 512, 512);
 * ```
 */
export function creatureSequence(rng: Rng, n: number, width: number, height: number): CreatureSequence {
  const tr = (lo: number, hi: number) => smoothTrack(rng, n, lo, hi);
  const yaw = tr(-0.7, 0.7), tilt = tr(-0.35, 0.35), squash = tr(-0.12, 0.12), tail = tr(-0.9, 0.9);
  const walk = tr(-1, 1), ears = tr(-0.35, 0.35), arms = tr(-0.8, 1.4), wings = tr(-0.5, 0.6);
  const mouth = tr(-0.5, 1);
  const poses: CreaturePose[] = [];
  for (let i = 0; i < n; i++) {
    poses.push({
      yaw: yaw[i],
      tilt: tilt[i],
      squash: squash[i],
      tail: tail[i],
      walk: walk[i],
      ears: ears[i],
      arms: arms[i],
      wings: wings[i],
      blink: rng.bool(0.07) ? 0.15 : 1,
      mouth: Math.max(0, mouth[i]),
    });
  }
  const viewH = rng.range(3.6, 6.5);
  const zoom = tr(-0.25, 0.25), panX = tr(-0.16, 0.16), panY = tr(-0.12, 0.12), roll = tr(-0.3, 0.3);
  return { poses, cameras: trackedCameras(width, height, viewH, { zoom, panX, panY, roll }, -0.4) };
}

function blob(cx: number, cy: number, rx: number, ry: number, wob: number[], squash: number): Pts {
  const n = wob.length, ctrl: Pts = [];
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    ctrl.push(cx + rx * (1 - squash) * wob[i] * Math.cos(t), cy + ry * (1 + squash) * wob[i] * Math.sin(t));
  }
  return closedSpline(ctrl, 5);
}

/** What every stage of {@link buildCreatureScene} reads: the creature, its pose, the frames and its measures. */
interface CreatureContext {
  spec: CreatureSpec;
  p: CreaturePose;
  sb: SceneBuilder;
  L: CreatureSpec["L"];
  /** Body frame (camera) and head frame to pixels. */
  W: Affine;
  H: Affine;
  b: CreatureSpec["body"];
  h: CreatureSpec["head"];
  /** The body's outline, and the labels shapes on the body are clipped to. */
  bodyPts: Pts;
  bodyClip: number[];
  /** How far the face features slide toward the turn. */
  face: number;
  /** Head radius and half width. */
  hr: number;
  hrx: number;
}

/**
 * Every shape of a creature in a pose through a camera, sorted back to front.
 *
 * @example
 * ```ts
 * const scene = buildCreatureScene(spec, seq.poses[0], seq.cameras[0]);
 * ```
 */
export function buildCreatureScene(
  spec: CreatureSpec,
  p: CreaturePose,
  cam: Camera,
): { parts: ScenePart[]; strokes: SceneStroke[] } {
  const sb = new SceneBuilder();
  const L = spec.L;
  const W: Affine = chain(cameraMap(cam), rotate(p.tilt * 0.3));
  const b = spec.body, h = spec.head;
  const bodyPts = blob(0, 0, b.rx, b.ry, b.wobble, p.squash);
  const bodyClip = [L.body, L.belly, ...spec.spots.map((_, k) => L[`spot${k}`])];
  // Head centre: above the body (or the body itself when merged); it turns with yaw and tilts.
  const hx = p.yaw * 0.25, hy = spec.merged ? 0 : -(b.ry * (1 + p.squash) + h.r * h.dy * 0.55);
  const H: Affine = chain(W, translate(hx, hy), rotate(p.tilt));
  const face = p.yaw * (spec.merged ? b.rx : h.rx * h.r) * 0.45; // features slide toward the turn
  const hr = h.r, hrx = h.rx * hr;
  const c: CreatureContext = { spec, p, sb, L, W, H, b, h, bodyPts, bodyClip, face, hr, hrx };
  // Back to front as drawn: tail, wings, legs, body, arms, then the head group and the face.
  if (spec.tail.kind !== "none") addTail(c);
  if (spec.wings) addWings(c);
  addLegs(c);
  addBody(c);
  if (spec.arms) addArms(c);
  if (spec.horns !== "none") addHorns(c);
  if (spec.ears.kind !== "none") addEars(c);
  const headPts = spec.merged ? bodyPts : blob(0, 0, hrx, hr, h.wobble, -p.squash * 0.5);
  const faceLabels = spec.merged ? bodyClip : [L.head];
  if (!spec.merged) {
    sb.add(L.head, 4, H, headPts);
    spec.spots.forEach((s, k) => {
      if (!s.onHead) return;
      sb.add(L[`spot${k}`], 4.01, H, ellipse(s.x * hrx + face, s.y * hr, s.rx, s.ry, s.y), [L.head]);
    });
    if (spec.shading) {
      const sx = -spec.lightX * 0.3;
      const inner = reversePts(blob(sx, -0.2, hrx, hr, h.wobble, -p.squash * 0.5));
      sb.add(L.headShadow, 4.02, H, [headPts, inner], [L.head, ...spec.spots.map((_, k) => L[`spot${k}`])]);
    }
  }
  if (L.collar !== undefined) {
    sb.add(L.collar, 3.95, W, capsule(-b.rx * 0.6, -b.ry * 0.85, 0.12, b.rx * 0.6, -b.ry * 0.85, 0.12));
  }
  addFace(c, faceLabels);
  const order = sb.parts.map((q, i) => ({ q, i })).sort((x, y) => x.q.depth - y.q.depth || x.i - y.i);
  return { parts: order.map((o) => o.q), strokes: sb.strokes };
}

/** The tail (behind everything). */
function addTail(c: CreatureContext): void {
  const { spec, p, sb, L, W, b } = c;
  const s = spec.tail.side * (p.yaw >= 0 ? -1 : 1);
  const a = s * (1.1 + 0.5 * p.tail);
  const tx = s * b.rx * 0.8, ty = b.ry * 0.35;
  const ex = tx + Math.sin(a) * spec.tail.len, ey = ty - Math.cos(a) * spec.tail.len * 0.8;
  const shape = spec.tail.kind === "thin"
    ? capsule(tx, ty, spec.tail.w * 0.5, ex, ey, spec.tail.w * 0.3)
    : lock(tx, ty, spec.tail.w, ex, ey, 0.25 * s, 1.8);
  sb.add(L.tail, 0, W, shape);
  if (L.tailTip !== undefined) {
    sb.add(L.tailTip, 0.01, W, ellipse(ex, ey, spec.tail.w * 0.9, spec.tail.w * 0.9), [L.tail]);
  }
}

/** Wings behind the body. */
function addWings(c: CreatureContext): void {
  const { p, sb, L, W, b } = c;
  for (const [k, s] of [["L", 1], ["R", -1]] as const) {
    const a = -0.9 - 0.6 * p.wings;
    const rx = s * b.rx * 0.5, ry = -b.ry * 0.3;
    sb.add(
      L[`wing${k}`],
      0.5,
      W,
      lock(rx, ry, 0.35, rx + s * Math.cos(a) * 1.6, ry + Math.sin(a) * 1.2, 0.2 * s, 1.6),
    );
  }
}

/** Legs: the far ones behind the body, the near ones in front. */
function addLegs(c: CreatureContext): void {
  const { spec, p, sb, L, W, b } = c;
  for (let k = 0; k < spec.legs; k++) {
    const across = spec.legs === 2 ? (k === 0 ? -0.5 : 0.5) : [-0.75, -0.3, 0.3, 0.75][k];
    const phase = (k % 2 === 0 ? 1 : -1) * p.walk * 0.35;
    const x0 = across * b.rx + p.yaw * 0.2, y0 = b.ry * (1 + p.squash) * 0.7;
    const x1 = x0 + Math.sin(phase) * spec.legLen, y1 = y0 + Math.cos(phase) * spec.legLen;
    const front = spec.legs === 2 || k === 1 || k === 2;
    const d = front ? 2.5 : 1;
    sb.add(L[`leg${k}`], d, W, capsule(x0, y0, 0.2, x1, y1, 0.17));
    sb.add(L[`paw${k}`], d + 0.01, W, ellipse(x1 + 0.05 * Math.sign(across), y1 + 0.05, 0.24, 0.15));
  }
}

/** Body, belly, spots, shadow. */
function addBody(c: CreatureContext): void {
  const { spec, p, sb, L, W, b, bodyPts, bodyClip } = c;
  sb.add(L.body, 2, W, bodyPts);
  if (spec.belly) {
    sb.add(L.belly, 2.05, W, ellipse(p.yaw * 0.3, b.ry * 0.3, b.rx * 0.55, b.ry * 0.5), [L.body]);
  }
  spec.spots.forEach((s, k) => {
    if (s.onHead) return;
    sb.add(L[`spot${k}`], 2.1, W, ellipse(s.x * b.rx + p.yaw * 0.3, s.y * b.ry, s.rx, s.ry, s.x), [L.body]);
  });
  if (spec.shading) {
    const sx = -spec.lightX * 0.35;
    sb.add(
      L.bodyShadow,
      2.2,
      W,
      [bodyPts, reversePts(blob(sx, -0.25, b.rx, b.ry, b.wobble, p.squash))],
      bodyClip,
    );
  }
}

/** Arms: nubs at the sides. */
function addArms(c: CreatureContext): void {
  const { p, sb, L, W, b } = c;
  for (const [k, s] of [["L", 1], ["R", -1]] as const) {
    const a = s * (0.5 + 0.6 * p.arms), x0 = s * b.rx * 0.85, y0 = 0;
    sb.add(L[`arm${k}`], 3, W, capsule(x0, y0, 0.18, x0 + Math.sin(a) * 0.7, y0 + Math.cos(a) * 0.7, 0.15));
  }
}

/** Horns or antennae. */
function addHorns(c: CreatureContext): void {
  const { spec, p, sb, L, H, face, hr, hrx } = c;
  for (const [k, s] of [["L", 1], ["R", -1]] as const) {
    const x0 = s * hrx * 0.45 + face * 0.5, y0 = -hr * 0.8;
    if (spec.horns === "horns") {
      sb.add(L[`horn${k}`], 3.9, H, lock(x0, y0, 0.13, x0 + s * 0.3, y0 - 0.55, -0.15 * s, 1));
    } else {
      const ex = x0 + s * 0.35 + 0.1 * p.ears, ey = y0 - 0.75;
      sb.add(L[`horn${k}`], 3.9, H, capsule(x0, y0 + 0.1, 0.04, ex, ey, 0.035));
      sb.add(L[`bulb${k}`], 3.91, H, ellipse(ex, ey, 0.12, 0.12));
    }
  }
}

/** Ears (the far one behind the head when it turns away). */
function addEars(c: CreatureContext): void {
  const { spec, p, sb, L, H, face, hr, hrx } = c;
  const e = spec.ears;
  for (const [k, s] of [["L", 1], ["R", -1]] as const) {
    const far = s * p.yaw < -0.3; // the far ear hides behind the head when the head turns away
    const d = far ? 3.8 : 4.05;
    const x0 = s * hrx * e.spread + face * 0.3, y0 = -hr * 0.75;
    const a = s * (0.35 + p.ears) + p.yaw * 0.2;
    const len = e.size * (e.kind === "long" ? 2.2 : 1.2);
    const ex = x0 + Math.sin(a) * len, ey = y0 - Math.cos(a) * len;
    const shape = e.kind === "round"
      ? ellipse(
        x0 + Math.sin(a) * e.size * 0.5,
        y0 - Math.cos(a) * e.size * 0.5,
        e.size * 0.55,
        e.size * 0.55,
      )
      : e.kind === "long"
      ? capsule(x0, y0, e.size * 0.28, ex, ey, e.size * 0.22)
      : lock(x0, y0, e.size * 0.45, ex, ey, 0, 1.1);
    sb.add(L[`ear${k}`], d, H, shape);
    if (e.inner) {
      const inner = e.kind === "round"
        ? ellipse(
          x0 + Math.sin(a) * e.size * 0.5,
          y0 - Math.cos(a) * e.size * 0.5,
          e.size * 0.3,
          e.size * 0.3,
        )
        : e.kind === "long"
        ? capsule(x0, y0, e.size * 0.12, x0 + (ex - x0) * 0.85, y0 + (ey - y0) * 0.85, e.size * 0.1)
        : lock(x0, y0, e.size * 0.22, x0 + (ex - x0) * 0.7, y0 + (ey - y0) * 0.7, 0, 1);
      sb.add(L[`innerEar${k}`], d + 0.001, H, inner, [L[`ear${k}`]]);
    }
  }
}

/** Eyes, nose, mouth, cheeks (clipped to the head so they slide off it when it turns). */
function addFace(c: CreatureContext, faceLabels: number[]): void {
  const { spec, p, sb, L, H, face, hr, hrx } = c;
  const fl = faceLabels.filter((v) => v !== undefined);
  const shade = spec.shading ? [spec.merged ? L.bodyShadow : L.headShadow] : [];
  const onFace = [...fl, ...shade];
  const eyeXs = spec.eyes.count === 2 ? [hrx * spec.eyes.spacing, -hrx * spec.eyes.spacing] : [0];
  const sides = spec.eyes.count === 2 ? ["L", "R"] : ["C"];
  const ey = spec.eyes.y * hr, er = spec.eyes.r * (spec.merged ? 1 : hr);
  sides.forEach((s, k) => {
    const ex = eyeXs[k] + face;
    const narrow = 1 - 0.35 * Math.max(0, (eyeXs[k] > 0 ? -1 : 1) * p.yaw);
    const open = p.blink;
    if (spec.eyes.anime) {
      sb.add(L[`sclera${s}`], 4.1, H, ellipse(ex, ey, er * narrow, er * 1.25 * open), onFace);
      sb.add(
        L[`iris${s}`],
        4.11,
        H,
        ellipse(ex + p.yaw * er * 0.3, ey + er * 0.1, er * 0.7 * narrow, er * 0.95 * open),
        [L[`sclera${s}`]],
      );
      sb.add(
        L[`pupil${s}`],
        4.12,
        H,
        ellipse(ex + p.yaw * er * 0.3, ey + er * 0.15, er * 0.38 * narrow, er * 0.55 * open),
        [L[`iris${s}`]],
      );
    } else {
      sb.add(L[`pupil${s}`], 4.12, H, ellipse(ex, ey, er * 0.8 * narrow, er * open), onFace);
    }
    for (let j = 0; j < spec.eyes.lights; j++) {
      const lx = ex - er * (0.3 - 0.45 * j), ly = ey - er * (0.45 - 0.6 * j);
      const clipTo = spec.eyes.anime ? [L[`iris${s}`], L[`pupil${s}`], L[`sclera${s}`]] : [L[`pupil${s}`]];
      sb.add(
        L[`light${s}${j}`],
        4.13,
        H,
        ellipse(lx, ly, er * (0.28 - 0.1 * j), er * (0.28 - 0.1 * j) * open),
        clipTo,
      );
    }
  });
  const my = spec.mouth.y * hr, mw = spec.mouth.w * (spec.merged ? 1 : hr);
  if (spec.nose) sb.add(L.nose, 4.14, H, ellipse(face, my - 0.16 * hr, 0.07, 0.05), onFace);
  const mOpen = spec.mouth.open ? 0.04 + 0.18 * p.mouth : 0.04;
  const mouthPts = spec.mouth.open
    ? ellipse(face, my + mOpen * 0.5, mw * 0.6, mOpen)
    : lock(face - mw, my, 0.035, face + mw, my, 0.15, 1);
  sb.add(L.mouth, 4.15, H, mouthPts, onFace);
  if (L.tongue !== undefined) {
    sb.add(L.tongue, 4.16, H, ellipse(face, my + mOpen * 1.1, mw * 0.4, mOpen * 0.6), [L.mouth]);
  }
  if (spec.cheeks) {
    for (const [k, s] of [["L", 1], ["R", -1]] as const) {
      sb.add(L[`cheek${k}`], 4.14, H, ellipse(face + s * hrx * 0.62, my - 0.05, 0.14, 0.08), onFace);
    }
  }
}
