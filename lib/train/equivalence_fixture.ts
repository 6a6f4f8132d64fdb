/**
 * The toy training task that the backend-equivalence tests share (native vs stock kernels, WebGPU vs wasm): a
 * small model config, its loss settings, and four batches of a learnable task, so that two paths can be run from
 * the same weights, data and samples and their losses compared step by step.
 *
 * @module
 */
import { modelConfig, patchDim, tokensOf } from "../model/config.ts";
import { Rng } from "../util/rng.ts";
import type { LossOptions } from "./loss.ts";
import type { Batch } from "./step.ts";

/** A model small enough for many steps in a test: 64x64 input, 8 px patches, one ViT and one Multiplex layer. */
export const EQUIVALENCE_CONFIG = modelConfig("small", {
  inputSize: 64,
  patch: 8,
  dim: 32,
  heads: 2,
  vitLayers: 1,
  mtLayers: 1,
});
/** Pairs per batch. */
export const EQUIVALENCE_PAIRS = 2;
/** Loss samples per pair (smaller than the release's, for the small token count). */
export const EQUIVALENCE_LOSS: LossOptions = { positives: 32, negatives: 16, tau: 0.07 };

/**
 * A learnable toy task: 6 labels, each with a prototype patch vector; a patch is its label's prototype plus
 * noise, so same-label patches look alike and the loss can fall. Four batches, to be cycled.
 *
 * @example
 * ```ts
 * const batches = prototypeBatches(1); // 4 batches of EQUIVALENCE_PAIRS pairs
 * ```
 */
export function prototypeBatches(seed: number): Batch[] {
  const cfg = EQUIVALENCE_CONFIG, PAIRS = EQUIVALENCE_PAIRS;
  const rng = new Rng(seed).fork("equivalence-data");
  const N = tokensOf(cfg), P = patchDim(cfg), labels = 6;
  const proto = Array.from({ length: labels }, () => Float32Array.from({ length: P }, () => rng.float()));
  return Array.from({ length: 4 }, () => {
    const lab = Int32Array.from({ length: PAIRS * 2 * N }, () => rng.int(0, labels));
    const patches = new Float32Array(2 * PAIRS * N * P);
    // Labels are [pairs, 2N] (a's N, then b's); patches are images a0, b0, a1, b1 (same order, flattened).
    for (let t = 0; t < lab.length; t++) {
      const p = proto[lab[t]];
      for (let j = 0; j < P; j++) patches[t * P + j] = p[j] + 1.5 * rng.normal();
    }
    return { pairs: PAIRS, patches, labels: lab };
  });
}
