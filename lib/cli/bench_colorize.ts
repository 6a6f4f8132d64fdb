/**
 * `deno task bench:colorize`: colourisation measured as PaintBucket measures it, over a PBC-layout dataset's
 * pairs: each target drawing filled from its reference's colour frame (`gt/`) by every method (lib/eval's
 * `evaluateColorization`: ours in `patches` and `hybrid` region modes, the oracle, flood fill, and the
 * copy-in-place and all-white baselines), scored against the target's true colour frame with pixel and region
 * accuracy over the foreground (BasicPBC's `pix_acc_wobg`; the headline) and with the background.
 *
 * Prints a markdown table (lib/bench's `colorizeTable`) and, last, one JSON line of the figures; `--record`
 * also writes them to `experiments/bench/colorize-<dataset>.json` with date, machine and command. The model is `--weights DIR`, else the shipped model when it is
 * there; without one only the oracle and flood fill run, with a note. `--limit` (default 60) spreads the pairs
 * over the list, as `deno task ablate` does.
 *
 * @module
 */
import { colorizeReport, colorizeTable } from "../bench/colorize_report.ts";
import { commandLine, loadAverage, recordName, recordPath, writeBenchRecord } from "../bench/record.ts";
import { evaluateColorization } from "../eval/colorization.ts";
import { DEFAULT_WEIGHTS, type LoadedModel, loadEvalModel } from "../eval/shipped.ts";
import { parseCommand, runMain, str } from "../util/cli.ts";
import { DEFAULT_HEAD, resolveRegionHead } from "../match/region_head.ts";
import { repoPath } from "../util/paths.ts";
import { guardOutput } from "../util/fs.ts";
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
    head: {
      type: "string" as const,
      help:
        "the region matcher's learned head: none (hand-set scores, the default), a head folder, or auto " +
        "(experiments/region-head-v1 when trained for the model)",
      default: "none",
    },
    record: {
      type: "boolean" as const,
      help: "also write the figures to experiments/bench/colorize-<dataset>.json (date, machine, command)",
    },
    force: { type: "boolean" as const, help: "with --record: replace an existing record" },
  },
  examples: [
    "deno task bench:colorize --data data/val-clean   # validation: compare settings here",
    "deno task bench:colorize --data data/test-clean  # test: report here",
    "deno task bench:colorize --data data/test-hand --limit 0 --weights experiments/small-v1",
    "deno task bench:colorize --data data/test-clean --record",
  ],
};

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

async function benchColorizeCommand(argv: string[]): Promise<void> {
  const args = parseCommand(argv, SPEC);
  const loadStart = loadAverage();
  const root = str(args, "data", true);
  const { pairs, total } = await pairsFrom(args, root);
  // A record that would be refused is refused before the run, not after it.
  if (args.values.record) {
    await guardOutput(recordPath(recordName("colorize", root)), { force: !!args.values.force });
  }
  const weights = weightsFrom(args);
  const noModel = `no model: pass --weights DIR (the shipped model ${DEFAULT_WEIGHTS} is not there yet); ` +
    "only the oracle and flood fill run";
  if (!weights) console.error(noModel);
  let loaded: LoadedModel | null = null;
  try {
    if (weights) loaded = await loadEvalModel(weights, str(args, "backend") ?? "auto");
    const regionHead = weights
      ? await resolveRegionHead(str(args, "head") ?? "none", weights, repoPath(DEFAULT_HEAD))
      : null;
    const bar = new Progress({ total: pairs.length, label: "bench:colorize", unit: "pairs" });
    const r = await evaluateColorization(root, pairs, {
      model: loaded?.model,
      regionHead,
      onPair: (rec) =>
        bar.tick(
          1,
          Object.entries(rec.methods).map(([k, v]) => `${k} ${pct(v.pixel_accuracy_fg)}`).join(", "),
        ),
    });
    await bar.done();
    console.log(
      `\n${pairs.length} of ${total} pairs of ${root}; ${weights ? `model ${weights}` : noModel}. ` +
        "Means over the pairs. fg: over the target's foreground (non-stroke pixels whose true colour is not the " +
        "background's: BasicPBC's pix_acc_wobg; true colour regions other than the background); with bg: over " +
        "every non-stroke pixel / true colour region (an all-white answer scores the background's share there). " +
        `region matcher: ${
          regionHead ? `learned head (--head ${str(args, "head") ?? "none"})` : "hand-set scores"
        }. ` +
        "s/pair: similarity (the model's forward counted in each ours row), regions, matching and painting.\n",
    );
    console.log(colorizeTable(r.methods));
    console.log("");
    const report = colorizeReport(root, r, weights);
    if (args.values.record) {
      const file = await writeBenchRecord(
        recordName("colorize", root),
        commandLine("bench:colorize", argv),
        report,
        { force: !!args.values.force, loadStart },
      );
      console.log(`recorded ${file}`);
    }
    console.log(JSON.stringify(report));
  } finally {
    loaded?.model.dispose();
  }
}

if (import.meta.main) runMain(() => benchColorizeCommand(Deno.args));
