/**
 * Optimal-transport assignment with a dustbin (SuperGlue, Sarlin et al. 2020): the m x n score matrix gets one
 * extra row and column whose score is a single learned-or-set value `alpha`; log-domain Sinkhorn iterations then
 * make the exp-scores a transport plan whose rows and columns sum to 1 (the dustbin row/column to n and m), so a
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

function logSumExp(v: Float64Array, n: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (v[i] > m) m = v[i];
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(v[i] - m);
  return m + Math.log(s);
}

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
export function sinkhorn(s: Float32Array | Float64Array, m: number, n: number, opts: Partial<SinkhornOptions> = {}) {
  const o = { ...SINKHORN_DEFAULTS, ...opts };
  if (s.length !== m * n) throw new RangeError(`sinkhorn: ${s.length} scores for ${m} x ${n}`);
  const M = m + 1, N = n + 1;
  const Z = new Float64Array(M * N);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) Z[i * N + j] = s[i * n + j];
    Z[i * N + n] = o.alpha;
  }
  for (let j = 0; j <= n; j++) Z[m * N + j] = o.alpha;
  const norm = -Math.log(m + n);
  const logMu = new Float64Array(M).fill(norm), logNu = new Float64Array(N).fill(norm);
  logMu[m] = Math.log(n) + norm;
  logNu[n] = Math.log(m) + norm;
  const u = new Float64Array(M), v = new Float64Array(N);
  const rowBuf = new Float64Array(N), colBuf = new Float64Array(M);
  for (let it = 0; it < o.iterations; it++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) rowBuf[j] = Z[i * N + j] + v[j];
      u[i] = logMu[i] - logSumExp(rowBuf, N);
    }
    for (let j = 0; j < N; j++) {
      for (let i = 0; i < M; i++) colBuf[i] = Z[i * N + j] + u[i];
      v[j] = logNu[j] - logSumExp(colBuf, M);
    }
  }
  const P = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) P[i * N + j] = Math.exp(Z[i * N + j] + u[i] + v[j] - norm);
  }
  return P;
}
