/**
 * Poses and cameras, and smooth sequences of them: each joint angle and camera setting follows its own random
 * track through keyframes (a random walk with occasional jumps) interpolated with a Catmull-Rom spline, so
 * consecutive frames move a little and frames seven apart can differ a lot, like the PBC pairs.
 *
 * @module
 */
import type { Rng } from "../util/rng.ts";

/** One arm: angles in radians. */
export interface ArmPose {
  /** Upper arm angle from hanging straight down, + away from the body. */
  shoulder: number;
  /** Elbow bend, 0 = straight, + brings the forearm up toward the body's middle. */
  elbow: number;
  /** Depth layer: < 1/3 behind the torso, < 2/3 beside it, else in front of everything (hand before the face). */
  front: number;
}

/** One leg. */
export interface LegPose {
  /** Thigh angle from straight down, + outward. */
  hip: number;
  /** Shin angle relative to the thigh, + outward. */
  knee: number;
}

/** A full pose. */
export interface Pose {
  headYaw: number;
  headPitch: number;
  headTilt: number;
  torsoYaw: number;
  lean: number;
  armL: ArmPose;
  armR: ArmPose;
  legL: LegPose;
  legR: LegPose;
  /** Gaze offset of the irises (fractions of the eye size). */
  gazeX: number;
  gazeY: number;
  /** Eye opening: 1 open, 0 closed. */
  blink: number;
  /** Mouth opening 0..1. */
  mouth: number;
  /** Smile -1..1 (mouth curve). */
  smile: number;
  /** Brow raise -1..1. */
  brow: number;
}

/** A camera: world point `(fx, fy)` lands on pixel `(cx, cy)`, at `scale` pixels per head unit, rotated by `rot`. */
export interface Camera {
  scale: number;
  rot: number;
  cx: number;
  cy: number;
  fx: number;
  fy: number;
}

/** Per-frame camera tracks of a sequence (one value per frame each), as {@link trackedCameras} reads them. */
export interface CameraTracks {
  /** Log zoom: the view is `viewH * exp(zoom)` model units tall. */
  zoom: ArrayLike<number>;
  /** Pan of the view centre, in shares of the canvas's shorter side. */
  panX: ArrayLike<number>;
  panY: ArrayLike<number>;
  /** Camera roll, radians. */
  roll: ArrayLike<number>;
}

/**
 * The cameras of a non-human sequence: `viewH` model units fill the canvas's shorter side at zoom 0, centred on the
 * canvas plus the pan, looking at the model point (0, `fy`). Draws nothing from any RNG: the families draw their
 * tracks in their own order, so their datasets stay byte-identical.
 *
 * @example
 * ```ts
 * const cams = trackedCameras(512, 512, 4, { zoom: [0], panX: [0], panY: [0], roll: [0] }); // scale 128
 * ```
 */
export function trackedCameras(
  width: number,
  height: number,
  viewH: number,
  t: CameraTracks,
  fy = 0,
): Camera[] {
  const side = Math.min(width, height);
  return Array.from({ length: t.zoom.length }, (_, i) => ({
    scale: side / (viewH * Math.exp(t.zoom[i])),
    rot: t.roll[i],
    cx: width / 2 + side * t.panX[i],
    cy: height / 2 + side * t.panY[i],
    fx: 0,
    fy,
  }));
}

/** The framing of a sequence. */
export type Shot = "close" | "bust" | "upper" | "full";

/** Options of {@link makeSequence}. */
export interface SequenceOptions {
  /** Weights of the shot types (close-up, bust, upper body, full body). */
  shotWeights: Record<Shot, number>;
  /** Keyframe spacing range in frames. */
  keyEvery: [number, number];
  /** Random-walk step between keyframes, as a fraction of each parameter's range. */
  step: number;
  /** Probability that a keyframe jumps anywhere in the range (a large pose change). */
  jump: number;
  /** Probability per frame of a blink. */
  blinkProb: number;
}

/** Defaults: framings like PBC / anime frames (mostly bust and upper body, the character large in the frame). */
export const SEQUENCE_DEFAULTS: Readonly<SequenceOptions> = {
  shotWeights: { close: 0.17, bust: 0.4, upper: 0.33, full: 0.1 }, // PBC frames are mostly bust / upper-body crops
  keyEvery: [4, 9], // a keyframe every 4-9 frames: frames 7 apart usually straddle one or two keys
  step: 0.4, // moderate motion between keys...
  jump: 0.12, // ...and now and then a large pose change
  blinkProb: 0.07, // about one frame in 14 has the eyes closed or half closed
};

/** Visible world height and focus point (relative to the neck base) of each shot, in head units. */
const SHOTS: Record<Shot, { height: [number, number]; focusY: [number, number] }> = {
  close: { height: [3.4, 4.4], focusY: [-1.7, -1.2] },
  bust: { height: [4.4, 6.0], focusY: [-1.0, -0.3] },
  upper: { height: [7.5, 9.5], focusY: [0.2, 1.0] },
  full: { height: [12.0, 13.5], focusY: [3.0, 3.6] },
};

/**
 * A smooth random track of `n` values in `[lo, hi]`: keyframes every few frames (random walk with jumps),
 * Catmull-Rom between them.
 *
 * @example
 * ```ts
 * const yaw = smoothTrack(new Rng(1), 20, -0.6, 0.6); // Float64Array(20)
 * ```
 */
export function smoothTrack(
  rng: Rng,
  n: number,
  lo: number,
  hi: number,
  opts: Partial<Pick<SequenceOptions, "keyEvery" | "step" | "jump">> & { start?: number } = {},
): Float64Array {
  const o = { ...SEQUENCE_DEFAULTS, ...opts };
  const keysT: number[] = [], keysV: number[] = [];
  let t = -rng.int(0, o.keyEvery[1]);
  let v = opts.start ?? rng.range(lo, hi);
  const clamp = (x: number) => Math.max(lo, Math.min(hi, x));
  keysT.push(t - o.keyEvery[0]);
  keysV.push(v);
  while (t < n + o.keyEvery[1]) {
    keysT.push(t);
    keysV.push(v);
    t += rng.int(o.keyEvery[0], o.keyEvery[1] + 1);
    v = rng.bool(o.jump) ? rng.range(lo, hi) : clamp(v + rng.normal(0, o.step * (hi - lo)));
  }
  keysT.push(t);
  keysV.push(v);
  const out = new Float64Array(n);
  let k = 1;
  for (let i = 0; i < n; i++) {
    while (keysT[k + 1] <= i) k++;
    const t0 = keysT[k], t1 = keysT[k + 1];
    const u = (i - t0) / (t1 - t0);
    const p0 = keysV[k - 1], p1 = keysV[k], p2 = keysV[k + 1], p3 = keysV[Math.min(k + 2, keysV.length - 1)];
    const u2 = u * u, u3 = u2 * u;
    const val = 0.5 *
      (2 * p1 + (-p0 + p2) * u + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u2 + (-p0 + 3 * p1 - 3 * p2 + p3) * u3);
    out[i] = clamp(val);
  }
  return out;
}

/**
 * Picks a shot by weight.
 *
 * @example
 * ```ts
 * const shot = pickShot(new Rng(1), SEQUENCE_DEFAULTS.shotWeights); // "bust", say
 * ```
 */
export function pickShot(rng: Rng, weights: Record<Shot, number>): Shot {
  const entries = Object.entries(weights) as [Shot, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = rng.float() * total;
  for (const [s, w] of entries) {
    if ((r -= w) < 0) return s;
  }
  return entries[entries.length - 1][0];
}

/** A sequence of poses and cameras. */
export interface Sequence {
  shot: Shot;
  poses: Pose[];
  cameras: Camera[];
}

/**
 * A smooth sequence of `n` poses and cameras for a `size x size` frame.
 *
 * @example
 * ```ts
 * const seq = makeSequence(new Rng(5), 15, 512);
 * console.log(seq.shot, seq.poses[7].headYaw);
 * ```
 */
export function makeSequence(
  rng: Rng,
  n: number,
  size: number,
  opts: Partial<SequenceOptions> = {},
): Sequence {
  const o = { ...SEQUENCE_DEFAULTS, ...opts };
  const shot = pickShot(rng, o.shotWeights);
  const tr = (lo: number, hi: number, extra: { start?: number; step?: number } = {}) =>
    smoothTrack(rng, n, lo, hi, {
      keyEvery: o.keyEvery,
      step: extra.step ?? o.step,
      jump: o.jump,
      start: extra.start,
    });
  const headYaw = tr(-0.75, 0.75), headPitch = tr(-0.2, 0.22), headTilt = tr(-0.3, 0.3);
  const torsoYaw = tr(-0.45, 0.45), lean = tr(-0.12, 0.12);
  // Shoulder angle through u^1.7: arms mostly down or out a little, now and then raised high.
  const arm = () => ({
    s: tr(0, 1, { start: rng.range(0.15, 0.45) }).map((u) => -0.2 + 2.7 * u ** 1.7),
    e: tr(0, 2.5, { start: rng.range(0, 0.8) }),
    f: tr(0, 1),
  });
  const aL = arm(), aR = arm();
  const leg = () => ({ h: tr(-0.12, 0.35), k: tr(-0.25, 0.15) });
  const lL = leg(), lR = leg();
  const gazeX = tr(-0.25, 0.25), gazeY = tr(-0.15, 0.15);
  const mouth = tr(-0.8, 1), smile = tr(-0.6, 1), brow = tr(-1, 1);
  const poses: Pose[] = [];
  for (let i = 0; i < n; i++) {
    const b = rng.bool(o.blinkProb) ? rng.pick([0, 0, 0.45]) : 1;
    poses.push({
      headYaw: headYaw[i],
      headPitch: headPitch[i],
      headTilt: headTilt[i],
      torsoYaw: torsoYaw[i],
      lean: lean[i],
      armL: { shoulder: aL.s[i], elbow: aL.e[i], front: aL.f[i] },
      armR: { shoulder: aR.s[i], elbow: aR.e[i], front: aR.f[i] },
      legL: { hip: lL.h[i], knee: lL.k[i] },
      legR: { hip: lR.h[i], knee: lR.k[i] },
      gazeX: gazeX[i],
      gazeY: gazeY[i],
      blink: b,
      mouth: Math.max(0, mouth[i]),
      smile: smile[i],
      brow: brow[i],
    });
  }
  // Camera: visible height, focus and roll drift; sometimes a zoom toward the face.
  const sh = SHOTS[shot];
  const baseH = rng.range(sh.height[0], sh.height[1]);
  const focusY = rng.range(sh.focusY[0], sh.focusY[1]);
  const zoom = tr(-0.22, 0.22, { start: 0 });
  const panX = tr(-0.14, 0.14), panY = tr(-0.1, 0.1);
  const rollBig = rng.bool(0.25);
  const roll = tr(rollBig ? -0.35 : -0.12, rollBig ? 0.35 : 0.12);
  const cameras: Camera[] = [];
  for (let i = 0; i < n; i++) {
    const h = baseH * Math.exp(zoom[i]);
    cameras.push({
      scale: size / h,
      rot: roll[i],
      cx: size * (0.5 + panX[i]),
      cy: size * (0.5 + panY[i]),
      fx: 0,
      fy: focusY,
    });
  }
  return { shot, poses, cameras };
}
