/**
 * The samples of the patch-level evaluation (the paper's Table 1), read from the [2N, 2N] score matrix S of a
 * pair (layout in lib/model/similarity.ts) and the patch labels of both images (IGNORE = -1 excluded):
 *
 * - intra-image a: every ordered pair (i, j) of labelled patches of a with i != j, score S_aa[i, j], positive
 *   when their labels agree (b likewise with S_bb). Both orders are kept: for the symmetric sigmoid scores this
 *   weights every unordered pair twice, which leaves the curve unchanged; for row-softmax scores the two
 *   orders are different scores.
 * - cross-image: every pair (i in a, j in b) of labelled patches once, score (S_ab[i, j] + S_ba[j, i]) / 2 (the
 *   official release's symmetric cross score; for sigmoid scores S_ba = S_abᵀ and this is S_ab[i, j]).
 *
 * @module
 */
import { IGNORE } from "../data/patch_gt.ts";

/** Scores and 0/1 labels of one sample set. */
export interface Samples {
  scores: Float32Array;
  labels: Uint8Array;
}

function check(s: Float32Array, n: number, labels: Int32Array[]): void {
  if (s.length !== 4 * n * n) {
    throw new RangeError(`patch samples: score matrix has ${s.length} values, not (2*${n})^2`);
  }
  for (const l of labels) {
    if (l.length !== n) throw new RangeError(`patch samples: ${l.length} patch labels for ${n} patches`);
  }
}

function labelledIndices(labels: Int32Array): Int32Array {
  let k = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] !== IGNORE) k++;
  const out = new Int32Array(k);
  for (let i = 0, j = 0; i < labels.length; i++) if (labels[i] !== IGNORE) out[j++] = i;
  return out;
}

/**
 * Intra-image samples of image a (`side` "a") or b: ordered pairs of distinct labelled patches.
 *
 * @example
 * ```ts
 * const { scores, labels } = intraSamples(S, n, labelsA, "a");
 * ```
 */
export function intraSamples(s: Float32Array, n: number, labels: Int32Array, side: "a" | "b"): Samples {
  check(s, n, [labels]);
  const idx = labelledIndices(labels);
  const m = idx.length, size = 2 * n, off = side === "a" ? 0 : n;
  const scores = new Float32Array(m * (m - 1 > 0 ? m - 1 : 0));
  const lab = new Uint8Array(scores.length);
  let k = 0;
  for (let u = 0; u < m; u++) {
    const i = idx[u], li = labels[i], row = (off + i) * size + off;
    for (let v = 0; v < m; v++) {
      if (v === u) continue;
      const j = idx[v];
      scores[k] = s[row + j];
      lab[k++] = labels[j] === li ? 1 : 0;
    }
  }
  return { scores, labels: lab };
}

/**
 * The symmetric cross score C[i, j] = (S_ab[i, j] + S_ba[j, i]) / 2, [N, N] with a's patches as rows.
 */
export function crossScores(s: Float32Array, n: number): Float32Array {
  if (s.length !== 4 * n * n) throw new RangeError(`crossScores: ${s.length} values is not (2*${n})^2`);
  const size = 2 * n;
  const c = new Float32Array(n * n); // [N, N]
  for (let i = 0; i < n; i++) {
    const ab = i * size + n;
    for (let j = 0; j < n; j++) c[i * n + j] = (s[ab + j] + s[(n + j) * size + i]) / 2;
  }
  return c;
}

/**
 * Cross-image samples: each pair of a labelled patch of a and a labelled patch of b once, scored by
 * {@link crossScores}, positive when their labels agree.
 */
export function crossSamples(s: Float32Array, n: number, labelsA: Int32Array, labelsB: Int32Array): Samples {
  check(s, n, [labelsA, labelsB]);
  return crossSamplesFrom(crossScores(s, n), n, labelsA, labelsB);
}

/** {@link crossSamples} from an already computed [N, N] cross score. */
export function crossSamplesFrom(
  c: Float32Array,
  n: number,
  labelsA: Int32Array,
  labelsB: Int32Array,
): Samples {
  const ia = labelledIndices(labelsA), ib = labelledIndices(labelsB);
  const scores = new Float32Array(ia.length * ib.length);
  const lab = new Uint8Array(scores.length);
  let k = 0;
  for (const i of ia) {
    const li = labelsA[i], row = i * n;
    for (const j of ib) {
      scores[k] = c[row + j];
      lab[k++] = labelsB[j] === li ? 1 : 0;
    }
  }
  return { scores, labels: lab };
}
