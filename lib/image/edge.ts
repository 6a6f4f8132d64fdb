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
import {
  scratchFloat32 as scratchF32,
  scratchFloat64 as scratchF64,
  scratchInt32 as scratchI32,
} from "../util/scratch.ts";

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
 * Line art is mostly flat paper, and a window of equal values blurs to a value that does not depend on where
 * it is. So each pass computes that value once (the same taps in the same order, so the very same float) and
 * gives it to every window holding nothing else; only windows near strokes pay for the taps. The result is
 * bit for bit the plain convolution's.
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
  const out = new Float32Array(width * height);
  if (width * height === 0) return out;
  const k = kernelOf(sigma, truncate);
  blurRect(src, null, width, height, 0, 0, width, height, k, mostCommonOfFew(src), out);
  return out;
}

/** The blur taps (float32 Gaussian weights held as doubles). */
function kernelOf(sigma: number, truncate: number): Float64Array {
  const r = Math.max(0, Math.round(truncate * sigma)) | 0;
  return Float64Array.from(gaussianKernel(sigma, r));
}

/**
 * Blur of the rectangle [x0, x1) x [y0, y1) of a W x H image into `out` (row-major, x1 - x0 wide), reflect-101
 * at the image's borders. Values are `src[i]`, or `lut[src[i]]` when a table is given (8-bit input). `flat` is
 * the value whose all-flat windows are skipped. Every output equals the full convolution's, bit for bit, so
 * a rectangle of the map is the same as that part of the whole map. `spans`, when given, receives for each output
 * row the first and last column whose value is not the flat one ([w, -1] when none).
 */
function blurRect(
  src: Float32Array | Uint8Array,
  lut: Float32Array | null,
  W: number,
  H: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  k: Float64Array,
  flat: number,
  out: Float32Array,
  spans: Int32Array | null = null,
): void {
  const taps = k.length, r = (taps - 1) >> 1;
  const w = x1 - x0, h = y1 - y0;
  let flatH = 0;
  for (let t = 0; t < taps; t++) flatH += k[t] * flat;
  flatH = Math.fround(flatH);
  let flatV = 0;
  for (let t = 0; t < taps; t++) flatV += k[t] * flatH;
  flatV = Math.fround(flatV);
  // Horizontal pass over the rows the vertical taps read (virtual rows y0 - r .. y1 + r - 1, reflected), each
  // row copied into a reflection-padded buffer so the tap loop has no branches; `other[x]` counts the
  // non-flat samples in pad[0, x), so a window's count is a difference.
  const rows = h + 2 * r, pw = w + 2 * r;
  const hb = scratchF32("edge.hblur", rows * w);
  const padIndex = scratchI32("edge.padIndex", pw);
  for (let x = 0; x < pw; x++) padIndex[x] = reflect101(x0 + x - r, W);
  const pad = scratchF64("edge.pad", pw);
  const other = scratchI32("edge.other", pw + 1);
  for (let i = 0; i < rows; i++) {
    const so = reflect101(y0 + i - r, H) * W, o = i * w;
    let c = 0;
    if (lut) {
      for (let x = 0; x < pw; x++) {
        const v = lut[src[so + padIndex[x]]];
        pad[x] = v;
        other[x] = c;
        if (v !== flat) c++;
      }
    } else {
      for (let x = 0; x < pw; x++) {
        const v = src[so + padIndex[x]];
        pad[x] = v;
        other[x] = c;
        if (v !== flat) c++;
      }
    }
    other[pw] = c;
    if (c === 0) {
      hb.fill(flatH, o, o + w);
      continue;
    }
    for (let x = 0; x < w; x++) {
      if (other[x + taps] === other[x]) {
        hb[o + x] = flatH;
        continue;
      }
      let s = 0;
      for (let t = 0; t < taps; t++) s += k[t] * pad[x + t];
      hb[o + x] = s;
    }
  }
  // Vertical pass, in the same tap order; `cnt[x]` counts the non-flat values of column x in the window's rows
  // (a sliding count: row i + 2r enters, row i leaves).
  const cnt = scratchI32("edge.cnt", w);
  cnt.fill(0);
  for (let i = 0; i < 2 * r; i++) {
    const o = i * w;
    for (let x = 0; x < w; x++) if (hb[o + x] !== flatH) cnt[x]++;
  }
  for (let i = 0; i < h; i++) {
    const enter = (i + 2 * r) * w, o = i * w;
    let lo = w, hi = -1;
    for (let x = 0; x < w; x++) {
      let c = cnt[x];
      if (hb[enter + x] !== flatH) c++;
      let v = flatV;
      if (c !== 0) {
        let s = 0;
        for (let t = 0, q = o + x; t < taps; t++, q += w) s += k[t] * hb[q];
        v = Math.fround(s);
      }
      out[o + x] = v;
      if (v !== flatV) {
        if (x < lo) lo = x;
        hi = x;
      }
      if (hb[o + x] !== flatH) c--;
      cnt[x] = c;
    }
    if (spans) {
      spans[2 * i] = lo;
      spans[2 * i + 1] = hi;
    }
  }
}

/** The most common of a few sampled values (the paper value of line art), or the first value. */
function mostCommonOfFew(v: Float32Array): number {
  const n = v.length;
  let best = v[0], bestN = 0;
  for (let s = 0; s < 5; s++) {
    const c = v[Math.floor((s * (n - 1)) / 4)];
    let m = 0;
    for (let u = 0; u < 5; u++) if (v[Math.floor((u * (n - 1)) / 4)] === c) m++;
    if (m > bestN) best = c, bestN = m;
  }
  return best;
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
      // Interior columns need no reflection: the function calls are paid at the two ends only.
      const xm = x > 0 ? x - 1 : reflect101(x - 1, W), xp = x < W - 1 ? x + 1 : reflect101(x + 1, W);
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

/** The grey value g = v / 255 of each 8-bit value, as float32. */
const GREY = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * The edge map's values before normalisation, `(gradientWeight * |Sobel(blur(g))| + inkWeight * (1 - g))^gamma`,
 * for the rectangle [x0, x1) x [y0, y1) of `img`, written to `dst` at `(y - dstY) * dstWidth + (x - dstX)`.
 * Only the rectangle and a margin of the blur radius are read, and every value equals the whole map's, so a
 * caller may compute the map piecewise (e.g. only near region boundaries). Returns the smallest and largest
 * value written.
 *
 * @example
 * ```ts
 * const tile = new Float32Array(64 * 64);
 * const [lo, hi] = edgeValues(line, 128, 64, 192, 128, tile, 64, 128, 64);
 * ```
 */
export function edgeValues(
  img: GrayImage,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  dst: Float32Array,
  dstWidth: number,
  dstX: number,
  dstY: number,
  opts: Partial<EdgeOptions> = {},
): [number, number] {
  const o = { ...EDGE_DEFAULTS, ...opts };
  const { width: W, height: H, data } = img;
  if (x1 <= x0 || y1 <= y0) return [Infinity, -Infinity];
  // The blur is needed one pixel around the rectangle (the Sobel taps), clipped to the image: reflected taps
  // at the image border land inside it.
  const bx0 = Math.max(0, x0 - 1), by0 = Math.max(0, y0 - 1);
  const bx1 = Math.min(W, x1 + 1), by1 = Math.min(H, y1 + 1);
  const bw = bx1 - bx0;
  const bh = by1 - by0;
  const blur = scratchF32("edge.blur", bw * bh);
  const spans = scratchI32("edge.spans", 2 * bh);
  blurRect(data, GREY, W, H, bx0, by0, bx1, by1, kernelOf(o.sigma, o.truncate), 1, blur, spans);
  let mn = Infinity, mx = -Infinity;
  const gamma = Math.max(o.gamma, 1e-6);
  const gw = o.gradientWeight, iw = o.inkWeight;
  for (let y = y0; y < y1; y++) {
    const rm = reflect101(y - 1, H) - by0, rc = y - by0, rp = reflect101(y + 1, H) - by0;
    const ym = rm * bw, yc = rc * bw, yp = rp * bw;
    const src = y * W, out = (y - dstY) * dstWidth - dstX;
    // Outside the columns where the three blur rows are not all flat, the gradient is exactly 0: only paper
    // (v = 0) or the ink term is left.
    const lo = Math.min(spans[2 * rm], spans[2 * rc], spans[2 * rp]) - 1 + bx0;
    const hi = Math.max(spans[2 * rm + 1], spans[2 * rc + 1], spans[2 * rp + 1]) + 1 + bx0;
    for (let x = x0; x < x1; x++) {
      if (x < lo || x > hi) {
        const gv = data[src + x];
        let v = gv === 255 ? 0 : iw * (1 - GREY[gv]);
        v = gamma === 1 ? v : v > 1e-7 ? Math.exp(gamma * Math.log(v)) : 0;
        dst[out + x] = v;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        continue;
      }
      const xc = x - bx0;
      const xm = (x > 0 ? x - 1 : reflect101(x - 1, W)) - bx0;
      const xp = (x < W - 1 ? x + 1 : reflect101(x + 1, W)) - bx0;
      const a = blur[ym + xm], b = blur[ym + xc], c = blur[ym + xp];
      const d = blur[yc + xm], f = blur[yc + xp];
      const gg = blur[yp + xm], h = blur[yp + xc], i = blur[yp + xp];
      const gx = (c + 2 * f + i) - (a + 2 * d + gg);
      const gy = (gg + 2 * h + i) - (a + 2 * b + c);
      const grad = Math.fround(Math.sqrt(gx * gx + gy * gy));
      let v = gw * grad + iw * (1 - GREY[data[src + x]]);
      // Plain paper is (numerically) 0: skip the costly pow there; 1e-7^1.2 is below float32 resolution of 1.
      v = gamma === 1 ? v : v > 1e-7 ? Math.exp(gamma * Math.log(v)) : 0;
      dst[out + x] = v;
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
  }
  return [mn, mx];
}

/**
 * The structural edge map of line art, in [0, 1] (1 = strongest stroke). A blank image gives all zeros. Written
 * into `out` when given (at least width * height values).
 *
 * @example
 * ```ts
 * const e = edgeMap(line);             // release defaults
 * const e2 = edgeMap(line, { sigma: 2 });
 * ```
 */
export function edgeMap(
  img: GrayImage,
  opts: Partial<EdgeOptions> = {},
  out?: Float32Array,
): FloatMap {
  const { width: W, height: H } = img;
  const n = W * H;
  const e = out ? out.subarray(0, n) : new Float32Array(n);
  const [mn, mx] = edgeValues(img, 0, 0, W, H, e, W, 0, 0, opts);
  if (!(mx > mn)) return { width: W, height: H, data: e.fill(0) };
  const inv = 1 / (mx - mn);
  for (let i = 0; i < n; i++) e[i] = (e[i] - mn) * inv;
  return { width: W, height: H, data: e };
}
