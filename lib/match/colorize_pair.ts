/**
 * The colourisation job end to end, given the model's similarities: regions of both drawings, matches, each
 * target region painted with its reference region's colour, and the PaintBucket scores against a true colour
 * frame. `deno task colorize`, `deno task demo` and the notebooks call this.
 *
 * @module
 */
import type { GrayImage, Rgb, RgbImage } from "../image/types.ts";
import type { PairSimilarity } from "../model/similarity.ts";
import { COLOR_REGION_DEFAULTS, colorRegions } from "../regions/color_regions.ts";
import { colorize, dominantColors } from "./colorize.ts";
import { type ColorizationAccuracy, colorizationAccuracy } from "./colorize_metrics.ts";
import { bestPartners } from "./matching.ts";
import { matchPair, type MatchPairOptions, type MatchPairResult } from "./pipeline.ts";

/** Options of {@link colorizePair}. */
export interface ColorizePairOptions {
  /**
   * Reference regions: `line` (its line art's regions, made like the target's) or `color` (its flat fills).
   * `line` is the default: on the PBC sample pair with the oracle similarity (lines mode) it gave 96.2% pixel /
   * 42.3% region accuracy against 93.1% / 34.5% for the fills, since a fill spans every part painted alike.
   */
  refRegions: "line" | "color";
  /** Target regions no match covers: `best` takes the most similar reference region's colour; `none` leaves them white. */
  fallback: "best" | "none";
  /** Options of the matching pipeline. */
  match: Partial<MatchPairOptions>;
  /**
   * Region matcher only: a target region takes the colour with the largest total match probability over the
   * reference regions painted in it (BasicPBC's inclusion idea: it must land in the right colour region, not on
   * one segment), rather than its single best region's colour.
   */
  colourVote: boolean;
}

/** Defaults of {@link colorizePair}. */
export const COLORIZE_PAIR_DEFAULTS: ColorizePairOptions = {
  refRegions: "line",
  fallback: "best",
  match: {},
  colourVote: false, // measured on 30 validation pairs: +0.4 points clean, -0.2 hand-drawn: no gain, so off (simpler)
};

/** What {@link colorizePair} returns. */
export interface ColorizePairResult {
  /** The target painted, strokes kept. */
  painted: RgbImage;
  /** The fills alone (no strokes), which the scores are computed on. */
  fills: RgbImage;
  /** The matching behind it. */
  match: MatchPairResult;
}

/** Line art from a colour frame: near-black pixels are strokes (PBC colour frames draw their lines black). */
export function lineFromColor(
  color: RgbImage,
  blackThreshold = COLOR_REGION_DEFAULTS.blackThreshold,
): GrayImage {
  const n = color.width * color.height;
  const data = new Uint8Array(n);
  const d = color.data;
  for (let i = 0; i < n; i++) {
    data[i] = Math.max(d[3 * i], d[3 * i + 1], d[3 * i + 2]) < blackThreshold ? 0 : 255;
  }
  return { width: color.width, height: color.height, data };
}

/**
 * Paints `tgtLine` from the coloured reference `refColor` (whose line art is `refLine`), using the model's
 * similarities `sim` between `refLine` and `tgtLine`.
 *
 * @example
 * ```ts
 * const sim = await model.similarity(refLine, tgtLine);
 * const { painted } = colorizePair(refColor, refLine, tgtLine, sim);
 * ```
 */
export function colorizePair(
  refColor: RgbImage,
  refLine: GrayImage,
  tgtLine: GrayImage,
  sim: PairSimilarity,
  opts: Partial<ColorizePairOptions> = {},
): ColorizePairResult {
  const o = { ...COLORIZE_PAIR_DEFAULTS, ...opts };
  if (refLine.width !== refColor.width || refLine.height !== refColor.height) {
    throw new RangeError(
      `colorizePair: reference line art is ${refLine.width}x${refLine.height} but its colour frame ${refColor.width}x${refColor.height}`,
    );
  }
  const regionsA = o.refRegions === "color" ? colorRegions(refColor, refLine).labels : undefined;
  const r = matchPair(refLine, tgtLine, sim, { ...o.match, regionsA });
  const refColors = dominantColors(refColor, r.regionsA, { line: refLine });
  const bgColor: Rgb = r.backgroundA.map((id) => refColors[id]).find((c) => c) ?? [255, 255, 255];
  const skipA = new Uint8Array(r.countA + 1);
  for (const id of r.backgroundA) skipA[id] = 1;
  // The region matcher names a colour source for every target region (several may share one reference region);
  // the paper's matcher gives matches, and regions none covers fall back on their best partner.
  const src = r.colourSource && o.colourVote
    ? voteColours(r.colourSource, r.simBA, r.countA, refColors)
    : r.colourSource;
  const matches = src
    ? [...src.keys()].filter((j) => src[j] > 0).map((j) => ({ ref_region: src[j], tgt_region: j, score: 1 }))
    : r.matches;
  const fallback = o.fallback === "best" ? bestPartners(r.simBA, r.countB, r.countA, skipA) : null;
  const paint = (keepLines: boolean) =>
    colorize(tgtLine, r.regionsB, refColors, matches, {
      fallback,
      background: r.backgroundB,
      backgroundColor: bgColor,
      keepLines,
    });
  // Scored on the fills alone: anti-aliased stroke edges are not colour errors.
  return { painted: paint(true), fills: paint(false), match: r };
}

/**
 * For every target region, a reference region of the colour with the largest summed probability `simBA` (NaN:
 * no probability) over the reference regions of that colour; regions with none keep `source`'s choice.
 */
export function voteColours(
  source: Int32Array,
  simBA: Float32Array,
  countA: number,
  refColors: readonly (Rgb | null)[],
): Int32Array {
  const ca = countA + 1, out = source.slice();
  const key = (c: Rgb) => (c[0] << 16) | (c[1] << 8) | c[2];
  for (let j = 1; j < source.length; j++) {
    const total = new Map<number, number>(), rep = new Map<number, { i: number; p: number }>();
    for (let i = 1; i <= countA; i++) {
      const p = simBA[j * ca + i], c = refColors[i];
      if (!(p > 0) || !c) continue;
      const k = key(c);
      total.set(k, (total.get(k) ?? 0) + p);
      const r = rep.get(k);
      if (!r || p > r.p) rep.set(k, { i, p });
    }
    let best = -1, bestP = 0;
    for (const [k, p] of total) if (p > bestP || (p === bestP && k < best)) [best, bestP] = [k, p];
    if (best >= 0) out[j] = rep.get(best)!.i;
  }
  return out;
}

/**
 * PaintBucket colourisation scores of `fills` against the true colour frame `gt` of `tgtLine`: pixel and region
 * accuracy over every non-stroke pixel / region (`pixel`, `region`) and over the foreground alone (`pixelFg`,
 * BasicPBC's `pix_acc_wobg`; `regionFg`); see `colorizationAccuracy` (colorize_metrics.ts).
 */
export function colorizationScores(
  fills: RgbImage,
  gt: RgbImage,
  tgtLine: GrayImage,
  inkThreshold = 160,
): ColorizationAccuracy {
  if (gt.width !== tgtLine.width || gt.height !== tgtLine.height) {
    throw new RangeError(
      `colorizationScores: gt ${gt.width}x${gt.height} vs line ${tgtLine.width}x${tgtLine.height}`,
    );
  }
  return colorizationAccuracy(fills, gt, tgtLine, { inkThreshold });
}
