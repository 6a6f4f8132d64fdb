/**
 * Timing harness of the speed benchmarks: training steps and forward passes of our model on random inputs
 * (wall and CPU seconds per step, after a warm-up), the mean of two measurements, the machine's sgemm peak now,
 * and the process's peak RSS.
 *
 * @module
 */
import type { ModelConfig } from "../model/config.ts";
import { patchDim, tokensOf } from "../model/config.ts";
import { decays, PatchSimilarityModel } from "../model/model.ts";
import { activeBlas, cpuSeconds, openBlas, sgemmPeak } from "../native/mod.ts";
import { AdamW, ADAMW_DEFAULTS } from "../train/adamw.ts";
import { LOSS_DEFAULTS, sampleBatch } from "../train/loss.ts";
import { trainStepAsync } from "../train/step.ts";
import { Rng } from "../util/rng.ts";

/** Speed of one measurement of ours. */
export interface SpeedRun {
  pairsPerS: number;
  /** Wall seconds per step (a step = one batch). */
  wallSPerStep: number;
  /** CPU seconds of this process per step, all threads together (null where /proc is absent). */
  cpuSPerStep: number | null;
}

/** Times `steps` calls of `one` after `warmup` (at least 1) untimed ones. */
export async function measure(
  batch: number,
  steps: number,
  one: () => Promise<void>,
  warmup = 1,
): Promise<SpeedRun> {
  // warm-up: first-call costs (kernel set-up, heap growth, shader compilation on WebGPU)
  for (let w = 0; w < Math.max(1, warmup); w++) await one();
  const t0 = performance.now(), c0 = cpuSeconds();
  for (let s = 0; s < steps; s++) await one();
  const wall = (performance.now() - t0) / 1000, c1 = cpuSeconds();
  return {
    pairsPerS: (batch * steps) / wall,
    wallSPerStep: wall / steps,
    cpuSPerStep: c0 === null || c1 === null ? null : (c1 - c0) / steps,
  };
}

function randomPatches(cfg: ModelConfig, batch: number, rng: Rng): Float32Array {
  const v = new Float32Array(2 * batch * tokensOf(cfg) * patchDim(cfg));
  for (let i = 0; i < v.length; i++) v[i] = rng.float();
  return v;
}

/**
 * Times `steps` training steps (forward, backward, clipping, AdamW) of a fresh model of `cfg` on a random batch
 * of `batch` pairs, after one warm-up step.
 *
 * @example
 * ```ts
 * const r = await timeTrain(modelConfig("small"), 4, 5); // r.pairsPerS, r.cpuSPerStep
 * ```
 */
export async function timeTrain(cfg: ModelConfig, batch: number, steps: number, seed = 1): Promise<SpeedRun> {
  const model = PatchSimilarityModel.create(cfg, seed);
  const opt = new AdamW(model.params, ADAMW_DEFAULTS, decays);
  const N = tokensOf(cfg), rng = new Rng(seed).fork("bench-train");
  const patches = randomPatches(cfg, batch, rng);
  const labels = Int32Array.from({ length: batch * 2 * N }, () => rng.int(0, 24));
  const b = { pairs: batch, patches, labels };
  try {
    // The asynchronous step (one read of loss and gradient norm per step) runs on every backend, WebGPU included.
    return await measure(batch, steps, async () => {
      await trainStepAsync(
        model,
        opt,
        b,
        sampleBatch(labels, batch, LOSS_DEFAULTS, rng),
        1e-4,
        1,
        LOSS_DEFAULTS.tau,
      );
    });
  } finally {
    opt.dispose();
    model.dispose();
  }
}

/**
 * Times `steps` forward passes (`cosineBatch`: patchify, features, the pairs' Gram matrices, read back) of
 * `model` on `batch` random pairs, after one warm-up pass.
 *
 * @example
 * ```ts
 * const r = await timeInfer(model, 4, 10); // r.pairsPerS
 * ```
 */
export function timeInfer(
  model: PatchSimilarityModel,
  batch: number,
  steps: number,
  seed = 1,
  warmup = 1,
): Promise<SpeedRun> {
  const S = model.config.inputSize, rng = new Rng(seed).fork("bench-infer");
  const images = Array.from(
    { length: 2 * batch },
    () => Uint8Array.from({ length: S * S }, () => rng.int(0, 256)),
  );
  return measure(batch, steps, async () => void await model.cosineBatchAsync(images), warmup);
}

/** The mean of two measurements (pairs/s from the mean seconds per step). */
export function meanRun(a: SpeedRun, b: SpeedRun): SpeedRun {
  const wall = (a.wallSPerStep + b.wallSPerStep) / 2;
  const batch = a.pairsPerS * a.wallSPerStep; // pairs per step
  return {
    pairsPerS: batch / wall,
    wallSPerStep: wall,
    cpuSPerStep: a.cpuSPerStep === null || b.cpuSPerStep === null
      ? null
      : (a.cpuSPerStep + b.cpuSPerStep) / 2,
  };
}

/** Peak resident set (VmHWM) of this process in MB, or NaN where /proc is absent. */
export function peakRssMb(): number {
  try {
    const m = Deno.readTextFileSync("/proc/self/status").match(/VmHWM:\s+(\d+)\s+kB/);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The machine's sgemm peak now (GFLOP/s at 1024^3, about half a second), through the active library or a freshly
 * opened one; null without a BLAS library.
 *
 * @example
 * ```ts
 * const peak = measurePeak(); // e.g. 150.2, or null
 * ```
 */
export function measurePeak(): number | null {
  const blas = activeBlas() ?? openBlas().blas;
  return blas ? sgemmPeak(blas, 1024, 0.5) : null;
}

/** Median of a list (NaN for none). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
