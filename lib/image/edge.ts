/**
 * The structural edge map that post-processing works on (the paper's E_a: "Gaussian smoothing followed by
 * Sobel gradients"), computed as the official release does: the grey image in [0, 1] is blurred, its Sobel
 * gradient magnitude taken, and mixed with the ink itself,
 * `edge = (0.5 * |Sobel(blur(g))| + 0.5 * (1 - g)) ^ gamma`, then min-max normalised to [0, 1].
 *
 * The ink term matters for thin strokes: the gradient of a blurred 1-px line is zero on the line's centre and
 * peaks beside it, so without `1 - g` the ridge a watershed follows would split into two. Everything is
 * separable or 3x3, so the cost is linear in pixels (about 2 * (2r + 1) + 12 multiply-adds per pixel).
 *
 * Borders are reflected without repeating the edge pixel (OpenCV's BORDER_REFLECT_101, scipy's "mirror"), as
 * the release's cv2 calls do.
 *
 * @module
 */
import type { FloatMap, GrayImage } from "./types.ts";

/** Options of {@link edgeMap}. */
export interface EdgeOptions {
  /** Gaussian sigma in pixels of the image the map is computed on. */
  sigma: number;
  /** Kernel radius as a multiple of sigma. */
  truncate: number;
  /** Weight of the gradient magnitude. */
  gradientWeight: number;
  /** Weight of the ink term 1 - g (g = grey / 255, unblurred). */
  inkWeight: number;
  /** Exponent applied before normalising. */
  gamma: number;
}

/** Release defaults. */
export const EDGE_DEFAULTS: EdgeOptions = {
  sigma: 1.8, // release CLI default --edge-sigma 1.8 (its config dataclass says 2.0; the CLI value is what runs)
  truncate: 4, // OpenCV's kernel size for float images with ksize (0,0): round(sigma*4*2+1) | 1, radius 4 sigma
  gradientWeight: 0.5, // release: edge = 0.5 * grad + 0.5 * (1 - gray)
  inkWeight: 0.5, // release, as above
  gamma: 1.2, // release CLI default --edge-gamma 1.2 (dataclass 0.9)
};

/** Index reflected into [0, n) without repeating the border sample (reflect-101). */
function reflect101(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  i = ((i % period) + period) % period;
  return i < n ? i : period - i;
}

/** Normalised 1-D Gaussian kernel of radius `r` (length 2r + 1). */
export function gaussianKernel(sigma: number, radius: number): Float32Array {
  const k = new Float32Array(2 * radius + 1);
  if (sigma <= 0) {
    k[radius] = 1;
    return k;
  }
  let s = 0;
  for (let i = -radius; i <= radius; i++) s += k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= s;
  return k;
}

/**
 * Separable Gaussian blur of a float image with reflect-101 borders.
 *
 * @example
 * ```ts
 * const b = gaussianBlur(values, w, h, 1.8); // Float32Array(w * h)
 * ```
 */
export function gaussianBlur(
  src: Float32Array,
  width: number,
  height: number,
  sigma: number,
  truncate = EDGE_DEFAULTS.truncate,
): Float32Array {
  const r = Math.max(0, Math.round(truncate * sigma)) | 0;
  const taps = 2 * r + 1;
  const k = Float64Array.from(gaussianKernel(sigma, r));
  const W = width | 0, H = height | 0;
  // Horizontal pass into tmp: each row copied into a reflection-padded buffer so the tap loop has no branches.
  const padIndex = new Int32Array(W + 2 * r);
  for (let x = -r; x < W + r; x++) padIndex[x + r] = reflect101(x, W);
  const tmp = new Float32Array(W * H);
  const pad = new Float64Array(W + 2 * r);
  for (let y = 0; y < H; y++) {
    const o = y * W;
    for (let x = 0; x < W + 2 * r; x++) pad[x] = src[o + padIndex[x]];
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (let t = 0; t < taps; t++) s += k[t] * pad[x + t];
      tmp[o + x] = s;
    }
  }
  // Vertical pass: whole rows at a time (cache friendly), accumulated in float64.
  const out = new Float32Array(W * H);
  const acc = new Float64Array(W);
  for (let y = 0; y < H; y++) {
    acc.fill(0);
    for (let t = 0; t < taps; t++) {
      const kt = k[t];
      const so = reflect101(y + t - r, H) * W;
      for (let x = 0; x < W; x++) acc[x] += kt * tmp[so + x];
    }
    const o = y * W;
    for (let x = 0; x < W; x++) out[o + x] = acc[x];
  }
  return out;
}

/**
 * Sobel gradient magnitude sqrt(gx^2 + gy^2) with the unnormalised 3x3 kernels ([-1 0 1; -2 0 2; -1 0 1]) and
 * reflect-101 borders.
 */
export function sobelMagnitude(src: Float32Array, width: number, height: number): Float32Array {
  const W = width, H = height;
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    const ym = reflect101(y - 1, H) * W, y0 = y * W, yp = reflect101(y + 1, H) * W;
    for (let x = 0; x < W; x++) {
      const xm = reflect101(x - 1, W), xp = reflect101(x + 1, W);
      const a = src[ym + xm], b = src[ym + x], c = src[ym + xp];
      const d = src[y0 + xm], f = src[y0 + xp];
      const g = src[yp + xm], h = src[yp + x], i = src[yp + xp];
      const gx = (c + 2 * f + i) - (a + 2 * d + g);
      const gy = (g + 2 * h + i) - (a + 2 * b + c);
      out[y0 + x] = Math.sqrt(gx * gx + gy * gy);
    }
  }
  return out;
}

/**
 * The structural edge map of line art, in [0, 1] (1 = strongest stroke). A blank image gives all zeros.
 *
 * @example
 * ```ts
 * const e = edgeMap(line);             // release defaults
 * const e2 = edgeMap(line, { sigma: 2 });
 * ```
 */
export function edgeMap(img: GrayImage, opts: Partial<EdgeOptions> = {}): FloatMap {
  const o = { ...EDGE_DEFAULTS, ...opts };
  const { width: W, height: H } = img;
  const n = W * H;
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = img.data[i] / 255;
  const grad = sobelMagnitude(gaussianBlur(g, W, H, o.sigma, o.truncate), W, H);
  const e = grad; // reuse the buffer
  let mn = Infinity, mx = -Infinity;
  const gamma = Math.max(o.gamma, 1e-6);
  for (let i = 0; i < n; i++) {
    let v = o.gradientWeight * grad[i] + o.inkWeight * (1 - g[i]);
    // Plain paper is (numerically) 0: skip the costly pow there; 1e-7^1.2 is below float32 resolution of 1.
    v = gamma === 1 ? v : v > 1e-7 ? Math.exp(gamma * Math.log(v)) : 0;
    e[i] = v;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  if (!(mx > mn)) return { width: W, height: H, data: new Float32Array(n) };
  const inv = 1 / (mx - mn);
  for (let i = 0; i < n; i++) e[i] = (e[i] - mn) * inv;
  return { width: W, height: H, data: e };
}
