/**
 * The head of a character: face, ears, eyes (sclera, iris, iris shade, pupil, highlights, lashes), brows, nose,
 * mouth, blush, and hair (back hair, tails, side locks, cap, bangs, ahoge, highlights, accessories), with cel
 * shadows. Features sit on a sphere-like head turned by yaw and pitch and projected orthographically, so a
 * turning head foreshortens the far eye, moves the chin, hides locks behind the head and shows the ear.
 *
 * Head frame: origin at the cranium centre, 1 unit = cranium radius, y down, z toward the viewer.
 *
 * @module
 */
import {
  type Affine,
  arc,
  closedSpline,
  convexHull,
  ellipse,
  lock,
  openSpline,
  type Pts,
  quad,
  reversePts,
  shiftPts,
  taperedStroke,
} from "./geometry.ts";
import type { CharacterSpec, LockSpec } from "./character.ts";
import type { Pose } from "./pose.ts";
import { DEPTH, type SceneBuilder } from "./scene.ts";

/**
 * Yaw/pitch rotation of head-frame 3-D points and projection to the head's 2-D frame.
 *
 * @example
 * ```ts
 * const P = new HeadProjector(0.4, 0.1); // yaw, pitch
 * const [x, y] = P.rot(0, 1.3, 0.6); // where the chin lands
 * ```
 */
export class HeadProjector {
  readonly cy: number;
  readonly sy: number;
  readonly cp: number;
  readonly sp: number;
  constructor(readonly yaw: number, readonly pitch: number) {
    this.cy = Math.cos(yaw);
    this.sy = Math.sin(yaw);
    this.cp = Math.cos(pitch);
    this.sp = Math.sin(pitch);
  }

  /** Rotated point `[x, y, z]`. */
  rot(x: number, y: number, z: number): [number, number, number] {
    const x1 = x * this.cy + z * this.sy;
    const z1 = -x * this.sy + z * this.cy;
    return [x1, y * this.cp + z1 * this.sp, -y * this.sp + z1 * this.cp];
  }

  /**
   * A flat feature lying on the head surface at `(cx, cy, cz)`: local `(u, v)` points (u across the surface,
   * v down) mapped to 2-D. Returns the points and how much the feature faces the viewer (-1..1).
   */
  surf(cx: number, cy: number, cz: number, local: Pts): { pts: Pts; facing: number } {
    const a = Math.atan2(cx, cz);
    const t1x = Math.cos(a), t1z = -Math.sin(a);
    const out: Pts = [];
    for (let i = 0; i < local.length; i += 2) {
      const u = local[i], v = local[i + 1];
      const [x, y] = this.rot(cx + u * t1x, cy + v, cz + u * t1z);
      out.push(x, y);
    }
    return { pts: out, facing: Math.cos(a + this.yaw) * this.cp };
  }
}

/** Mirrors the u coordinate of a local point list (`s` = +1 keeps it). */
function mirror(pts: Pts, s: number): Pts {
  if (s === 1) return pts;
  const out = pts.slice();
  for (let i = 0; i < out.length; i += 2) out[i] = -out[i];
  return out;
}

/** Rotates local points by `t` about the origin. */
function spin(pts: Pts, t: number): Pts {
  const c = Math.cos(t), s = Math.sin(t);
  const out: Pts = [];
  for (let i = 0; i < pts.length; i += 2) out.push(c * pts[i] - s * pts[i + 1], s * pts[i] + c * pts[i + 1]);
  return out;
}

/**
 * The face outline in the head's 2-D frame: hull of the cranium circle and the turned jaw.
 *
 * @example
 * ```ts
 * const face = faceOutline(spec, new HeadProjector(pose.headYaw, pose.headPitch));
 * ```
 */
export function faceOutline(spec: CharacterSpec, P: HeadProjector): Pts {
  const h = spec.head;
  const pts: Pts = ellipse(0, 0, 1, 1, 0, 36);
  const jaw: [number, number, number][] = [
    [h.cheekW, 0.3, 0.25],
    [h.cheekW * 0.88 + h.jawW * 0.12, 0.62, 0.36],
    [h.jawW, h.jawY, 0.45],
    [h.chinW + (h.jawW - h.chinW) * 0.35, (h.jawY + h.chinY) / 2 + 0.04, 0.54],
    [h.chinW, h.chinY - 0.03, 0.6],
  ];
  for (const [x, y, z] of jaw) {
    for (const s of [1, -1]) {
      const [px, py] = P.rot(s * x, y, z);
      pts.push(px, py);
    }
  }
  const [cx, cyy] = P.rot(0, h.chinY, 0.62);
  pts.push(cx, cyy);
  return convexHull(pts);
}

/** Local shape of one eye (outer corner toward +u before mirroring). */
function eyeShapes(spec: CharacterSpec, pose: Pose, s: number) {
  const h = spec.head;
  const W = h.eyeW, H = h.eyeH, o = pose.blink;
  const up: Pts = [-0.5, 0.02, -0.33, -0.36, 0.0, -0.5, 0.3, -0.45, 0.5, -0.2];
  const low: Pts = [0.46, 0.18, 0.2, 0.46, -0.15, 0.47, -0.42, 0.25];
  const sc = (p: Pts, lidClose: boolean) => {
    const out: Pts = [];
    for (let i = 0; i < p.length; i += 2) {
      let v = p[i + 1];
      if (lidClose) v = v * o + (1 - o) * 0.28;
      out.push(p[i] * W, v * H);
    }
    return out;
  };
  const U = sc(up, true), D = sc(low, false);
  const sclera = closedSpline([...U, ...D], 5);
  // Upper lash: a band above the upper lid, thicker toward the outer corner, with a small wing.
  const upper = openSpline(U, 4);
  const top: Pts = [], bottom: Pts = [];
  const n = upper.length / 2;
  for (let i = 0; i < n; i++) {
    const f = i / (n - 1);
    top.push(upper[2 * i], upper[2 * i + 1] - h.lashT * (0.35 + 0.75 * f));
    bottom.push(upper[2 * i], upper[2 * i + 1] + 0.025 * H);
  }
  top.push(0.62 * W, -0.16 * H + (1 - o) * 0.2 * H);
  const lash = [...top, ...reversePts(bottom)];
  const closed = taperedStroke(
    openSpline([-0.5 * W, 0.1 * H, 0, 0.3 * H, 0.55 * W, 0.05 * H], 5),
    h.lashT * 1.3,
    0.3,
  );
  const lowerLash = taperedStroke(
    openSpline([0.47 * W, 0.16 * H, 0.3 * W, 0.38 * H, 0.05 * W, 0.48 * H], 3),
    h.lashT * 0.45,
    0.2,
  );
  // Iris and its details; gaze is in image terms, so it is mirrored back for the left/right eye.
  const rx = h.irisR * W, ry = rx * 1.35;
  const ix = s * pose.gazeX * W * 0.55, iy = 0.04 * H + pose.gazeY * H * 0.4 + (1 - o) * 0.12 * H;
  const iris = ellipse(ix, iy, rx, ry, 0, 22);
  const shade = ellipse(ix, iy - 0.62 * ry, rx * 1.05, ry, 0, 22);
  const pupil = ellipse(ix, iy + 0.08 * ry, rx * h.pupilR, ry * h.pupilR * 1.1, 0, 16);
  const lx = s * spec.lightX * -1;
  const lights = [
    ellipse(ix + lx * 0.38 * rx, iy - 0.38 * ry, rx * 0.3, ry * 0.26, 0, 12),
    ellipse(ix - lx * 0.42 * rx, iy + 0.48 * ry, rx * 0.15, ry * 0.13, 0, 10),
    ellipse(ix + lx * 0.05 * rx, iy + 0.55 * ry, rx * 0.1, ry * 0.09, 0, 8),
  ];
  return { sclera, lash, closed, lowerLash, iris, shade, pupil, lights, upper };
}

/** Projects a hair lock rooted on the head: root on a sphere, tip hanging outward. */
function lockPts(P: HeadProjector, l: LockSpec, r0: number, rTip: number, bulge = 1.1) {
  const ring = Math.sqrt(Math.max(0.05, r0 * r0 - l.rootY * l.rootY));
  const rx = ring * Math.sin(l.az), rz = ring * Math.cos(l.az);
  const tx = rx + l.len * Math.sin(l.angle), ty = l.rootY + l.len * Math.cos(l.angle);
  const tz = Math.sqrt(Math.max(0.02, rTip * rTip - tx * tx - ty * ty)) * Math.sign(Math.cos(l.az) || 1);
  const [ax, ay] = P.rot(rx, l.rootY, rz);
  const [bx, by] = P.rot(tx, ty, rz >= 0 ? Math.max(tz, rz * 0.5) : rz);
  const [wx, wy] = P.rot(rx + l.width * Math.cos(l.az), l.rootY, rz - l.width * Math.sin(l.az));
  const w = Math.max(0.03, Math.hypot(wx - ax, wy - ay));
  return {
    pts: lock(ax, ay, w, bx, by, l.bend, bulge, 8),
    root: [ax, ay],
    tip: [bx, by],
    w,
    facing: Math.cos(l.az + P.yaw),
  };
}

/** Adds hair strands (open strokes) along a lock, for the hand-drawn style. */
function strands(
  sb: SceneBuilder,
  H: Affine,
  root: number[],
  tip: number[],
  w: number,
  k: number,
  seed: number,
) {
  const dx = tip[0] - root[0], dy = tip[1] - root[1];
  const len = Math.hypot(dx, dy) || 1;
  const nx = -dy / len, ny = dx / len;
  for (let j = 0; j < k; j++) {
    const side = ((seed * 7 + j * 3) % 5) / 5 - 0.4; // deterministic spread across the lock
    const a = 0.12 + 0.1 * j, b = 0.55 + 0.12 * ((seed + j) % 3);
    const ox = nx * w * side * 1.2, oy = ny * w * side * 1.2;
    sb.stroke(
      H,
      quad(
        root[0] + dx * a + ox,
        root[1] + dy * a + oy,
        root[0] + dx * (a + b) / 2 + ox * 1.3,
        root[1] + dy * (a + b) / 2 + oy * 1.3,
        root[0] + dx * b + ox * 0.6,
        root[1] + dy * b + oy * 0.6,
        6,
      ),
      0.025,
    );
  }
}

/** What every stage of {@link buildHead} reads: the character, its pose, the head frame and its projector. */
interface HeadContext {
  spec: CharacterSpec;
  pose: Pose;
  sb: SceneBuilder;
  /** Head frame to pixels. */
  H: Affine;
  h: CharacterSpec["head"];
  hair: CharacterSpec["hair"];
  L: CharacterSpec["L"];
  /** The head's yaw and pitch applied to head-frame points. */
  P: HeadProjector;
  /** Hair volume over the cranium. */
  vol: number;
}

/**
 * Adds every head part of `spec` in `pose` to the scene; `H` maps the head frame to pixels.
 *
 * @example
 * ```ts
 * buildHead(spec, pose, sb, headToPx);
 * ```
 */
export function buildHead(spec: CharacterSpec, pose: Pose, sb: SceneBuilder, H: Affine): void {
  const c: HeadContext = {
    spec,
    pose,
    sb,
    H,
    h: spec.head,
    hair: spec.hair,
    L: spec.L,
    P: new HeadProjector(pose.headYaw, pose.headPitch),
    vol: spec.hair.volume,
  };
  addFace(c);
  const ez = Math.sqrt(1 - c.h.eyeX * c.h.eyeX) * 0.95;
  for (const s of [1, -1]) addEye(c, s, ez);
  addNoseMouth(c);
  addBackHair(c);
  addSideLocks(c);
  const cap = addCap(c);
  addBangs(c, cap);
  addHairTop(c);
  addHairAccessory(c);
}

/** Face, the neck's shadow, ears. */
function addFace(c: HeadContext): void {
  const { spec, sb, H, h, L, P } = c;
  const face = faceOutline(spec, P);
  sb.add(L.face, DEPTH.face, H, face);
  if (spec.shading) {
    sb.add(L.neckShadow, DEPTH.neck + 0.01, H, shiftPts(face, -spec.lightX * 0.06, 0.2), [L.neck]);
  }
  for (const s of [1, -1]) {
    const [ex, ey, ez] = P.rot(s * 0.96, 0.4, -0.06);
    const squash = 0.55 + 0.45 * Math.abs(ez);
    const ear = ellipse(ex + s * 0.03, ey, 0.15 * h.earSize * squash, 0.27 * h.earSize, s * 0.18, 16);
    sb.add(s > 0 ? L.earL : L.earR, ez > 0.12 ? DEPTH.earFront : DEPTH.earBack, H, ear);
  }
}

/** One eye (s = 1 left, -1 right) and its brow, at depth `ez` on the face; skipped when turned away. */
function addEye(c: HeadContext, s: number, ez: number): void {
  const { spec, pose, sb, H, h, L, P } = c;
  const k = s > 0 ? "L" : "R";
  const e = eyeShapes(spec, pose, s);
  const tilt = s * h.eyeTilt;
  const place = (pts: Pts) => P.surf(s * h.eyeX, h.eyeY, ez, spin(mirror(pts, s), tilt));
  const facing = place([0, 0]).facing;
  if (facing < 0.12) return; // turned away behind the face outline
  const d = DEPTH.faceDetail;
  const eyeLabels = [L[`sclera${k}`], L[`iris${k}`], L[`irisShade${k}`], L[`pupil${k}`]];
  if (pose.blink > 0.05) {
    sb.add(L[`sclera${k}`], d + 0.1, H, place(e.sclera).pts);
    sb.add(L[`iris${k}`], d + 0.11, H, place(e.iris).pts, [L[`sclera${k}`]]);
    sb.add(L[`irisShade${k}`], d + 0.12, H, place(e.shade).pts, [L[`iris${k}`]]);
    sb.add(L[`pupil${k}`], d + 0.13, H, place(e.pupil).pts, [L[`iris${k}`], L[`irisShade${k}`]]);
    for (let j = 0; j < h.highlights; j++) {
      sb.add(L[`highlight${k}${j}`], d + 0.14, H, place(e.lights[j]).pts, eyeLabels);
    }
    sb.add(L[`lash${k}`], d + 0.16, H, place(e.lash).pts);
    if (h.lowerLash) sb.add(L[`lowerLash${k}`], d + 0.15, H, place(e.lowerLash).pts);
  } else {
    sb.add(L[`lash${k}`], d + 0.16, H, place(e.closed).pts);
  }
  // Eyelash spikes at the outer corner (hand-drawn strokes).
  const W = h.eyeW, Hh = h.eyeH;
  for (let j = 0; j < 2; j++) {
    const sp =
      place([0.5 * W, -0.22 * Hh - j * 0.12 * Hh, 0.66 * W + j * 0.02, -0.3 * Hh - j * 0.2 * Hh]).pts;
    sb.stroke(H, sp, 0.02);
  }
  // Brow.
  const bl = h.browLen;
  const browLine = openSpline([-0.5 * bl, 0.03, 0, -h.browArch - 0.02, 0.5 * bl, 0.06], 4);
  const brow = taperedStroke(browLine, h.browT, 0.35);
  const by = h.eyeY - h.eyeH * 0.5 - 0.2 + h.browY - 0.07 * pose.brow;
  sb.add(
    L[`brow${k}`],
    d + 0.2,
    H,
    P.surf(s * (h.eyeX + 0.03), by, ez * 0.98, spin(mirror(brow, s), -s * 0.08 * pose.brow)).pts,
  );
}

/** Nose, mouth (open or a line), blush. */
function addNoseMouth(c: HeadContext): void {
  const { pose, sb, H, h, L, P } = c;
  const d = DEPTH.faceDetail;
  const noseY = (h.eyeY + h.eyeH * 0.5 + h.mouthY) / 2 + 0.04;
  if (L.nose !== undefined) {
    sb.add(L.nose, d + 0.05, H, P.surf(0.02, noseY, 0.97, [-0.012, -0.035, 0.03, 0.035, -0.03, 0.035]).pts);
  } else sb.stroke(H, P.surf(0.02, noseY, 0.97, [0, -0.03, 0.02, 0.03]).pts, 0.02);
  const mw = h.mouthW, sm = pose.smile;
  if (pose.mouth > 0.15) {
    const m = pose.mouth;
    const bottomY = 0.04 + m * 0.2;
    const mouth = closedSpline([
      -mw / 2,
      -0.03 * sm,
      0,
      0.01,
      mw / 2,
      -0.03 * sm,
      mw * 0.3,
      bottomY * 0.8,
      0,
      bottomY,
      -mw * 0.3,
      bottomY * 0.8,
    ], 5);
    sb.add(L.mouth, d + 0.05, H, P.surf(0, h.mouthY, 0.8, mouth).pts);
    sb.add(
      L.tongue,
      d + 0.06,
      H,
      P.surf(0, h.mouthY, 0.8, ellipse(0, bottomY - 0.015, mw * 0.28, 0.05 + m * 0.03, 0, 14)).pts,
      [L.mouth],
    );
    if (L.teeth !== undefined) {
      sb.add(
        L.teeth,
        d + 0.06,
        H,
        P.surf(0, h.mouthY, 0.8, [-mw / 2, -0.06, mw / 2, -0.06, mw / 2, 0.03, -mw / 2, 0.03]).pts,
        [L.mouth],
      );
    }
  } else {
    const line = openSpline([-mw / 2, -0.03 * sm, 0, 0.02 * sm, mw / 2, -0.03 * sm], 4);
    sb.add(L.mouth, d + 0.05, H, P.surf(0, h.mouthY, 0.8, taperedStroke(line, 0.035, 0.4)).pts);
  }
  if (h.blush) {
    for (const s of [1, -1]) {
      sb.add(
        s > 0 ? L.blushL : L.blushR,
        d + 0.02,
        H,
        P.surf(s * 0.56, 0.74, 0.8, ellipse(0, 0, 0.15, 0.06, 0, 16)).pts,
        [L.face],
      );
    }
  }
}

/** Back hair (behind the whole body), back locks and tails. */
function addBackHair(c: HeadContext): void {
  const { pose, sb, H, hair, L, P, vol } = c;
  const bw = hair.backW, bl = hair.backLen, r = 1 + vol + 0.05;
  const shift = -0.12 * P.sy;
  const back: Pts = arc(shift, -0.02, r, r + 0.04, Math.PI - 0.1, 2 * Math.PI + 0.1, 16);
  const half = (y: number) => r + (bw - r) * Math.min(1, Math.max(0, (y - 0.3) / 2.2));
  const sideR: Pts = [], sideL: Pts = [];
  for (let y = 0.45; y < bl - 0.2; y += 0.5) {
    sideR.push(shift + half(y), y);
    sideL.push(shift - half(y), y);
  }
  const ns = hair.backSpikes;
  const bottom: Pts = [];
  const hb = half(bl);
  for (let i = 0; i <= 2 * ns; i++) {
    const x = hb - (2 * hb * i) / (2 * ns);
    bottom.push(shift + x, bl - (i % 2 === 1 ? 0.35 + 0.1 * ((i * 7) % 3) : 0) - 0.1 * (1 - (x / hb) ** 2));
  }
  sb.add(L.hairBack, DEPTH.hairBack, H, [...back, ...sideR, ...bottom, ...reversePts(sideL)]);
  for (const l of hair.backLocks) {
    const rx = shift + l.az, tipX = rx + l.len * Math.sin(l.angle) + 0.15 * l.az, tipY = l.rootY + l.len;
    sb.add(
      l.label,
      DEPTH.hairBack + 0.01 * (1 + l.order),
      H,
      lock(rx, l.rootY, l.width, tipX, tipY, l.bend, 1.1, 10),
    );
    strands(sb, H, [rx, l.rootY], [tipX, tipY], l.width, 1, l.order + 2);
  }
  if (hair.tails === "twin") {
    for (const s of [1, -1]) {
      const [ax, ay] = P.rot(s * 0.85, -0.55, -0.25);
      const tip: [number, number] = [ax + s * (0.45 + 0.1 * pose.headTilt), ay + hair.tailLen];
      sb.add(
        s > 0 ? L.tailL : L.tailR,
        DEPTH.tails,
        H,
        lock(ax, ay, hair.tailW, tip[0], tip[1], -s * 0.12, 1.25, 10),
      );
      sb.add(L.hairTie, DEPTH.earBack + 0.1, H, ellipse(ax + s * 0.3, ay + 0.12, 0.1, 0.13, 0, 14));
      strands(sb, H, [ax, ay], tip, hair.tailW, 2, s + 3);
    }
  } else if (hair.tails === "pony") {
    const [ax, ay] = P.rot(0, -0.55, -0.95);
    const sg = P.sy >= 0 ? -1 : 1;
    const tip: [number, number] = [ax + sg * (0.6 + 0.5 * Math.abs(P.sy)), ay + hair.tailLen * 0.7];
    sb.add(L.tailPony, DEPTH.tails, H, lock(ax, ay, hair.tailW * 1.1, tip[0], tip[1], sg * 0.15, 1.3, 10));
    sb.add(L.hairTie, DEPTH.tails + 0.01, H, ellipse(ax, ay + 0.1, 0.16, 0.12, 0, 14));
  }
}

/** Side locks (in front of the face, or behind the head when turned away). */
function addSideLocks(c: HeadContext): void {
  const { sb, H, hair, P, vol } = c;
  for (const l of hair.sides) {
    const lk = lockPts(P, { ...l, rootY: l.rootY }, 1.04 + vol, 1.06 + vol, 1.0);
    const depth = lk.facing > -0.3 ? DEPTH.sideFront + 0.01 * l.order : DEPTH.sideBack;
    sb.add(l.label, depth, H, lk.pts);
    if (lk.facing > -0.3) strands(sb, H, lk.root, lk.tip, lk.w, 1, l.label);
  }
}

/** Cap: the hair over the top of the head, down to the hairline; returns its outline. */
function addCap(c: HeadContext): Pts {
  const { sb, H, L, P, vol } = c;
  const cap: Pts = arc(0, -0.03, 1 + vol, 1 + vol, Math.PI - 0.35, 2 * Math.PI + 0.35, 20);
  const hairline: [number, number][] = [
    [0.97, 0.05],
    [0.86, -0.3],
    [0.62, -0.5],
    [0.32, -0.6],
    [0, -0.63],
    [-0.32, -0.6],
    [-0.62, -0.5],
    [-0.86, -0.3],
    [-0.97, 0.05],
  ];
  for (const [x, y] of hairline) {
    const z = Math.sqrt(Math.max(0, 1.06 - x * x - y * y));
    const [px, py] = P.rot(x, y, z);
    cap.push(px, py);
  }
  sb.add(L.hairCap, DEPTH.cap, H, cap);
  return cap;
}

/** Bangs, and their shadow on the forehead (with the cap's). */
function addBangs(c: HeadContext, cap: Pts): void {
  const { spec, sb, H, hair, L, P, vol } = c;
  const shadow: Pts[] = [];
  for (const l of hair.bangs) {
    const lk = lockPts(P, l, 1.04 + vol * 0.5, 1.1 + vol, 1.15);
    if (lk.facing < -0.05) continue;
    sb.add(l.label, DEPTH.bangs + 0.01 * l.order, H, lk.pts);
    shadow.push(shiftPts(lk.pts, -spec.lightX * 0.05, 0.14));
    strands(sb, H, lk.root, lk.tip, lk.w, 1 + (l.order % 2), l.order);
  }
  if (spec.shading && L.faceShadow !== undefined) {
    shadow.push(shiftPts(cap, 0, 0.12));
    sb.add(L.faceShadow, DEPTH.faceDetail - 0.05, H, shadow, [L.face, L.earL, L.earR]);
  }
}

/** Ahoge and highlights. */
function addHairTop(c: HeadContext): void {
  const { sb, H, hair, L, P, vol } = c;
  if (hair.ahoge) {
    sb.add(
      L.ahoge,
      DEPTH.hairTop,
      H,
      lock(0.05 + 0.3 * P.sy, -0.98 - vol, 0.055, 0.45 + 0.3 * P.sy, -1.6 - vol, 0.35, 1.2, 8),
    );
  }
  const hairLabels = [
    L.hairCap,
    ...hair.bangs.map((b) => b.label),
    ...hair.sides.map((b) => b.label),
    L.ahoge,
  ];
  hair.highlightX.forEach((x, k) => {
    const y = -0.58 + 0.12 * x * x;
    const z = Math.sqrt(Math.max(0.05, 1.1 - x * x - y * y));
    const [px, py, pz] = P.rot(x, y, z);
    if (pz < 0.05) return;
    const ang = Math.atan2(px, 1.2);
    sb.add(
      L[`hairLight${k}`],
      DEPTH.hairTop + 0.01,
      H,
      ellipse(px, py, 0.1, 0.035 + 0.01 * k, ang, 14),
      hairLabels,
    );
  });
}

/** Clip, bow or headband. */
function addHairAccessory(c: HeadContext): void {
  const { spec, sb, H, L, P, vol } = c;
  const acc = spec.acc;
  if (acc.hair === "clip") {
    const { pts, facing } = P.surf(
      acc.side * 0.55,
      -0.42,
      0.85,
      spin([-0.16, -0.035, 0.16, -0.035, 0.16, 0.035, -0.16, 0.035], acc.side * 0.5),
    );
    if (facing > 0) sb.add(L.hairClip, DEPTH.hairTop + 0.02, H, pts);
  } else if (acc.hair === "bow") {
    const [kx, ky, kz] = P.rot(acc.side * 0.72, -0.78, 0.25);
    const dep = kz > -0.2 ? DEPTH.hairTop + 0.02 : DEPTH.hairBack + 0.01;
    sb.add(L.bowLoopA, dep, H, lock(kx, ky, 0.12, kx + 0.5 * acc.side, ky - 0.35, 0.1, 1.7, 8));
    sb.add(L.bowLoopB, dep, H, lock(kx, ky, 0.12, kx - 0.2 * acc.side, ky - 0.5, -0.1, 1.7, 8));
    sb.add(L.bowKnot, dep + 0.001, H, ellipse(kx, ky, 0.09, 0.1, 0, 12));
  } else if (acc.hair === "band") {
    const band = taperedStroke(
      arc(0, -0.03, 0.98 + vol, 0.98 + vol, Math.PI + 0.45, 2 * Math.PI - 0.45, 14),
      0.13,
      1,
    );
    sb.add(L.headband, DEPTH.cap + 0.1, H, band);
  }
}
