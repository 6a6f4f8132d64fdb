/**
 * `deno task bench:train`: parses the options, runs lib/bench's training benchmark (`runTrainBench`: ours
 * against the PyTorch peer at 2 and 1 threads, GFLOP/s against the sgemm peak, peak RSS) and prints its table
 * and, last, one JSON line; `--record` also writes the figures to `experiments/bench/train.json` with date,
 * machine and command.
 *
 * @module
 */
import { commandLine, loadAverage, recordPath, writeBenchRecord } from "../bench/record.ts";
import { runTrainBench } from "../bench/train.ts";
import { benchReport, formatTable } from "../bench/train_report.ts";
import { BACKEND_KINDS, type BackendKind } from "../model/backend.ts";
import { modelConfig, PRESETS } from "../model/config.ts";
import { choice, num, parseCommand, runMain } from "../util/cli.ts";
import { guardOutput } from "../util/fs.ts";

/** Runs the command. */
export async function benchTrainCommand(args: string[]): Promise<void> {
  const a = parseCommand(args, {
    name: "bench:train",
    summary: "train and inference pairs/s of the small preset vs the PyTorch peer at 2 and 1 threads (same " +
      "shape, same run; ratios against each and the best), GFLOP/s against the sgemm peak, peak RSS at batch 8",
    usage: "deno task bench:train [--batch 4] [--steps 5] [--infer-steps 10] [--blas auto|off] " +
      "[--kernels auto|fast|tf] [--compare] [--record [--force]]",
    options: {
      batch: {
        type: "string",
        help: "pairs per step, ours and the peer's (the peer's default is 4)",
        default: "4",
      },
      preset: {
        type: "string",
        help: `model preset (${Object.keys(PRESETS).join("|")}; the peer runs at small's shape only)`,
        default: "small",
      },
      steps: { type: "string", help: "timed training steps per measurement (after 1 warm-up)", default: "5" },
      "infer-steps": {
        type: "string",
        help: "timed forward passes per measurement (after 1 warm-up)",
        default: "10",
      },
      backend: { type: "string", help: `tfjs backend (${BACKEND_KINDS.join("|")})`, default: "auto" },
      blas: { type: "string", help: "native BLAS under wasm (auto|off)", default: "auto" },
      kernels: {
        type: "string",
        help: "kernel flavour (auto|fast|tf; auto: fast on stock wasm, tf on native)",
        default: "auto",
      },
      compare: {
        type: "boolean",
        help: "time our two paths in one run: stock wasm kernels, then native BLAS (wasm only)",
      },
      peer: { type: "string", help: "run the PyTorch peer (yes|no)", default: "yes" },
      record: {
        type: "boolean",
        help: "also write the figures to experiments/bench/train.json (date, machine, command)",
      },
      force: { type: "boolean", help: "with --record: replace an existing record" },
    },
    examples: [
      "deno task bench:train",
      "deno task bench:train --compare --record",
      "deno task bench:train --blas off --kernels fast --steps 3",
    ],
  });
  const loadStart = loadAverage();
  const record = a.values.record === true;
  if (record) await guardOutput(recordPath("train"), { force: a.values.force === true });
  const figures = await runTrainBench({
    cfg: modelConfig(choice(a, "preset", Object.keys(PRESETS), "small")),
    batch: num(a, "batch", { def: 4, min: 1, integer: true }),
    steps: num(a, "steps", { def: 5, min: 1, integer: true }),
    inferSteps: num(a, "infer-steps", { def: 10, min: 1, integer: true }),
    backend: choice(a, "backend", BACKEND_KINDS, "auto") as BackendKind,
    blas: choice(a, "blas", ["auto", "off"] as const, "auto"),
    kernels: choice(a, "kernels", ["auto", "fast", "tf"] as const, "auto"),
    compare: a.values.compare === true,
    peerThreads: choice(a, "peer", ["yes", "no"] as const, "yes") === "yes" ? undefined : [],
  });
  console.log("");
  for (const l of formatTable(figures)) console.log(l);
  if (figures.sgemmPeak !== null) {
    const what = figures.backend === "webgpu" ? "tfjs-webgpu matMul peak" : "sgemm peak";
    console.log(`${what} in this run: ${figures.sgemmPeak.toFixed(1)} GFLOP/s (higher of start and end)`);
  }
  if (figures.peakRssMb !== null) {
    console.log(`peak RSS of a training step at batch 8: ${figures.peakRssMb.toFixed(0)} MB`);
  }
  const report = benchReport(figures);
  if (record) {
    const file = await writeBenchRecord("train", commandLine("bench:train", args), report, {
      force: a.values.force === true,
      loadStart,
    });
    console.log(`recorded ${file}`);
  }
  console.log(JSON.stringify(report));
}

if (import.meta.main) runMain(() => benchTrainCommand(Deno.args));
