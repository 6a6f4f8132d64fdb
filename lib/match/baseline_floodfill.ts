/**
 * The flood-fill baseline: the assumption of prior line-art colourisation work that regions are the areas
 * enclosed by strokes, with no learning.
 *
 * Regions of one image:
 * 1. ink = grey value < `inkThreshold`; regions are the 4-connected components of the other (paper) pixels, so
 *    an 8-connected one-pixel stroke, diagonal steps included, separates them;
 * 2. components holding at least `backgroundBorderShare` of the paper pixels on the image border are the
 *    background (id 0): the paper around the drawing;
 * 3. components smaller than max(`minAreaPixels`, `minAreaFraction` x image pixels) are dissolved (specks from
 *    anti-aliasing and gaps): they and the ink pixels go to the nearest kept region or background by a
 *    4-neighbour breadth-first growth from all kept pixels at once (ties: the region that entered the queue
 *    first, in raster order), so every pixel of the drawing belongs to a region.
 *
 * Matching across the pair, by position and shape: every region gets its centroid and bounding-box size
 * normalised by the drawing's bounding box (the pixels of all regions), and its share of the drawing's area;
 *   cost(i, j) = w_pos * |centroid_i - centroid_j| + w_area * |ln(area_i / area_j)|
 *              + w_shape * (|ln(width_i / width_j)| + |ln(height_i / height_j)|) / 2
 * and pairs are taken greedily in order of increasing cost, one-to-one, while cost <= `maxCost`; the score is
 * 1 - cost / maxCost. Matches are listed by region of a.
 *
 * @module
 */
import type { GrayImage, LabelMap } from "../image/types.ts";
import { connectedComponents } from "../util/relabel.ts";

/** Options of the baseline. */
export interface FloodFillOptions {
  /** Grey values below this are ink. */
  inkThreshold: number;
  /** Components smaller than max(minAreaPixels, minAreaFraction x pixels) are dissolved. */
  minAreaPixels: number;
  minAreaFraction: number;
  /** Share of the border's paper pixels that makes a component background. */
  backgroundBorderShare: number;
  /** Largest matching cost accepted. */
  maxCost: number;
  /** Weights of the cost terms. */
  weights: { position: number; area: number; shape: number };
}

/** Defaults (ours; prior work gives no numbers). */
export const FLOOD_FILL_DEFAULTS: FloodFillOptions = {
  inkThreshold: 128, // mid-grey: a plain binarisation, as a flood fill on the raw line art would see it
  minAreaPixels: 8, // specks of a few pixels are gaps and anti-aliasing, not parts
  minAreaFraction: 1e-4, // ~26 px at 512^2, ~370 px at 1920^2: below the eyes and brows of PBC frames
  backgroundBorderShare: 0.05, // a part cut by the frame rarely holds 5% of the border's paper
  maxCost: 0.3, // about a third of the drawing's size in position alone; pose changes between frames are smaller
  weights: { position: 1, area: 0.25, shape: 0.25 }, // position leads; a 2x area change costs 0.17
};

/** Regions of one image. */
export interface FloodFillRegions {
  /** Region id per pixel, 1..count; 0 = background. */
  labels: LabelMap;
  count: number;
}

/**
 * Regions between strokes.
 *
 * @example
 * ```ts
 * const { labels, count } = floodFillRegions(frame.line);
 * ```
 */
export function floodFillRegions(line: GrayImage, opts: Partial<FloodFillOptions> = {}): FloodFillRegions {
  const o = { ...FLOOD_FILL_DEFAULTS, ...opts };
  const W = line.width, H = line.height, n = W * H;
  const keys = new Int32Array(n);
  for (let i = 0; i < n; i++) keys[i] = line.data[i] < o.inkThreshold ? -1 : 0;
  const { labels: comp, count: k } = connectedComponents(keys, W, H);
  const size = new Float64Array(k + 1), border = new Float64Array(k + 1);
  for (let i = 0; i < n; i++) size[comp[i]]++;
  let borderPaper = 0;
  const onBorder = (p: number) => {
    const c = comp[p];
    if (c > 0) border[c]++, borderPaper++;
  };
  for (let x = 0; x < W; x++) {
    onBorder(x);
    if (H > 1) onBorder((H - 1) * W + x);
  }
  for (let y = 1; y < H - 1; y++) {
    onBorder(y * W);
    if (W > 1) onBorder(y * W + W - 1);
  }
  const minArea = Math.max(o.minAreaPixels, o.minAreaFraction * n);
  // New id of each component: 1..count for kept regions, BG for background, 0 dissolved.
  const newId = new Int32Array(k + 1);
  let count = 0;
  const BG = -1;
  for (let c = 1; c <= k; c++) {
    if (borderPaper > 0 && border[c] >= o.backgroundBorderShare * borderPaper) newId[c] = BG;
    else if (size[c] >= minArea) newId[c] = ++count;
  }
  // Multi-source growth into ink and dissolved pixels.
  const out = new Int32Array(n);
  const queue = new Int32Array(n);
  let head = 0, tail = 0;
  for (let i = 0; i < n; i++) {
    const id = newId[comp[i]];
    if (comp[i] > 0 && id !== 0) {
      out[i] = id;
      queue[tail++] = i;
    }
  }
  while (head < tail) {
    const p = queue[head++], id = out[p];
    const y = (p / W) | 0, x = p - y * W;
    if (x > 0 && out[p - 1] === 0) out[queue[tail++] = p - 1] = id;
    if (x < W - 1 && out[p + 1] === 0) out[queue[tail++] = p + 1] = id;
    if (y > 0 && out[p - W] === 0) out[queue[tail++] = p - W] = id;
    if (y < H - 1 && out[p + W] === 0) out[queue[tail++] = p + W] = id;
  }
  for (let i = 0; i < n; i++) if (out[i] === BG) out[i] = 0;
  return { labels: { width: W, height: H, data: out }, count };
}

/** Position and shape of every region, normalised by the drawing's bounding box. */
export interface RegionShapes {
  count: number;
  /** Centroid in [0, 1] of the drawing's box; index = region id (entry 0 unused). */
  cx: Float64Array;
  cy: Float64Array;
  /** Share of the drawing's region pixels. */
  area: Float64Array;
  /** Bounding-box width and height over the drawing's. */
  w: Float64Array;
  h: Float64Array;
}

/** Shapes of the regions 1..count of a label map. */
export function regionShapes(r: FloodFillRegions): RegionShapes {
  const { width: W, height: H, data } = r.labels, k = r.count;
  const sx = new Float64Array(k + 1), sy = new Float64Array(k + 1), area = new Float64Array(k + 1);
  const x0 = new Float64Array(k + 1).fill(Infinity), y0 = new Float64Array(k + 1).fill(Infinity);
  const x1 = new Float64Array(k + 1).fill(-Infinity), y1 = new Float64Array(k + 1).fill(-Infinity);
  let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity, total = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const id = data[y * W + x];
      if (id <= 0 || id > k) continue;
      sx[id] += x;
      sy[id] += y;
      area[id]++;
      total++;
      if (x < x0[id]) x0[id] = x;
      if (x > x1[id]) x1[id] = x;
      if (y < y0[id]) y0[id] = y;
      if (y > y1[id]) y1[id] = y;
    }
  }
  for (let id = 1; id <= k; id++) {
    if (area[id] === 0) continue;
    bx0 = Math.min(bx0, x0[id]);
    by0 = Math.min(by0, y0[id]);
    bx1 = Math.max(bx1, x1[id]);
    by1 = Math.max(by1, y1[id]);
  }
  const bw = Math.max(1, bx1 - bx0 + 1), bh = Math.max(1, by1 - by0 + 1);
  const cx = new Float64Array(k + 1),
    cy = new Float64Array(k + 1),
    w = new Float64Array(k + 1),
    h = new Float64Array(k + 1);
  for (let id = 1; id <= k; id++) {
    if (area[id] === 0) continue;
    cx[id] = (sx[id] / area[id] + 0.5 - bx0) / bw;
    cy[id] = (sy[id] / area[id] + 0.5 - by0) / bh;
    w[id] = (x1[id] - x0[id] + 1) / bw;
    h[id] = (y1[id] - y0[id] + 1) / bh;
    area[id] /= total;
  }
  return { count: k, cx, cy, area, w, h };
}

/** A baseline match (the evaluation's RegionMatch shape). */
export interface BaselineMatch {
  ref_region: number;
  tgt_region: number;
  score: number;
  direction: "both";
}

/** Matching cost between region i of a and region j of b (see the module doc). */
export function shapeCost(
  a: RegionShapes,
  i: number,
  b: RegionShapes,
  j: number,
  wt: FloodFillOptions["weights"],
): number {
  const d = Math.hypot(a.cx[i] - b.cx[j], a.cy[i] - b.cy[j]);
  const la = Math.abs(Math.log(a.area[i] / b.area[j]));
  const ls = (Math.abs(Math.log(a.w[i] / b.w[j])) + Math.abs(Math.log(a.h[i] / b.h[j]))) / 2;
  return wt.position * d + wt.area * la + wt.shape * ls;
}

/**
 * One-to-one greedy matching of two images' regions by {@link shapeCost}.
 *
 * @example
 * ```ts
 * const matches = matchByShape(floodFillRegions(a), floodFillRegions(b));
 * ```
 */
export function matchByShape(
  ra: FloodFillRegions,
  rb: FloodFillRegions,
  opts: Partial<FloodFillOptions> = {},
): BaselineMatch[] {
  const o = { ...FLOOD_FILL_DEFAULTS, ...opts, weights: { ...FLOOD_FILL_DEFAULTS.weights, ...opts.weights } };
  const a = regionShapes(ra), b = regionShapes(rb);
  const cand: { i: number; j: number; c: number }[] = [];
  for (let i = 1; i <= a.count; i++) {
    if (a.area[i] === 0) continue;
    for (let j = 1; j <= b.count; j++) {
      if (b.area[j] === 0) continue;
      const c = shapeCost(a, i, b, j, o.weights);
      if (c <= o.maxCost) cand.push({ i, j, c });
    }
  }
  cand.sort((p, q) => p.c - q.c || p.i - q.i || p.j - q.j);
  const usedA = new Uint8Array(a.count + 1), usedB = new Uint8Array(b.count + 1);
  const out: BaselineMatch[] = [];
  for (const { i, j, c } of cand) {
    if (usedA[i] || usedB[j]) continue;
    usedA[i] = usedB[j] = 1;
    out.push({
      ref_region: i,
      tgt_region: j,
      score: o.maxCost > 0 ? 1 - c / o.maxCost : 1,
      direction: "both",
    });
  }
  return out.sort((p, q) => p.ref_region - q.ref_region);
}

/**
 * The whole baseline for a pair of line-art images: regions of both and their matches.
 *
 * @example
 * ```ts
 * const { regionsA, regionsB, matches } = floodFillBaseline(frameA.line, frameB.line);
 * ```
 */
export function floodFillBaseline(
  a: GrayImage,
  b: GrayImage,
  opts: Partial<FloodFillOptions> = {},
): { regionsA: LabelMap; regionsB: LabelMap; matches: BaselineMatch[] } {
  const ra = floodFillRegions(a, opts), rb = floodFillRegions(b, opts);
  return { regionsA: ra.labels, regionsB: rb.labels, matches: matchByShape(ra, rb, opts) };
}

/**
 * The baseline as a predictor for the evaluation runner (no similarity, so no patch metrics).
 *
 * @example
 * ```ts
 * const metrics = await evaluateDataset(root, pairs, floodFillPredictor());
 * ```
 */
export function floodFillPredictor(
  opts: Partial<FloodFillOptions> = {},
): (
  pair: { a: { line: GrayImage }; b: { line: GrayImage } },
) => Promise<ReturnType<typeof floodFillBaseline>> {
  return (pair) => Promise.resolve(floodFillBaseline(pair.a.line, pair.b.line, opts));
}
