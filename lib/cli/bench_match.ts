/**
 * `deno task bench:match`: parses the options, runs lib/bench's matching benchmark (`runMatchBench`: ms per
 * 512x512 pair by stage and region mode; post-processing and watershed against scikit-image; the model forward
 * against the PyTorch peer at batch 1, warmed up, at 2 and 1 threads) and prints its tables and, last, one JSON
 * line; `--record` also writes the figures to `experiments/bench/match.json` with date, machine and command.
 *
 * @module
 */
import { runMatchBench } from "../bench/match.ts";
import { formatMatchBench, matchBenchReport } from "../bench/match_report.ts";
import { commandLine, loadAverage, recordPath, writeBenchRecord } from "../bench/record.ts";
import { LINE_STYLES } from "../generate/frame.ts";
import { REGION_MODES, type RegionMode } from "../regions/segment.ts";
import { choice, num, parseCommand, runMain, str } from "../util/cli.ts";
import { guardOutput } from "../util/fs.ts";

const SPEC = {
  name: "bench:match",
  summary:
    "ms per pair: forward / post-processing / matching / I/O; post-processing and watershed vs scikit-image; " +
    "model forward vs PyTorch at batch 1, warmed up, 2 and 1 threads (pairs/s, GFLOP/s against the sgemm peak)",
  usage:
    "deno task bench:match [--size 512] [--repeats 5] [--regions all|patches|lines|hybrid|strokes] [--weights DIR] " +
    "[--peer yes|no] [--region-matcher yes|no] [--record [--force]]",
  options: {
    size: { type: "string" as const, help: "side of the drawings (pixels)", default: "512" },
    repeats: {
      type: "string" as const,
      help: "timed end-to-end runs per mode (median reported) after 2 warm-ups; post-processing alone: 3x",
      default: "5",
    },
    regions: {
      type: "string" as const,
      help: "region mode(s) to time: all, patches, lines, hybrid or strokes",
      default: "all",
    },
    seed: {
      type: "string" as const,
      help: "seed of the generated pair (and of the untrained model)",
      default: "0",
    },
    style: { type: "string" as const, help: "line style of the pair: clean or hand-drawn", default: "clean" },
    weights: {
      type: "string" as const,
      help: "a trained model folder: time its forward and use its similarity",
    },
    similarity: {
      type: "string" as const,
      help: "what post-processing runs on: auto (model with --weights, else oracle), model or oracle",
      default: "auto",
    },
    backend: {
      type: "string" as const,
      help: "tfjs backend: auto, tensorflow, wasm or cpu",
      default: "auto",
    },
    python: {
      type: "string" as const,
      help: "python with scikit-image (reference watershed) and torch (the PyTorch peer)",
      default: "/usr/bin/python3",
    },
    peer: {
      type: "string" as const,
      help: "time the PyTorch peer's forward (batch 1) at the model's shape: yes or no",
      default: "yes",
    },
    "region-matcher": {
      type: "string" as const,
      help:
        "also time the default of match/colorize/demo end to end (row `region`: tokens forward, strokes regions, " +
        "region matcher, painting the target): yes or no",
      default: "yes",
    },
    "forward-warmup": {
      type: "string" as const,
      help: "untimed forward passes before the forward-alone timing, ours and the peer's",
      default: "3",
    },
    "forward-reps": {
      type: "string" as const,
      help: "timed forward passes of the forward-alone timing, ours and the peer's",
      default: "10",
    },
    record: {
      type: "boolean" as const,
      help: "also write the figures to experiments/bench/match.json (date, machine, command)",
    },
    force: { type: "boolean" as const, help: "with --record: replace an existing record" },
  },
  examples: [
    "deno task bench:match",
    "deno task bench:match --regions patches --repeats 10",
    "deno task bench:match --regions patches --repeats 1 --peer no",
    "deno task bench:match --weights experiments/small-v1 --record",
    "deno task bench:match --size 1024 --regions strokes --weights experiments/small-v1 --peer no   # the 1 s goal",
  ],
};

if (import.meta.main) {
  runMain(async () => {
    const args = parseCommand(Deno.args, SPEC);
    const loadStart = loadAverage();
    const record = args.values.record === true, force = args.values.force === true;
    if (record) await guardOutput(recordPath("match"), { force });
    const which = choice(args, "regions", ["all", ...REGION_MODES] as const, "all");
    const result = await runMatchBench({
      size: num(args, "size", { def: 512, min: 64, max: 4096, integer: true }),
      repeats: num(args, "repeats", { def: 5, min: 1, max: 100, integer: true }),
      seed: num(args, "seed", { def: 0, min: 0, max: 2 ** 31, integer: true }),
      modes: which === "all" ? [...REGION_MODES] : [which as RegionMode],
      style: choice(args, "style", LINE_STYLES, "clean"),
      python: str(args, "python") ?? "/usr/bin/python3",
      weights: str(args, "weights") ?? null,
      similarity: choice(args, "similarity", ["auto", "model", "oracle"] as const, "auto"),
      backend: choice(args, "backend", ["auto", "webgpu", "tensorflow", "wasm", "cpu"] as const, "auto"),
      peer: choice(args, "peer", ["yes", "no"] as const, "yes") === "yes",
      regionMatcher: choice(args, "region-matcher", ["yes", "no"] as const, "yes") === "yes",
      forwardWarmup: num(args, "forward-warmup", { def: 3, min: 1, max: 100, integer: true }),
      forwardReps: num(args, "forward-reps", { def: 10, min: 1, max: 1000, integer: true }),
    });
    for (const l of formatMatchBench(result)) console.log(l);
    const report = matchBenchReport(result);
    if (record) {
      const file = await writeBenchRecord("match", commandLine("bench:match", Deno.args), report, {
        force,
        loadStart,
      });
      console.log(`recorded ${file}`);
    }
    console.log(JSON.stringify(report));
  });
}
