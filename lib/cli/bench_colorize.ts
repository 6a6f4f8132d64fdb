/**
 * `deno task bench:colorize`: colourisation measured as PaintBucket measures it, over a PBC-layout dataset's
 * pairs: each target drawing filled from its reference's colour frame (`gt/`) by every method (lib/eval's
 * `evaluateColorization`: ours in `patches` and `hybrid` region modes, the oracle, flood fill), scored against
 * the target's true colour frame with pixel accuracy (non-stroke pixels) and region accuracy (true colour
 * regions).
 *
 * Prints a markdown table (method | pairs | pixel accuracy | region accuracy | s/pair: means over the pairs)
 * and, last, one JSON line of the figures. The model is `--weights DIR`, else the shipped model when it is
 * there; without one only the oracle and flood fill run, with a note. `--limit` (default 60) spreads the pairs
 * over the list, as `deno task ablate` does.
 *
 * @module
 */
import {
  type ColorizationEval,
  type ColorizationSummary,
  evaluateColorization,
} from "../eval/colorization.ts";
import { DEFAULT_WEIGHTS, type LoadedModel, loadEvalModel } from "../eval/shipped.ts";
import { parseCommand, runMain, str } from "../util/cli.ts";
import { Progress } from "../util/progress.ts";
import { pairsFrom, weightsFrom } from "./evaluate.ts";

/** Pairs of a run when `--limit` is not given. */
export const BENCH_COLORIZE_DEFAULT_LIMIT = 60;

const SPEC = {
  name: "bench:colorize",
  summary: "colourisation pixel and region accuracy (PaintBucket's) of every method on a dataset's pairs",
  usage: "deno task bench:colorize --data ROOT [--pairs CSV] [--limit 60] [--weights DIR] [--backend B]",
  options: {
    data: {
      type: "string" as const,
      help: "a PBC-layout dataset folder with true colour frames (gt/) per character",
    },
    pairs: {
      type: "string" as const,
      help: "pairs CSV (dir,reference,target); default: ROOT/pairs.csv or frames i, i+7",
    },
    limit: {
      type: "string" as const,
      help: "pairs, spread over the list (0: all)",
      default: String(BENCH_COLORIZE_DEFAULT_LIMIT),
    },
    weights: {
      type: "string" as const,
      help: `model folder (model.json + weights.bin); default: ${DEFAULT_WEIGHTS} when it exists`,
    },
    backend: {
      type: "string" as const,
      help: "tfjs backend: auto, tensorflow, wasm or cpu",
      default: "auto",
    },
  },
  examples: [
    "deno task bench:colorize --data data/test-clean",
    "deno task bench:colorize --data data/test-hand --limit 0 --weights experiments/small-v1",
  ],
};

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/**
 * The markdown table of a run: one row per method, means over the pairs it ran on.
 *
 * @example
 * ```ts
 * console.log(colorizeTable(result.methods));
 * // | method | pairs | pixel accuracy | region accuracy | s/pair |
 * ```
 */
export function colorizeTable(methods: readonly ColorizationSummary[]): string {
  return [
    "| method | pairs | pixel accuracy | region accuracy | s/pair |",
    "|---|---:|---:|---:|---:|",
    ...methods.map((m) =>
      `| ${m.name} | ${m.pairs} | ${pct(m.pixel_accuracy)} | ${pct(m.region_accuracy)} | ${
        m.seconds_per_pair.toFixed(2)
      } |`
    ),
  ].join("\n");
}

/**
 * The benchmark's last line: data, pairs, weights (null: none), and by method its mean pixel and region
 * accuracy (fractions, 4 decimals) and seconds per pair.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(colorizeReport("data/test-clean", result, null)));
 * ```
 */
export function colorizeReport(data: string, r: ColorizationEval, weights: string | null) {
  const round = (x: number, d: number) => +x.toFixed(d);
  return {
    bench: "colorize",
    data,
    pairs: r.perPair.length,
    weights,
    methods: Object.fromEntries(
      r.methods.map((m) => [m.name, {
        pixel_accuracy: round(m.pixel_accuracy, 4),
        region_accuracy: round(m.region_accuracy, 4),
        s_per_pair: round(m.seconds_per_pair, 3),
      }]),
    ),
  };
}

async function benchColorizeCommand(argv: string[]): Promise<void> {
  const args = parseCommand(argv, SPEC);
  const root = str(args, "data", true);
  const { pairs, total } = await pairsFrom(args, root);
  const weights = weightsFrom(args);
  const noModel = `no model: pass --weights DIR (the shipped model ${DEFAULT_WEIGHTS} is not there yet); ` +
    "only the oracle and flood fill run";
  if (!weights) console.error(noModel);
  let loaded: LoadedModel | null = null;
  try {
    if (weights) loaded = await loadEvalModel(weights, str(args, "backend") ?? "auto");
    const bar = new Progress({ total: pairs.length, label: "bench:colorize", unit: "pairs" });
    const r = await evaluateColorization(root, pairs, {
      model: loaded?.model,
      onPair: (rec) =>
        bar.tick(
          1,
          Object.entries(rec.methods).map(([k, v]) => `${k} ${pct(v.pixel_accuracy)}`).join(", "),
        ),
    });
    await bar.done();
    console.log(
      `\n${pairs.length} of ${total} pairs of ${root}; ${weights ? `model ${weights}` : noModel}. ` +
        "Means over the pairs: pixel accuracy over the target's non-stroke pixels, region accuracy over its " +
        "true colour regions (PaintBucket's); s/pair: similarity (the model's forward counted in each ours " +
        "row), regions, matching and painting.\n",
    );
    console.log(colorizeTable(r.methods));
    console.log("");
    console.log(JSON.stringify(colorizeReport(root, r, weights)));
  } finally {
    loaded?.model.dispose();
  }
}

if (import.meta.main) runMain(() => benchColorizeCommand(Deno.args));
