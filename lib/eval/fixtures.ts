/**
 * Deterministic test inputs shared by the evaluation tests and reproduced, number for number, by the Python
 * snippets that computed the scikit-learn reference values pinned in the tests (Park-Miller "minimal standard"
 * generator: every product stays below 2^53, so JavaScript and Python doubles agree exactly). Test-only.
 *
 * ```python
 * def park_miller(seed):
 *     s = seed
 *     while True:
 *         s = (s * 48271) % 2147483647
 *         yield s / 2147483647
 * ```
 *
 * @module
 */

/** Uniform draws in (0, 1) from the Park-Miller generator. */
export function* parkMiller(seed: number): Generator<number> {
  let s = seed;
  while (true) {
    s = (s * 48271) % 2147483647;
    yield s / 2147483647;
  }
}

/**
 * Scores and labels correlated with them.
 * ```python
 * def scores_labels(seed, n, decimals):
 *     g = park_miller(seed)
 *     sc, lab = [], []
 *     for _ in range(n):
 *         u = next(g); v = next(g)
 *         s = np.floor(u * 10**decimals) / 10**decimals if decimals else u
 *         sc.append(s); lab.append(1 if v < 0.2 + 0.6 * s else 0)
 *     return np.array(sc), np.array(lab)
 * ```
 */
export function scoresLabels(
  seed: number,
  n: number,
  decimals: number,
): { scores: Float64Array; labels: Uint8Array } {
  const g = parkMiller(seed);
  const scores = new Float64Array(n), labels = new Uint8Array(n);
  const f = 10 ** decimals;
  for (let i = 0; i < n; i++) {
    const u = g.next().value as number, v = g.next().value as number;
    const s = decimals ? Math.floor(u * f) / f : u;
    scores[i] = s;
    labels[i] = v < 0.2 + 0.6 * s ? 1 : 0;
  }
  return { scores, labels };
}

/**
 * Two clusterings that mostly agree.
 * ```python
 * def ari_labels(seed, n):
 *     g = park_miller(seed)
 *     a, b = [], []
 *     for _ in range(n):
 *         u = next(g); v = next(g); w = next(g)
 *         t = int(np.floor(u * 6))
 *         a.append(t)
 *         b.append((t * 5 + 3) % 7 if v < 0.7 else int(np.floor(w * 8)))
 *     return np.array(a), np.array(b)
 * ```
 */
export function ariLabels(seed: number, n: number): { a: Int32Array; b: Int32Array } {
  const g = parkMiller(seed);
  const a = new Int32Array(n), b = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = g.next().value as number, v = g.next().value as number, w = g.next().value as number;
    const t = Math.floor(u * 6);
    a[i] = t;
    b[i] = v < 0.7 ? (t * 5 + 3) % 7 : Math.floor(w * 8);
  }
  return { a, b };
}
