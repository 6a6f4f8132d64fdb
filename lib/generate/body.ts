/**
 * The body of a character: neck, shirt (with collar, neckwear, buttons, jacket), arms with sleeves and hands,
 * skirt or trousers, belt, legs, socks and shoes, with cel shadows. Shapes are built in the torso frame
 * (origin at the neck base, 1 unit = cranium radius, y down); torso yaw swings the front of the torso sideways.
 *
 * @module
 */
import {
  type Affine,
  capsule,
  closedSpline,
  ellipse,
  lock,
  type Pts,
  quad,
  reversePts,
  shiftPts,
  taperedStroke,
} from "./geometry.ts";
import type { CharacterSpec } from "./character.ts";
import type { ArmPose, LegPose, Pose } from "./pose.ts";
import { DEPTH, type SceneBuilder } from "./scene.ts";
import { faceOutline, HeadProjector } from "./head.ts";

/** Maps torso-surface x to its turned position: the front of a torso of half width `w` swings with yaw. */
function torsoWarp(yaw: number, w: number): (pts: Pts) => Pts {
  const c = Math.cos(yaw), s = Math.sin(yaw);
  return (pts: Pts) => {
    const out = pts.slice();
    for (let i = 0; i < out.length; i += 2) {
      const x = out[i];
      const z = 0.55 * Math.sqrt(Math.max(0, 1 - (x / w) ** 2));
      out[i] = x * (0.25 + 0.75 * c) + z * s;
    }
    return out;
  };
}

/** A closed spline with sharp corners at the indices listed (control points doubled there). */
function sharpSpline(ctrl: Pts, sharp: number[], per = 5): Pts {
  const c: Pts = [];
  for (let i = 0; i < ctrl.length / 2; i++) {
    c.push(ctrl[2 * i], ctrl[2 * i + 1]);
    if (sharp.includes(i)) c.push(ctrl[2 * i], ctrl[2 * i + 1]);
  }
  return closedSpline(c, per);
}

/** The region of `pts` not covered by `pts` moved by (dx, dy): a shadow band on one side. */
function band(pts: Pts, dx: number, dy: number): Pts[] {
  return [pts, reversePts(shiftPts(pts, dx, dy))];
}

function armDepth(a: ArmPose): number {
  return a.front < 1 / 3 ? DEPTH.armBack : a.front < 2 / 3 ? DEPTH.armSide : DEPTH.armFront;
}

/** What every stage of {@link buildBody} reads: the character, its pose, the torso frame and its measures. */
interface BodyContext {
  spec: CharacterSpec;
  pose: Pose;
  sb: SceneBuilder;
  /** Torso frame to pixels. */
  T: Affine;
  b: CharacterSpec["body"];
  o: CharacterSpec["outfit"];
  L: CharacterSpec["L"];
  /** Half widths of shoulders, waist and hips; torso length. */
  sw: number;
  ww: number;
  hw: number;
  tl: number;
  /** The torso's yaw applied to points, and to one x. */
  warp: (pts: Pts) => Pts;
  wx: (x: number) => number;
  /** Neckline depth and half width. */
  nd: number;
  nh: number;
  /** Light direction (x). */
  lx: number;
  /** Waist line of skirt, trousers and belt. */
  waistY: number;
}

/**
 * Adds every body part of `spec` in `pose` to the scene; `T` maps the torso frame to pixels, `Hd` the head frame.
 *
 * @example
 * ```ts
 * buildBody(spec, pose, sb, torsoToPx, headToPx);
 * ```
 */
export function buildBody(spec: CharacterSpec, pose: Pose, sb: SceneBuilder, T: Affine, Hd: Affine): void {
  const c = bodyContext(spec, pose, sb, T);
  const { L } = c;
  addNeck(c);
  const { shirt, shirtShadow } = addShirt(c);
  if (c.o.jacket) addJacket(c, shirtShadow);
  const sailorV = addCollar(c, shirtShadow);
  if (spec.shading && L.shirtShadow !== undefined) {
    sb.add(L.shirtShadow, DEPTH.shirt + 0.01, T, shirtShadow, [L.shirt]);
  }
  addNeckwear(c, sailorV);
  const legs = addLegs(c);
  addBottom(c, legs, shirt);
  if (c.o.belt) addBelt(c);
  for (const s of [1, -1]) addArm(c, s);

  // Shadow of the head on the neck is part of the head; a faint hairline shadow on the collar region:
  // the shifted face outline, clipped to the shirt, adds the chin's cast shadow when the head is low.
  if (spec.shading && L.shirtShadow !== undefined) {
    const face = faceOutline(spec, new HeadProjector(pose.headYaw, pose.headPitch));
    sb.add(L.shirtShadow, DEPTH.shirt + 0.012, Hd, shiftPts(face, 0, 0.45), [L.shirt]);
  }
}

function bodyContext(spec: CharacterSpec, pose: Pose, sb: SceneBuilder, T: Affine): BodyContext {
  const b = spec.body, o = spec.outfit, L = spec.L;
  const sw = b.shoulderW / 2, ww = b.waistW / 2, hw = b.hipW / 2, tl = b.torsoLen;
  const warp = torsoWarp(pose.torsoYaw, sw + 0.1);
  const wx = (x: number) => warp([x, 0])[0];
  const nd = o.neckDepth, nh = o.neckHalfW;
  const lx = spec.lightX;
  return { spec, pose, sb, T, b, o, L, sw, ww, hw, tl, warp, wx, nd, nh, lx, waistY: tl - 1.05 };
}

/** Neck and the skin showing in the neckline. */
function addNeck(c: BodyContext): void {
  const { sb, T, b, L, warp, nd, nh } = c;
  const nw = b.neckW;
  const neck: Pts = [
    -nw,
    -b.neckLen - 0.3,
    nw,
    -b.neckLen - 0.3,
    nw * 1.02,
    -0.2,
    nh * 1.1,
    0.02,
    0,
    nd + 0.35,
    -nh * 1.1,
    0.02,
    -nw * 1.02,
    -0.2,
  ];
  sb.add(L.neck, DEPTH.neck, T, warp(sharpSpline(neck, [0, 1], 3)));
}

/** Shirt, its folds and buttons; returns its outline and the shadow shapes the stages above it add to. */
function addShirt(c: BodyContext): { shirt: Pts; shirtShadow: Pts[] } {
  const { spec, sb, T, o, L, sw, ww, hw, tl, warp, nd, nh, lx } = c;
  const hemY = o.belt || o.bottom !== "skirt" ? tl - 0.55 : tl - 0.15;
  const shirtCtrl: Pts = [
    -nh,
    0,
    0,
    nd,
    nh,
    0, // neckline (V)
    sw * 0.85,
    0.18,
    sw,
    0.5,
    sw - 0.08,
    1.25,
    ww,
    tl - 1.2,
    hw * 0.98,
    hemY,
    0,
    hemY + 0.05,
    -hw * 0.98,
    hemY,
    -ww,
    tl - 1.2,
    -sw + 0.08,
    1.25,
    -sw,
    0.5,
    -sw * 0.85,
    0.18,
  ];
  const shirt = warp(sharpSpline(shirtCtrl, [0, 1, 2, 8, 10], 5));
  sb.add(L.shirt, DEPTH.shirt, T, shirt);
  const shirtShadow: Pts[] = [];
  if (spec.shading) shirtShadow.push(...band(shirt, lx * 0.35, 0));
  // Folds from the armpits (hand-drawn strokes).
  for (const s of [1, -1]) {
    sb.stroke(T, warp(quad(s * (sw - 0.15), 1.35, s * (sw - 0.35), 1.7, s * (sw - 0.45), 2.2, 6)), 0.03);
  }
  for (let k = 0; k < o.buttons; k++) {
    const y = nd + 0.35 + k * 0.55;
    if (y > hemY - 0.2) break;
    sb.add(L[`button${k}`], DEPTH.shirt + 0.02, T, warp(ellipse(0, y, 0.075, 0.075, 0, 12)));
  }
  return { shirt, shirtShadow };
}

/** Jacket panels and lapels (their shadow goes into `shirtShadow`). */
function addJacket(c: BodyContext, shirtShadow: Pts[]): void {
  const { spec, sb, T, L, sw, ww, hw, tl, warp, nh } = c;
  for (const s of [1, -1]) {
    const k = s > 0 ? "L" : "R";
    const panel = sharpSpline(
      [
        s * (nh + 0.02),
        -0.06,
        s * sw * 0.88,
        0.16,
        s * (sw + 0.04),
        0.5,
        s * (sw - 0.04),
        1.25,
        s * (ww + 0.06),
        tl - 1.2,
        s * (hw + 0.08),
        tl + 0.25,
        s * 0.5,
        tl + 0.3,
        s * 0.38,
        1.9,
      ],
      [0, 5, 6, 7],
      5,
    );
    sb.add(L[`jacket${k}`], DEPTH.jacket, T, warp(panel));
    const lapel = [s * (nh + 0.02), -0.06, s * (nh + 0.45), 0.35, s * (nh + 0.3), 0.6, s * 0.38, 1.9];
    sb.add(L[`lapel${k}`], DEPTH.jacket + 0.01, T, warp(lapel));
    if (spec.shading) shirtShadow.push(shiftPts(warp(panel), -s * 0.15, 0.05));
  }
}

/** Sailor or shirt collar; returns where a sailor collar's V ends (the neckwear hangs from it). */
function addCollar(c: BodyContext, shirtShadow: Pts[]): number {
  const { spec, sb, T, o, L, sw, warp, nd, nh, lx } = c;
  const sailorV = Math.max(nd + 0.35, 1.3);
  if (o.collar === "sailor") {
    for (const s of [1, -1]) {
      const k = s > 0 ? "L" : "R";
      const flap = [s * (nh + 0.02), -0.04, s * sw * 0.9, 0.3, s * sw * 0.86, 0.85, s * 0.04, sailorV];
      const flapW = warp(flap);
      sb.add(L[`collar${k}`], DEPTH.collar, T, flapW);
      const stripe = taperedStroke(
        [s * sw * 0.8, 0.25, s * sw * 0.77, 0.74, s * 0.22, sailorV - 0.13],
        0.07,
        1,
      );
      sb.add(L[`stripe${k}`], DEPTH.collar + 0.01, T, warp(stripe), [L[`collar${k}`]]);
      if (spec.shading) shirtShadow.push(shiftPts(flapW, -lx * 0.05, 0.16));
    }
  } else if (o.collar === "shirt") {
    for (const s of [1, -1]) {
      const k = s > 0 ? "L" : "R";
      const flap = warp([s * nh * 0.55, -0.2, s * (nh + 0.3), 0.28, s * 0.06, Math.min(nd, 0.7) * 0.75]);
      sb.add(L[`collar${k}`], DEPTH.collar, T, flap);
      if (spec.shading) shirtShadow.push(shiftPts(flap, -lx * 0.04, 0.12));
    }
  }
  return sailorV;
}

/** Ribbon or tie. */
function addNeckwear(c: BodyContext, sailorV: number): void {
  const { sb, T, o, L, warp, wx } = c;
  const knotY = o.collar === "sailor" ? sailorV - 0.05 : 0.12;
  if (o.neckwear === "ribbon") {
    const kx = wx(0);
    sb.add(L.ribbonTailL, DEPTH.neckwear, T, lock(kx, knotY, 0.09, kx + 0.25, knotY + 0.9, -0.06, 1.2, 6));
    sb.add(L.ribbonTailR, DEPTH.neckwear, T, lock(kx, knotY, 0.09, kx - 0.22, knotY + 0.95, 0.06, 1.2, 6));
    sb.add(
      L.ribbonLoopL,
      DEPTH.neckwear + 0.01,
      T,
      lock(kx, knotY, 0.12, kx + 0.5, knotY - 0.12, 0.05, 1.8, 8),
    );
    sb.add(
      L.ribbonLoopR,
      DEPTH.neckwear + 0.01,
      T,
      lock(kx, knotY, 0.12, kx - 0.5, knotY - 0.12, -0.05, 1.8, 8),
    );
    sb.add(L.ribbonKnot, DEPTH.neckwear + 0.02, T, ellipse(kx, knotY, 0.1, 0.11, 0, 12));
  } else if (o.neckwear === "tie") {
    sb.add(
      L.tie,
      DEPTH.neckwear,
      T,
      warp([-0.08, knotY + 0.15, 0.08, knotY + 0.15, 0.2, 2.0, 0, 2.25, -0.2, 2.0]),
    );
    sb.add(
      L.tieKnot,
      DEPTH.neckwear + 0.01,
      T,
      warp([-0.14, knotY - 0.1, 0.14, knotY - 0.1, 0.08, knotY + 0.2, -0.08, knotY + 0.2]),
    );
  }
}

/** Hip, knee and ankle of one leg (s = 1 left, -1 right), in the torso frame. */
interface LegJoints {
  s: number;
  H: number[];
  K: number[];
  A: number[];
}

/** Legs, socks and shoes (behind the skirt or trousers); returns the joints. */
function addLegs(c: BodyContext): LegJoints[] {
  const { pose, sb, T, b, o, L, hw, tl, wx } = c;
  const legInfo: LegJoints[] = [];
  for (const s of [1, -1]) {
    const lp: LegPose = s > 0 ? pose.legL : pose.legR;
    const H = [wx(s * hw * 0.45), tl - 0.1];
    const K = [H[0] + s * Math.sin(lp.hip) * b.thigh, H[1] + Math.cos(lp.hip) * b.thigh];
    const A = [K[0] + s * Math.sin(lp.hip + lp.knee) * b.shin, K[1] + Math.cos(lp.hip + lp.knee) * b.shin];
    legInfo.push({ s, H, K, A });
    const k = s > 0 ? "L" : "R";
    const r = b.legR;
    sb.add(L[`leg${k}`], DEPTH.legs, T, [
      capsule(H[0], H[1], r * 1.15, K[0], K[1], r * 0.72, 8),
      capsule(K[0], K[1], r * 0.72, A[0], A[1], r * 0.45, 8),
    ]);
    if (o.socks !== "none") {
      const f = o.socks === "knee" ? 0.85 : 0.25;
      const top = [A[0] + (K[0] - A[0]) * f, A[1] + (K[1] - A[1]) * f];
      sb.add(
        L[`sock${k}`],
        DEPTH.legs + 0.01,
        T,
        capsule(top[0], top[1], r * (0.48 + 0.3 * f), A[0], A[1], r * 0.5, 8),
      );
    }
    const shoe = closedSpline([
      A[0] - 0.22,
      A[1] - 0.02,
      A[0] + 0.22,
      A[1] - 0.02,
      A[0] + 0.3 + s * 0.08,
      A[1] + 0.25,
      A[0] + s * 0.12,
      A[1] + 0.42,
      A[0] - 0.3 + s * 0.08,
      A[1] + 0.25,
    ], 5);
    sb.add(L[`shoe${k}`], DEPTH.legs + 0.02, T, shoe);
  }
  return legInfo;
}

/** Skirt panels or trousers, with their shadows. */
function addBottom(c: BodyContext, legInfo: LegJoints[], shirt: Pts): void {
  const { spec, pose, sb, T, b, o, L, ww, hw, tl, warp, waistY } = c;
  const bottomLabels: number[] = [];
  if (o.bottom === "skirt") {
    const n = o.skirtPanels;
    const hemY = tl + o.skirtLen - 0.5;
    const flare = 0.35 + 0.15 * o.skirtLen;
    const sway = -pose.lean * 2 + 0.25 * (pose.legL.hip - pose.legR.hip);
    const xw = (j: number) => -ww + (2 * ww * j) / n;
    const xh = (j: number) => -(hw + flare) + (2 * (hw + flare) * j) / n + sway;
    const yh = (x: number) => hemY + 0.12 * (1 - (x / (hw + flare)) ** 2);
    for (let j = 0; j < n; j++) {
      const lab = L[`skirt${j}`];
      bottomLabels.push(lab);
      const x0 = xh(j), x1 = xh(j + 1);
      const hem: Pts = [];
      for (let t = 0; t <= 4; t++) {
        const x = x1 + ((x0 - x1) * t) / 4;
        hem.push(x, yh(x - sway) + (t === 2 ? 0.08 : 0));
      }
      sb.add(lab, DEPTH.skirt + 0.001 * ((j * 3) % n), T, warp([xw(j), waistY, xw(j + 1), waistY, ...hem]));
    }
    if (spec.shading) {
      sb.add(L.legShadow, DEPTH.legs + 0.015, T, [
        shiftPts(
          warp([
            -hw - flare + sway,
            waistY,
            hw + flare + sway,
            waistY,
            hw + flare + sway,
            hemY,
            -hw - flare + sway,
            hemY,
          ]),
          0,
          0.3,
        ),
      ], [L.legL, L.legR]);
    }
    for (let j = 1; j < n; j += 2) {
      sb.stroke(T, warp([xw(j) * 0.6 + xh(j) * 0.4, waistY + 0.8, xh(j) * 0.9, hemY - 0.1]), 0.025);
    }
  } else {
    const f = o.bottom === "shorts" ? 0.45 : 1;
    for (const { s, H, K, A } of legInfo) {
      const k = s > 0 ? "L" : "R";
      bottomLabels.push(L[`pants${k}`]);
      const r = b.legR + 0.09;
      const end = f === 1 ? A : [H[0] + (K[0] - H[0]) * f * 1.1, H[1] + (K[1] - H[1]) * f * 1.1];
      const tubes = f === 1
        ? [
          capsule(H[0], H[1], r * 1.15, K[0], K[1], r * 0.8, 8),
          capsule(K[0], K[1], r * 0.8, end[0], end[1], r * 0.62, 8),
        ]
        : [capsule(H[0], H[1], r * 1.15, end[0], end[1], r * 0.95, 8)];
      const block = warp([0, waistY, s * ww, waistY, s * (hw + 0.05), tl, s * 0.05, tl + 0.45]);
      sb.add(L[`pants${k}`], DEPTH.bottom, T, [...tubes, block]);
    }
    sb.stroke(T, warp([0, tl - 0.3, 0, tl + 0.3]), 0.03);
  }
  if (spec.shading) {
    const sh = L.skirtShadow ?? L.pantsShadow;
    sb.add(sh, DEPTH.skirt + 0.01, T, [shiftPts(shirt, 0, 0.28)], bottomLabels);
  }
}

/** Belt and buckle. */
function addBelt(c: BodyContext): void {
  const { sb, T, L, ww, warp, waistY } = c;
  sb.add(
    L.belt,
    DEPTH.belt,
    T,
    warp([
      -ww - 0.03,
      waistY + 0.45,
      ww + 0.03,
      waistY + 0.45,
      ww + 0.03,
      waistY + 0.7,
      -ww - 0.03,
      waistY + 0.7,
    ]),
  );
  sb.add(
    L.buckle,
    DEPTH.belt + 0.01,
    T,
    warp([-0.14, waistY + 0.41, 0.14, waistY + 0.41, 0.14, waistY + 0.74, -0.14, waistY + 0.74]),
  );
}

/** One arm (s = 1 left, -1 right): upper arm, sleeve, forearm, cuff, shadows, hand. */
function addArm(ctx: BodyContext, s: number): void {
  const { spec, pose, sb, T, b, o, L, sw, wx, lx } = ctx;
  const k = s > 0 ? "L" : "R";
  const ap = s > 0 ? pose.armL : pose.armR;
  const dep = armDepth(ap);
  const S = [wx(s * (sw - 0.22)), 0.55];
  const d1 = [s * Math.sin(ap.shoulder), Math.cos(ap.shoulder)];
  const E = [S[0] + d1[0] * b.upperArm, S[1] + d1[1] * b.upperArm];
  const a2 = ap.shoulder - ap.elbow;
  const d2 = [s * Math.sin(a2), Math.cos(a2)];
  const W = [E[0] + d2[0] * b.foreArm, E[1] + d2[1] * b.foreArm];
  const r = b.armR;
  const upper = capsule(S[0], S[1], r * 1.15, E[0], E[1], r * 0.9, 8);
  const fore = capsule(E[0], E[1], r * 0.9, W[0], W[1], r * 0.68, 8);
  const armL = L[`arm${k}`];
  sb.add(armL, dep, T, upper);
  const sl = L[`sleeve${k}`];
  const sleeveUpper = o.sleeves === "short"
    ? capsule(
      S[0],
      S[1],
      r * 1.6,
      S[0] + d1[0] * b.upperArm * 0.5,
      S[1] + d1[1] * b.upperArm * 0.5,
      r * 1.35,
      8,
    )
    : capsule(S[0], S[1], r * 1.55, E[0], E[1], r * 1.25, 8);
  if (o.sleeves !== "none") sb.add(sl, dep + 0.01, T, sleeveUpper);
  sb.add(armL, dep + 0.02, T, fore);
  if (o.sleeves === "long") {
    const cuffAt = [E[0] + d2[0] * b.foreArm * 0.82, E[1] + d2[1] * b.foreArm * 0.82];
    sb.add(sl, dep + 0.03, T, capsule(E[0], E[1], r * 1.25, cuffAt[0], cuffAt[1], r * 1.15, 8));
    sb.add(
      L[`cuff${k}`],
      dep + 0.04,
      T,
      capsule(cuffAt[0], cuffAt[1], r * 1.15, W[0] - d2[0] * 0.05, W[1] - d2[1] * 0.05, r * 1.1, 6),
    );
    sb.stroke(
      T,
      quad(
        E[0] - d1[0] * 0.3 + d1[1] * r * 0.6,
        E[1] - d1[1] * 0.3 - d1[0] * r * 0.6,
        E[0],
        E[1],
        E[0] + d2[0] * 0.3 - d2[1] * r * 0.5,
        E[1] + d2[1] * 0.3 + d2[0] * r * 0.5,
        4,
      ),
      0.03,
    );
  }
  if (spec.shading && o.sleeves !== "none") {
    sb.add(L.armShadow, dep + 0.025, T, [shiftPts(sleeveUpper, d1[0] * 0.25, d1[1] * 0.25)], [armL]);
    sb.add(L.sleeveShadow, dep + 0.015, T, band(sleeveUpper, lx * 0.18, -0.05), [sl]);
  } else if (spec.shading) {
    sb.add(L.armShadow, dep + 0.025, T, band(fore, lx * 0.12, 0), [armL]);
  }
  // Hand: palm and fingers as one mitten, a thumb.
  const hs = b.hand;
  const ang = Math.atan2(d2[1], d2[0]);
  const c = Math.cos(ang), si = Math.sin(ang);
  const hp = (u: number, v: number) => [W[0] + c * u - si * v, W[1] + si * u + c * v];
  const palm: Pts = [];
  for (
    const [u, v] of [[-0.05, -0.55], [0.45, -0.6], [0.95, -0.4], [1.1, 0], [0.95, 0.4], [0.45, 0.55], [
      -0.05,
      0.5,
    ]]
  ) palm.push(...hp(u * hs, v * hs * 0.42));
  const th = s * (ap.elbow > 1.2 ? -1 : 1);
  const t0 = hp(0.25 * hs, th * 0.2 * hs), t1 = hp(0.6 * hs, th * 0.45 * hs);
  sb.add(L[`hand${k}`], dep + 0.05, T, [
    closedSpline(palm, 4),
    capsule(t0[0], t0[1], 0.07 * hs * 1.4, t1[0], t1[1], 0.05 * hs * 1.4, 6),
  ]);
  for (const v of [-0.12, 0.12]) {
    const f0 = hp(0.62 * hs, v * hs), f1 = hp(0.98 * hs, v * hs * 1.1);
    sb.stroke(T, [f0[0], f0[1], f1[0], f1[1]], 0.02);
  }
}
