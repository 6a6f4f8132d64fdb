/**
 * Training the patch-similarity model: sampled contrastive loss, AdamW, schedule, checkpoints, the loop.
 *
 * @example
 * ```ts
 * import { initBackend } from "../model/mod.ts";
 * import { train } from "./mod.ts";
 * await initBackend();
 * await train({ data: ["data/train-clean"], out: "experiments/run1", steps: 200 });
 * ```
 *
 * @module
 */
export * from "./adamw.ts";
export * from "./augment.ts";
export * from "./augment_cost.ts";
export * from "./family_val.ts";
export * from "./checkpoint.ts";
export * from "./loss.ts";
export * from "./loop.ts";
export * from "./schedule.ts";
export * from "./step.ts";
export { TOY_DEFAULTS, type ToyOptions, writeToyDataset } from "./fixture.ts";
