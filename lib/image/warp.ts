/**
 * Smooth non-rigid warps of images and label maps: a random affine map (small rotation, scale and shift about
 * the centre) composed with a smooth elastic displacement field, stored as a backward map (for every target
 * pixel, the source position it shows). Label maps and colour frames are sampled nearest-neighbour, so labels
 * and colours stay exact; grey images bilinearly; ink masks bilinearly then thresholded with a ridge rule that
 * keeps thin lines thin and connected.
 *
 * Used by the warped real evaluation pairs (`deno task warp`, lib/generate/real_warp.ts) and by the training
 * augmentation (lib/train/augment.ts). Deterministic by the {@link Rng} passed in.
 *
 * @module
 */
import type { Rng } from "../util/rng.ts";
import { valueNoise } from "./noise.ts";
import type { GrayImage, LabelMap, RgbaImage } from "./types.ts";

/** A backward map: target pixel (x, y) shows source position (sx[i], sy[i]), i = y * width + x. */
export interface WarpField {
  /** Target size. */
  width: number;
  height: number;
  /** Source size. */
  srcWidth: number;
  srcHeight: number;
  sx: Float32Array;
  sy: Float32Array;
}

/** Settings of {@link randomWarp}. Lengths are fractions of the longer source side. */
export interface WarpOptions {
  /** Largest rotation, degrees (uniform in +-rotation). */
  rotation: number;
  /** Scale range (uniform in log scale). */
  scale: [number, number];
  /** Largest shift of the centre, per axis. */
  shift: number;
  /** Largest shear (x' = x + shear * y), a unitless factor. */
  shear: number;
  /** Amplitude of the large elastic field. */
  elasticAmp: number;
  /** Feature size of the large elastic field. */
  elasticCell: number;
  /** Amplitude of the fine elastic field. */
  fineAmp: number;
  /** Feature size of the fine elastic field. */
  fineCell: number;
  /** Mirror left-right with this probability. */
  flipProb: number;
}

/** Defaults: about as far apart as PBC pairs seven frames apart for the parts that move, never folding. */
export const WARP_DEFAULTS: Readonly<WarpOptions> = {
  rotation: 10, // a head tilt or camera roll
  scale: [0.88, 1.12], // a small zoom in or out
  shift: 0.05, // the character drifts a little in the frame
  shear: 0.06, // a slight change of view
  elasticAmp: 0.025, // limbs and hair bend: ~13 px at 512, ~48 px at 1920
  elasticCell: 0.25, // over a quarter of the frame (a limb, a lock of hair)
  fineAmp: 0.006, // small local wobble (~3 px at 512)...
  fineCell: 0.06, // ...over ~30 px: gradient amp/cell stays ~0.1, far from folding
  flipProb: 0, // evaluation pairs keep the handedness; augmentation turns it on
};

/**
 * A `width x height` field of smooth noise in [-1, 1] with features about `cell` pixels across (value noise on
 * a coarse grid, smoothstep-interpolated).
 *
 * @example
 * ```ts
 * const dx = smoothField(new Rng(1), 512, 512, 128); // Float32Array(512 * 512)
 * ```
 */
export function smoothField(rng: Rng, width: number, height: number, cell: number): Float32Array {
  return valueNoise(rng, width, height, Math.max(1, cell));
}

/**
 * The identity map of a `width x height` image (a starting point for hand-made fields).
 *
 * @example
 * ```ts
 * const f = identityWarp(64, 64); // f.sx[i] = x, f.sy[i] = y
 * ```
 */
export function identityWarp(width: number, height: number): WarpField {
  const sx = new Float32Array(width * height), sy = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      sx[y * width + x] = x;
      sy[y * width + x] = y;
    }
  }
  return { width, height, srcWidth: width, srcHeight: height, sx, sy };
}

/**
 * A random smooth warp of a `srcWidth x srcHeight` image onto a target of the same size: inverse affine
 * (rotation, log-uniform scale, shear, shift, optional mirror, all about the centre) plus a two-scale elastic
 * displacement in source pixels. Draws from `rng` in a fixed order.
 *
 * @example
 * ```ts
 * const field = randomWarp(new Rng(7).fork("warp:0"), 1920, 1920);
 * const moved = warpLabelsNearest(parts, field);
 * ```
 */
export function randomWarp(
  rng: Rng,
  srcWidth: number,
  srcHeight: number,
  opts: Partial<WarpOptions> = {},
): WarpField {
  const o = { ...WARP_DEFAULTS, ...opts };
  const W = srcWidth, H = srcHeight, side = Math.max(W, H);
  const rot = (rng.range(-1, 1) * o.rotation * Math.PI) / 180;
  const s = Math.exp(rng.range(Math.log(o.scale[0]), Math.log(o.scale[1])));
  const shear = rng.range(-1, 1) * o.shear;
  const tx = rng.range(-1, 1) * o.shift * side, ty = rng.range(-1, 1) * o.shift * side;
  const flip = o.flipProb > 0 && rng.bool(o.flipProb) ? -1 : 1;
  // A field of amplitude 0 is skipped (its streams are forks: skipping draws nothing from `rng`).
  const zero = new Float32Array(W * H);
  const field = (amp: number, name: string, cell: number) =>
    amp === 0 ? zero : smoothField(rng.fork(name), W, H, cell * side);
  const dxL = field(o.elasticAmp, "elastic-x", o.elasticCell),
    dyL = field(o.elasticAmp, "elastic-y", o.elasticCell);
  const dxF = field(o.fineAmp, "fine-x", o.fineCell), dyF = field(o.fineAmp, "fine-y", o.fineCell);
  // Forward affine about the centre: p' = c + t + R S Sh F (p - c). Backward: p = c + (R S Sh F)^-1 (p' - c - t).
  const cos = Math.cos(rot), sin = Math.sin(rot);
  // M = R * s * [[1, shear], [0, 1]] * diag(flip, 1)
  const m00 = s * cos * flip, m01 = s * (cos * shear - sin);
  const m10 = s * sin * flip, m11 = s * (sin * shear + cos);
  const det = m00 * m11 - m01 * m10;
  const i00 = m11 / det, i01 = -m01 / det, i10 = -m10 / det, i11 = m00 / det;
  const cx = (W - 1) / 2, cy = (H - 1) / 2;
  const aL = o.elasticAmp * side, aF = o.fineAmp * side;
  const sx = new Float32Array(W * H), sy = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const u = x - cx - tx, v = y - cy - ty;
      const px = cx + i00 * u + i01 * v, py = cy + i10 * u + i11 * v;
      // The elastic displacement is looked up at the target pixel: smooth either way, and cheaper.
      sx[i] = px + aL * dxL[i] + aF * dxF[i];
      sy[i] = py + aL * dyL[i] + aF * dyF[i];
    }
  }
  return { width: W, height: H, srcWidth: W, srcHeight: H, sx, sy };
}

/**
 * A label map warped with nearest sampling; target pixels whose source lies outside get `fill`.
 *
 * @example
 * ```ts
 * const moved = warpLabelsNearest(parts, field, -1);
 * ```
 */
export function warpLabelsNearest(map: LabelMap, field: WarpField, fill = -1): LabelMap {
  checkSource(field, map.width, map.height);
  const { width: W, height: H, sx, sy } = field;
  const out = new Int32Array(W * H);
  const sw = map.width, sh = map.height;
  for (let i = 0; i < W * H; i++) {
    const x = Math.round(sx[i]), y = Math.round(sy[i]);
    out[i] = x < 0 || y < 0 || x >= sw || y >= sh ? fill : map.data[y * sw + x];
  }
  return { width: W, height: H, data: out };
}

/**
 * An RGBA image warped with nearest sampling (colours stay exact); outside is transparent.
 *
 * @example
 * ```ts
 * const gt2 = warpRgbaNearest(gt, field);
 * ```
 */
export function warpRgbaNearest(img: RgbaImage, field: WarpField): RgbaImage {
  checkSource(field, img.width, img.height);
  const { width: W, height: H, sx, sy } = field;
  const out = new Uint8Array(W * H * 4);
  const sw = img.width, sh = img.height;
  for (let i = 0; i < W * H; i++) {
    const x = Math.round(sx[i]), y = Math.round(sy[i]);
    if (x < 0 || y < 0 || x >= sw || y >= sh) continue;
    const s = 4 * (y * sw + x);
    out[4 * i] = img.data[s], out[4 * i + 1] = img.data[s + 1];
    out[4 * i + 2] = img.data[s + 2], out[4 * i + 3] = img.data[s + 3];
  }
  return { width: W, height: H, data: out };
}

/**
 * A grey image warped with bilinear sampling; outside is `fill` (white paper by default).
 *
 * @example
 * ```ts
 * const moved = warpGrayBilinear(line, field);
 * ```
 */
export function warpGrayBilinear(img: GrayImage, field: WarpField, fill = 255): GrayImage {
  checkSource(field, img.width, img.height);
  const { width: W, height: H, sx, sy } = field;
  const out = new Uint8Array(W * H);
  const sw = img.width, sh = img.height, d = img.data;
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= sw || y >= sh ? fill : d[y * sw + x]);
  for (let i = 0; i < W * H; i++) {
    const fx = sx[i], fy = sy[i];
    const x0 = Math.floor(fx), y0 = Math.floor(fy), tx = fx - x0, ty = fy - y0;
    if (x0 < -1 || y0 < -1 || x0 >= sw || y0 >= sh) {
      out[i] = fill;
      continue;
    }
    const a = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * tx;
    const b = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * tx;
    out[i] = Math.round(a + (b - a) * ty);
  }
  return { width: W, height: H, data: out };
}

/** Settings of {@link warpInk}. */
export interface InkWarpOptions {
  /** Coverage at or above this is ink. */
  solid: number;
  /** Coverage at or above this is ink where it is a ridge (no lower than both neighbours along x or along y):
   * a line that falls between two samples keeps one pixel, so lines stay connected and thin. */
  ridge: number;
}

/** Defaults. */
export const INK_WARP_DEFAULTS: Readonly<InkWarpOptions> = {
  solid: 0.5, // half a pixel of ink: the nearest-sampled line
  ridge: 0.2, // a 1-px line sampled at its worst (between samples, scale up to ~1.6) still leaves a ridge
};

/**
 * An ink mask (1 = ink) warped: bilinear coverage, then the solid-or-ridge threshold of {@link InkWarpOptions}.
 *
 * @example
 * ```ts
 * const ink2 = warpInk(ink, 1920, 1920, field);
 * ```
 */
export function warpInk(
  ink: Uint8Array,
  srcWidth: number,
  srcHeight: number,
  field: WarpField,
  opts: Partial<InkWarpOptions> = {},
): Uint8Array {
  checkSource(field, srcWidth, srcHeight);
  const o = { ...INK_WARP_DEFAULTS, ...opts };
  const { width: W, height: H, sx, sy } = field;
  const cov = new Float32Array(W * H);
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= srcWidth || y >= srcHeight ? 0 : ink[y * srcWidth + x] ? 1 : 0;
  for (let i = 0; i < W * H; i++) {
    const fx = sx[i], fy = sy[i];
    const x0 = Math.floor(fx), y0 = Math.floor(fy), tx = fx - x0, ty = fy - y0;
    if (x0 < -1 || y0 < -1 || x0 >= srcWidth || y0 >= srcHeight) continue;
    const a = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * tx;
    const b = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * tx;
    cov[i] = a + (b - a) * ty;
  }
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x, c = cov[i];
      if (c >= o.solid) out[i] = 1;
      else if (c >= o.ridge) {
        const l = x > 0 ? cov[i - 1] : 0, r = x + 1 < W ? cov[i + 1] : 0;
        const u = y > 0 ? cov[i - W] : 0, d = y + 1 < H ? cov[i + W] : 0;
        if ((c >= l && c >= r) || (c >= u && c >= d)) out[i] = 1;
      }
    }
  }
  return out;
}

function checkSource(field: WarpField, w: number, h: number): void {
  if (field.srcWidth !== w || field.srcHeight !== h) {
    throw new RangeError(
      `warp: field is for a ${field.srcWidth}x${field.srcHeight} source, image is ${w}x${h}`,
    );
  }
}
