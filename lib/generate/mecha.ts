/**
 * The `mecha` family: armoured robots of boxes and plates: backpack with thrusters, head with visor, V-fin and
 * antennae, chest with plate, vents and a core, shoulder pads, two-segment arms with forearm guards and fists,
 * a waist, skirt armour, two-segment legs with knee guards and feet. Smooth tracks move the arms, legs, head and
 * lean; the far limbs sit behind the body. Lengths in torso units.
 *
 * @module
 */
import type { Rng } from "../util/rng.ts";
import type { LabelInfo } from "./character.ts";
import { type Affine, chain, ellipse, type Pts, rotate, translate } from "./geometry.ts";
import { LabelTable } from "./labels.ts";
import { accentColor, hsl, lightOf, type Rgb, shadeOf } from "./palette.ts";
import { type Camera, smoothTrack, trackedCameras } from "./pose.ts";
import { cameraMap, SceneBuilder, type ScenePart, type SceneStroke } from "./scene.ts";

/** A mecha. */
export interface MechaSpec {
  name: string;
  labels: LabelInfo[];
  L: Record<string, number>;
  bulk: number;
  headW: number;
  antennae: boolean;
  fin: boolean;
  vents: number;
  shading: boolean;
}

/** One frame's pose of a mecha. */
export interface MechaPose {
  armL: number;
  armR: number;
  elbowL: number;
  elbowR: number;
  legL: number;
  legR: number;
  kneeL: number;
  kneeR: number;
  head: number;
  lean: number;
}

/** A trapezoid from (x0, y0) with half width w0 to (x1, y1) with half width w1. */
function limb(x0: number, y0: number, x1: number, y1: number, w0: number, w1: number): Pts {
  const dx = x1 - x0, dy = y1 - y0, l = Math.hypot(dx, dy) || 1e-9;
  const nx = -dy / l, ny = dx / l;
  return [
    x0 + nx * w0,
    y0 + ny * w0,
    x1 + nx * w1,
    y1 + ny * w1,
    x1 - nx * w1,
    y1 - ny * w1,
    x0 - nx * w0,
    y0 - ny * w0,
  ];
}

function box(cx: number, cy: number, hw: number, hh: number, bevel = 0.2): Pts {
  const b = Math.min(hw, hh) * bevel;
  return [
    cx - hw + b,
    cy - hh,
    cx + hw - b,
    cy - hh,
    cx + hw,
    cy - hh + b,
    cx + hw,
    cy + hh - b,
    cx + hw - b,
    cy + hh,
    cx - hw + b,
    cy + hh,
    cx - hw,
    cy + hh - b,
    cx - hw,
    cy - hh + b,
  ];
}

/**
 * A random mecha and its label table.
 *
 * @example
 * ```ts
 * const m = makeMecha(new Rng(4).fork("spec"), "char00000");
 * ```
 */
export function makeMecha(rng: Rng, name: string): MechaSpec {
  const T = new LabelTable();
  const main: Rgb = rng.bool(0.5)
    ? hsl(0, 0, rng.range(0.8, 0.95))
    : hsl(rng.range(0, 360), rng.range(0.3, 0.7), rng.range(0.4, 0.7));
  const second: Rgb = hsl(rng.range(0, 360), rng.range(0.5, 0.8), rng.range(0.35, 0.55));
  const frame: Rgb = hsl(rng.range(200, 240), rng.range(0, 0.2), rng.range(0.2, 0.35));
  const accent = accentColor(rng);
  const s: MechaSpec = {
    name,
    labels: [],
    L: {},
    bulk: rng.range(0.85, 1.2),
    headW: rng.range(0.25, 0.35),
    antennae: rng.bool(0.5),
    fin: rng.bool(0.6),
    vents: rng.int(0, 4),
    shading: rng.bool(0.7),
  };
  T.add("backpack", frame);
  T.add("thrusterL", shadeOf(frame, 0.2));
  T.add("thrusterR", shadeOf(frame, 0.2));
  for (const side of ["Far", "Near"]) {
    T.add(`thigh${side}`, frame);
    T.add(`shin${side}`, main);
    T.add(`knee${side}`, second);
    T.add(`foot${side}`, second);
    T.add(`upperArm${side}`, frame);
    T.add(`forearm${side}`, main);
    T.add(`guard${side}`, second);
    T.add(`fist${side}`, frame);
    T.add(`pad${side}`, main);
  }
  T.add("waist", frame);
  T.add("skirtL", main);
  T.add("skirtR", main);
  T.add("torso", main);
  if (s.shading) T.add("torsoShadow", shadeOf(main));
  T.add("chestPlate", second);
  for (let k = 0; k < s.vents; k++) T.add(`vent${k}`, frame);
  T.add("core", accent);
  T.add("coreLight", lightOf(accent, 0.6));
  T.add("neck", frame);
  T.add("head", main);
  T.add("visor", hsl(rng.range(90, 200), 0.8, 0.55));
  T.add("faceplate", frame);
  if (s.fin) T.add("fin", hsl(48, 0.9, 0.55));
  if (s.antennae) {
    T.add("antennaL", frame);
    T.add("antennaR", frame);
  }
  s.labels = T.labels;
  s.L = T.L;
  return s;
}

/** Poses and cameras of a mecha sequence. */
export interface MechaSequence {
  poses: MechaPose[];
  cameras: Camera[];
}

/**
 * A smooth sequence of `n` mecha poses and cameras for a `width x height` canvas.
 *
 * @example
 * ```ts
 * const seq = mechaSequence(new Rng(4).fork("sequence"), 15, 512, 512);
 * ```
 */
export function mechaSequence(rng: Rng, n: number, width: number, height: number): MechaSequence {
  const tr = (lo: number, hi: number) => smoothTrack(rng, n, lo, hi);
  const armL = tr(-0.3, 1.8), armR = tr(-0.3, 1.8), elbowL = tr(0, 1.8), elbowR = tr(0, 1.8);
  const legL = tr(-0.4, 0.5), legR = tr(-0.4, 0.5), kneeL = tr(0, 0.9), kneeR = tr(0, 0.9);
  const head = tr(-0.5, 0.5), lean = tr(-0.15, 0.15);
  const poses = Array.from({ length: n }, (_, i) => ({
    armL: armL[i],
    armR: armR[i],
    elbowL: elbowL[i],
    elbowR: elbowR[i],
    legL: legL[i],
    legR: legR[i],
    kneeL: kneeL[i],
    kneeR: kneeR[i],
    head: head[i],
    lean: lean[i],
  }));
  const viewH = rng.range(3.2, 6.5), focus = rng.range(-0.3, 1.5), zoom = tr(-0.2, 0.2);
  const panX = tr(-0.15, 0.15), panY = tr(-0.1, 0.1), roll = tr(-0.2, 0.2);
  return { poses, cameras: trackedCameras(width, height, viewH, { zoom, panX, panY, roll }, focus) };
}

/**
 * Every shape of a mecha in a pose through a camera, sorted back to front.
 *
 * @example
 * ```ts
 * const scene = buildMechaScene(spec, seq.poses[0], seq.cameras[0]);
 * ```
 */
export function buildMechaScene(
  s: MechaSpec,
  p: MechaPose,
  cam: Camera,
): { parts: ScenePart[]; strokes: SceneStroke[] } {
  const sb = new SceneBuilder();
  const L = s.L, k = s.bulk;
  const W: Affine = chain(cameraMap(cam), rotate(p.lean));
  // Torso frame: origin at the chest centre, y down; shoulders at y = -0.45.
  sb.add(L.backpack, 0, W, box(0, -0.2, 0.55 * k, 0.45));
  sb.add(L.thrusterL, 0.1, W, limb(0.35 * k, 0.1, 0.45 * k, 0.55, 0.08, 0.13));
  sb.add(L.thrusterR, 0.1, W, limb(-0.35 * k, 0.1, -0.45 * k, 0.55, 0.08, 0.13));
  const arm = (side: "Far" | "Near", sgn: number, a: number, e: number, d: number) => {
    const sx = sgn * 0.62 * k, sy = -0.4;
    const ang = sgn * (0.15 + a);
    const ex = sx + Math.sin(ang) * 0.75, ey = sy + Math.cos(ang) * 0.75;
    const ang2 = ang - sgn * e;
    const hx = ex + Math.sin(ang2) * 0.7, hy = ey + Math.cos(ang2) * 0.7;
    sb.add(L[`upperArm${side}`], d, W, limb(sx, sy, ex, ey, 0.13, 0.11));
    sb.add(L[`forearm${side}`], d + 0.01, W, limb(ex, ey, hx, hy, 0.14, 0.12));
    sb.add(
      L[`guard${side}`],
      d + 0.02,
      W,
      limb(
        ex + (hx - ex) * 0.2,
        ey + (hy - ey) * 0.2,
        ex + (hx - ex) * 0.75,
        ey + (hy - ey) * 0.75,
        0.17,
        0.15,
      ),
    );
    sb.add(
      L[`fist${side}`],
      d + 0.03,
      W,
      box(hx + Math.sin(ang2) * 0.12, hy + Math.cos(ang2) * 0.12, 0.13, 0.13, 0.35),
    );
    sb.add(L[`pad${side}`], d + 0.04, W, box(sx + sgn * 0.05, sy - 0.02, 0.25 * k, 0.2, 0.4));
  };
  const leg = (side: "Far" | "Near", sgn: number, a: number, kn: number, d: number) => {
    const hx = sgn * 0.25 * k, hy = 0.75;
    const a1 = sgn * a, a2 = sgn * (a - kn); // + spreads the leg outward; the knee bends back toward the body
    const kx = hx + Math.sin(a1) * 0.85, ky = hy + Math.cos(a1) * 0.85;
    const fx = kx + Math.sin(a2) * 0.85, fy = ky + Math.cos(a2) * 0.85;
    sb.add(L[`thigh${side}`], d, W, limb(hx, hy, kx, ky, 0.17, 0.14));
    sb.add(L[`shin${side}`], d + 0.01, W, limb(kx, ky, fx, fy, 0.18, 0.15));
    sb.add(L[`knee${side}`], d + 0.02, W, box(kx, ky, 0.14, 0.12, 0.4));
    sb.add(L[`foot${side}`], d + 0.03, W, box(fx + 0.05, fy + 0.08, 0.24, 0.09, 0.3));
  };
  // The far side is the robot's left (+x) when the head turns right, else its right.
  const farSgn = p.head >= 0 ? 1 : -1;
  arm("Far", farSgn, farSgn > 0 ? p.armL : p.armR, farSgn > 0 ? p.elbowL : p.elbowR, 0.5);
  leg("Far", farSgn, farSgn > 0 ? p.legL : p.legR, farSgn > 0 ? p.kneeL : p.kneeR, 0.6);
  leg("Near", -farSgn, farSgn > 0 ? p.legR : p.legL, farSgn > 0 ? p.kneeR : p.kneeL, 1.5);
  sb.add(L.waist, 1.8, W, box(0, 0.62, 0.35 * k, 0.16));
  sb.add(L.skirtL, 1.9, W, limb(0.2 * k, 0.6, 0.32 * k, 0.95, 0.14, 0.17));
  sb.add(L.skirtR, 1.9, W, limb(-0.2 * k, 0.6, -0.32 * k, 0.95, 0.14, 0.17));
  const torso = [
    -0.55 * k,
    -0.55,
    0.55 * k,
    -0.55,
    0.45 * k,
    0.2,
    0.28 * k,
    0.5,
    -0.28 * k,
    0.5,
    -0.45 * k,
    0.2,
  ];
  sb.add(L.torso, 2, W, torso);
  if (s.shading) {
    sb.add(L.torsoShadow, 2.05, W, [-0.1, -0.55, 0.55 * k, -0.55, 0.45 * k, 0.2, 0.28 * k, 0.5, 0.1, 0.5], [
      L.torso,
    ]);
  }
  sb.add(L.chestPlate, 2.1, W, box(0, -0.25, 0.38 * k, 0.2, 0.3));
  for (let v = 0; v < s.vents; v++) {
    sb.add(L[`vent${v}`], 2.15, W, box(0, 0.05 + v * 0.12, 0.2 * k, 0.04, 0.1), [L.torso, L.torsoShadow]);
  }
  sb.add(L.core, 2.2, W, ellipse(0, -0.25, 0.1, 0.1), [L.chestPlate]);
  sb.add(L.coreLight, 2.25, W, ellipse(-0.03, -0.28, 0.035, 0.035), [L.core]);
  arm("Near", -farSgn, farSgn > 0 ? p.armR : p.armL, farSgn > 0 ? p.elbowR : p.elbowL, 3);
  // Head.
  const H = chain(W, translate(0, -0.75), rotate(p.head * 0.2));
  const hw = s.headW, turn = p.head * hw * 0.5;
  sb.add(L.neck, 1.7, W, box(0, -0.62, 0.1, 0.1));
  if (s.antennae) {
    sb.add(L.antennaL, 2.4, H, limb(hw * 0.7 + turn, -0.15, hw * 1.2 + turn, -0.55, 0.03, 0.015));
    sb.add(L.antennaR, 2.4, H, limb(-hw * 0.7 + turn, -0.15, -hw * 1.2 + turn, -0.55, 0.03, 0.015));
  }
  sb.add(L.head, 2.5, H, box(0, -0.05, hw, 0.2, 0.35));
  sb.add(L.visor, 2.6, H, box(turn, -0.08, hw * 0.7, 0.06, 0.3), [L.head]);
  sb.add(L.faceplate, 2.6, H, [
    turn - hw * 0.45,
    0.02,
    turn + hw * 0.45,
    0.02,
    turn + hw * 0.25,
    0.15,
    turn - hw * 0.25,
    0.15,
  ], [L.head]);
  if (s.fin) {
    sb.add(L.fin, 2.7, H, [
      turn,
      -0.2,
      turn + hw * 1.3,
      -0.5,
      turn + hw * 0.2,
      -0.2,
      turn,
      -0.12,
      turn - hw * 0.2,
      -0.2,
      turn - hw * 1.3,
      -0.5,
    ]);
  }
  const order = sb.parts.map((q, i) => ({ q, i })).sort((x, y) => x.q.depth - y.q.depth || x.i - y.i);
  return { parts: order.map((o) => o.q), strokes: sb.strokes };
}
