/**
 * The `prop` family: objects a manga frame holds besides characters: a bag (body, flap, buckle, pocket, strap),
 * a sword (blade with edge bevel, guard, grip with wraps, pommel, gem), a chair (seat, back with slats, legs)
 * or a car (body, roof, windows, doors, wheels with hubs, lights, bumper). Every part has a label; smooth tracks
 * swing, turn and move them (a flap opens, wheels turn, the sword swings) under a drifting camera.
 *
 * @module
 */
import type { Rng } from "../util/rng.ts";
import type { LabelInfo } from "./character.ts";
import { type Affine, capsule, chain, ellipse, lock, type Pts, rotate, scale } from "./geometry.ts";
import { LabelTable } from "./labels.ts";
import { accentColor, clothColor, hsl, lightOf, type Rgb, shadeOf } from "./palette.ts";
import { type Camera, smoothTrack, trackedCameras } from "./pose.ts";
import { cameraMap, SceneBuilder, type ScenePart, type SceneStroke } from "./scene.ts";

/** A prop. */
export interface PropSpec {
  name: string;
  kind: "bag" | "sword" | "chair" | "car";
  labels: LabelInfo[];
  L: Record<string, number>;
  w: number;
  h: number;
  n: number;
  shading: boolean;
}

/** One frame's pose of a prop. */
export interface PropPose {
  swing: number;
  open: number;
  spin: number;
  squash: number;
}

function rect(x0: number, y0: number, x1: number, y1: number, r = 0): Pts {
  if (r <= 0) return [x0, y0, x1, y0, x1, y1, x0, y1];
  const out: Pts = [];
  const corners = [[x1 - r, y0 + r, -Math.PI / 2], [x1 - r, y1 - r, 0], [x0 + r, y1 - r, Math.PI / 2], [
    x0 + r,
    y0 + r,
    Math.PI,
  ]];
  for (const [cx, cy, a0] of corners) {
    for (let k = 0; k <= 4; k++) {
      const a = a0 + (k / 4) * (Math.PI / 2);
      out.push(cx + r * Math.cos(a), cy + r * Math.sin(a));
    }
  }
  return out;
}

/**
 * A random prop and its label table.
 *
 * @example
 * ```ts
 * const p = makeProp(new Rng(3).fork("spec"), "char00000");
 * ```
 */
export function makeProp(rng: Rng, name: string): PropSpec {
  const T = new LabelTable();
  const kind = rng.pick(["bag", "sword", "chair", "car"] as const);
  const main: Rgb = clothColor(rng), second: Rgb = accentColor(rng);
  const metal: Rgb = hsl(rng.range(190, 230), rng.range(0.05, 0.2), rng.range(0.7, 0.88));
  const shading = rng.bool(0.7);
  const s: PropSpec = {
    name,
    kind,
    labels: [],
    L: {},
    w: rng.range(0.8, 1.3),
    h: rng.range(0.7, 1.2),
    n: rng.int(2, 5),
    shading,
  };
  if (kind === "bag") {
    T.add("strap", shadeOf(main, 0.3));
    T.add("bagBody", main);
    if (shading) T.add("bagShadow", shadeOf(main));
    T.add("pocket", lightOf(main, 0.2));
    T.add("flap", shadeOf(main, 0.15));
    T.add("buckle", metal);
    T.add("charm", second);
  } else if (kind === "sword") {
    T.add("blade", metal);
    T.add("bevel", lightOf(metal, 0.5));
    T.add("guard", hsl(rng.range(35, 50), 0.6, 0.55));
    T.add("grip", main);
    for (let k = 0; k < s.n; k++) T.add(`wrap${k}`, second);
    T.add("pommel", hsl(rng.range(35, 50), 0.6, 0.5));
    T.add("gem", accentColor(rng));
  } else if (kind === "chair") {
    const wood: Rgb = hsl(rng.range(20, 40), rng.range(0.3, 0.6), rng.range(0.3, 0.6));
    T.add("legBackL", shadeOf(wood, 0.2));
    T.add("legBackR", shadeOf(wood, 0.2));
    T.add("back", wood);
    for (let k = 0; k < s.n; k++) T.add(`slat${k}`, lightOf(wood, 0.2));
    T.add("seat", wood);
    T.add("cushion", main);
    T.add("legFrontL", wood);
    T.add("legFrontR", wood);
  } else {
    T.add("wheelBack", hsl(0, 0, 0.15));
    T.add("hubBack", metal);
    T.add("carBody", main);
    if (shading) T.add("carShadow", shadeOf(main));
    T.add("roof", shadeOf(main, 0.1));
    T.add("windowFront", hsl(200, 0.5, 0.8));
    T.add("windowBack", hsl(200, 0.5, 0.8));
    T.add("door", lightOf(main, 0.1));
    T.add("handle", metal);
    T.add("headlight", hsl(55, 0.9, 0.8));
    T.add("taillight", hsl(0, 0.85, 0.5));
    T.add("bumper", metal);
    T.add("wheelFront", hsl(0, 0, 0.15));
    T.add("hubFront", metal);
    T.add("wheelRear", hsl(0, 0, 0.15));
    T.add("hubRear", metal);
  }
  s.labels = T.labels;
  s.L = T.L;
  return s;
}

/** Poses and cameras of a prop sequence. */
export interface PropSequence {
  poses: PropPose[];
  cameras: Camera[];
}

/**
 * A smooth sequence of `n` prop poses and cameras for a `width x height` canvas.
 *
 * @example
 * ```ts
 * const seq = propSequence(new Rng(3).fork("sequence"), 15, 512, 512);
 * ```
 */
export function propSequence(rng: Rng, n: number, width: number, height: number): PropSequence {
  const tr = (lo: number, hi: number) => smoothTrack(rng, n, lo, hi);
  const swing = tr(-0.5, 0.5), open = tr(-0.3, 1), spin = tr(-3, 3), squash = tr(-0.08, 0.08);
  const poses = Array.from({ length: n }, (_, i) => ({
    swing: swing[i],
    open: Math.max(0, open[i]),
    spin: spin[i],
    squash: squash[i],
  }));
  const viewH = rng.range(2.0, 3.4), zoom = tr(-0.25, 0.25);
  const panX = tr(-0.15, 0.15), panY = tr(-0.12, 0.12), roll = tr(-0.4, 0.4);
  return { poses, cameras: trackedCameras(width, height, viewH, { zoom, panX, panY, roll }) };
}

/**
 * Every shape of a prop in a pose through a camera, sorted back to front.
 *
 * @example
 * ```ts
 * const scene = buildPropScene(spec, seq.poses[0], seq.cameras[0]);
 * ```
 */
export function buildPropScene(
  s: PropSpec,
  p: PropPose,
  cam: Camera,
): { parts: ScenePart[]; strokes: SceneStroke[] } {
  const sb = new SceneBuilder();
  const L = s.L;
  const W: Affine = chain(cameraMap(cam), rotate(p.swing * 0.6), scale(1 + p.squash, 1 - p.squash));
  const w = s.w, h = s.h;
  if (s.kind === "bag") {
    const a = p.swing * 0.5;
    sb.add(L.strap, 0, W, capsule(-w * 0.6, -h * 0.4, 0.06, Math.sin(a) * w * 0.2, -h * 1.3, 0.06));
    sb.add(L.strap, 0, W, capsule(w * 0.6, -h * 0.4, 0.06, Math.sin(a) * w * 0.2, -h * 1.3, 0.06));
    const body = rect(-w, -h * 0.5, w, h * 0.6, 0.18);
    sb.add(L.bagBody, 1, W, body);
    if (s.shading) sb.add(L.bagShadow, 1.1, W, rect(-w, h * 0.25, w, h * 0.6, 0.18), [L.bagBody]);
    sb.add(L.pocket, 1.2, W, rect(-w * 0.6, h * 0.05, w * 0.6, h * 0.5, 0.08), [L.bagBody, L.bagShadow]);
    const fl = h * (0.55 - 0.4 * p.open);
    sb.add(L.flap, 2, W, rect(-w * 1.02, -h * 0.55, w * 1.02, -h * 0.5 + fl, 0.15));
    sb.add(L.buckle, 2.1, W, rect(-0.12, -h * 0.5 + fl - 0.14, 0.12, -h * 0.5 + fl + 0.06, 0.03));
    sb.add(L.charm, 2.2, W, ellipse(w * 0.85 + Math.sin(a) * 0.2, -h * 0.3 + 0.4, 0.12, 0.15));
  } else if (s.kind === "sword") {
    const len = 2.2 * h, bw = 0.14 * w;
    const blade: Pts = [-bw, 0, -bw, -len + 0.3, 0, -len, bw, -len + 0.3, bw, 0];
    sb.add(L.blade, 1, W, blade);
    sb.add(L.bevel, 1.1, W, [
      -bw * 0.2,
      -0.1,
      -bw * 0.2,
      -len + 0.35,
      0,
      -len + 0.1,
      bw * 0.2,
      -len + 0.35,
      bw * 0.2,
      -0.1,
    ], [L.blade]);
    sb.add(L.guard, 2, W, lock(-0.55 * w, 0, 0.09, 0.55 * w, 0, 0.1 * p.open, 1.2));
    sb.add(L.grip, 1.5, W, rect(-0.07, 0, 0.07, 0.55, 0.03));
    for (let k = 0; k < s.n; k++) {
      const y = 0.08 + (0.45 * (k + 0.5)) / s.n;
      sb.add(L[`wrap${k}`], 1.6, W, [-0.08, y - 0.03, 0.08, y + 0.02, 0.08, y + 0.06, -0.08, y + 0.01], [
        L.grip,
      ]);
    }
    sb.add(L.pommel, 2, W, ellipse(0, 0.62, 0.11, 0.1));
    sb.add(L.gem, 2.1, W, ellipse(0, 0, 0.06, 0.06), [L.guard]);
  } else if (s.kind === "chair") {
    const t = p.swing * 0.3; // the chair turns a little: its depth offset
    const leg = (x: number, y: number, lab: number | undefined, d: number) =>
      sb.add(lab, d, W, rect(x - 0.05, y, x + 0.05, y + h * 1.0));
    leg(-w * 0.8 + t, 0, L.legBackL, 0);
    leg(w * 0.6 + t, 0, L.legBackR, 0);
    sb.add(L.back, 1, W, rect(-w * 0.85 + t, -h * 1.3, w * 0.65 + t, -h * 0.05, 0.08));
    for (let k = 0; k < s.n; k++) {
      const x0 = -w * 0.75 + t + ((1.3 * w) * k) / s.n;
      sb.add(L[`slat${k}`], 1.1, W, rect(x0 + 0.04, -h * 1.15, x0 + (1.3 * w) / s.n - 0.04, -h * 0.2, 0.03), [
        L.back,
      ]);
    }
    sb.add(L.seat, 2, W, [-w, 0.05, w - t, 0.05, w + 0.1, 0.25, -w * 0.9 - t, 0.25]);
    sb.add(L.cushion, 2.1, W, ellipse(-t * 0.5, 0.05, w * 0.75, 0.09 + 0.04 * p.open));
    leg(-w * 0.85 - t, 0.25, L.legFrontL, 3);
    leg(w * 0.9, 0.25, L.legFrontR, 3);
  } else {
    const len = 1.3 * w, bh = 0.38 * h;
    const body = rect(-len, -bh, len, bh * 0.8, 0.12);
    const wheel = (x: number, lab: number | undefined, hub: number | undefined, d: number) => {
      sb.add(lab, d, W, ellipse(x, bh * 0.8, 0.3, 0.3));
      const a = p.spin;
      sb.add(hub, d + 0.01, W, [...ellipse(x, bh * 0.8, 0.15, 0.15, a, 5)], [lab!]);
    };
    wheel(-len * 0.55 + 0.15, L.wheelBack, L.hubBack, 0);
    sb.add(L.carBody, 1, W, body);
    if (s.shading) {
      sb.add(L.carShadow, 1.05, W, rect(-len, bh * 0.3, len, bh * 0.8, 0.12), [L.carBody, L.door]);
    }
    sb.add(L.roof, 0.9, W, [
      -len * 0.5,
      -bh,
      -len * 0.3,
      -bh - 0.55 * h,
      len * 0.3,
      -bh - 0.55 * h,
      len * 0.55,
      -bh,
    ]);
    sb.add(L.windowBack, 1.1, W, [
      -len * 0.42,
      -bh - 0.03,
      -len * 0.27,
      -bh - 0.48 * h,
      -0.03,
      -bh - 0.48 * h,
      -0.03,
      -bh - 0.03,
    ], [L.roof]);
    sb.add(L.windowFront, 1.1, W, [
      0.03,
      -bh - 0.03,
      0.03,
      -bh - 0.48 * h,
      len * 0.27,
      -bh - 0.48 * h,
      len * 0.47,
      -bh - 0.03,
    ], [L.roof]);
    sb.add(L.door, 1.2, W, rect(-len * 0.25, -bh + 0.05, len * 0.3, bh * 0.5, 0.05), [L.carBody]);
    sb.add(L.handle, 1.3, W, rect(len * 0.15, -bh * 0.5, len * 0.25, -bh * 0.35), [L.door]);
    sb.add(L.headlight, 1.3, W, ellipse(len * 0.95, -bh * 0.3, 0.1, 0.08), [L.carBody]);
    sb.add(L.taillight, 1.3, W, rect(-len * 1.0, -bh * 0.5, -len * 0.9, -bh * 0.15), [L.carBody]);
    sb.add(L.bumper, 1.4, W, rect(-len * 1.05, bh * 0.55, len * 1.05, bh * 0.8, 0.04));
    wheel(-len * 0.55, L.wheelRear, L.hubRear, 2);
    wheel(len * 0.55, L.wheelFront, L.hubFront, 2);
  }
  const order = sb.parts.map((q, i) => ({ q, i })).sort((x, y) => x.q.depth - y.q.depth || x.i - y.i);
  return { parts: order.map((o) => o.q), strokes: sb.strokes };
}
