/**
 * Per-region descriptors for region-level matching (`region_matcher.ts`):
 * - appearance: the model's token features pooled inside each region's mask at the region map's own resolution,
 *   with the token grid interpolated bilinearly at every pixel (so a 20-pixel iris gets a descriptor of its own,
 *   a blend of the 4 nearest tokens, not the one patch its centre falls in);
 * - geometry: centroid normalised by the drawing's box (the union of its non-background regions), log area share,
 *   bounding box and second moments;
 * - neighbourhood: the descriptors of the adjacent regions, averaged with the length of the shared border as
 *   weight (one round of message passing over the region adjacency graph).
 *
 * Pure typed arrays; the tokens come from `PatchSimilarityModel.pairTokens` (lib/model).
 *
 * @module
 */
import type { Letterbox } from "../image/letterbox.ts";
import type { PairSimilarity, PairTokens } from "../model/similarity.ts";
import { type Adjacency, regionAdjacency } from "../regions/adjacency.ts";

/** One image's region map as the matcher sees it. */
export interface RegionSet {
  width: number;
  height: number;
  /** Region id of every pixel, 1..count (0 = none). */
  labels: Int32Array;
  count: number;
  /** 1 for background regions, [count + 1]. */
  background: Uint8Array;
}

/** Geometry of every region (index = region id; entry 0 unused). */
export interface RegionGeometryFeatures {
  count: number;
  /** Pixels per region. */
  area: Float64Array;
  /** Centroid in the drawing's box, 0..1 on each axis. */
  cx: Float64Array;
  cy: Float64Array;
  /** Centroid in working pixels. */
  px: Float64Array;
  py: Float64Array;
  /** log(area / drawing area). */
  logArea: Float64Array;
  /** Bounding box side over the drawing box's side. */
  bw: Float64Array;
  bh: Float64Array;
  /** Square roots of the second-moment eigenvalues over the drawing box diagonal (spread along / across). */
  major: Float64Array;
  minor: Float64Array;
  /** Drawing box in working pixels: x0, y0, width, height. */
  box: [number, number, number, number];
}

/**
 * Bilinear pooling of one image's tokens inside each region: descriptor[r] = sum over r's pixels of the token
 * grid interpolated at the pixel, L2-normalised. Rows 0 and regions without pixels are zero.
 *
 * @param tokens [grid * grid, dim] this image's tokens, row-major over the grid
 * @param box how the original image sits in the model input; the region map may be a scaled copy of it
 * @returns [(count + 1) * dim]
 * @example
 * ```ts
 * const d = poolRegionTokens(set, t.tokens.subarray(0, n * t.dim), t.dim, t.grid, t.patch, t.boxA);
 * ```
 */
export function poolRegionTokens(
  set: RegionSet,
  tokens: Float32Array,
  dim: number,
  grid: number,
  patch: number,
  box: Letterbox,
  normalizeTokens = true,
): Float32Array {
  const { width: W, height: H, labels, count } = set;
  const N = grid * grid;
  if (tokens.length < N * dim) {
    throw new RangeError(`poolRegionTokens: ${tokens.length} values for ${N}x${dim}`);
  }
  const T = new Float32Array(N * dim);
  for (let t = 0; t < N; t++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += tokens[t * dim + k] ** 2;
    const f = normalizeTokens ? 1 / Math.max(Math.sqrt(s), 1e-12) : 1;
    for (let k = 0; k < dim; k++) T[t * dim + k] = tokens[t * dim + k] * f;
  }
  // Continuous token coordinate of each column and row (token centres at integers).
  const axis = (len: number, src: number, pad: number) => {
    const i0 = new Int32Array(len), i1 = new Int32Array(len), w1 = new Float32Array(len);
    for (let x = 0; x < len; x++) {
      const u = (((x + 0.5) * src) / len + pad) * box.scale / patch - 0.5;
      const c = Math.max(0, Math.min(grid - 1, u));
      const f = Math.min(grid - 2, Math.floor(c));
      i0[x] = Math.max(0, f);
      i1[x] = Math.min(grid - 1, f + 1);
      w1[x] = grid === 1 ? 0 : c - i0[x];
    }
    return { i0, i1, w1 };
  };
  const ax = axis(W, box.srcWidth, box.padX), ay = axis(H, box.srcHeight, box.padY);
  const acc = new Float64Array((count + 1) * N); // region x token weights
  for (let y = 0; y < H; y++) {
    const r0 = ay.i0[y] * grid, r1 = ay.i1[y] * grid, wy = ay.w1[y];
    for (let x = 0; x < W; x++) {
      const r = labels[y * W + x];
      if (r <= 0) continue;
      const o = r * N, wx = ax.w1[x], c0 = ax.i0[x], c1 = ax.i1[x];
      acc[o + r0 + c0] += (1 - wx) * (1 - wy);
      acc[o + r0 + c1] += wx * (1 - wy);
      acc[o + r1 + c0] += (1 - wx) * wy;
      acc[o + r1 + c1] += wx * wy;
    }
  }
  const out = new Float32Array((count + 1) * dim);
  const row = new Float64Array(dim);
  for (let r = 1; r <= count; r++) {
    row.fill(0);
    const o = r * N;
    for (let t = 0; t < N; t++) {
      const w = acc[o + t];
      if (w === 0) continue;
      const tt = t * dim;
      for (let k = 0; k < dim; k++) row[k] += w * T[tt + k];
    }
    let s = 0;
    for (let k = 0; k < dim; k++) s += row[k] * row[k];
    const f = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = 0; k < dim; k++) out[r * dim + k] = row[k] * f;
  }
  return out;
}

/**
 * Area, centroid, box and moments of every region, normalised by the drawing's box (non-background regions).
 *
 * @example
 * ```ts
 * const g = regionGeometryFeatures(set);
 * g.cx[3], g.cy[3]; // region 3's centroid, 0..1 within the drawing
 * ```
 */
export function regionGeometryFeatures(set: RegionSet): RegionGeometryFeatures {
  const { width: W, height: H, labels, count, background } = set;
  const area = new Float64Array(count + 1),
    sx = new Float64Array(count + 1),
    sy = new Float64Array(count + 1);
  const sxx = new Float64Array(count + 1),
    syy = new Float64Array(count + 1),
    sxy = new Float64Array(count + 1);
  const x0 = new Float64Array(count + 1).fill(Infinity), y0 = new Float64Array(count + 1).fill(Infinity);
  const x1 = new Float64Array(count + 1).fill(-Infinity), y1 = new Float64Array(count + 1).fill(-Infinity);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const r = labels[y * W + x];
      if (r <= 0) continue;
      area[r]++;
      sx[r] += x;
      sy[r] += y;
      sxx[r] += x * x;
      syy[r] += y * y;
      sxy[r] += x * y;
      if (x < x0[r]) x0[r] = x;
      if (x > x1[r]) x1[r] = x;
      if (y < y0[r]) y0[r] = y;
      if (y > y1[r]) y1[r] = y;
    }
  }
  let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity, total = 0;
  for (let r = 1; r <= count; r++) {
    if (area[r] === 0 || background[r] === 1) continue;
    bx0 = Math.min(bx0, x0[r]);
    by0 = Math.min(by0, y0[r]);
    bx1 = Math.max(bx1, x1[r] + 1);
    by1 = Math.max(by1, y1[r] + 1);
    total += area[r];
  }
  if (!(total > 0)) [bx0, by0, bx1, by1, total] = [0, 0, W, H, W * H];
  const bw = Math.max(1, bx1 - bx0), bh = Math.max(1, by1 - by0), diag = Math.hypot(bw, bh);
  const g: RegionGeometryFeatures = {
    count,
    area,
    cx: new Float64Array(count + 1),
    cy: new Float64Array(count + 1),
    px: new Float64Array(count + 1),
    py: new Float64Array(count + 1),
    logArea: new Float64Array(count + 1),
    bw: new Float64Array(count + 1),
    bh: new Float64Array(count + 1),
    major: new Float64Array(count + 1),
    minor: new Float64Array(count + 1),
    box: [bx0, by0, bw, bh],
  };
  for (let r = 1; r <= count; r++) {
    const a = area[r];
    if (a === 0) continue;
    const mx = sx[r] / a + 0.5, my = sy[r] / a + 0.5;
    g.px[r] = mx;
    g.py[r] = my;
    g.cx[r] = (mx - bx0) / bw;
    g.cy[r] = (my - by0) / bh;
    g.logArea[r] = Math.log(a / total);
    g.bw[r] = (x1[r] - x0[r] + 1) / bw;
    g.bh[r] = (y1[r] - y0[r] + 1) / bh;
    const vxx = sxx[r] / a - (mx - 0.5) ** 2, vyy = syy[r] / a - (my - 0.5) ** 2;
    const vxy = sxy[r] / a - (mx - 0.5) * (my - 0.5);
    const tr = vxx + vyy, det = vxx * vyy - vxy * vxy;
    const disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
    g.major[r] = Math.sqrt(Math.max(0, tr / 2 + disc) + 1 / 12) / diag;
    g.minor[r] = Math.sqrt(Math.max(0, tr / 2 - disc) + 1 / 12) / diag;
  }
  return g;
}

/**
 * Neighbourhood descriptors: for each region, the border-length-weighted mean of its neighbours' descriptors,
 * L2-normalised (background neighbours included: touching the outside is information). Zero for regions with no
 * neighbour.
 *
 * @param desc [(count + 1) * dim]
 * @param adj the region adjacency (default: computed from `set`, 4-connected)
 * @example
 * ```ts
 * const nb = neighbourDescriptors(set, desc, 128);
 * ```
 */
export function neighbourDescriptors(
  set: RegionSet,
  desc: Float32Array,
  dim: number,
  adj: Adjacency = regionAdjacency(set.labels, set.width, set.height, set.count, null, 1),
): Float32Array {
  const count = set.count;
  const acc = new Float64Array((count + 1) * dim);
  for (let k = 0; k < adj.a.length; k++) {
    const a = adj.a[k], b = adj.b[k], w = adj.length[k];
    for (let d = 0; d < dim; d++) {
      acc[a * dim + d] += w * desc[b * dim + d];
      acc[b * dim + d] += w * desc[a * dim + d];
    }
  }
  const out = new Float32Array((count + 1) * dim);
  for (let r = 1; r <= count; r++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += acc[r * dim + d] ** 2;
    const f = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) out[r * dim + d] = acc[r * dim + d] * f;
  }
  return out;
}

/**
 * Cosine similarity of every region of a (rows 1..countA) with every region of b (columns 1..countB) from
 * L2-normalised descriptors; [(countA + 1) * (countB + 1)], row/column 0 zero.
 */
export function descriptorCosine(
  da: Float32Array,
  countA: number,
  db: Float32Array,
  countB: number,
  dim: number,
): Float32Array {
  const cb = countB + 1;
  const out = new Float32Array((countA + 1) * cb);
  for (let i = 1; i <= countA; i++) {
    const oi = i * dim;
    for (let j = 1; j <= countB; j++) {
      const oj = j * dim;
      let s = 0;
      for (let k = 0; k < dim; k++) s += da[oi + k] * db[oj + k];
      out[i * cb + j] = s;
    }
  }
  return out;
}

/**
 * The patch similarity a model would return, computed from its tokens (L2-normalised, then one Gram matrix):
 * lets a caller run one forward (`pairTokens`) and feed both the region matcher and the paper's pipeline.
 *
 * @example
 * ```ts
 * const t = await model.pairTokens(lineA, lineB);
 * const sim = similarityFromTokens(t); // same values as model.similarity(lineA, lineB)
 * ```
 */
export function similarityFromTokens(t: PairTokens): PairSimilarity {
  const n = t.grid * t.grid;
  let cosine: Float32Array | null = null;
  // Computed on first read: the region matcher on stroke or line regions never reads it.
  return {
    grid: t.grid,
    n,
    patch: t.patch,
    boxA: t.boxA,
    boxB: t.boxB,
    get cosine(): Float32Array {
      return cosine ??= tokenCosine(t);
    },
  };
}

function tokenCosine(t: PairTokens): Float32Array {
  const n = t.grid * t.grid, rows = 2 * n, d = t.dim;
  const f = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += t.tokens[r * d + k] ** 2;
    const inv = t.normalized ? 1 : 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let k = 0; k < d; k++) f[r * d + k] = t.tokens[r * d + k] * inv;
  }
  const cosine = new Float32Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = i; j < rows; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += f[i * d + k] * f[j * d + k];
      cosine[i * rows + j] = cosine[j * rows + i] = s;
    }
  }
  return cosine;
}
