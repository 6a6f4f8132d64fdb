/**
 * Exact Euclidean distance transform (the lower envelope of parabolas, Meijster et al.'s form), linear in
 * pixels: for every pixel, the squared distance to the nearest "source" pixel. Seeds for the watershed (pixels
 * far from a patch-cluster boundary) and line-enclosed regions (pixels far from ink) both come from it.
 *
 * @module
 */

import { scratchFloat64, scratchInt32, scratchUint8 } from "./scratch.ts";

/** Squared distance standing in for "no source anywhere". */
export const FAR: number = Math.fround(1e20); // representable in float32, so stored values compare equal

/**
 * Squared Euclidean distance from every pixel to the nearest pixel where `source` is non-zero; {@link FAR} for
 * every pixel when there is no source.
 *
 * @example
 * ```ts
 * const d2 = squaredDistance(inkMask, w, h); // Float32Array(w * h), 0 on ink
 * ```
 */
export function squaredDistance(source: Uint8Array, width: number, height: number): Float32Array {
  return squaredDistanceInto(source, width, height, new Float32Array(width * height));
}

/**
 * {@link squaredDistance} into a given array (of at least width * height values), which it returns.
 *
 * Meijster, Roerdink and Hesselink's algorithm in integers: a column pass (distance to the nearest source in the
 * same column, one sweep down and one up), then per row the lower envelope of the parabolas
 * (x - u)^2 + col[u]^2, built left to right and read right to left. A column with no source gets the distance
 * W + H, beyond every real one, so it never wins while any source exists.
 */
export function squaredDistanceInto(
  source: Uint8Array,
  width: number,
  height: number,
  out: Float32Array,
): Float32Array {
  const W = width, H = height, n = W * H;
  if (n === 0) return out;
  const cap = W + H;
  const col = scratchInt32("distance.col", n);
  for (let x = 0; x < W; x++) col[x] = source[x] ? 0 : cap;
  for (let y = 1; y < H; y++) {
    const o = y * W;
    for (let x = 0; x < W; x++) {
      const up = col[o - W + x] + 1;
      col[o + x] = source[o + x] ? 0 : up < cap ? up : cap;
    }
  }
  let any = false; // after the downward sweep, the last row knows of every source above it
  for (let x = (H - 1) * W; x < n; x++) if (col[x] < cap) any = true;
  if (!any) {
    out.fill(FAR, 0, n);
    return out;
  }
  for (let y = H - 2; y >= 0; y--) {
    const o = y * W;
    for (let x = 0; x < W; x++) {
      const below = col[o + W + x] + 1;
      if (below < col[o + x]) col[o + x] = below;
    }
  }
  // col^2 of the row: integers, held in an Int32Array while they fit (faster), else in doubles.
  const g: Int32Array | Float64Array = cap <= 46000
    ? scratchInt32("distance.g", W)
    : scratchFloat64("distance.g64", W);
  const s = scratchInt32("distance.s", W); // apex of each envelope segment
  const t = scratchInt32("distance.t", W); // first x of each envelope segment
  for (let y = 0; y < H; y++) {
    const o = y * W;
    for (let u = 0; u < W; u++) {
      const c = col[o + u];
      g[u] = c * c;
    }
    let q = 0;
    s[0] = 0;
    t[0] = 0;
    for (let u = 1; u < W; u++) {
      const gu = g[u];
      // Drop segments whose start is closer to u's parabola.
      while (q >= 0) {
        const sq = s[q], tq = t[q];
        const a = tq - sq, b = tq - u;
        if (a * a + g[sq] <= b * b + gu) break;
        q--;
      }
      if (q < 0) {
        q = 0;
        s[0] = u;
      } else {
        const sq = s[q];
        const w = 1 + Math.floor((u * u - sq * sq + gu - g[sq]) / (2 * (u - sq)));
        if (w < W) {
          q++;
          s[q] = u;
          t[q] = w;
        }
      }
    }
    for (let u = W - 1; u >= 0; u--) {
      const sq = s[q], d = u - sq;
      out[o + u] = d * d + g[sq];
      if (u === t[q]) q--;
    }
  }
  return out;
}

/**
 * Squared Euclidean distance to the nearest source, exact below `cap`^2 and `cap`^2 at or beyond it (into `out`,
 * which it returns). For callers that only need small distances exactly (line regions: a few pixels around
 * strokes), this is cheaper than {@link squaredDistanceInto}: a column pass capped at `cap`, then each column
 * holding a source within `cap` lowers the 2 * cap - 1 pixels of its row around it.
 *
 * @example
 * ```ts
 * const d2 = cappedSquaredDistance(ink, w, h, 5, new Float32Array(w * h)); // exact below 25, else 25
 * ```
 */
export function cappedSquaredDistance(
  source: Uint8Array,
  width: number,
  height: number,
  cap: number,
  out: Float32Array,
): Float32Array {
  const W = width, H = height, n = W * H;
  const D = Math.max(1, Math.floor(cap)), D2 = D * D;
  if (n === 0) return out;
  // Column pass, capped at D: col = vertical distance to the nearest source in the column, D when none is closer.
  const col = scratchUint8("distance.capcol", n);
  for (let x = 0; x < W; x++) col[x] = source[x] ? 0 : D;
  for (let y = 1; y < H; y++) {
    const o = y * W;
    for (let x = 0; x < W; x++) {
      const up = col[o - W + x] + 1;
      col[o + x] = source[o + x] ? 0 : up < D ? up : D;
    }
  }
  for (let y = H - 2; y >= 0; y--) {
    const o = y * W;
    for (let x = 0; x < W; x++) {
      const below = col[o + W + x] + 1;
      if (below < col[o + x]) col[o + x] = below;
    }
  }
  // Row pass: d2 = min over |dx| < D of dx^2 + col[x + dx]^2, where only columns with col < D can give less
  // than D^2: each such column lowers the 2D - 1 pixels around it (a row buffer starting at D^2).
  const row = scratchInt32("distance.caprow", W);
  for (let y = 0; y < H; y++) {
    const o = y * W;
    row.fill(D2);
    for (let xx = 0; xx < W; xx++) {
      const c = col[o + xx];
      if (c >= D) continue;
      const c2 = c * c;
      const x0 = xx - D + 1 > 0 ? xx - D + 1 : 0, x1 = xx + D - 1 < W - 1 ? xx + D - 1 : W - 1;
      for (let x = x0; x <= x1; x++) {
        const dx = x - xx, v = dx * dx + c2;
        if (v < row[x]) row[x] = v;
      }
    }
    for (let x = 0; x < W; x++) out[o + x] = row[x];
  }
  return out;
}
