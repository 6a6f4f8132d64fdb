/**
 * The dataset-level evaluation: for every pair of a PBC-layout dataset, ask a predictor for its regions,
 * matches and (optionally) its patch similarity, score them against the ground truth and return everything in
 * the shape of `metrics.json` (issue 5), fractions in [0, 1] (null where undefined).
 *
 * Patch ground truth is computed on the prediction's own letterboxed grid (`sim.boxA/boxB`, patch_labels.ts),
 * region ground truth on the original pixels; predicted region maps must have the frames' original size.
 *
 * @module
 */
import type { PairRef } from "../data/pairs.ts";
import { loadFrame, type PbcFrame } from "../data/pbc.ts";
import type { LabelMap } from "../image/types.ts";
import { type PairSimilarity, type ScoreKind, scoreMatrix } from "../model/similarity.ts";
import { UserError } from "../util/errors.ts";
import { Progress } from "../util/progress.ts";
import { validMask } from "./gt_regions.ts";
import type { HistogramOptions } from "./histogram.ts";
import { patchLabelsForBox } from "./patch_labels.ts";
import {
  histogramFor,
  type PairPatchMetrics,
  PatchAccumulator,
  type PatchMetricsSummary,
} from "./patch_metrics.ts";
import type { CurvePoints } from "./pr.ts";
import { DEFAULT_PURITY, type MatchScores, type RegionMatch, regionMatchMetrics } from "./region_matching.ts";
import { type MatchSummary, RegionAccumulator, type SegmentationSummary } from "./region_summary.ts";
import { segmentationMetrics, type SegmentationScores } from "./segmentation.ts";

/** What a predictor returns for a pair. */
export interface Prediction {
  /** The model's patch similarity; without it the patch metrics are skipped. */
  sim?: PairSimilarity;
  /** Region id per original pixel (ids > 0 are regions; 0: none), the frames' sizes. */
  regionsA: LabelMap;
  regionsB: LabelMap;
  matches: RegionMatch[];
}

/** A method under evaluation. */
export type Predictor = (pair: { a: PbcFrame; b: PbcFrame }) => Promise<Prediction>;

/** One pair's scores in metrics.json. */
export interface PairRecord {
  dir: string;
  reference: string;
  target: string;
  patch: PairPatchMetrics | null;
  region: { intra_a: SegmentationScores; intra_b: SegmentationScores; cross: MatchScores };
}

/** The metrics.json object. */
export interface EvalMetrics {
  pairs: number;
  /** Null when the predictor gave no similarity. */
  patch: PatchMetricsSummary | null;
  region: { intra_a: SegmentationSummary; intra_b: SegmentationSummary; cross: MatchSummary };
  /** Pooled PR curves (null without similarity). */
  pr_curves: { intra_a: CurvePoints; intra_b: CurvePoints; cross: CurvePoints } | null;
  settings: {
    score: ScoreKind;
    purity: number;
    min_fraction: number;
    histogram: HistogramOptions;
    /** Pairs that carried a similarity. */
    patch_pairs: number;
  };
  per_pair: PairRecord[];
}

/** Options of {@link evaluateDataset}. */
export interface RunOptions {
  /** Score transform of the cosine for the patch metrics. */
  score: ScoreKind;
  /** Softmax temperature (score "softmax"). */
  tau: number;
  /** Region purity threshold. */
  purity: number;
  /** Patch ground-truth majority threshold. */
  minFraction: number;
  /** Histogram settings of the pooled curves (default: {@link histogramFor} the score kind). */
  histogram?: Partial<HistogramOptions>;
  /** Points per plotted PR curve. */
  curvePoints: number;
  /** Progress label; "off" silences the bar. */
  label: string;
  progress?: "tty" | "log" | "notebook" | "off";
  /** Called after each pair (for logging or early inspection). */
  onPair?: (record: PairRecord, index: number) => void;
}

/** Defaults. */
export const RUN_DEFAULTS: RunOptions = {
  score: "sigmoid", // the release's inference scores; AP/F1 are the same as on the cosine (monotone)
  tau: 0.07, // the paper's PBC temperature, used only by "softmax"
  purity: DEFAULT_PURITY, // the paper's 0.8
  minFraction: 0.55, // the paper's patch ground-truth majority
  curvePoints: 201, // a smooth plotted curve in ~6 KB of JSON per set
  label: "evaluate",
};

function checkSize(map: LabelMap, frame: PbcFrame, name: string): void {
  if (map.width !== frame.seg.width || map.height !== frame.seg.height) {
    throw new RangeError(
      `predictor returned ${name} of ${map.width}x${map.height} for ${frame.character}/${frame.frame} (${frame.seg.width}x${frame.seg.height})`,
    );
  }
}

/**
 * What an evaluation accumulates: everything metrics.json is computed from ({@link evalMetrics}), and what a
 * shard of a large evaluation keeps so that a merge recomputes the metrics over the union (lib/eval/merge.ts).
 */
export interface EvalState {
  /** Pooled patch histograms, per-pair patch metrics and top-K counts. */
  patch: PatchAccumulator;
  /** Per-pair region scores. */
  region: RegionAccumulator;
  /** Every pair's record, in the order of the pair list. */
  perPair: PairRecord[];
  /** The options the metrics depend on. */
  options: Pick<RunOptions, "score" | "purity" | "minFraction" | "curvePoints"> & {
    histogram: HistogramOptions;
  };
}

/**
 * Evaluates a predictor on `pairs` of the dataset at `root`.
 *
 * @example
 * ```ts
 * const pairs = await resolvePairs("data/test-clean");
 * const metrics = await evaluateDataset("data/test-clean", pairs, floodFillPredictor());
 * console.log(metrics.region.intra_a.ari);
 * ```
 */
export async function evaluateDataset(
  root: string,
  pairs: readonly PairRef[],
  predict: Predictor,
  opts: Partial<RunOptions> = {},
): Promise<EvalMetrics> {
  return evalMetrics(await scoreDataset(root, pairs, predict, opts));
}

/**
 * Scores a predictor on `pairs` of the dataset at `root` and returns the accumulated state ({@link evalMetrics}
 * turns it into metrics.json's object).
 *
 * @example
 * ```ts
 * const state = await scoreDataset("data/test-clean", pairs, floodFillMethod());
 * const metrics = evalMetrics(state);
 * ```
 */
export async function scoreDataset(
  root: string,
  pairs: readonly PairRef[],
  predict: Predictor,
  opts: Partial<RunOptions> = {},
): Promise<EvalState> {
  const o: RunOptions = { ...RUN_DEFAULTS, ...opts };
  const hist = { bins: 1 << 16, ...histogramFor(o.score), ...o.histogram } as HistogramOptions;
  const patchAcc = new PatchAccumulator(hist);
  const regionAcc = new RegionAccumulator();
  const perPair: PairRecord[] = [];
  const bar = new Progress({ total: pairs.length, label: o.label, unit: "pairs", mode: o.progress });
  for (let idx = 0; idx < pairs.length; idx++) {
    const p = pairs[idx];
    const [a, b] = await Promise.all([loadFrame(root, p.dir, p.reference), loadFrame(root, p.dir, p.target)]);
    for (const f of [a, b]) {
      if (!f.labelOfSeg) {
        throw new UserError(
          "frame has no json_index (or seg json) with segment labels: cannot evaluate it",
          f.paths.seg,
        );
      }
    }
    const pred = await predict({ a, b });
    checkSize(pred.regionsA, a, "regionsA");
    checkSize(pred.regionsB, b, "regionsB");
    const va = validMask(a.seg, a.labelOfSeg), vb = validMask(b.seg, b.labelOfSeg);
    const segA = segmentationMetrics(pred.regionsA, a.seg, a.labelOfSeg, va);
    const segB = segmentationMetrics(pred.regionsB, b.seg, b.labelOfSeg, vb);
    const cross = regionMatchMetrics(
      { regions: pred.regionsA, seg: a.seg, labelOfSeg: a.labelOfSeg, valid: va },
      { regions: pred.regionsB, seg: b.seg, labelOfSeg: b.labelOfSeg, valid: vb },
      pred.matches,
      { purity: o.purity },
    );
    regionAcc.add(segA, segB, cross);
    let patch: PairPatchMetrics | null = null;
    if (pred.sim) {
      const sim = pred.sim;
      const labelsA = patchLabelsForBox(a.seg, a.labelOfSeg, sim.boxA, sim.patch, {
        minFraction: o.minFraction,
      });
      const labelsB = patchLabelsForBox(b.seg, b.labelOfSeg, sim.boxB, sim.patch, {
        minFraction: o.minFraction,
      });
      if (labelsA.length !== sim.n || labelsB.length !== sim.n) {
        throw new RangeError(
          `similarity has ${sim.n} patches per image but its letterbox grid has ${labelsA.length}`,
        );
      }
      const s = scoreMatrix(sim.cosine, 2 * sim.n, o.score, o.tau);
      patch = patchAcc.add(s, sim.n, labelsA, labelsB);
    }
    const record: PairRecord = {
      dir: p.dir,
      reference: p.reference,
      target: p.target,
      patch,
      region: { intra_a: segA, intra_b: segB, cross },
    };
    perPair.push(record);
    o.onPair?.(record, idx);
    const info = `ARI ${((segA.ari + segB.ari) / 2).toFixed(3)} P ${cross.precision_all.toFixed(3)} (valid ${
      cross.precision_valid.toFixed(3)
    }) R ${cross.recall.toFixed(3)}`;
    bar.tick(1, info);
  }
  await bar.done();
  return {
    patch: patchAcc,
    region: regionAcc,
    perPair,
    options: {
      score: o.score,
      purity: o.purity,
      minFraction: o.minFraction,
      curvePoints: o.curvePoints,
      histogram: hist,
    },
  };
}

/**
 * metrics.json's object from an evaluation's state: pooled patch metrics and curves from the histograms,
 * means over the pairs in their list order.
 *
 * @example
 * ```ts
 * const metrics = evalMetrics(await scoreDataset(root, pairs, predict));
 * ```
 */
export function evalMetrics(state: EvalState): EvalMetrics {
  const { patch: patchAcc, region: regionAcc, perPair, options: o } = state;
  const withPatch = patchAcc.pairs > 0;
  return {
    pairs: perPair.length,
    patch: withPatch ? patchAcc.summary() : null,
    region: regionAcc.summary(),
    pr_curves: withPatch ? patchAcc.curves(o.curvePoints) : null,
    settings: {
      score: o.score,
      purity: o.purity,
      min_fraction: o.minFraction,
      histogram: o.histogram,
      patch_pairs: patchAcc.pairs,
    },
    per_pair: perPair,
  };
}
