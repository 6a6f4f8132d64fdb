/**
 * `deno task train`: trains the patch-similarity model on PBC-layout datasets, or resumes a run.
 *
 * @module
 */
import { BACKEND_KINDS, type BackendKind, initBackend } from "../model/backend.ts";
import { PRESETS } from "../model/config.ts";
import { LOSS_DEFAULTS } from "../train/loss.ts";
import { train, TRAIN_DEFAULTS } from "../train/loop.ts";
import { choice, num, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";

const D = TRAIN_DEFAULTS;

/** Runs the command with `args`. */
export async function trainCommand(args: string[]): Promise<void> {
  const a = parseCommand(args, {
    name: "train",
    summary:
      "train the patch-similarity model (ViT + Multiplex Transformer) with the sampled contrastive loss",
    usage: "deno task train --data DIR[,DIR...] --out experiments/<run> [options]",
    options: {
      data: { type: "string", help: "dataset folders in the PBC layout, comma-separated" },
      out: { type: "string", help: "run folder (log, checkpoints, weights)" },
      preset: {
        type: "string",
        help: `model preset (${Object.keys(PRESETS).join(", ")})`,
        default: D.preset,
      },
      model: { type: "string", help: 'JSON overrides of the preset, e.g. \'{"dim":64,"vitLayers":2}\'' },
      steps: { type: "string", help: "optimiser steps", default: String(D.steps) },
      batch: { type: "string", help: "pairs per step", default: String(D.batch) },
      lr: { type: "string", help: "peak learning rate", default: String(D.lr) },
      "weight-decay": {
        type: "string",
        help: "AdamW decoupled weight decay",
        default: String(D.weightDecay),
      },
      warmup: { type: "string", help: "warm-up fraction of the steps", default: String(D.warmupFraction) },
      seed: {
        type: "string",
        help: "seed of the initialisation, data order, sampling",
        default: String(D.seed),
      },
      "val-fraction": {
        type: "string",
        help: "fraction of characters held out",
        default: String(D.valFraction),
      },
      "val-pairs": { type: "string", help: "validation pairs per evaluation", default: String(D.valPairs) },
      "val-every": { type: "string", help: "validate every N steps", default: String(D.valEvery) },
      "ckpt-every": { type: "string", help: "checkpoint every N steps", default: String(D.ckptEvery) },
      positives: {
        type: "string",
        help: "sampled positives per pair",
        default: String(LOSS_DEFAULTS.positives),
      },
      negatives: { type: "string", help: "negatives per positive", default: String(LOSS_DEFAULTS.negatives) },
      tau: { type: "string", help: "softmax temperature", default: String(LOSS_DEFAULTS.tau) },
      gap: {
        type: "string",
        help: "frame gap of pairs when a dataset has no pairs.csv",
        default: String(D.gap),
      },
      "no-augment": {
        type: "boolean",
        help: "no augmentation at all (swap, pair mirror, warps, line thickness, gaps)",
      },
      "augment-ramp": {
        type: "string",
        help: "share of the run over which the augmentation probabilities rise from 0 (0: full from step 0)",
        default: String(D.augmentRamp),
      },
      init: { type: "string", help: "start from the weights in this folder (matching parameters)" },
      resume: { type: "boolean", help: "continue the run in --out from its last checkpoint" },
      force: { type: "boolean", help: "replace an existing run folder" },
      backend: { type: "string", help: `tfjs backend (${BACKEND_KINDS.join("|")})`, default: "auto" },
      blas: { type: "string", help: "native BLAS under wasm (auto|off)", default: "auto" },
      kernels: { type: "string", help: "kernel flavour (auto|fast|tf)", default: "auto" },
    },
    examples: [
      "deno task train --data data/train-clean,data/train-hand --out experiments/small-v1",
      "deno task train --data data/train-clean,data/train-hand --out experiments/small-v1 --resume",
    ],
  });
  const data = str(a, "data", true).split(",").map((s) => s.trim()).filter(Boolean);
  const out = str(a, "out", true);
  const preset = str(a, "preset") ?? D.preset;
  if (!PRESETS[preset]) {
    throw new UserError(`--preset must be one of ${Object.keys(PRESETS).join("|")}, got "${preset}"`);
  }
  let model: Record<string, unknown> = {};
  const mj = str(a, "model");
  if (mj) {
    try {
      model = JSON.parse(mj);
    } catch {
      throw new UserError(`--model must be a JSON object, got ${JSON.stringify(mj)}`);
    }
    if (typeof model !== "object" || model === null || Array.isArray(model)) {
      throw new UserError(`--model must be a JSON object`);
    }
  }
  const backend = choice(a, "backend", BACKEND_KINDS, "auto") as BackendKind;
  const blas = choice(a, "blas", ["auto", "off"] as const, "auto");
  const kernels = choice(a, "kernels", ["auto", "fast", "tf"] as const, "auto");
  await initBackend({ backend, blas, kernels });
  const s = await train({
    data,
    out,
    preset,
    model,
    steps: num(a, "steps", { def: D.steps, min: 1, integer: true }),
    batch: num(a, "batch", { def: D.batch, min: 1, integer: true }),
    lr: num(a, "lr", { def: D.lr, min: 0 }),
    weightDecay: num(a, "weight-decay", { def: D.weightDecay, min: 0 }),
    warmupFraction: num(a, "warmup", { def: D.warmupFraction, min: 0, max: 1 }),
    seed: num(a, "seed", { def: D.seed, integer: true }),
    valFraction: num(a, "val-fraction", { def: D.valFraction, min: 0, max: 0.9 }),
    valPairs: num(a, "val-pairs", { def: D.valPairs, min: 0, integer: true }),
    valEvery: num(a, "val-every", { def: D.valEvery, min: 1, integer: true }),
    ckptEvery: num(a, "ckpt-every", { def: D.ckptEvery, min: 1, integer: true }),
    loss: {
      positives: num(a, "positives", { def: LOSS_DEFAULTS.positives, min: 1, integer: true }),
      negatives: num(a, "negatives", { def: LOSS_DEFAULTS.negatives, min: 1, integer: true }),
      tau: num(a, "tau", { def: LOSS_DEFAULTS.tau, min: 1e-4 }),
    },
    gap: num(a, "gap", { def: D.gap, min: 1, integer: true }),
    augment: !a.values["no-augment"],
    augmentRamp: num(a, "augment-ramp", { def: D.augmentRamp, min: 0, max: 1 }),
    init: str(a, "init"),
    resume: !!a.values.resume,
    force: !!a.values.force,
  });
  const v = s.val;
  console.log(
    `done: ${s.steps} steps, final loss ${s.finalLoss.toFixed(4)}` +
      (v
        ? `, validation cross AP ${(100 * v.val_ap!).toFixed(2)}% top-1 ${
          (100 * v.val_top1!).toFixed(2)
        }% (${v.val_pairs} pairs)`
        : "") +
      `; weights in ${s.out}/model.json`,
  );
}

if (import.meta.main) runMain(() => trainCommand(Deno.args));
