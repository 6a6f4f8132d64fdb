/**
 * Exact Euclidean distance transform (Felzenszwalb and Huttenlocher's lower envelope of parabolas), linear in
 * pixels: for every pixel, the squared distance to the nearest "source" pixel. Seeds for the watershed (pixels
 * far from a patch-cluster boundary) and line-enclosed regions (pixels far from ink) both come from it.
 *
 * @module
 */

/** Squared distance standing in for "no source anywhere". */
export const FAR: number = Math.fround(1e20); // representable in float32, so stored values compare equal

/** 1-D squared distance transform of `f` (length n) into `d`, using scratch `v` (n ints) and `z` (n + 1). */
function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    if (f[q] >= FAR) continue;
    if (f[v[0]] >= FAR) {
      // No finite parabola yet: start the envelope here.
      v[0] = q;
      continue;
    }
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (f[v[0]] >= FAR) {
    for (let q = 0; q < n; q++) d[q] = FAR;
    return;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const t = q - v[k];
    d[q] = t * t + f[v[k]];
  }
}

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
  const W = width, H = height, n = W * H;
  // Pass 1, along columns: distance to the nearest source in the same column, by a downward and an upward sweep
  // over whole rows (row-major, so cache friendly); no parabolas are needed for a binary source.
  const col = new Float32Array(n); // integer distances, exact in float32
  for (let x = 0; x < W; x++) col[x] = source[x] ? 0 : FAR;
  for (let y = 1; y < H; y++) {
    const o = y * W;
    for (let x = 0; x < W; x++) col[o + x] = source[o + x] ? 0 : col[o - W + x] + 1;
  }
  for (let y = H - 2; y >= 0; y--) {
    const o = y * W;
    for (let x = 0; x < W; x++) {
      const below = col[o + W + x] + 1;
      if (below < col[o + x]) col[o + x] = below;
    }
  }
  // Pass 2, along rows: lower envelope of parabolas over the squared column distances.
  const f = new Float64Array(W), d = new Float64Array(W), z = new Float64Array(W + 1);
  const v = new Int32Array(W);
  const out = new Float32Array(n);
  for (let y = 0; y < H; y++) {
    const o = y * W;
    for (let x = 0; x < W; x++) {
      const c = col[o + x];
      f[x] = c >= FAR ? FAR : c * c;
    }
    edt1d(f, W, d, v, z);
    for (let x = 0; x < W; x++) out[o + x] = d[x] >= FAR ? FAR : d[x];
  }
  return out;
}
