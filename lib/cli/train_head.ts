/**
 * `deno task train:head`: trains the learned region head (self + cross attention over region tokens,
 * lib/match/region_head.ts) for one backbone on a generated dataset's exact labels, and writes it as a small
 * weights folder (head.json + weights.bin + config.json). The work is lib/train/region_head_run.ts.
 *
 * @module
 */
import { runTrainHead } from "../train/region_head_run.ts";
import { TRAIN_HEAD_DEFAULTS } from "../train/region_head.ts";
import { REGION_HEAD_DEFAULTS } from "../match/region_head.ts";
import { commandLine } from "../bench/record.ts";
import { num, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { existsSync } from "../util/fs.ts";
import { Progress } from "../util/progress.ts";

const D = TRAIN_HEAD_DEFAULTS;

/** Default number of training pairs (spread over the dataset's list). */
export const TRAIN_HEAD_PAIRS = 400;

/** Runs the command with `argv`. */
export async function trainHeadCommand(argv: string[]): Promise<void> {
  const a = parseCommand(argv, {
    name: "train:head",
    summary: "train the region head (self + cross attention over region tokens) for a backbone",
    usage: "deno task train:head --model DIR --data ROOT --out DIR [options]",
    options: {
      model: { type: "string", help: "backbone folder (model.json + weights.bin)" },
      data: { type: "string", help: "generated training dataset (PBC layout with json_index labels)" },
      out: { type: "string", help: "head folder to write (head.json, weights.bin, config.json)" },
      pairs: {
        type: "string",
        help: "training pairs, spread over the list",
        default: String(TRAIN_HEAD_PAIRS),
      },
      epochs: { type: "string", help: "passes over the pairs", default: String(D.epochs) },
      lr: { type: "string", help: "peak learning rate", default: String(D.lr) },
      batch: { type: "string", help: "pairs per step", default: String(D.batch) },
      dim: { type: "string", help: "head width", default: String(REGION_HEAD_DEFAULTS.dim) },
      layers: {
        type: "string",
        help: "self + cross layer pairs",
        default: String(REGION_HEAD_DEFAULTS.layers),
      },
      seed: { type: "string", help: "seed (initialisation, order, side swaps)", default: String(D.seed) },
      backend: { type: "string", help: "tfjs backend: auto, wasm or cpu", default: "auto" },
      resume: {
        type: "boolean",
        help: "continue an interrupted run (cached samples, last epoch's checkpoint)",
      },
      force: { type: "boolean", help: "replace an existing --out folder" },
    },
    examples: [
      "deno task train:head --model experiments/small-v1 --data data/train-mix --out experiments/region-head-v1",
    ],
  });
  const modelDir = str(a, "model", true), data = str(a, "data", true), out = str(a, "out", true);
  if (!existsSync(`${modelDir}/model.json`)) {
    throw new UserError("not a model folder (no model.json)", modelDir);
  }
  if (!existsSync(data)) throw new UserError("dataset folder not found", data);
  if (!a.values.force && !a.values.resume && existsSync(out)) {
    throw new UserError("already exists; pass --force to overwrite it (or --resume)", out);
  }
  const m = await import("../model/mod.ts");
  const backend = str(a, "backend") ?? "auto";
  const kind = m.BACKEND_KINDS.find((k) => k === backend);
  if (!kind) throw new UserError(`--backend must be one of ${m.BACKEND_KINDS.join("|")}, got ${backend}`);
  await m.initBackend({ backend: kind });
  const model = await m.loadModel(modelDir);
  const config = {
    ...REGION_HEAD_DEFAULTS,
    tokenDim: model.config.dim,
    dim: num(a, "dim", { min: 4, integer: true }),
    layers: num(a, "layers", { min: 0, integer: true }),
  };
  if (config.dim % config.heads !== 0) throw new UserError(`--dim must be a multiple of ${config.heads}`);
  const options = {
    ...D,
    epochs: num(a, "epochs", { min: 1, integer: true }),
    lr: num(a, "lr", { min: 0 }),
    batch: num(a, "batch", { min: 1, integer: true }),
    seed: num(a, "seed", { integer: true }),
  };
  const pairs = num(a, "pairs", { min: 2, integer: true });
  let bar: Progress | null = null;
  try {
    const report = await runTrainHead({
      model,
      modelDir,
      data,
      out,
      pairs,
      config,
      options,
      force: !!a.values.force,
      resume: !!a.values.resume,
      command: commandLine("train:head", argv),
      onSample: (done, total) => {
        bar ??= new Progress({ total, label: "train:head samples", unit: "pairs" });
        bar.set(done);
      },
      onStep: (i) => {
        if (i.step === 1 || !bar || bar.label !== "train:head") {
          void bar?.done();
          bar = new Progress({ total: i.steps, label: "train:head", unit: "steps" });
        }
        const v = i.val
          ? ` | epoch ${i.epoch} held-out loss ${i.val.loss.toFixed(3)} acc ${
            (100 * i.val.accuracy).toFixed(1)
          }%`
          : "";
        bar.set(i.step, `loss ${i.loss.toFixed(3)} lr ${i.lr.toExponential(1)}${v}`);
        if (i.val) {
          console.error(
            `\nepoch ${i.epoch}: held-out loss ${i.val.loss.toFixed(3)}, target regions right ${
              (100 * i.val.accuracy).toFixed(1)
            }%`,
          );
        }
      },
    });
    await (bar as Progress | null)?.done();
    const ho = report.heldOut;
    console.log(
      `wrote ${out}: ${report.samples} pairs${report.cached ? " (cached samples)" : ""}, samples ${
        report.seconds.samples.toFixed(0)
      } s, training ${report.seconds.training.toFixed(0)} s` +
        (ho
          ? `; held-out loss ${ho.loss.toFixed(3)}, target regions right ${(100 * ho.accuracy).toFixed(1)}%`
          : ""),
    );
  } finally {
    model.dispose();
  }
}

if (import.meta.main) runMain(() => trainHeadCommand(Deno.args));
