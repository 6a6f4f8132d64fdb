/**
 * Precision-recall curves, average precision and best F1 over binary-labelled scores, defined exactly as
 * scikit-learn defines them (`precision_recall_curve`, `average_precision_score`):
 *
 * - one curve point per distinct score t, predicting "positive" for every sample with score >= t;
 * - precision(t) = TP(t) / (TP(t) + FP(t)), recall(t) = TP(t) / P;
 * - AP = sum over points, in decreasing t, of (R_k - R_{k-1}) * P_k with R_{-1} = 0: step-wise, no
 *   interpolation (tied scores form one step);
 * - best F1 = max over points of 2PR / (P + R) (0 where TP = 0), with its precision, recall and threshold; among
 *   equal F1 the lowest threshold wins (numpy's argmax over scikit-learn's increasing-threshold order).
 *
 * Curves are stored in decreasing-threshold order with cumulative counts, so that a histogram of scores
 * ({@link ScoreHistogram}) and exact sorted scores share one type.
 *
 * @module
 */
import { floatKeys, keyToFloat, radixSortU32 } from "./radix.ts";

/** A precision-recall curve, one point per distinct threshold, thresholds decreasing. */
export interface PrCurve {
  /** Thresholds, decreasing: point k predicts positive for scores >= thresholds[k]. */
  thresholds: Float64Array;
  /** Cumulative true positives at each point. */
  tp: Float64Array;
  /** Cumulative false positives at each point. */
  fp: Float64Array;
  /** TP / (TP + FP). */
  precision: Float64Array;
  /** TP / positives (NaN when there are no positives). */
  recall: Float64Array;
  /** Positive and negative samples in all. */
  positives: number;
  negatives: number;
}

/** Best-F1 operating point of a curve. */
export interface BestF1 {
  f1: number;
  precision: number;
  recall: number;
  /** Scores >= threshold are called positive. */
  threshold: number;
}

/**
 * Builds a curve from per-threshold counts: `pos[k]` positives and `neg[k]` negatives have the score
 * `thresholds[k]` (or lie in its bin), thresholds strictly decreasing. Entries with no samples are skipped.
 */
export function curveFromCounts(
  thresholds: ArrayLike<number>,
  pos: ArrayLike<number>,
  neg: ArrayLike<number>,
): PrCurve {
  const m = thresholds.length;
  let points = 0;
  for (let k = 0; k < m; k++) if (pos[k] + neg[k] > 0) points++;
  const thr = new Float64Array(points), tp = new Float64Array(points), fp = new Float64Array(points);
  let t = 0, f = 0, j = 0;
  for (let k = 0; k < m; k++) {
    if (pos[k] + neg[k] === 0) continue;
    if (j > 0 && !(thresholds[k] < thr[j - 1])) {
      throw new RangeError("curveFromCounts: thresholds must decrease");
    }
    t += pos[k];
    f += neg[k];
    thr[j] = thresholds[k];
    tp[j] = t;
    fp[j] = f;
    j++;
  }
  const precision = new Float64Array(points), recall = new Float64Array(points);
  for (let k = 0; k < points; k++) {
    precision[k] = tp[k] / (tp[k] + fp[k]);
    recall[k] = t > 0 ? tp[k] / t : NaN;
  }
  return { thresholds: thr, tp, fp, precision, recall, positives: t, negatives: f };
}

/**
 * The exact curve of `scores` with 0/1 `labels` (any non-zero label is positive). Sorts positives and
 * negatives separately and merges them; float32 scores are radix-sorted by their bits (linear time: ~10^6 patch
 * pairs in tens of milliseconds), other arrays use the native sort.
 *
 * @example
 * ```ts
 * const c = prCurve(Float64Array.of(0.1, 0.4, 0.35, 0.8), Uint8Array.of(0, 0, 1, 1));
 * averagePrecision(c); // 0.8333... (scikit-learn's example)
 * ```
 */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): PrCurve {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`prCurve: ${n} scores but ${labels.length} labels`);
  if (scores instanceof Float32Array) return curveFloat32(scores, labels);
  let np = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`prCurve: score ${i} is NaN`);
    if (labels[i]) np++;
  }
  const ps = new Float64Array(np), ns = new Float64Array(n - np);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (labels[i]) ps[a++] = scores[i];
    else ns[b++] = scores[i];
  }
  ps.sort();
  ns.sort();
  // Walk both from the top, one point per distinct value.
  const thr = new Float64Array(n), pc = new Float64Array(n), nc = new Float64Array(n);
  let i = ps.length - 1, j = ns.length - 1, m = 0;
  while (i >= 0 || j >= 0) {
    const v = i < 0 ? ns[j] : j < 0 ? ps[i] : Math.max(ps[i], ns[j]);
    let a = 0, b = 0;
    while (i >= 0 && ps[i] === v) i--, a++;
    while (j >= 0 && ns[j] === v) j--, b++;
    thr[m] = v;
    pc[m] = a;
    nc[m++] = b;
  }
  return curveFromCounts(thr.subarray(0, m), pc.subarray(0, m), nc.subarray(0, m));
}

/** {@link prCurve} for float32 scores: radix sort on the scores' bits. */
function curveFloat32(scores: Float32Array, labels: ArrayLike<number>): PrCurve {
  const n = scores.length;
  let np = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (s !== s) throw new RangeError(`prCurve: score ${i} is NaN`);
    if (labels[i]) np++;
  }
  const ps = new Float32Array(np), ns = new Float32Array(n - np);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (labels[i]) ps[a++] = scores[i];
    else ns[b++] = scores[i];
  }
  const pk = radixSortU32(floatKeys(ps)), nk = radixSortU32(floatKeys(ns));
  const keys = new Uint32Array(n), pc = new Float64Array(n), nc = new Float64Array(n);
  let i = pk.length - 1, j = nk.length - 1, m = 0;
  while (i >= 0 || j >= 0) {
    const v = i < 0 ? nk[j] : j < 0 ? pk[i] : pk[i] > nk[j] ? pk[i] : nk[j];
    let a = 0, b = 0;
    while (i >= 0 && pk[i] === v) i--, a++;
    while (j >= 0 && nk[j] === v) j--, b++;
    keys[m] = v;
    pc[m] = a;
    nc[m++] = b;
  }
  const thr = new Float64Array(m);
  for (let k = 0; k < m; k++) thr[k] = keyToFloat(keys[k]);
  return curveFromCounts(thr, pc.subarray(0, m), nc.subarray(0, m));
}

/**
 * Average precision, step-wise as scikit-learn's `average_precision_score`: sum of (R_k - R_{k-1}) * P_k.
 * NaN when there are no positives (scikit-learn 1.2 warns and returns 0 there).
 */
export function averagePrecision(c: PrCurve): number {
  if (c.positives === 0) return NaN;
  let ap = 0, prevR = 0;
  for (let k = 0; k < c.tp.length; k++) {
    const r = c.recall[k];
    ap += (r - prevR) * c.precision[k];
    prevR = r;
  }
  return ap;
}

/** The point of highest F1 (ties: lowest threshold). NaNs when the curve has no positives. */
export function bestF1(c: PrCurve): BestF1 {
  if (c.positives === 0 || c.tp.length === 0) return { f1: NaN, precision: NaN, recall: NaN, threshold: NaN };
  let best = -1, bk = 0;
  for (let k = 0; k < c.tp.length; k++) {
    const p = c.precision[k], r = c.recall[k];
    const f = c.tp[k] > 0 ? (2 * p * r) / (p + r) : 0;
    if (f >= best) {
      best = f;
      bk = k;
    }
  }
  return { f1: best, precision: c.precision[bk], recall: c.recall[bk], threshold: c.thresholds[bk] };
}

/**
 * The curve as scikit-learn 1.2's `precision_recall_curve` returns it: thresholds increasing, every distinct
 * score a point, with a final (precision 1, recall 0) point that has no threshold.
 */
export function sklearnCurve(c: PrCurve): { precision: number[]; recall: number[]; thresholds: number[] } {
  const precision: number[] = [], recall: number[] = [], thresholds: number[] = [];
  for (let k = c.tp.length - 1; k >= 0; k--) {
    precision.push(c.precision[k]);
    recall.push(c.recall[k]);
    thresholds.push(c.thresholds[k]);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds };
}

/** Curve points for plotting and JSON: recall, precision and threshold, thresholds decreasing. */
export interface CurvePoints {
  recall: number[];
  precision: number[];
  threshold: number[];
}

/**
 * At most `maxPoints` points of a curve for plotting: the first point reaching each recall level
 * k / (maxPoints - 2), plus the last point (so the curve keeps its ends). Recall and precision rounded to 6
 * decimals, thresholds to 7 significant digits (softmax thresholds can be 1e-9).
 */
export function curvePoints(c: PrCurve, maxPoints = 201): CurvePoints {
  const out: CurvePoints = { recall: [], precision: [], threshold: [] };
  const m = c.tp.length;
  if (m === 0 || c.positives === 0) return out;
  const levels = Math.max(1, maxPoints - 2);
  const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
  let next = 0;
  const push = (k: number) => {
    out.recall.push(r6(c.recall[k]));
    out.precision.push(r6(c.precision[k]));
    out.threshold.push(Number(c.thresholds[k].toPrecision(7)));
  };
  for (let k = 0; k < m; k++) {
    if (c.recall[k] * levels >= next || k === m - 1) {
      push(k);
      next = Math.floor(c.recall[k] * levels) + 1;
    }
  }
  return out;
}
