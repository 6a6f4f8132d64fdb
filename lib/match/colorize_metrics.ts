/**
 * Colourisation accuracy as PaintBucket colourisation (BasicPBC) measures it, for a prediction given as a
 * picture rather than one colour per segment:
 * - pixel accuracy: the share of counted pixels whose predicted colour equals the ground truth's exactly
 *   (BasicPBC's `pix_acc`; stroke pixels are not counted, pass a mask for that, and leave background out too
 *   for its `pix_acc_wobg`);
 * - region accuracy: the share of ground-truth regions (segments) whose colour is right, a region's colour
 *   being the most frequent one over its pixels on each side (BasicPBC's `acc`, where each segment has one
 *   predicted colour by construction).
 *
 * {@link colorizationAccuracy} computes both twice: over every non-stroke pixel / region (`pixel`, `region`,
 * what BasicPBC calls `pix_acc` and `acc`) and over the foreground alone (`pixelFg`, BasicPBC's `pix_acc_wobg`,
 * and `regionFg`, region accuracy without the background regions). The background is where the true frame has
 * the background colour: PBC's gt frames are transparent there ([255, 255, 255, 0]) and an RGB answer cannot
 * tell that from white, so the background colour is white. On generated frames most non-stroke pixels are
 * background, so an all-white answer scores high `pixel` and exactly 0 `pixelFg`.
 *
 * @module
 */
import type { GrayImage, LabelMap, RgbImage } from "../image/types.ts";
import { colorRegions } from "../regions/color_regions.ts";

/** An accuracy with its counts. */
export interface Accuracy {
  accuracy: number;
  correct: number;
  total: number;
}

function sameSize(
  a: { width: number; height: number },
  b: { width: number; height: number },
  what: string,
): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`${what}: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
}

/**
 * Share of pixels (where `mask` is non-zero, or all) whose colours agree exactly. NaN when none is counted.
 *
 * @example
 * ```ts
 * pixelAccuracy(pred, gt, { mask: notLine }).accuracy; // 0.93
 * ```
 */
export function pixelAccuracy(pred: RgbImage, gt: RgbImage, opts: { mask?: Uint8Array } = {}): Accuracy {
  sameSize(pred, gt, "pixelAccuracy");
  const n = gt.width * gt.height;
  let correct = 0, total = 0;
  const p = pred.data, g = gt.data, m = opts.mask;
  for (let i = 0; i < n; i++) {
    if (m && !m[i]) continue;
    total++;
    const k = 3 * i;
    if (p[k] === g[k] && p[k + 1] === g[k + 1] && p[k + 2] === g[k + 2]) correct++;
  }
  return { accuracy: total ? correct / total : NaN, correct, total };
}

/** Most frequent packed colour of each region (index = region id; -1 for none). */
function regionModes(img: RgbImage, regions: LabelMap, count: number, skip: Set<number>): Int32Array {
  const tally = new Map<number, number>();
  const d = img.data;
  for (let i = 0; i < regions.data.length; i++) {
    const r = regions.data[i];
    if (r <= 0 || skip.has(r)) continue;
    const key = r * 16777216 + ((d[3 * i] << 16) | (d[3 * i + 1] << 8) | d[3 * i + 2]);
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  const best = new Int32Array(count + 1).fill(-1), bestN = new Int32Array(count + 1);
  for (const [key, c] of tally) {
    const r = Math.floor(key / 16777216), rgb = key - r * 16777216;
    if (c > bestN[r] || (c === bestN[r] && rgb < best[r])) {
      bestN[r] = c;
      best[r] = rgb;
    }
  }
  return best;
}

/**
 * Share of ground-truth regions whose most frequent predicted colour is their most frequent true colour.
 * `regions` are the ground-truth segments (ids > 0 counted, `skip` left out: e.g. the line id 0 is never
 * counted, pass the background id to leave it out). NaN when no region is counted.
 *
 * @example
 * ```ts
 * regionAccuracy(pred, gtColor, frame.seg, { skip: [1] }); // PBC: leave the background segment out
 * ```
 */
export function regionAccuracy(
  pred: RgbImage,
  gt: RgbImage,
  regions: LabelMap,
  opts: { skip?: Iterable<number> } = {},
): Accuracy {
  sameSize(pred, gt, "regionAccuracy");
  sameSize(regions, gt, "regionAccuracy");
  const skip = new Set(opts.skip ?? []);
  let count = 0;
  for (let i = 0; i < regions.data.length; i++) if (regions.data[i] > count) count = regions.data[i];
  const pm = regionModes(pred, regions, count, skip), gm = regionModes(gt, regions, count, skip);
  let correct = 0, total = 0;
  for (let r = 1; r <= count; r++) {
    if (gm[r] < 0) continue;
    total++;
    if (pm[r] === gm[r]) correct++;
  }
  return { accuracy: total ? correct / total : NaN, correct, total };
}

/** Options of {@link colorizationAccuracy}. */
export interface ColorizationAccuracyOptions {
  /** Grey below this in the target's line art is stroke: not counted. */
  inkThreshold: number;
  /** The true frame's background colour: its pixels are left out of the foreground scores. */
  backgroundColor: readonly [number, number, number];
}

/** Defaults of {@link colorizationAccuracy}. */
export const COLORIZATION_ACCURACY_DEFAULTS: ColorizationAccuracyOptions = {
  inkThreshold: 160, // the stroke threshold of line-enclosed regions and colorRegions
  backgroundColor: [255, 255, 255], // PBC's transparent background read onto white (lib/image/io readRgb)
};

/** Pixel and region accuracy over all non-stroke pixels and over the foreground alone. */
export interface ColorizationAccuracy {
  /** Every non-stroke pixel (BasicPBC's `pix_acc`). */
  pixel: Accuracy;
  /** Non-stroke pixels whose true colour is not the background's (BasicPBC's `pix_acc_wobg`). */
  pixelFg: Accuracy;
  /** Every true colour region (BasicPBC's `acc`). */
  region: Accuracy;
  /** True colour regions whose colour is not the background's. */
  regionFg: Accuracy;
}

/**
 * Colourisation scores of `fills` (the target painted, strokes not drawn) against the target's true colour frame
 * `gt`, whose line art is `tgtLine`: pixel and region accuracy with and without the background (see the module
 * notes). Regions are the true frame's flat-colour regions (`colorRegions`).
 *
 * @example
 * ```ts
 * const s = colorizationAccuracy(fills, tgtColor, tgtLine);
 * s.pixelFg.accuracy; // foreground pixel accuracy, 0 for an all-white answer
 * ```
 */
export function colorizationAccuracy(
  fills: RgbImage,
  gt: RgbImage,
  tgtLine: GrayImage,
  opts: Partial<ColorizationAccuracyOptions> = {},
): ColorizationAccuracy {
  const o = { ...COLORIZATION_ACCURACY_DEFAULTS, ...opts };
  sameSize(fills, gt, "colorizationAccuracy");
  sameSize(tgtLine, gt, "colorizationAccuracy (line art)");
  const n = gt.width * gt.height, g = gt.data;
  const [br, bg, bb] = o.backgroundColor;
  const notLine = new Uint8Array(n), fg = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (tgtLine.data[i] < o.inkThreshold) continue;
    notLine[i] = 1;
    if (g[3 * i] !== br || g[3 * i + 1] !== bg || g[3 * i + 2] !== bb) fg[i] = 1;
  }
  const regions = colorRegions(gt, tgtLine, { inkThreshold: o.inkThreshold });
  // Background regions: those whose most frequent true colour is the background colour.
  const bgKey = (br << 16) | (bg << 8) | bb;
  const modes = regionModes(gt, regions.labels, regions.count, new Set());
  const skip: number[] = [];
  for (let r = 1; r <= regions.count; r++) if (modes[r] === bgKey) skip.push(r);
  return {
    pixel: pixelAccuracy(fills, gt, { mask: notLine }),
    pixelFg: pixelAccuracy(fills, gt, { mask: fg }),
    region: regionAccuracy(fills, gt, regions.labels),
    regionFg: regionAccuracy(fills, gt, regions.labels, { skip }),
  };
}
