/**
 * Learning-rate schedule: linear warm-up from 0, then cosine decay to `minFactor` of the peak (the release's
 * shape: 10% warm-up, cosine to 0.01-0.02x).
 *
 * @module
 */

/** Schedule options. */
export interface ScheduleOptions {
  /** Peak learning rate. */
  lr: number;
  /** Total optimiser steps. */
  steps: number;
  /** Warm-up steps (linear from lr / warmup to lr). */
  warmup: number;
  /** Final learning rate as a fraction of the peak. */
  minFactor: number;
}

/**
 * Learning rate at step `t` (0-based).
 *
 * @example
 * ```ts
 * learningRate(0, { lr: 5e-4, steps: 1000, warmup: 50, minFactor: 0.01 }); // 1e-5
 * ```
 */
export function learningRate(t: number, o: ScheduleOptions): number {
  if (t < o.warmup) return (o.lr * (t + 1)) / o.warmup;
  const span = Math.max(1, o.steps - o.warmup);
  const progress = Math.min(1, (t - o.warmup) / span);
  const min = o.lr * o.minFactor;
  return min + 0.5 * (o.lr - min) * (1 + Math.cos(Math.PI * progress));
}
