/**
 * Optimal-transport assignment with a dustbin (SuperGlue, Sarlin et al. 2020): the m x n score matrix gets one
 * extra row and column whose score is a single learned-or-set value `alpha`; Sinkhorn iterations (scaling form)
 * then make the exp-scores a transport plan whose rows and columns sum to 1 (the dustbin row/column to n and m), so a
 * region with no good partner sends its mass to the dustbin: "no counterpart" is an answer, not a low score.
 *
 * @module
 */

/** Options of {@link sinkhorn}. */
export interface SinkhornOptions {
  /** Score of the dustbin row and column (same units as the scores). */
  alpha: number;
  /** Iterations (SuperGlue uses 100; 20-50 converge on a few hundred regions). */
  iterations: number;
}

/** Defaults. */
export const SINKHORN_DEFAULTS: SinkhornOptions = {
  alpha: 0, // set by the caller on its own score scale
  iterations: 50, // the plan stops changing in the third decimal long before (checked on validation pairs)
};

/**
 * The transport plan of scores `s` ([m * n] row-major) augmented by the dustbin, as probabilities:
 * [(m + 1) * (n + 1)] row-major, last row/column the dustbins, entry (i, j) = P(i matches j) (each real row and
 * column sums to ~1). `-Infinity` scores forbid a pair.
 *
 * @example
 * ```ts
 * const P = sinkhorn(scores, m, n, { alpha: 0.5 });
 * P[i * (n + 1) + n]; // probability that row i has no counterpart
 * ```
 */
export function sinkhorn(
  s: Float32Array | Float64Array,
  m: number,
  n: number,
  opts: Partial<SinkhornOptions> = {},
): Float64Array<ArrayBuffer> {
  const o = { ...SINKHORN_DEFAULTS, ...opts };
  if (s.length !== m * n) throw new RangeError(`sinkhorn: ${s.length} scores for ${m} x ${n}`);
  const M = m + 1, N = n + 1;
  const Z = new Float64Array(M * N);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) Z[i * N + j] = s[i * n + j];
    Z[i * N + n] = o.alpha;
  }
  for (let j = 0; j <= n; j++) Z[m * N + j] = o.alpha;
  // Scaling form of the log-domain iterations (same fixed point, no exp per step): K = exp(Z - max), then
  // a = mu / (K b), b = nu / (K^T a). Scores are bounded (cosines and geometry over a temperature), so K stays
  // within float64 range after the max shift; rows or columns that underflow entirely fall back to the dustbin.
  let zmax = -Infinity;
  for (let k = 0; k < Z.length; k++) if (Z[k] > zmax) zmax = Z[k];
  const K = new Float64Array(M * N);
  for (let k = 0; k < Z.length; k++) K[k] = Math.exp(Math.max(Z[k] - zmax, -700));
  const mu = new Float64Array(M).fill(1), nu = new Float64Array(N).fill(1);
  mu[m] = n;
  nu[n] = m;
  const a = new Float64Array(M).fill(1), b = new Float64Array(N).fill(1);
  const kb = new Float64Array(M), ka = new Float64Array(N);
  for (let it = 0; it < o.iterations; it++) {
    for (let i = 0; i < M; i++) {
      let s2 = 0;
      const row = i * N;
      for (let j = 0; j < N; j++) s2 += K[row + j] * b[j];
      kb[i] = s2;
      a[i] = s2 > 0 ? mu[i] / s2 : 0;
    }
    ka.fill(0);
    for (let i = 0; i < M; i++) {
      const ai = a[i], row = i * N;
      if (ai === 0) continue;
      for (let j = 0; j < N; j++) ka[j] += K[row + j] * ai;
    }
    for (let j = 0; j < N; j++) b[j] = ka[j] > 0 ? nu[j] / ka[j] : 0;
  }
  const P = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) P[i * N + j] = a[i] * K[i * N + j] * b[j];
  }
  return P;
}
