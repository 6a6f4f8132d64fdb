/**
 * The `quadruped` and `bird` families: animals seen from the side. A quadruped has a torso, neck, head with
 * snout, nose, mouth, eyes and ears, four two-segment legs with paws or hooves, a tail, an optional mane, spots,
 * a belly patch and a collar; a bird has a body, head, two-part beak, eye, crest, wings with feathers, tail
 * feathers, a breast patch and thin legs with feet. Smooth tracks move the legs (a walk), neck, head, tail,
 * ears, wings and beak; the far legs, ear and wing sit behind the body. Lengths in body units.
 *
 * @module
 */
import type { Rng } from "../util/rng.ts";
import type { LabelInfo } from "./character.ts";
import {
  type Affine,
  capsule,
  chain,
  ellipse,
  lock,
  type Pts,
  reversePts,
  rotate,
  scale,
  shiftPts,
  translate,
} from "./geometry.ts";
import { LabelTable } from "./labels.ts";
import { accentColor, hsl, lightOf, type Rgb, shadeOf } from "./palette.ts";
import { type Camera, smoothTrack, trackedCameras } from "./pose.ts";
import { cameraMap, SceneBuilder, type ScenePart, type SceneStroke } from "./scene.ts";

/** An animal. */
export interface AnimalSpec {
  name: string;
  kind: "quadruped" | "bird";
  labels: LabelInfo[];
  L: Record<string, number>;
  /** Facing: +1 right, -1 left. */
  dir: number;
  rx: number;
  ry: number;
  headR: number;
  neckLen: number;
  legLen: number;
  tailLen: number;
  ears: "pointed" | "round" | "floppy";
  spots: { x: number; y: number; r: number }[];
  mane: number;
  crest: number;
  feathers: number;
  tailFeathers: number;
  shading: boolean;
}

/** One frame's pose. */
export interface AnimalPose {
  walk: number;
  neck: number;
  head: number;
  tail: number;
  ears: number;
  mouth: number;
  wing: number;
  bob: number;
  blink: number;
}

/**
 * A random animal of a kind, and its label table.
 *
 * @example
 * ```ts
 * const a = makeAnimal(new Rng(2).fork("spec"), "char00000", "bird");
 * ```
 */
export function makeAnimal(rng: Rng, name: string, kind: "quadruped" | "bird"): AnimalSpec {
  const T = new LabelTable();
  const hue = rng.range(0, 360);
  const main: Rgb = kind === "bird"
    ? hsl(hue, rng.range(0.4, 0.85), rng.range(0.4, 0.7))
    : rng.bool(0.6)
    ? hsl(rng.range(15, 45), rng.range(0.2, 0.6), rng.range(0.3, 0.8))
    : hsl(hue, rng.range(0, 0.3), rng.range(0.2, 0.9));
  const second: Rgb = rng.bool(0.5) ? lightOf(main, 0.6) : shadeOf(main, 0.4);
  const accent = accentColor(rng);
  const s: AnimalSpec = {
    name,
    kind,
    labels: [],
    L: {},
    dir: rng.bool() ? 1 : -1,
    rx: kind === "bird" ? rng.range(0.85, 1.15) : rng.range(1.3, 1.8),
    ry: kind === "bird" ? rng.range(0.6, 0.8) : rng.range(0.55, 0.85),
    headR: kind === "bird" ? rng.range(0.38, 0.52) : rng.range(0.42, 0.62),
    neckLen: kind === "bird" ? rng.range(0.3, 0.7) : rng.range(0.5, 1.2),
    legLen: kind === "bird" ? rng.range(0.5, 1.0) : rng.range(0.8, 1.4),
    tailLen: rng.range(0.6, 1.4),
    ears: rng.pick(["pointed", "round", "floppy"] as const),
    spots: [],
    mane: kind === "quadruped" && rng.bool(0.35) ? rng.int(3, 7) : 0,
    crest: kind === "bird" && rng.bool(0.5) ? rng.int(1, 4) : 0,
    feathers: kind === "bird" ? rng.int(2, 5) : 0,
    tailFeathers: kind === "bird" ? rng.int(2, 5) : 0,
    shading: rng.bool(0.7),
  };
  const nSpots = rng.bool(0.5) ? rng.int(1, 7) : 0;
  for (let k = 0; k < nSpots; k++) {
    s.spots.push({ x: rng.range(-0.7, 0.7), y: rng.range(-0.6, 0.4), r: rng.range(0.12, 0.3) });
  }
  const legC = kind === "bird" ? hsl(rng.range(20, 50), 0.7, 0.55) : main;
  // Labels, back to front.
  if (kind === "quadruped") {
    T.add("tail", main);
    T.add("earFar", main);
    for (const l of ["farFront", "farBack"]) {
      T.add(`${l}Upper`, main);
      T.add(`${l}Lower`, main);
      T.add(`${l}Foot`, second);
    }
  } else {
    for (let k = 0; k < s.tailFeathers; k++) T.add(`tailFeather${k}`, k % 2 ? shadeOf(main, 0.2) : main);
    T.add("wingFar", shadeOf(main, 0.25));
    T.add("legFar", legC);
    T.add("footFar", legC);
  }
  T.add("body", main);
  T.add("belly", second);
  s.spots.forEach((_, k) => T.add(`spot${k}`, shadeOf(main, 0.45)));
  if (s.shading) T.add("bodyShadow", shadeOf(main));
  if (kind === "quadruped") {
    T.add("neck", main);
    for (let k = 0; k < s.mane; k++) T.add(`mane${k}`, shadeOf(main, 0.5));
    for (const l of ["nearFront", "nearBack"]) {
      T.add(`${l}Upper`, main);
      T.add(`${l}Lower`, main);
      T.add(`${l}Foot`, second);
    }
    if (rng.bool(0.3)) T.add("collar", accent);
    T.add("head", main);
    T.add("snout", lightOf(main, 0.35));
    T.add("nose", hsl(0, 0, 0.12));
    T.add("mouth", hsl(350, 0.5, 0.3));
    T.add("earNear", main);
    T.add("innerEar", hsl(350, 0.5, 0.78));
  } else {
    T.add("legNear", legC);
    T.add("footNear", legC);
    T.add("head", main);
    for (let k = 0; k < s.crest; k++) T.add(`crest${k}`, accent);
    T.add("cheek", lightOf(accent, 0.4));
    T.add("beakUpper", hsl(rng.range(30, 55), 0.85, 0.55));
    T.add("beakLower", hsl(rng.range(25, 45), 0.8, 0.45));
    T.add("wingNear", shadeOf(main, 0.1));
    for (let k = 0; k < s.feathers; k++) T.add(`feather${k}`, k % 2 ? second : shadeOf(main, 0.3));
  }
  T.add("sclera", hsl(0, 0, 0.98));
  T.add("pupil", hsl(0, 0, 0.08));
  T.add("eyeLight", hsl(0, 0, 1));
  s.labels = T.labels;
  s.L = T.L;
  return s;
}

/** Poses and cameras of an animal sequence. */
export interface AnimalSequence {
  poses: AnimalPose[];
  cameras: Camera[];
}

/**
 * A smooth sequence of `n` animal poses and cameras for a `width x height` canvas.
 *
 * @example
 * ```ts
 * const seq = animalSequence(new Rng(2).fork("sequence"), 15, 512, 512);
 * ```
 */
export function animalSequence(rng: Rng, n: number, width: number, height: number): AnimalSequence {
  const tr = (lo: number, hi: number) => smoothTrack(rng, n, lo, hi);
  const walk = tr(-1, 1),
    neck = tr(-0.5, 0.5),
    head = tr(-0.4, 0.4),
    tail = tr(-0.8, 0.8),
    ears = tr(-0.4, 0.4);
  const mouth = tr(-0.6, 1), wing = tr(-0.8, 1), bob = tr(-0.08, 0.08);
  const poses: AnimalPose[] = [];
  for (let i = 0; i < n; i++) {
    poses.push({
      walk: walk[i],
      neck: neck[i],
      head: head[i],
      tail: tail[i],
      ears: ears[i],
      mouth: Math.max(0, mouth[i]),
      wing: wing[i],
      bob: bob[i],
      blink: rng.bool(0.07) ? 0.15 : 1,
    });
  }
  const viewH = rng.range(3.5, 6), zoom = tr(-0.25, 0.25);
  const panX = tr(-0.15, 0.15), panY = tr(-0.12, 0.12), roll = tr(-0.25, 0.25);
  return { poses, cameras: trackedCameras(width, height, viewH, { zoom, panX, panY, roll }) };
}

function leg(
  sb: SceneBuilder,
  L: Record<string, number>,
  key: string,
  W: Affine,
  x: number,
  y: number,
  len: number,
  a: number,
  knee: number,
  r: number,
  depth: number,
) {
  const kx = x + Math.sin(a) * len * 0.5, ky = y + Math.cos(a) * len * 0.5;
  const fx = kx + Math.sin(a + knee) * len * 0.5, fy = ky + Math.cos(a + knee) * len * 0.5;
  sb.add(L[`${key}Upper`], depth, W, capsule(x, y, r * 1.3, kx, ky, r));
  sb.add(L[`${key}Lower`], depth + 0.01, W, capsule(kx, ky, r, fx, fy, r * 0.85));
  sb.add(L[`${key}Foot`], depth + 0.02, W, ellipse(fx + 0.08, fy + r * 0.3, r * 1.3, r * 0.8));
}

/** What both body plans of {@link buildAnimalScene} read: the animal, its pose, the frame, the body's outline. */
interface AnimalContext {
  s: AnimalSpec;
  p: AnimalPose;
  sb: SceneBuilder;
  L: AnimalSpec["L"];
  /** Body frame to pixels (drawn facing right, mirrored for dir = -1). */
  W: Affine;
  body: Pts;
  /** Labels that shapes on the body are clipped to. */
  bodyClip: number[];
  /** Adds an eye (sclera, pupil, light) in frame `H`, clipped to `on`. */
  eye: (H: Affine, x: number, y: number, r: number, on: number[]) => void;
}

/**
 * Every shape of an animal in a pose through a camera, sorted back to front.
 *
 * @example
 * ```ts
 * const scene = buildAnimalScene(spec, seq.poses[0], seq.cameras[0]);
 * ```
 */
export function buildAnimalScene(
  s: AnimalSpec,
  p: AnimalPose,
  cam: Camera,
): { parts: ScenePart[]; strokes: SceneStroke[] } {
  const sb = new SceneBuilder();
  const L = s.L;
  // Drawn facing right, mirrored for dir = -1.
  const W: Affine = chain(cameraMap(cam), scale(s.dir, 1), translate(0, p.bob));
  const body = ellipse(0, 0, s.rx, s.ry, s.kind === "bird" ? -0.25 : 0, 28);
  const bodyClip = [L.body, L.belly, ...s.spots.map((_, k) => L[`spot${k}`])];
  const eye = (H: Affine, x: number, y: number, r: number, on: number[]) => {
    sb.add(L.sclera, 20, H, ellipse(x, y, r, r * p.blink), on);
    sb.add(L.pupil, 20.1, H, ellipse(x + r * 0.25, y, r * 0.55, r * 0.7 * p.blink), [L.sclera]);
    sb.add(L.eyeLight, 20.2, H, ellipse(x + r * 0.05, y - r * 0.3, r * 0.22, r * 0.22 * p.blink), [
      L.pupil,
      L.sclera,
    ]);
  };
  const c: AnimalContext = { s, p, sb, L, W, body, bodyClip, eye };
  if (s.kind === "quadruped") addQuadruped(c);
  else addBird(c);
  const order = sb.parts.map((q, i) => ({ q, i })).sort((x, y) => x.q.depth - y.q.depth || x.i - y.i);
  return { parts: order.map((o) => o.q), strokes: sb.strokes };
}

/** Tail, far legs, body, near legs, neck, mane, collar and head of a four-legged animal. */
function addQuadruped(c: AnimalContext): void {
  const { s, p, sb, L, W, body, bodyClip, eye } = c;
  const tA = 0.9 + 0.5 * p.tail;
  sb.add(
    L.tail,
    0,
    W,
    lock(
      -s.rx * 0.9,
      -s.ry * 0.3,
      0.14,
      -s.rx * 0.9 - Math.sin(tA) * s.tailLen,
      -s.ry * 0.3 + Math.cos(tA) * s.tailLen,
      0.2,
      1.4,
    ),
  );
  const ph = p.walk * 0.5;
  const hipY = s.ry * 0.4, r = 0.16;
  leg(sb, L, "farFront", W, s.rx * 0.62, hipY, s.legLen, -ph, 0.2 * p.walk, r, 1);
  leg(sb, L, "farBack", W, -s.rx * 0.62, hipY, s.legLen, ph, -0.3 * p.walk, r, 1);
  sb.add(L.body, 2, W, body);
  sb.add(L.belly, 2.05, W, ellipse(0, s.ry * 0.55, s.rx * 0.7, s.ry * 0.45), [L.body]);
  s.spots.forEach((q, k) =>
    sb.add(L[`spot${k}`], 2.1, W, ellipse(q.x * s.rx, q.y * s.ry, q.r, q.r * 0.8), [L.body])
  );
  if (s.shading) sb.add(L.bodyShadow, 2.2, W, [body, reversePts(shiftPts(body, 0.1, -0.3))], bodyClip);
  leg(sb, L, "nearFront", W, s.rx * 0.55, hipY, s.legLen, ph, -0.2 * p.walk, r, 3);
  leg(sb, L, "nearBack", W, -s.rx * 0.7, hipY, s.legLen, -ph, 0.3 * p.walk, r, 3);
  // Neck and head.
  const na = -0.7 + 0.4 * p.neck;
  const nx0 = s.rx * 0.7, ny0 = -s.ry * 0.3;
  const hx = nx0 + Math.cos(na) * s.neckLen, hy = ny0 + Math.sin(na) * s.neckLen;
  sb.add(L.neck, 3.5, W, capsule(nx0, ny0, s.ry * 0.45, hx, hy, s.headR * 0.6));
  for (let k = 0; k < s.mane; k++) {
    const t = (k + 0.5) / s.mane, mx = nx0 + (hx - nx0) * t, my = ny0 + (hy - ny0) * t - 0.2;
    sb.add(L[`mane${k}`], 3.6, W, lock(mx, my, 0.12, mx - 0.35, my + 0.1 - 0.3 * t, 0.3, 1.2), [
      L.neck,
      L.body,
      L.head,
    ]);
  }
  if (L.collar !== undefined) {
    sb.add(
      L.collar,
      3.7,
      W,
      capsule(
        nx0 + (hx - nx0) * 0.35 - 0.1,
        ny0 + (hy - ny0) * 0.35 - 0.3,
        0.08,
        nx0 + (hx - nx0) * 0.35 + 0.15,
        ny0 + (hy - ny0) * 0.35 + 0.3,
        0.08,
      ),
    );
  }
  const H = chain(W, translate(hx, hy), rotate(0.4 * p.head));
  const r0 = s.headR;
  const earShape = (x: number) =>
    s.ears === "round"
      ? ellipse(x, -r0 * 0.95, r0 * 0.35, r0 * 0.35)
      : s.ears === "floppy"
      ? lock(x, -r0 * 0.7, r0 * 0.25, x - r0 * 0.5 + 0.2 * p.ears, r0 * 0.4, -0.2, 1.3)
      : lock(x, -r0 * 0.7, r0 * 0.28, x - r0 * 0.15 + 0.2 * p.ears, -r0 * 1.6, 0.05, 1);
  sb.add(L.earFar, 0.5, H, earShape(-r0 * 0.1));
  sb.add(L.head, 4, H, ellipse(0, 0, r0, r0 * 0.9));
  const snout = ellipse(r0 * 0.85, r0 * 0.3, r0 * 0.6, r0 * 0.42);
  sb.add(L.snout, 4.1, H, snout);
  sb.add(L.nose, 4.2, H, ellipse(r0 * 1.35, r0 * 0.15, r0 * 0.16, r0 * 0.12), [L.snout]);
  sb.add(L.mouth, 4.2, H, ellipse(r0 * 0.95, r0 * 0.6, r0 * 0.3, 0.02 + 0.12 * p.mouth), [L.snout, L.head]);
  eye(H, r0 * 0.3, -r0 * 0.2, r0 * 0.22, [L.head]);
  sb.add(L.earNear, 4.3, H, earShape(-r0 * 0.4));
  sb.add(
    L.innerEar,
    4.31,
    H,
    ellipse(-r0 * 0.4, -r0 * (s.ears === "floppy" ? 0.3 : 1.0), r0 * 0.12, r0 * 0.22),
    [L.earNear],
  );
}

/** Tail feathers, far wing and leg, body, near leg, crest, head and beak, near wing of a bird. */
function addBird(c: AnimalContext): void {
  const { s, p, sb, L, W, body, bodyClip, eye } = c;
  const tA = 0.3 * p.tail;
  for (let k = 0; k < s.tailFeathers; k++) {
    const a = Math.PI + 0.35 + tA + (k - (s.tailFeathers - 1) / 2) * 0.22;
    const x0 = -s.rx * 0.8, y0 = s.ry * 0.1;
    sb.add(
      L[`tailFeather${k}`],
      0,
      W,
      lock(x0, y0, 0.14, x0 + Math.cos(a) * s.tailLen, y0 - Math.sin(a) * s.tailLen, 0.05, 1.2),
    );
  }
  const wa = -0.3 - 0.9 * p.wing;
  sb.add(
    L.wingFar,
    0.5,
    W,
    lock(0.1, -s.ry * 0.3, 0.35, -0.2 - Math.cos(wa) * 1.3, -s.ry * 0.3 + Math.sin(wa) * 1.3, 0.2, 1.3),
  );
  const ph = 0.35 * p.walk;
  const legShape = (x: number, a: number) => {
    const fx = x + Math.sin(a) * s.legLen, fy = s.ry * 0.6 + Math.cos(a) * s.legLen;
    return {
      leg: capsule(x, s.ry * 0.6, 0.06, fx, fy, 0.05),
      foot: lock(fx - 0.1, fy, 0.05, fx + 0.3, fy + 0.04, 0, 1),
    };
  };
  const lf = legShape(-0.05, -ph), ln = legShape(0.15, ph);
  sb.add(L.legFar, 1, W, lf.leg);
  sb.add(L.footFar, 1.01, W, lf.foot);
  sb.add(L.body, 2, W, body);
  sb.add(L.belly, 2.05, W, ellipse(s.rx * 0.35, s.ry * 0.35, s.rx * 0.55, s.ry * 0.55), [L.body]);
  s.spots.forEach((q, k) =>
    sb.add(L[`spot${k}`], 2.1, W, ellipse(q.x * s.rx, q.y * s.ry, q.r * 0.7, q.r * 0.5), [L.body])
  );
  if (s.shading) sb.add(L.bodyShadow, 2.2, W, [body, reversePts(shiftPts(body, 0.1, -0.25))], bodyClip);
  sb.add(L.legNear, 3, W, ln.leg);
  sb.add(L.footNear, 3.01, W, ln.foot);
  const na = -1.1 + 0.4 * p.neck;
  const hx = s.rx * 0.6 + Math.cos(na) * s.neckLen, hy = -s.ry * 0.4 + Math.sin(na) * s.neckLen;
  const H = chain(W, translate(hx, hy), rotate(0.5 * p.head));
  const r0 = s.headR;
  for (let k = 0; k < s.crest; k++) {
    const a = -1.9 + k * 0.35;
    sb.add(
      L[`crest${k}`],
      3.9,
      H,
      lock(
        -r0 * 0.2,
        -r0 * 0.6,
        0.09,
        -r0 * 0.2 + Math.cos(a) * r0 * 1.4,
        -r0 * 0.6 + Math.sin(a) * r0 * 1.4,
        0.1,
        1,
      ),
    );
  }
  sb.add(L.head, 4, H, ellipse(0, 0, r0, r0));
  sb.add(L.cheek, 4.05, H, ellipse(r0 * 0.15, r0 * 0.4, r0 * 0.3, r0 * 0.22), [L.head]);
  const open = 0.05 + 0.3 * p.mouth;
  sb.add(L.beakUpper, 4.2, H, lock(r0 * 0.75, -r0 * 0.1, r0 * 0.22, r0 * 1.75, r0 * 0.05, 0.05, 0.9));
  sb.add(
    L.beakLower,
    4.15,
    H,
    lock(r0 * 0.75, r0 * 0.12, r0 * 0.15, r0 * 1.5, r0 * (0.15 + open), -0.05, 0.9),
  );
  eye(H, r0 * 0.35, -r0 * 0.2, r0 * 0.2, [L.head]);
  // Near wing over the body, with its feathers.
  const wx = -0.05, wy = -s.ry * 0.15;
  const ex = wx - Math.cos(wa) * 1.2, ey = wy + Math.sin(wa) * 1.0 + 0.3;
  const wing: Pts = lock(wx + 0.3, wy, 0.32, ex, ey, -0.15, 1.4);
  sb.add(L.wingNear, 5, W, wing);
  for (let k = 0; k < s.feathers; k++) {
    const t = 0.5 + 0.5 * (k / Math.max(1, s.feathers - 1));
    const fx = wx + (ex - wx) * t, fy = wy + (ey - wy) * t;
    sb.add(L[`feather${k}`], 5.1, W, lock(fx + 0.15, fy - 0.05, 0.09, fx - 0.25, fy + 0.25, 0.1, 1), [
      L.wingNear,
    ]);
  }
}
