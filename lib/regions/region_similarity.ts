/**
 * Region similarity from patch similarity (the paper's eq. 5):
 * `s(R_i, R_j) = 1 / (|R_i| |R_j|) * sum_{p in R_i} sum_{q in R_j} S[p, q]`, the mean patch similarity
 * between the two regions' patches. It is directional: s(a -> b) reads S_ab, s(b -> a) reads S_ba.
 *
 * Regions are given as a {@link Membership}: with a majority vote (`membershipFromVote`) every patch belongs
 * to one region with equal weight and this is eq. 5 exactly; with pixel shares (`membershipFromPixels`) it is
 * the same mean weighted by how much of each region lies in each patch, which gives regions smaller than a
 * patch (eyes, highlights) a similarity at all.
 *
 * It lives in `regions/` because the hybrid segmentation (`segment.ts`) groups regions by it before any matching;
 * `match/region_similarity.ts` re-exports it.
 *
 * @module
 */
import type { Membership } from "./vote.ts";

/**
 * Region-by-region similarity, [(countA + 1) * (countB + 1)] indexed by region id (row/column 0 and rows or
 * columns of regions without patches are NaN).
 *
 * @param s a block of the score matrix, [n, n]: rows are `from`'s patches, columns `to`'s
 * @example
 * ```ts
 * const simAB = regionSimilarity(block(S, n, "ab"), n, membA, membB); // simAB[i * (membB.count + 1) + j]
 * const simBA = regionSimilarity(block(S, n, "ba"), n, membB, membA);
 * ```
 */
export function regionSimilarity(s: Float32Array, n: number, from: Membership, to: Membership): Float32Array {
  if (s.length !== n * n) throw new RangeError(`regionSimilarity: ${s.length} values is not ${n}^2`);
  const ra = from.count, rb = to.count, cols = rb + 1;
  const out = new Float32Array((ra + 1) * cols).fill(NaN);
  const t = new Float64Array(n);
  for (let i = 1; i <= ra; i++) {
    const i0 = from.offsets[i], i1 = from.offsets[i + 1];
    if (i1 <= i0) continue;
    t.fill(0);
    // t[q] = sum_p w_ip * S[p, q]
    for (let k = i0; k < i1; k++) {
      const row = from.patch[k] * n, w = from.weight[k];
      for (let q = 0; q < n; q++) t[q] += w * s[row + q];
    }
    for (let j = 1; j <= rb; j++) {
      const j0 = to.offsets[j], j1 = to.offsets[j + 1];
      if (j1 <= j0) continue;
      let v = 0;
      for (let k = j0; k < j1; k++) v += to.weight[k] * t[to.patch[k]];
      out[i * cols + j] = v;
    }
  }
  return out;
}
