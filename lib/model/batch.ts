/**
 * The model's training batch: pairs of drawings as patch vectors, in the order the model reads them, with the
 * patch labels the loss samples from. `data/` builds it (`data/batch.ts`), `train/` consumes it (`train/step.ts`
 * re-exports it); it lives here, below both, so that neither has to import the other.
 *
 * @module
 */

/**
 * One batch of interleaved pairs, ready for the model.
 *
 * @example
 * ```ts
 * const batch: Batch = { pairs: 1, patches: new Float32Array(2 * n * p), labels: new Int32Array(2 * n) };
 * ```
 */
export interface Batch {
  /** Pairs in the batch. */
  pairs: number;
  /** Patch vectors [2 * pairs * N, P] (images a0, b0, a1, b1, ...). */
  patches: Float32Array;
  /** Patch labels [pairs * 2N] (pair p: a's N labels, then b's). */
  labels: Int32Array;
}
