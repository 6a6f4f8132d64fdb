/**
 * Where the model's patches lie on the image that post-processing works on. The model sees each drawing
 * letterboxed into a square (see `lib/image/letterbox.ts`); post-processing runs on the drawing itself, at its
 * own size or reduced to a working size. Because a patch's column depends on x alone and its row on y alone,
 * every patch covers an axis-aligned rectangle of working pixels (empty for patches wholly in the padding).
 *
 * @module
 */
import type { Letterbox } from "../image/letterbox.ts";
import { gridSide } from "../image/letterbox.ts";

/** The patch grid laid over a working image. */
export interface PatchLayout {
  /** Working image size. */
  width: number;
  height: number;
  /** Patches per side and in all. */
  grid: number;
  n: number;
  /** Patch index of every working pixel, row-major [height * width]. */
  patchOf: Int32Array;
  /** Rectangle of each patch in working pixels: x0, y0, x1, y1 (exclusive), [n * 4]; x1 <= x0 when empty. */
  rects: Int32Array;
  /** Working pixels per patch, [n]. */
  count: Int32Array;
  /** Patch side in working pixels (may be fractional). */
  side: number;
}

/**
 * The layout of a `patch`-pixel grid (in model-input pixels) over a `width` x `height` working copy of the
 * original image that `box` describes. Working pixel centres are mapped to original coordinates, then through
 * the letterbox into the model input.
 *
 * @example
 * ```ts
 * const lay = patchLayout(sim.boxA, sim.patch, 1024, 1024);
 * lay.patchOf[y * 1024 + x]; // patch of working pixel (x, y)
 * ```
 */
export function patchLayout(box: Letterbox, patch: number, width: number, height: number): PatchLayout {
  const g = gridSide(box, patch);
  const n = g * g;
  const sx = box.srcWidth / width, sy = box.srcHeight / height;
  const col = new Int32Array(width), row = new Int32Array(height);
  const toCell = (v: number, pad: number) =>
    Math.max(0, Math.min(g - 1, Math.floor(((v + pad) * box.scale) / patch)));
  for (let x = 0; x < width; x++) col[x] = toCell((x + 0.5) * sx, box.padX);
  for (let y = 0; y < height; y++) row[y] = toCell((y + 0.5) * sy, box.padY);
  const patchOf = new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    const o = y * width, r = row[y] * g;
    for (let x = 0; x < width; x++) patchOf[o + x] = r + col[x];
  }
  // Rectangles: column spans and row spans are contiguous runs.
  const cx0 = new Int32Array(g).fill(width), cx1 = new Int32Array(g);
  const ry0 = new Int32Array(g).fill(height), ry1 = new Int32Array(g);
  for (let x = 0; x < width; x++) {
    cx0[col[x]] = Math.min(cx0[col[x]], x);
    cx1[col[x]] = Math.max(cx1[col[x]], x + 1);
  }
  for (let y = 0; y < height; y++) {
    ry0[row[y]] = Math.min(ry0[row[y]], y);
    ry1[row[y]] = Math.max(ry1[row[y]], y + 1);
  }
  const rects = new Int32Array(n * 4), count = new Int32Array(n);
  for (let r = 0; r < g; r++) {
    for (let c = 0; c < g; c++) {
      const i = r * g + c;
      rects.set([cx0[c], ry0[r], cx1[c], ry1[r]], 4 * i);
      count[i] = Math.max(0, cx1[c] - cx0[c]) * Math.max(0, ry1[r] - ry0[r]);
    }
  }
  const side = patch / box.scale / ((sx + sy) / 2);
  return { width, height, grid: g, n, patchOf, rects, count, side };
}

/** A plain square grid: a `width` x `height` image cut into `grid` x `grid` equal patches (tests, oracles). */
export function squareLayout(width: number, height: number, grid: number): PatchLayout {
  const side = Math.max(width, height);
  const box: Letterbox = {
    srcWidth: width,
    srcHeight: height,
    size: grid,
    scale: grid / side,
    padX: Math.floor((side - width) / 2),
    padY: Math.floor((side - height) / 2),
  };
  return patchLayout(box, 1, width, height);
}
