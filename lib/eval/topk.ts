/**
 * Cross-image top-K accuracy: "the percentage of ground-truth matched patches whose true match appears among
 * the top-K most similar patches in the other image" (the paper), made precise:
 *
 * - queries: every labelled patch of a that has at least one patch of the same label in b (ranked against all
 *   N patches of b), and every labelled patch of b with a same-label patch in a (ranked against all N patches of
 *   a); both directions count, on the symmetric cross score C (see patch_samples.ts);
 * - candidates: all patches of the other image, ignored ones (line, background, letterbox padding) included,
 *   since the model cannot know which patches the ground truth ignores;
 * - a query is a hit at K when fewer than K non-matching candidates score >= its best true match (ties are
 *   broken against the true match, so constant scores do not score);
 * - accuracy = hits / queries.
 *
 * @module
 */
import { IGNORE } from "../data/patch_gt.ts";

/** Hit counts of one pair (or summed over pairs). */
export interface TopKCounts {
  /** Queries of both directions. */
  queries: number;
  /** hits[t]: queries whose true match is in the top ks[t]. */
  hits: number[];
  ks: number[];
}

function direction(
  c: Float32Array,
  n: number,
  transposed: boolean,
  qLabels: Int32Array,
  cLabels: Int32Array,
  ks: number[],
  out: TopKCounts,
): void {
  for (let q = 0; q < n; q++) {
    const lq = qLabels[q];
    if (lq === IGNORE) continue;
    // Best true-match score.
    let best = -Infinity, any = false;
    for (let j = 0; j < n; j++) {
      if (cLabels[j] !== lq) continue;
      const v = transposed ? c[j * n + q] : c[q * n + j];
      any = true;
      if (v > best) best = v;
    }
    if (!any) continue;
    out.queries++;
    let ahead = 0;
    for (let j = 0; j < n; j++) {
      if (cLabels[j] === lq) continue;
      const v = transposed ? c[j * n + q] : c[q * n + j];
      if (v >= best) ahead++;
    }
    for (let t = 0; t < ks.length; t++) if (ahead < ks[t]) out.hits[t]++;
  }
}

/**
 * Top-K hit counts of a pair from its [N, N] cross score C (rows a, columns b).
 *
 * @example
 * ```ts
 * const t = topKCounts(crossScores(S, n), n, labelsA, labelsB, [1, 5]);
 * const top1 = t.hits[0] / t.queries;
 * ```
 */
export function topKCounts(
  c: Float32Array,
  n: number,
  labelsA: Int32Array,
  labelsB: Int32Array,
  ks: number[] = [1, 5],
): TopKCounts {
  if (c.length !== n * n) throw new RangeError(`topKCounts: ${c.length} scores is not ${n}^2`);
  if (labelsA.length !== n || labelsB.length !== n) {
    throw new RangeError(`topKCounts: labels must have ${n} entries`);
  }
  const out: TopKCounts = { queries: 0, hits: ks.map(() => 0), ks: [...ks] };
  direction(c, n, false, labelsA, labelsB, ks, out);
  direction(c, n, true, labelsB, labelsA, ks, out);
  return out;
}
