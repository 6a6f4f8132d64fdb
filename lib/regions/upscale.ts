/**
 * Bringing working-size regions back to the original resolution. Nearest-neighbour enlargement alone leaves
 * staircase boundaries a few pixels off the strokes; here only a band along the region boundaries is decided
 * again, at full resolution:
 *
 * 1. the labels are enlarged (nearest neighbour);
 * 2. the band: every full-resolution pixel whose working pixel touches (8-neighbours) a working pixel of
 *    another label, about one enlargement step on either side of each boundary; everything else keeps its
 *    label and seeds the flood;
 * 3. the full-resolution edge map is computed on the tiles the band touches only (`edgeValues`: the same
 *    values as the whole map), normalised over those tiles and quantised;
 * 4. a bucket-queue watershed floods the band from its sides, so boundaries settle on the original strokes.
 *
 * A label all of whose working pixels lie in the band keeps one seed (the centre of its most enclosed working
 * pixel), so the ids and the set of regions do not change. Pixels with label 0 (none) stay 0 and are walls.
 * The cost is one pass over the full-resolution pixels plus work proportional to the band.
 *
 * @module
 */
import { type EdgeOptions, edgeValues } from "../image/edge.ts";
import { resizeLabelsNearest } from "../image/resize.ts";
import type { GrayImage } from "../image/types.ts";
import { scratchFloat32, scratchInt32, scratchUint8 } from "./scratch.ts";

/** Options of {@link upscaleLabels}. */
export interface UpscaleOptions {
  /** Re-flood the boundary band at full resolution (true) or plain nearest-neighbour enlargement. */
  refine: boolean;
  edge: Partial<EdgeOptions>;
  /** Quantisation of the band's edge values for the flood. */
  levels: number;
  /** Flood connectivity (1: 4-neighbours, 2: 8). */
  connectivity: 1 | 2;
}

/** Defaults. */
export const UPSCALE_DEFAULTS: UpscaleOptions = {
  refine: true, // boundaries on the original strokes are what a user (and the pixel metrics) see
  edge: {}, // the release's edge map, at full resolution
  levels: 256, // as the working-size watershed
  connectivity: 2, // as the working-size watershed
};

/** Side of the tiles the edge map is computed on (a tile pays a 16-px apron for the blur; smaller tiles fit the thin band better). */
const TILE = 32;

/** The working grid against the full one: sizes, scales and each working column's full-resolution columns. */
interface UpscaleGrid {
  /** Working labels and size. */
  labels: Int32Array;
  w: number;
  h: number;
  /** Full size. */
  W: number;
  H: number;
  /** Working pixels per full-resolution pixel. */
  sx: number;
  sy: number;
  /** Footprint of working column c: full-resolution columns [xs0[c], xs1[c]). */
  xs0: Int32Array;
  xs1: Int32Array;
  /** Working pixels next to another label (8-neighbours). */
  near: Uint8Array;
}

/** The band of full-resolution pixels to decide again, and the tiles of edge values its flood reads. */
interface Band {
  /** 1: in the band, label cleared; 2: labelled by the flood; 0: outside. */
  band: Uint8Array;
  tileOn: Uint8Array;
  tilesX: number;
  tilesY: number;
  pixels: number;
}

/**
 * Labels (ids >= 1, 0 = none) of a `width` x `height` working image, at `gray`'s full size.
 *
 * @example
 * ```ts
 * const full = upscaleLabels(seg.labels, 1024, 1024, line1920); // Int32Array(1920 * 1920)
 * ```
 */
export function upscaleLabels(
  labels: Int32Array,
  width: number,
  height: number,
  gray: GrayImage,
  opts: Partial<UpscaleOptions> = {},
): Int32Array {
  const o = { ...UPSCALE_DEFAULTS, ...opts };
  const W = gray.width, H = gray.height, n = W * H;
  const w = width, h = height;
  const out = resizeLabelsNearest({ width: w, height: h, data: labels }, W, H).data;
  if (!o.refine || (W === w && H === h) || n === 0) return out;
  const g = upscaleGrid(labels, w, h, W, H);
  const keep = bandSeeds(g);
  const band = markBand(g, out);
  // Seeds of labels left without one: the centre of the chosen working pixel's footprint.
  for (let v = 1; v < keep.length; v++) {
    const p = keep[v];
    if (p < 0) continue;
    const wx = p % w, wy = (p - wx) / w;
    const x = Math.min(W - 1, Math.floor((wx + 0.5) / g.sx)),
      y = Math.min(H - 1, Math.floor((wy + 0.5) / g.sy));
    const q = y * W + x;
    if (band.band[q]) band.band[q] = 0, band.pixels--;
    out[q] = v;
  }
  if (band.pixels === 0) return out;
  const values = bandEdgeValues(gray, band, o.edge);
  floodBand(g, band, values, out, o);
  // Band pixels no flood reached (walled off by unlabelled pixels) get their enlarged label back.
  for (let y = 0; y < H; y++) {
    const o0 = y * W, wr = Math.min(h - 1, Math.floor((y + 0.5) * g.sy)) * w;
    for (let c = 0; c < w; c++) {
      if (!g.near[wr + c]) continue;
      for (let p = o0 + g.xs0[c]; p < o0 + g.xs1[c]; p++) if (band.band[p] === 1) out[p] = labels[wr + c];
    }
  }
  return out;
}

/** The grid of {@link UpscaleGrid}, with the working pixels next to another label marked. */
function upscaleGrid(labels: Int32Array, w: number, h: number, W: number, H: number): UpscaleGrid {
  const near = scratchUint8("upscale.near", w * h, 0);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x, v = labels[p];
      if (x + 1 < w && labels[p + 1] !== v) near[p] = near[p + 1] = 1;
      if (y + 1 < h) {
        if (labels[p + w] !== v) near[p] = near[p + w] = 1;
        if (x + 1 < w && labels[p + w + 1] !== v) near[p] = near[p + w + 1] = 1;
        if (x > 0 && labels[p + w - 1] !== v) near[p] = near[p + w - 1] = 1;
      }
    }
  }
  // Each full-resolution pixel's working pixel is sampled as the enlargement samples it.
  const sx = w / W, sy = h / H;
  const xs0 = new Int32Array(w).fill(W), xs1 = new Int32Array(w);
  for (let x = 0; x < W; x++) {
    const c = Math.min(w - 1, Math.floor((x + 0.5) * sx));
    if (x < xs0[c]) xs0[c] = x;
    xs1[c] = x + 1;
  }
  return { labels, w, h, W, H, sx, sy, xs0, xs1, near };
}

/**
 * For each label with no working pixel outside the band, the working pixel that keeps it a seed: the one with the
 * most same-label neighbours (the first such, in raster order); -1 for the others. Indexed by label.
 */
function bandSeeds(g: UpscaleGrid): Int32Array {
  const { labels, w, h, near } = g;
  let maxLabel = 0;
  for (let p = 0; p < w * h; p++) if (labels[p] > maxLabel) maxLabel = labels[p];
  const free = new Uint8Array(maxLabel + 1); // 1: has a working pixel outside the band
  for (let p = 0; p < w * h; p++) if (!near[p] && labels[p] > 0) free[labels[p]] = 1;
  const keep = new Int32Array(maxLabel + 1).fill(-1), keepScore = new Int32Array(maxLabel + 1).fill(-1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x, v = labels[p];
      if (v <= 0 || free[v]) continue;
      let same = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx, yy = y + dy;
          if ((dx || dy) && xx >= 0 && xx < w && yy >= 0 && yy < h && labels[yy * w + xx] === v) same++;
        }
      }
      if (same > keepScore[v]) keepScore[v] = same, keep[v] = p;
    }
  }
  return keep;
}

/** Clears the labels of the full-resolution band in `out` and marks it, with the tiles its flood reads. */
function markBand(g: UpscaleGrid, out: Int32Array): Band {
  const { w, h, W, H, sy, xs0, xs1, near } = g;
  const band = scratchUint8("upscale.band", W * H, 0);
  const tilesX = Math.ceil(W / TILE), tilesY = Math.ceil(H / TILE);
  const tileOn = new Uint8Array(tilesX * tilesY);
  let bandPixels = 0;
  const nearCols = new Int32Array(w);
  let lastRow = -1, nearCount = 0;
  for (let y = 0; y < H; y++) {
    const wr = Math.min(h - 1, Math.floor((y + 0.5) * sy)), o = y * W;
    if (wr !== lastRow) {
      // Columns of the working row that are near a boundary (with a non-empty footprint).
      nearCount = 0;
      for (let c = 0; c < w; c++) if (near[wr * w + c] && xs1[c] > xs0[c]) nearCols[nearCount++] = c;
      lastRow = wr;
    }
    if (nearCount === 0) continue;
    const ty0 = Math.floor(Math.max(0, y - 1) / TILE), ty1 = Math.floor(Math.min(H - 1, y + 1) / TILE);
    for (let k = 0; k < nearCount; k++) {
      const c = nearCols[k], a = xs0[c], b = xs1[c];
      for (let p = o + a, e = o + b; p < e; p++) {
        if (out[p] > 0) {
          band[p] = 1;
          out[p] = 0;
          bandPixels++;
        }
      }
      // The flood reads levels of the band and of its neighbours: mark the tiles of the span grown by one.
      const tx0 = Math.floor(Math.max(0, a - 1) / TILE), tx1 = Math.floor(Math.min(W - 1, b) / TILE);
      for (let tx = tx0; tx <= tx1; tx++) tileOn[ty0 * tilesX + tx] = tileOn[ty1 * tilesX + tx] = 1;
    }
  }
  return { band, tileOn, tilesX, tilesY, pixels: bandPixels };
}

/** Full-resolution edge values on the band's tiles, with their range over those tiles. */
function bandEdgeValues(
  gray: GrayImage,
  b: Band,
  edge: Partial<EdgeOptions>,
): { values: Float32Array; mn: number; mx: number } {
  const W = gray.width, H = gray.height;
  const values = scratchFloat32("upscale.values", W * H);
  let mn = Infinity, mx = -Infinity;
  for (let ty = 0; ty < b.tilesY; ty++) {
    for (let tx = 0; tx < b.tilesX; tx++) {
      if (!b.tileOn[ty * b.tilesX + tx]) continue;
      const x0 = tx * TILE, y0 = ty * TILE;
      const [lo, hi] = edgeValues(
        gray,
        x0,
        y0,
        Math.min(W, x0 + TILE),
        Math.min(H, y0 + TILE),
        values,
        W,
        0,
        0,
        edge,
      );
      if (lo < mn) mn = lo;
      if (hi > mx) mx = hi;
    }
  }
  return { values, mn, mx };
}

/**
 * Floods the band of `out` over the quantised edge values. It starts from the band pixels beside a labelled
 * pixel outside it (raster order), each taking the label of its lowest such neighbour (first in neighbour order on
 * ties), as if those labelled pixels had been popped first; then lowest level first, oldest first (as
 * `watershed` does).
 */
function floodBand(
  g: UpscaleGrid,
  b: Band,
  ev: { values: Float32Array; mn: number; mx: number },
  out: Int32Array,
  o: UpscaleOptions,
): void {
  const { w, h, W, H, sy, xs0, xs1, near } = g;
  const band = b.band, values = ev.values, mn = ev.mn, mx = ev.mx;
  const n = W * H;
  const L = Math.max(1, o.levels | 0), top = L - 1;
  const scale = mx > mn ? top / (mx - mn) : 0;
  const head = new Int32Array(L).fill(-1), tail = new Int32Array(L).fill(-1);
  const next = scratchInt32("upscale.next", n);
  const eight = o.connectivity === 2;
  const dx = eight ? [-1, 1, 0, 0, -1, 1, -1, 1] : [-1, 1, 0, 0];
  const dy = eight ? [0, 0, -1, 1, -1, -1, 1, 1] : [0, 0, -1, 1];
  const K = dx.length;
  const levelOf = (p: number): number => {
    const v = Math.round((values[p] - mn) * scale);
    return v < 0 ? 0 : v > top ? top : v;
  };
  const push = (q: number) => {
    const lev = levelOf(q);
    next[q] = -1;
    if (tail[lev] < 0) head[lev] = q;
    else next[tail[lev]] = q;
    tail[lev] = q;
    return lev;
  };
  for (let y = 0; y < H; y++) {
    const o0 = y * W;
    const wr = Math.min(h - 1, Math.floor((y + 0.5) * sy));
    for (let c = 0; c < w; c++) {
      if (!near[wr * w + c]) continue;
      for (let x = xs0[c]; x < xs1[c]; x++) {
        const p = o0 + x;
        if (!band[p]) continue;
        let best = 0, bestLev = L;
        for (let k = 0; k < K; k++) {
          const xx = x + dx[k], yy = y + dy[k];
          if (xx < 0 || xx >= W || yy < 0 || yy >= H) continue;
          const q = yy * W + xx;
          if (band[q] || out[q] <= 0) continue;
          const lq = levelOf(q);
          if (lq < bestLev) bestLev = lq, best = out[q];
        }
        if (best > 0) {
          out[p] = best;
          band[p] = 2; // labelled
          push(p);
        }
      }
    }
  }
  let cur = 0;
  while (true) {
    while (cur < L && head[cur] < 0) cur++;
    if (cur >= L) break;
    const p = head[cur];
    head[cur] = next[p];
    if (head[cur] < 0) tail[cur] = -1;
    const lab = out[p];
    const y = (p / W) | 0, x = p - y * W;
    for (let k = 0; k < K; k++) {
      const xx = x + dx[k], yy = y + dy[k];
      if (xx < 0 || xx >= W || yy < 0 || yy >= H) continue;
      const q = yy * W + xx;
      if (band[q] !== 1) continue;
      band[q] = 2;
      out[q] = lab;
      const lev = push(q);
      if (lev < cur) cur = lev;
    }
  }
}
