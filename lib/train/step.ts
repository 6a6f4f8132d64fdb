/**
 * One optimisation step: forward to features, sampled contrastive loss, gradients, global-norm clipping, AdamW.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "../model/batch.ts";
import { patchDim, tokensOf } from "../model/config.ts";
import type { PatchSimilarityModel } from "../model/model.ts";
import type { AdamW } from "./adamw.ts";
import { clipGlobalNorm, globalNormSquared, scaleToNorm } from "./adamw.ts";
import { gpuGuard } from "../model/webgpu.ts";
import { contrastiveLoss, type LossSample } from "./loss.ts";

export type { Batch } from "../model/batch.ts";

/** What a step reports. */
export interface StepResult {
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/** The batch's patches as the model's input tensor, [2 * pairs * N, patchDim] (the caller disposes it). */
function batchInput(model: PatchSimilarityModel, batch: Batch): tf.Tensor2D {
  const c = model.config;
  return tf.tensor2d(batch.patches, [2 * batch.pairs * tokensOf(c), patchDim(c)]);
}

/**
 * The loss (a scalar tensor) and the gradients keyed by parameter name, for one batch; the one forward and
 * backward both step forms share. The caller disposes `value` and every gradient.
 */
function lossAndGrads(
  model: PatchSimilarityModel,
  x: tf.Tensor2D,
  batch: Batch,
  sample: LossSample,
  tau: number,
): { value: tf.Scalar; g: Map<string, tf.Tensor> } {
  const byVar = new Map<string, string>();
  for (const [name, v] of model.params) byVar.set(v.name, name);
  const { value, grads } = tf.variableGrads(
    () => contrastiveLoss(model.features(x, 2 * batch.pairs), sample, batch.pairs, tau),
    model.variables(),
  );
  const g = new Map<string, tf.Tensor>();
  for (const [vn, t] of Object.entries(grads)) g.set(byVar.get(vn)!, t);
  return { value, g };
}

/**
 * Runs one step and returns the loss. Leaves no tensors behind.
 *
 * @example
 * ```ts
 * const { loss } = trainStep(model, opt, batch, sampleBatch(batch.labels, batch.pairs, LOSS_DEFAULTS, rng), 1e-4, 1.0, 0.07);
 * ```
 */
export function trainStep(
  model: PatchSimilarityModel,
  opt: AdamW,
  batch: Batch,
  sample: LossSample,
  lr: number,
  clip: number,
  tau: number,
): StepResult {
  const x = batchInput(model, batch);
  let loss = 0, gradNorm = 0;
  try {
    const { value, g } = lossAndGrads(model, x, batch, sample, tau);
    loss = value.dataSync()[0];
    value.dispose();
    gradNorm = clipGlobalNorm(g, clip);
    if (Number.isFinite(gradNorm)) opt.apply(g, lr);
    for (const t of g.values()) t.dispose();
  } finally {
    x.dispose();
  }
  return { loss, gradNorm };
}

/**
 * {@link trainStep} with asynchronous reads: the form for every backend, WebGPU included (synchronous reads fail
 * there). The loss and the squared gradient norm are read back together, once per step; the same arithmetic
 * as {@link trainStep}, so the two give the same numbers on one backend. A GPU out-of-memory becomes one error
 * line naming the batch size.
 *
 * @example
 * ```ts
 * const { loss } = await trainStepAsync(model, opt, batch, sample, 1e-4, 1.0, 0.07);
 * ```
 */
export async function trainStepAsync(
  model: PatchSimilarityModel,
  opt: AdamW,
  batch: Batch,
  sample: LossSample,
  lr: number,
  clip: number,
  tau: number,
): Promise<StepResult> {
  return await gpuGuard(`a training step at batch ${batch.pairs} pairs`, async () => {
    const x = batchInput(model, batch);
    let g = new Map<string, tf.Tensor>();
    try {
      const r = lossAndGrads(model, x, batch, sample, tau);
      const value = r.value;
      g = r.g;
      const sq = globalNormSquared(g);
      const both = tf.tidy(() => tf.stack([value, sq]));
      value.dispose();
      sq.dispose();
      const read = await both.data();
      both.dispose();
      const loss = read[0], gradNorm = Math.sqrt(read[1]);
      scaleToNorm(g, gradNorm, clip);
      if (Number.isFinite(gradNorm)) opt.apply(g, lr);
      return { loss, gradNorm };
    } finally {
      for (const t of g.values()) t.dispose();
      x.dispose();
    }
  });
}
