/**
 * Adjusted Rand index, computed exactly as scikit-learn 1.2's `adjusted_rand_score` (from the pair confusion
 * matrix): with n_ij the contingency counts, a_i and b_j its row and column sums and n the total,
 * ```
 *   tp = sum n_ij^2 - n,  fp = sum b_j^2 - sum n_ij^2,  fn = sum a_i^2 - sum n_ij^2,
 *   tn = n^2 - tp - fp - fn - n   (ordered pairs of distinct elements)
 *   ARI = 1                                                         if fp = fn = 0
 *       = 2 (tp tn - fn fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))  otherwise
 * ```
 * It is symmetric in the two labellings and 1 for identical partitions whatever the label values.
 *
 * @module
 */
import { type Contingency, contingency } from "./contingency.ts";

/** ARI of a contingency table (NaN when it counts no element). */
export function ariFromContingency(c: Contingency): number {
  const n = c.total;
  if (n === 0) return NaN;
  let sumSq = 0, sumA = 0, sumB = 0;
  for (let k = 0; k < c.cellCount.length; k++) sumSq += c.cellCount[k] * c.cellCount[k];
  for (const v of c.rowSums) sumA += v * v;
  for (const v of c.colSums) sumB += v * v;
  const tp = sumSq - n, fp = sumB - sumSq, fn = sumA - sumSq;
  const tn = n * n - tp - fp - fn - n;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

/**
 * ARI between two labellings of the same elements, over those where `mask` is non-zero (all when absent).
 *
 * @example
 * ```ts
 * adjustedRandIndex(Int32Array.of(0, 0, 1, 1), Int32Array.of(5, 5, 3, 3)); // 1
 * adjustedRandIndex(gt.data, pred.data, valid);                           // over valid pixels
 * ```
 */
export function adjustedRandIndex(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  mask?: ArrayLike<number>,
): number {
  return ariFromContingency(contingency(a, b, mask));
}
