/**
 * Line extraction from a colour frame with the eXtended Difference of Gaussians (XDoG, Winnemöller et al.
 * 2012), the classical extractor used to make line art from coloured anime frames: two separable Gaussian
 * blurs of the luminance, their weighted difference, and a soft threshold.
 *
 * @module
 */
import { gaussianKernel as gaussianKernelOfRadius } from "../image/edge.ts";

/** Settings of {@link xdog}. */
export interface XdogOptions {
  /** Inner Gaussian sigma in pixels; about 1 keeps 1-2 px lines at 512x512. */
  sigma: number;
  /** Outer sigma = k * sigma; 1.6 approximates a Laplacian of Gaussian (Marr-Hildreth). */
  k: number;
  /** Weight of the outer blur; just under 1 so flat areas stay paper. */
  tau: number;
  /** Threshold on the difference; below it a pixel turns to ink. */
  epsilon: number;
  /** Steepness of the soft threshold. */
  phi: number;
}

/** Defaults tuned on our 512x512 colour frames: 1-2 px lines on every visible colour edge. */
export const XDOG_DEFAULTS: Readonly<XdogOptions> = {
  sigma: 0.8, // thin lines at 512 px (the real hand-drawn clips' strokes are ~1 px at this size)
  k: 1.6, // the classical DoG ratio
  tau: 0.985, // flat regions of any brightness stay above epsilon
  epsilon: -0.004, // weak edges (near-equal luminance) stay paper: contours open there, as in hand drawings
  phi: 300, // close to a hard threshold, with a short soft ramp for width variation
};

/**
 * Kernel of a Gaussian with radius ceil(3 sigma) (at least 1), normalised: lib/image's `gaussianKernel` at the
 * generator's radius.
 *
 * @example
 * ```ts
 * gaussianKernel(1); // 7 taps summing to 1
 * ```
 */
export function gaussianKernel(sigma: number): Float32Array {
  return gaussianKernelOfRadius(sigma, Math.max(1, Math.ceil(3 * sigma)));
}

/**
 * Separable Gaussian blur with clamped borders.
 *
 * @example
 * ```ts
 * const soft = gaussianBlur(lum, 512, 512, 1.0);
 * ```
 */
export function gaussianBlur(
  src: Float32Array,
  width: number,
  height: number,
  sigma: number,
  out?: Float32Array,
): Float32Array {
  const k = gaussianKernel(sigma), r = (k.length - 1) >> 1, kl = k.length;
  const tmp = new Float32Array(width * height);
  const res = out ?? new Float32Array(width * height);
  // Horizontal pass: clamped taps only near the left and right borders.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let s = 0;
      if (x >= r && x < width - r) {
        const base = row + x - r;
        for (let i = 0; i < kl; i++) s += k[i] * src[base + i];
      } else {
        for (let i = -r; i <= r; i++) {
          const xx = x + i < 0 ? 0 : x + i >= width ? width - 1 : x + i;
          s += k[i + r] * src[row + xx];
        }
      }
      tmp[row + x] = s;
    }
  }
  // Vertical pass, row by row so memory is read in order: res[y] = sum_i k[i] * tmp[clamp(y + i - r)].
  res.fill(0);
  for (let y = 0; y < height; y++) {
    const dst = y * width;
    for (let i = 0; i < kl; i++) {
      let yy = y + i - r;
      yy = yy < 0 ? 0 : yy >= height ? height - 1 : yy;
      const srcRow = yy * width, w = k[i];
      for (let x = 0; x < width; x++) res[dst + x] += w * tmp[srcRow + x];
    }
  }
  return res;
}

/**
 * Luminance in [0, 1] of an interleaved RGB or RGBA image (transparent pixels count as white).
 *
 * @example
 * ```ts
 * const lum = luminance(rgba.data, rgba.width, rgba.height, 4);
 * ```
 */
export function luminance(data: Uint8Array, width: number, height: number, channels: 3 | 4): Float32Array {
  const n = width * height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    if (channels === 4 && data[o + 3] === 0) out[i] = 1;
    else out[i] = (0.299 * data[o] + 0.587 * data[o + 1] + 0.114 * data[o + 2]) / 255;
  }
  return out;
}

/**
 * XDoG of a luminance image: 1 = paper, 0 = ink, soft in between.
 *
 * @example
 * ```ts
 * const tone = xdog(luminance(rgba.data, 512, 512, 4), 512, 512);
 * const ink = tone.map((v) => v < 0.5 ? 1 : 0);
 * ```
 */
export function xdog(
  lum: Float32Array,
  width: number,
  height: number,
  opts: Partial<XdogOptions> = {},
): Float32Array {
  const o = { ...XDOG_DEFAULTS, ...opts };
  const g1 = gaussianBlur(lum, width, height, o.sigma);
  const g2 = gaussianBlur(lum, width, height, o.sigma * o.k);
  const out = g1; // reuse
  for (let i = 0; i < out.length; i++) {
    const d = g1[i] - o.tau * g2[i];
    out[i] = d >= o.epsilon ? 1 : 1 + Math.tanh(o.phi * (d - o.epsilon));
  }
  return out;
}
