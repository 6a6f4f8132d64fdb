/**
 * Quality of the automatic annotation against exact labels (issue 6's quality report): each pair of a dataset
 * that has both coloured frames and exact region labels (the generator's output, PBC training data) is
 * annotated in memory and scored with the evaluation's own metrics (`lib/eval`):
 *
 * - region segmentation of each frame against its exact segments: ARI, mIoU P->G and G->P, count ratio;
 * - pseudo matches against the exact correspondences: region precision and recall (a pseudo region stands for
 *   the exact segment holding >= 80% of it). The pseudo matches are scored as one undirected set, since
 *   training uses all of them; the keypoint-vote matches alone are scored too, to show what the coarse pass
 *   adds;
 * - the same scores over exact regions of at least `minRegionPixels` only (default 141 px: 55% of a 16x16
 *   patch, the least a region needs to label one patch of the training ground truth). Exact segmentations hold
 *   many slivers of a few pixels (where strokes cross) that no colour segmentation keeps and no patch can
 *   learn; this second set says how good the labels are where training can use them.
 *
 * @module
 */
import type { LabelMap } from "../image/types.ts";
import { BACKGROUND_ID, loadFrame, type PbcFrame } from "../data/pbc.ts";
import { type PairRef, resolvePairs } from "../data/pairs.ts";
import {
  type MatchScores,
  type RegionMatch as EvalMatch,
  regionMatchMetrics,
  segmentationMetrics,
  type SegmentationScores,
  validMask,
} from "../eval/mod.ts";
import { UserError } from "../util/errors.ts";
import { Progress } from "../util/progress.ts";
import { type AnnotateOptions, annotatePair, type PairAnnotation, type PairStats } from "./pipeline.ts";
import { loadColorFrame } from "./dataset.ts";

/** Scores of one annotated pair. */
export interface PairQuality {
  pair: PairRef;
  segA: SegmentationScores;
  segB: SegmentationScores;
  /** All pseudo matches (votes, reverse votes, coarse), one undirected set. */
  match: MatchScores;
  /** Keypoint-vote matches only (both directions). */
  matchVotes: MatchScores;
  /** The same three over exact regions of at least `minRegionPixels`. */
  large: { segA: SegmentationScores; segB: SegmentationScores; match: MatchScores };
  stats: PairStats;
  /** Annotation time of the pair (ms), I/O excluded. */
  ms: number;
}

/** Means over a dataset (segmentation over frames, matching over pairs). */
export interface QualitySummary {
  pairs: number;
  ari: number;
  miou_pg: number;
  miou_gp: number;
  cr: number;
  precision: number;
  recall: number;
  precisionVotes: number;
  recallVotes: number;
  /** Mean pseudo regions and exact regions per frame. */
  predRegions: number;
  gtRegions: number;
  /** Share of pseudo regions (not background) left without a partner. */
  unmatchedShare: number;
  msPerPair: number;
  /** Means over exact regions of at least `minRegionPixels`. */
  large: {
    ari: number;
    miou_pg: number;
    miou_gp: number;
    cr: number;
    precision: number;
    recall: number;
    gtRegions: number;
  };
}

/** Options of {@link annotationQuality}. */
export interface QualityOptions {
  /** pairs.csv to use (default the dataset's own). */
  pairsCsv?: string;
  /** Only the first `limit` pairs. */
  limit?: number;
  annotate?: AnnotateOptions;
  /** Least size of the exact regions in the `large` scores. */
  minRegionPixels?: number;
  progress?: "tty" | "log" | "notebook" | "off";
  /** Called with each pair's annotation and exact frames (for pictures), before the next pair. */
  onPair?: (q: PairQuality, ann: PairAnnotation, exact: { a: PbcFrame; b: PbcFrame }) => void | Promise<void>;
}

/** Pseudo segments as a region map for the metrics: background and line are "no region" (0). */
export function regionMapOf(seg: LabelMap): LabelMap {
  const d = seg.data, out = new Int32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] === BACKGROUND_ID ? 0 : d[i];
  return { width: seg.width, height: seg.height, data: out };
}

/**
 * Scores one annotated pair against the exact frames.
 *
 * @example
 * ```ts
 * const q = scorePair(ann, exactA, exactB);
 * console.log(q.segA.ari, q.match.precision_valid);
 * ```
 */
export function scorePair(
  ann: PairAnnotation,
  a: PbcFrame,
  b: PbcFrame,
  opts: { minRegionPixels?: number } = {},
): Omit<PairQuality, "pair" | "ms"> {
  const ra = regionMapOf(ann.a.seg), rb = regionMapOf(ann.b.seg);
  const toEval = (ms: PairAnnotation["matches"]): EvalMatch[] =>
    ms.map((m) => ({ ref_region: m.a, tgt_region: m.b, score: m.votes }));
  const score = (va: ValidMask, vb: ValidMask) => {
    const sideA = { regions: ra, seg: a.seg, labelOfSeg: a.labelOfSeg, valid: va };
    const sideB = { regions: rb, seg: b.seg, labelOfSeg: b.labelOfSeg, valid: vb };
    return {
      segA: segmentationMetrics(ra, a.seg, a.labelOfSeg, va),
      segB: segmentationMetrics(rb, b.seg, b.labelOfSeg, vb),
      match: regionMatchMetrics(sideA, sideB, toEval(ann.matches)),
      matchVotes: regionMatchMetrics(sideA, sideB, toEval(ann.matches.filter((m) => m.source !== "coarse"))),
    };
  };
  const va = validMask(a.seg, a.labelOfSeg), vb = validMask(b.seg, b.labelOfSeg);
  const all = score(va, vb);
  const min = opts.minRegionPixels ?? MIN_REGION_PIXELS;
  const big = score(dropSmall(a.seg, va, min), dropSmall(b.seg, vb, min));
  return { ...all, large: { segA: big.segA, segB: big.segB, match: big.match }, stats: ann.stats };
}

/** Least exact-region size of the `large` scores: 55% of a 16x16 patch. */
export const MIN_REGION_PIXELS: number = Math.ceil(0.55 * 256);

type ValidMask = { valid: Uint8Array; count: number };

/** The valid mask without the pixels of segments smaller than `min`. */
export function dropSmall(seg: LabelMap, v: ValidMask, min: number): ValidMask {
  const size = new Map<number, number>();
  for (let i = 0; i < seg.data.length; i++) {
    if (v.valid[i]) size.set(seg.data[i], (size.get(seg.data[i]) ?? 0) + 1);
  }
  const valid = new Uint8Array(v.valid.length);
  let count = 0;
  for (let i = 0; i < valid.length; i++) {
    if (v.valid[i] && size.get(seg.data[i])! >= min) {
      valid[i] = 1;
      count++;
    }
  }
  return { valid, count };
}

function mean(xs: number[]): number {
  const f = xs.filter((x) => Number.isFinite(x));
  return f.length ? f.reduce((s, x) => s + x, 0) / f.length : NaN;
}

/** Means of a list of pair scores. */
export function summarize(qs: readonly PairQuality[]): QualitySummary {
  const segs = qs.flatMap((q) => [q.segA, q.segB]);
  let regions = 0, unmatched = 0;
  for (const q of qs) {
    regions += q.stats.segmentsA + q.stats.segmentsB;
    unmatched += q.stats.unmatchedA + q.stats.unmatchedB;
  }
  return {
    pairs: qs.length,
    ari: mean(segs.map((s) => s.ari)),
    miou_pg: mean(segs.map((s) => s.miou_pg)),
    miou_gp: mean(segs.map((s) => s.miou_gp)),
    cr: mean(segs.map((s) => s.cr)),
    precision: mean(qs.map((q) => q.match.precision_valid)),
    recall: mean(qs.map((q) => q.match.recall)),
    precisionVotes: mean(qs.map((q) => q.matchVotes.precision_valid)),
    recallVotes: mean(qs.map((q) => q.matchVotes.recall)),
    predRegions: mean(segs.map((s) => s.pred_regions)),
    gtRegions: mean(segs.map((s) => s.gt_regions)),
    unmatchedShare: regions > 0 ? unmatched / regions : NaN,
    msPerPair: mean(qs.map((q) => q.ms)),
    large: {
      ari: mean(qs.flatMap((q) => [q.large.segA.ari, q.large.segB.ari])),
      miou_pg: mean(qs.flatMap((q) => [q.large.segA.miou_pg, q.large.segB.miou_pg])),
      miou_gp: mean(qs.flatMap((q) => [q.large.segA.miou_gp, q.large.segB.miou_gp])),
      cr: mean(qs.flatMap((q) => [q.large.segA.cr, q.large.segB.cr])),
      precision: mean(qs.map((q) => q.large.match.precision_valid)),
      recall: mean(qs.map((q) => q.large.match.recall)),
      gtRegions: mean(qs.flatMap((q) => [q.large.segA.gt_regions, q.large.segB.gt_regions])),
    },
  };
}

/**
 * Annotates the pairs of a dataset with exact labels and scores the result.
 *
 * @example
 * ```ts
 * const { summary } = await annotationQuality("data/test-clean", { limit: 20 });
 * console.log(summary.ari, summary.precision, summary.recall);
 * ```
 */
export async function annotationQuality(
  root: string,
  opts: QualityOptions = {},
): Promise<{ pairs: PairQuality[]; summary: QualitySummary }> {
  const pairs = (await resolvePairs(root, { pairsCsv: opts.pairsCsv })).slice(0, opts.limit ?? Infinity);
  const bar = new Progress({
    total: pairs.length,
    label: "annotation quality",
    unit: "pairs",
    mode: opts.progress,
  });
  const out: PairQuality[] = [];
  for (const p of pairs) {
    const [ca, cb, ea, eb] = await Promise.all([
      loadColorFrame(root, p.dir, p.reference),
      loadColorFrame(root, p.dir, p.target),
      loadFrame(root, p.dir, p.reference),
      loadFrame(root, p.dir, p.target),
    ]);
    if (!ea.labelOfSeg || !eb.labelOfSeg) {
      throw new UserError(
        "frame has no exact labels (json_index or seg/<frame>.json) to score against",
        ea.paths.seg,
      );
    }
    const t0 = performance.now();
    const ann = await annotatePair(ca, cb, opts.annotate);
    const ms = performance.now() - t0;
    const q: PairQuality = {
      pair: p,
      ms,
      ...scorePair(ann, ea, eb, { minRegionPixels: opts.minRegionPixels }),
    };
    out.push(q);
    await opts.onPair?.(q, ann, { a: ea, b: eb });
    bar.tick(1, `P ${q.match.precision_valid.toFixed(2)} R ${q.match.recall.toFixed(2)}`);
  }
  await bar.done();
  return { pairs: out, summary: summarize(out) };
}
