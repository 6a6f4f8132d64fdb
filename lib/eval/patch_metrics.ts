/**
 * Patch-level metrics (the paper's Table 1) for one pair and for a dataset.
 *
 * Per pair: the exact curve of each sample set (patch_samples.ts) gives AP, best F1 with its precision, recall
 * and threshold; top-1/top-5 from topk.ts.
 *
 * Dataset: the samples of all pairs are pooled (the official release concatenates every pair's scores before
 * computing one curve) in a {@link ScoreHistogram} per set, so nothing per sample is kept; pooled AP, best F1,
 * precision, recall and the plotted PR curves come from there. Top-K accuracy is the mean over pairs of the
 * per-pair accuracy (as the release averages it); the pooled hit rate and the per-pair means of AP and F1 are
 * reported beside.
 *
 * @module
 */
import type { ScoreKind } from "../model/similarity.ts";
import { type HistogramOptions, ScoreHistogram } from "./histogram.ts";
import { crossSamplesFrom, crossScores, intraSamples, type Samples } from "./patch_samples.ts";
import { averagePrecision, bestF1, type CurvePoints, curvePoints, type PrCurve, prCurve } from "./pr.ts";
import { type TopKCounts, topKCounts } from "./topk.ts";

/** Scores of one sample set (fractions; NaN where undefined, e.g. no positive). */
export interface PatchScores {
  ap: number;
  best_f1: number;
  precision: number;
  recall: number;
  /** Score threshold of the best F1 (scores >= it are called matches). */
  threshold: number;
  samples: number;
  positives: number;
}

/** Cross-image scores: the set's scores and top-K accuracy. */
export interface CrossPatchScores extends PatchScores {
  top1: number;
  top5: number;
  /** Top-K queries (both directions). */
  queries: number;
}

/** Patch metrics of one pair. */
export interface PairPatchMetrics {
  intra_a: PatchScores;
  intra_b: PatchScores;
  cross: CrossPatchScores;
}

/** Dataset-level scores of one set: pooled values plus per-pair means. */
export interface PatchSummary extends PatchScores {
  /** Means over pairs (pairs where the value is defined). */
  pair_mean: { ap: number; best_f1: number; precision: number; recall: number };
}

/** Dataset-level cross scores. */
export interface CrossPatchSummary extends PatchSummary {
  /** Mean over pairs of the per-pair top-K accuracy (the release's aggregation; the tables use it). */
  top1: number;
  top5: number;
  /** Hits / queries over all pairs. */
  top1_pooled: number;
  top5_pooled: number;
  queries: number;
}

/** Dataset-level patch metrics. */
export interface PatchMetricsSummary {
  intra_a: PatchSummary;
  intra_b: PatchSummary;
  cross: CrossPatchSummary;
}

/** Histogram settings that keep the pooled AP within 1e-4 of exact for each score kind (histogram_test.ts). */
export function histogramFor(kind: ScoreKind): Partial<HistogramOptions> {
  return kind === "softmax" ? { scale: "log", lo: 1e-12, hi: 1 } : { scale: "linear", lo: 0, hi: 1 };
}

/** Scores of a curve. */
export function curveScores(c: PrCurve): PatchScores {
  const b = bestF1(c);
  return {
    ap: averagePrecision(c),
    best_f1: b.f1,
    precision: b.precision,
    recall: b.recall,
    threshold: b.threshold,
    samples: c.positives + c.negatives,
    positives: c.positives,
  };
}

/** The three sample sets of a pair. */
export function pairSamples(
  s: Float32Array,
  n: number,
  labelsA: Int32Array,
  labelsB: Int32Array,
): { intra_a: Samples; intra_b: Samples; cross: Samples; crossScore: Float32Array } {
  const crossScore = crossScores(s, n);
  return {
    intra_a: intraSamples(s, n, labelsA, "a"),
    intra_b: intraSamples(s, n, labelsB, "b"),
    cross: crossSamplesFrom(crossScore, n, labelsA, labelsB),
    crossScore,
  };
}

/**
 * Patch metrics of one pair, exact.
 *
 * @param s score matrix [2N, 2N] (scoreMatrix of the model's cosine)
 * @example
 * ```ts
 * const m = pairPatchMetrics(scoreMatrix(sim.cosine, 2 * sim.n, "sigmoid"), sim.n, labelsA, labelsB);
 * m.cross.ap; m.cross.top1;
 * ```
 */
export function pairPatchMetrics(
  s: Float32Array,
  n: number,
  labelsA: Int32Array,
  labelsB: Int32Array,
): PairPatchMetrics {
  return fromSamples(pairSamples(s, n, labelsA, labelsB), n, labelsA, labelsB).metrics;
}

function fromSamples(
  x: ReturnType<typeof pairSamples>,
  n: number,
  labelsA: Int32Array,
  labelsB: Int32Array,
): { metrics: PairPatchMetrics; topk: TopKCounts } {
  const t = topKCounts(x.crossScore, n, labelsA, labelsB, [1, 5]);
  const metrics: PairPatchMetrics = {
    intra_a: curveScores(prCurve(x.intra_a.scores, x.intra_a.labels)),
    intra_b: curveScores(prCurve(x.intra_b.scores, x.intra_b.labels)),
    cross: {
      ...curveScores(prCurve(x.cross.scores, x.cross.labels)),
      top1: t.queries > 0 ? t.hits[0] / t.queries : NaN,
      top5: t.queries > 0 ? t.hits[1] / t.queries : NaN,
      queries: t.queries,
    },
  };
  return { metrics, topk: t };
}

/** Mean of the finite values (NaN when none). */
export function finiteMean(values: number[]): number {
  let s = 0, k = 0;
  for (const v of values) if (Number.isFinite(v)) s += v, k++;
  return k > 0 ? s / k : NaN;
}

const SETS = ["intra_a", "intra_b", "cross"] as const;

/**
 * Accumulates patch metrics over a dataset.
 *
 * @example
 * ```ts
 * const acc = new PatchAccumulator(histogramFor("sigmoid"));
 * for (const pair of pairs) perPair.push(acc.add(S, n, labelsA, labelsB));
 * const summary = acc.summary(); const curves = acc.curves();
 * ```
 */
export class PatchAccumulator {
  readonly hist: Record<(typeof SETS)[number], ScoreHistogram>;
  readonly perPair: PairPatchMetrics[] = [];
  #hits = [0, 0];
  #queries = 0;

  constructor(histogram: Partial<HistogramOptions> = {}) {
    this.hist = {
      intra_a: new ScoreHistogram(histogram),
      intra_b: new ScoreHistogram(histogram),
      cross: new ScoreHistogram(histogram),
    };
  }

  /** Adds a pair; returns its exact per-pair metrics. */
  add(s: Float32Array, n: number, labelsA: Int32Array, labelsB: Int32Array): PairPatchMetrics {
    const x = pairSamples(s, n, labelsA, labelsB);
    for (const k of SETS) this.hist[k].add(x[k].scores, x[k].labels);
    const { metrics: m, topk } = fromSamples(x, n, labelsA, labelsB);
    this.#queries += topk.queries;
    this.#hits[0] += topk.hits[0];
    this.#hits[1] += topk.hits[1];
    this.perPair.push(m);
    return m;
  }

  /**
   * Adds pairs scored elsewhere (the shards of one evaluation, at a merge): their per-pair metrics in list order
   * and their summed top-K counts (K = 1, 5). Their samples go in through `hist[set].merge`.
   *
   * @example
   * ```ts
   * for (const k of ["intra_a", "intra_b", "cross"] as const) acc.hist[k].merge(shardHist[k]);
   * acc.addScored(shardPerPair, { queries: 1200, hits: [700, 1000] });
   * ```
   */
  addScored(perPair: readonly PairPatchMetrics[], topk: { queries: number; hits: readonly number[] }): void {
    this.perPair.push(...perPair);
    this.#queries += topk.queries;
    this.#hits[0] += topk.hits[0];
    this.#hits[1] += topk.hits[1];
  }

  /** Summed top-K counts so far (K = 1, 5), as {@link addScored} takes them. */
  get topk(): { queries: number; hits: number[] } {
    return { queries: this.#queries, hits: [...this.#hits] };
  }

  /** Pairs added. */
  get pairs(): number {
    return this.perPair.length;
  }

  /** Dataset-level metrics. */
  summary(): PatchMetricsSummary {
    const one = (k: (typeof SETS)[number]): PatchSummary => {
      const pooled = curveScores(this.hist[k].curve());
      const col = (f: keyof PatchScores) => finiteMean(this.perPair.map((m) => m[k][f]));
      return {
        ...pooled,
        pair_mean: {
          ap: col("ap"),
          best_f1: col("best_f1"),
          precision: col("precision"),
          recall: col("recall"),
        },
      };
    };
    const q = this.#queries;
    return {
      intra_a: one("intra_a"),
      intra_b: one("intra_b"),
      cross: {
        ...one("cross"),
        top1: finiteMean(this.perPair.map((m) => m.cross.top1)),
        top5: finiteMean(this.perPair.map((m) => m.cross.top5)),
        top1_pooled: q > 0 ? this.#hits[0] / q : NaN,
        top5_pooled: q > 0 ? this.#hits[1] / q : NaN,
        queries: q,
      },
    };
  }

  /** Pooled PR curves, at most `maxPoints` points each. */
  curves(maxPoints = 201): Record<(typeof SETS)[number], CurvePoints> {
    return {
      intra_a: curvePoints(this.hist.intra_a.curve(), maxPoints),
      intra_b: curvePoints(this.hist.intra_b.curve(), maxPoints),
      cross: curvePoints(this.hist.cross.curve(), maxPoints),
    };
  }
}
