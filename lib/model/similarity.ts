/**
 * The contract between the model and everything after it: the model turns two line-art images into a
 * [2N, 2N] similarity matrix over their patches, and post-processing, matching and evaluation read it through
 * the functions here. Pure typed arrays; no tensors.
 *
 * Layout: rows and columns 0..N-1 are image a's patches (row-major over the grid), N..2N-1 image b's, so the
 * matrix holds the blocks
 * ```
 *   [ S_aa  S_ab ]
 *   [ S_ba  S_bb ]
 * ```
 *
 * @module
 */
import type { Letterbox } from "../image/letterbox.ts";

/** What the model returns for a pair. */
export interface PairSimilarity {
  /** Patches per side of the square grid (the model input side / patch size). */
  grid: number;
  /** Patches per image, grid * grid. */
  n: number;
  /** Patch side in model-input pixels. */
  patch: number;
  /** Cosine similarity of the L2-normalised final features, [2N, 2N] row-major. */
  cosine: Float32Array;
  /** How each original image sits in the model input (maps patches to original pixels). */
  boxA: Letterbox;
  boxB: Letterbox;
}

/** The final tokens of a pair, before or after L2 normalisation (for pooling into coarser patches). */
export interface PairTokens {
  /** [2N, d] row-major: image a's N tokens then image b's, each row-major over the grid. */
  tokens: Float32Array;
  /** Token width d. */
  dim: number;
  /** Patches per side of each image's grid (N = grid^2). */
  grid: number;
  /** Patch side in model-input pixels. */
  patch: number;
  boxA: Letterbox;
  boxB: Letterbox;
  /** false: the tokens before L2 normalisation (what the release pools); true: already L2-normalised features. */
  normalized: boolean;
}

/** Score transforms from cosine to [0, 1]. */
export type ScoreKind = "sigmoid" | "softmax";

/**
 * Scores in [0, 1] from cosine similarities.
 * - `sigmoid`: sigmoid(cosine), elementwise (the official release's inference scores; its thresholds 0.72 for
 *   merging and 0.6 for matching sit on this scale).
 * - `softmax`: the paper's row-wise softmax of cosine / tau over all 2N columns (rows sum to 1).
 *
 * @example
 * ```ts
 * const s = scoreMatrix(sim.cosine, 2 * sim.n, "sigmoid");
 * ```
 */
export function scoreMatrix(cosine: Float32Array, size: number, kind: ScoreKind, tau = 0.07): Float32Array {
  if (cosine.length !== size * size) {
    throw new RangeError(`scoreMatrix: ${cosine.length} values is not ${size}^2`);
  }
  const out = new Float32Array(cosine.length);
  if (kind === "sigmoid") {
    for (let i = 0; i < cosine.length; i++) out[i] = 1 / (1 + Math.exp(-cosine[i]));
    return out;
  }
  for (let r = 0; r < size; r++) {
    const o = r * size;
    let m = -Infinity;
    for (let c = 0; c < size; c++) m = Math.max(m, cosine[o + c] / tau);
    let z = 0;
    for (let c = 0; c < size; c++) {
      const e = Math.exp(cosine[o + c] / tau - m);
      out[o + c] = e;
      z += e;
    }
    for (let c = 0; c < size; c++) out[o + c] /= z;
  }
  return out;
}

/** Which block of the [2N, 2N] matrix. */
export type Block = "aa" | "ab" | "ba" | "bb";

/**
 * Copies one N x N block out of a [2N, 2N] matrix: `ab` holds similarities from a's patches (rows) to b's
 * (columns), `ba` from b's to a's.
 */
export function block(m: Float32Array, n: number, which: Block): Float32Array {
  const size = 2 * n;
  if (m.length !== size * size) throw new RangeError(`block: ${m.length} values is not (2*${n})^2`);
  const r0 = which[0] === "a" ? 0 : n, c0 = which[1] === "a" ? 0 : n;
  const out = new Float32Array(n * n); // [N, N]
  for (let r = 0; r < n; r++) out.set(m.subarray((r0 + r) * size + c0, (r0 + r) * size + c0 + n), r * n);
  return out;
}
