/**
 * Dominant colours of a coloured frame: weighted k-means (k-means++ initialisation, seeded) over the frame's
 * colour histogram. Clustering the histogram instead of the pixels gives the same result (k-means is defined on
 * the weighted point set), and a flat-coloured anime frame has a few dozen distinct colours, not 10^6 pixels.
 *
 * @module
 */
import { Rng } from "../util/rng.ts";

/** A weighted set of RGB colours. */
export interface ColorHistogram {
  /** Colours, [n, 3] row-major, 0-255. */
  colors: Float32Array; // [n, 3]
  /** Pixel count (weight) of each colour. */
  weights: Float64Array; // [n]
  /** Histogram entry of every pixel (-1 where the mask excluded it). */
  binOfPixel: Int32Array; // [H*W]
}

/** Options of {@link colorHistogram}. */
export interface ColorHistogramOptions {
  /**
   * Above this many distinct colours, colours are binned to 5 bits a channel (32768 bins, each holding the mean
   * of its pixels): noisy or anti-aliased frames stay fast and lose under 4 RGB units of precision.
   */
  maxExact?: number;
}

const HIST_DEFAULTS: Required<ColorHistogramOptions> = {
  maxExact: 8192, // flat anime colours: a few dozen; anti-aliased PBC frames: a few thousand
};

/**
 * The colour histogram of the pixels of an interleaved RGB(A) buffer where `mask` is non-zero.
 *
 * @example
 * ```ts
 * const h = colorHistogram(rgba.data, 4, mask); // h.colors [n,3], h.weights [n]
 * ```
 */
export function colorHistogram(
  data: Uint8Array,
  channels: 3 | 4,
  mask: Uint8Array,
  opts: ColorHistogramOptions = {},
): ColorHistogram {
  const o = { ...HIST_DEFAULTS, ...opts };
  const n = mask.length;
  const binOfPixel = new Int32Array(n).fill(-1);
  const index = new Map<number, number>();
  const counts: number[] = [];
  let exact = true;
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    if (!mask[i]) continue;
    const key = (data[j] << 16) | (data[j + 1] << 8) | data[j + 2];
    let b = index.get(key);
    if (b === undefined) {
      b = counts.length;
      if (b >= o.maxExact) {
        exact = false;
        break;
      }
      index.set(key, b);
      counts.push(0);
    }
    counts[b]++;
    binOfPixel[i] = b;
  }
  if (exact) {
    const m = counts.length;
    const colors = new Float32Array(m * 3);
    for (const [key, b] of index) {
      colors[3 * b] = key >> 16;
      colors[3 * b + 1] = (key >> 8) & 255;
      colors[3 * b + 2] = key & 255;
    }
    return { colors, weights: Float64Array.from(counts), binOfPixel };
  }
  // 5-bit bins holding the mean colour of their pixels.
  const sums = new Float64Array(32768 * 3), cnt = new Float64Array(32768);
  const raw = new Int32Array(n).fill(-1);
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    if (!mask[i]) continue;
    const b = ((data[j] >> 3) << 10) | ((data[j + 1] >> 3) << 5) | (data[j + 2] >> 3);
    raw[i] = b;
    cnt[b]++;
    sums[3 * b] += data[j];
    sums[3 * b + 1] += data[j + 1];
    sums[3 * b + 2] += data[j + 2];
  }
  const remap = new Int32Array(32768).fill(-1);
  let m = 0;
  for (let b = 0; b < 32768; b++) if (cnt[b] > 0) remap[b] = m++;
  const colors = new Float32Array(m * 3), weights = new Float64Array(m);
  for (let b = 0; b < 32768; b++) {
    const k = remap[b];
    if (k < 0) continue;
    weights[k] = cnt[b];
    for (let c = 0; c < 3; c++) colors[3 * k + c] = sums[3 * b + c] / cnt[b];
  }
  for (let i = 0; i < n; i++) binOfPixel[i] = raw[i] < 0 ? -1 : remap[raw[i]];
  return { colors, weights, binOfPixel };
}

/** Options of {@link kmeans}. */
export interface KmeansOptions {
  /** Seed of the k-means++ initialisation. */
  seed?: number;
  /** Most Lloyd iterations (flat colours converge in 2-5). */
  maxIter?: number;
}

const KMEANS_DEFAULTS: Required<KmeansOptions> = {
  seed: 0, // any fixed value: same seed, same clusters
  maxIter: 50, // far above what flat or anti-aliased colours need; bounds pathological inputs
};

/** Result of {@link kmeans}. */
export interface KmeansResult {
  /** Cluster centres, [k, 3]: the weighted mean of their points. */
  centroids: Float32Array; // [k, 3]
  /** Cluster of each point. */
  assign: Int32Array; // [n]
  /** Weighted sum of squared distances to the assigned centre. */
  inertia: number;
  /** Lloyd iterations run. */
  iterations: number;
}

function sqDist(a: Float32Array, i: number, b: Float32Array, j: number): number {
  const d0 = a[3 * i] - b[3 * j], d1 = a[3 * i + 1] - b[3 * j + 1], d2 = a[3 * i + 2] - b[3 * j + 2];
  return d0 * d0 + d1 * d1 + d2 * d2;
}

/**
 * Weighted k-means of 3-D points (k-means++ initialisation from the seeded {@link Rng}, then Lloyd iterations
 * until no assignment changes). `k` is capped at the number of distinct points with positive weight, so a
 * frame with 5 flat colours and k = 16 gives exactly those 5 colours.
 *
 * @example
 * ```ts
 * const h = colorHistogram(rgba.data, 4, mask);
 * const { centroids, assign } = kmeans(h.colors, h.weights, 16, { seed: 1 });
 * ```
 */
export function kmeans(
  points: Float32Array,
  weights: Float64Array,
  k: number,
  opts: KmeansOptions = {},
): KmeansResult {
  const o = { ...KMEANS_DEFAULTS, ...opts };
  const n = weights.length;
  if (points.length !== 3 * n) throw new RangeError(`kmeans: ${points.length} coordinates for ${n} weights`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`kmeans: k must be a positive integer, got ${k}`);
  const rng = new Rng(o.seed);
  let live = 0;
  for (let i = 0; i < n; i++) if (weights[i] > 0) live++;
  const kMax = Math.min(k, live);
  const init = new Float32Array(kMax * 3);
  const assign = new Int32Array(n).fill(-1);
  if (kMax === 0) return { centroids: init, assign, inertia: 0, iterations: 0 };

  // k-means++: first centre drawn by weight, each next by weight x squared distance to the nearest centre.
  const d2 = new Float64Array(n).fill(Infinity);
  const draw = (score: (i: number) => number): number => {
    let total = 0;
    for (let i = 0; i < n; i++) total += score(i);
    let r = rng.float() * total;
    let last = -1;
    for (let i = 0; i < n; i++) {
      const s = score(i);
      if (s <= 0) continue;
      last = i;
      r -= s;
      if (r < 0) return i;
    }
    return last;
  };
  let kk = kMax;
  for (let c = 0; c < kMax; c++) {
    const pick = c === 0 ? draw((i) => weights[i]) : draw((i) => weights[i] * d2[i]);
    if (pick < 0) {
      // Every point coincides with a centre already: fewer distinct points than k.
      kk = c;
      break;
    }
    init.set(points.subarray(3 * pick, 3 * pick + 3), 3 * c);
    for (let i = 0; i < n; i++) {
      const d = sqDist(points, i, init, c);
      if (d < d2[i]) d2[i] = d;
    }
  }

  const centroids = init.slice(0, 3 * kk);
  // Lloyd iterations.
  const sums = new Float64Array(kk * 3), mass = new Float64Array(kk);
  let iterations = 0, inertia = 0;
  for (; iterations < o.maxIter; iterations++) {
    let changed = 0;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      if (weights[i] <= 0) continue;
      let best = 0, bd = Infinity;
      for (let c = 0; c < kk; c++) {
        const d = sqDist(points, i, centroids, c);
        if (d < bd) {
          bd = d;
          best = c;
        }
      }
      inertia += weights[i] * bd;
      if (assign[i] !== best) {
        assign[i] = best;
        changed++;
      }
    }
    if (changed === 0 && iterations > 0) break;
    sums.fill(0);
    mass.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assign[i];
      if (c < 0) continue;
      const w = weights[i];
      mass[c] += w;
      sums[3 * c] += w * points[3 * i];
      sums[3 * c + 1] += w * points[3 * i + 1];
      sums[3 * c + 2] += w * points[3 * i + 2];
    }
    for (let c = 0; c < kk; c++) {
      if (mass[c] > 0) { for (let j = 0; j < 3; j++) centroids[3 * c + j] = sums[3 * c + j] / mass[c]; }
    }
  }
  return { centroids, assign, inertia, iterations };
}

/**
 * Joins clusters whose centres lie within `dist` (RGB units) of each other, single-link, returning a map from
 * old cluster to new (dense, in order of first appearance) and the new weighted centres.
 */
export function mergeCloseCentroids(
  centroids: Float32Array,
  mass: Float64Array,
  dist: number,
): { remap: Int32Array; centroids: Float32Array } {
  const k = mass.length;
  const parent = Int32Array.from({ length: k }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const d2 = dist * dist;
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      if (sqDist(centroids, a, centroids, b) <= d2) {
        const ra = find(a), rb = find(b);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
  const remap = new Int32Array(k).fill(-1);
  const dense = new Int32Array(k).fill(-1);
  let m = 0;
  for (let c = 0; c < k; c++) {
    const r = find(c);
    if (dense[r] < 0) dense[r] = m++;
    remap[c] = dense[r];
  }
  const out = new Float32Array(m * 3), w = new Float64Array(m);
  for (let c = 0; c < k; c++) {
    const t = remap[c];
    w[t] += mass[c];
    for (let j = 0; j < 3; j++) out[3 * t + j] += mass[c] * centroids[3 * c + j];
  }
  for (let t = 0; t < m; t++) {
    for (let j = 0; j < 3; j++) {
      out[3 * t + j] = w[t] > 0 ? out[3 * t + j] / w[t] : 0;
    }
  }
  return { remap, centroids: out };
}
