/**
 * `deno task ablate`: every baseline and ablation of issue 5 as a row of one table, run over the same pairs:
 * flood fill; the region matcher on the shipped model (the toolkit's default: stroke regions) and one of its knobs
 * per row (lines regions, without alignment, local warp, neighbourhood, adjacency consistency); the paper's
 * pipeline on the shipped model and one knob per row (lines, hybrid, without edge-aware
 * merging, without watershed, patch 32, softmax scores); the models trained without cross-attention (M=0) and on
 * auto-annotated labels, with their equal-budget baseline (exact labels, M=2); and the oracle (ground-truth similarities) with the same knobs. Rows whose model is not
 * given are kept in the table as skipped, with a note.
 *
 * Writes `DIR/ablation.md` (the table) and `DIR/ablation.json` (every row's scores, its cross-image PR curve, the
 * settings). `--limit` (default 60) spreads the pairs over the list: a ranking of rows needs fewer pairs than
 * the headline tables (`deno task evaluate`, all pairs).
 *
 * @module
 */
import * as path from "node:path";
import {
  ABLATE_DEFAULT_LIMIT,
  ABLATION_IDS,
  type AblationModels,
  type AblationResult,
  ablationTable,
  MODEL_SOURCES,
  type ModelSource,
  runAblation,
  selectRows,
} from "../eval/ablation.ts";
import { SMALL } from "../model/config.ts";
import { parseCommand, runMain, str } from "../util/cli.ts";
import { atomicWrite, atomicWriteJson, guardOutput, stageDir } from "../util/fs.ts";
import {
  DEFAULT_WEIGHTS,
  EVAL_OPTIONS,
  type LoadedModel,
  loadEvalModel,
  pairsFrom,
  thresholdsFrom,
  weightsFrom,
} from "./evaluate.ts";

const SPEC = {
  name: "ablate",
  summary:
    "every baseline and ablation as a row of one table (flood fill, the paper's pipeline and its knobs, oracle)",
  usage: "deno task ablate --data ROOT --out DIR [--limit N] [--rows a,b,...] [--weights W] " +
    "[--merge-threshold T] [--match-threshold T] " +
    "[--weights-m0 W] [--weights-auto W] [--weights-exact W] [--force]",
  options: {
    ...EVAL_OPTIONS,
    limit: {
      type: "string" as const,
      help: "pairs, spread over the list (0: all)",
      default: String(ABLATE_DEFAULT_LIMIT),
    },
    rows: { type: "string" as const, help: `rows to run (default: all): ${ABLATION_IDS.join(",")}` },
    "weights-m0": { type: "string" as const, help: "model trained without cross-attention (M=0)" },
    "weights-auto": { type: "string" as const, help: "model trained on auto-annotated labels" },
    "weights-exact": {
      type: "string" as const,
      help: "the M=0 / auto models' equal-budget baseline (trained like them on exact labels, M=2)",
    },
  },
  examples: [
    "deno task ablate --data data/val-clean --out out/ablation-val-clean   # choose defaults here",
    "deno task ablate --data data/test-clean --out out/ablation-clean      # report here",
    "deno task ablate --data data/test-hand --out out/ablation-hand --rows floodfill,paper,hybrid,oracle --limit 0",
    "deno task ablate --data data/test-clean --out out/abl --rows m0,auto-labels,budget-exact " +
    "--weights-m0 experiments/abl-m0 --weights-auto experiments/abl-auto --weights-exact experiments/abl-exact",
  ],
};

/** ablation.json. */
export interface AblationOutput {
  data: string;
  pairs: number;
  limit: number;
  total_pairs: number;
  weights: Record<ModelSource, string | null>;
  oracle: { input_size: number; patch: number };
  rows: AblationResult[];
}

async function ablateCommand(argv: string[]): Promise<void> {
  const args = parseCommand(argv, SPEC);
  const root = str(args, "data", true);
  const out = str(args, "out", true);
  const force = Boolean(args.values.force);
  // --merge-threshold / --match-threshold apply to every row (under a row's own setting, if it has one).
  const rows = selectRows(str(args, "rows")).map((r) => ({ ...r, match: thresholdsFrom(args, r.match) }));
  await guardOutput(out, { force });
  const { pairs, limit, total } = await pairsFrom(args, root);
  // Nothing here assumes a test split; but defaults are chosen on validation splits (data/val-*) only.
  if (/(^|[\\/])test-[^\\/]*[\\/]?$/.test(root)) {
    console.error(
      `note: ${root} is a test split: report its rows; choose defaults on data/val-clean, data/val-hand`,
    );
  }
  const backend = str(args, "backend") ?? "auto";
  const needs = new Set(rows.map((r) => r.source));
  const loaded: Partial<Record<ModelSource, LoadedModel>> = {};
  const dirs: Record<ModelSource, string | null> = {
    model: weightsFrom(args),
    m0: str(args, "weights-m0") ?? null,
    auto: str(args, "weights-auto") ?? null,
    exact: str(args, "weights-exact") ?? null,
  };
  const missing = {
    model: `no model: pass --weights DIR (the shipped model ${DEFAULT_WEIGHTS} is not there yet)`,
  };
  try {
    for (const k of MODEL_SOURCES) {
      if (dirs[k] && needs.has(k)) loaded[k] = await loadEvalModel(dirs[k]!, backend);
    }
    const models: AblationModels = Object.fromEntries(MODEL_SOURCES.map((k) => [k, loaded[k]?.model]));
    const cfg = loaded.model?.model.config ?? SMALL;
    const t0 = performance.now();
    const results = await runAblation(root, pairs, rows, models, {
      oracleInputSize: cfg.inputSize,
      oraclePatch: cfg.patch,
      missing,
      onRow: (r) =>
        console.error(
          r.status === "skipped"
            ? `${r.id}: skipped (${r.note})`
            : `${r.id}: ${r.seconds.toFixed(1)} s, ARI ${(100 * r.region!.ari).toFixed(1)}, region P ${
              (100 * r.region!.precision_all).toFixed(1)
            } (valid ${(100 * r.region!.precision_valid).toFixed(1)}) R ${
              (100 * r.region!.recall).toFixed(1)
            }${r.patch ? `, patch AP ${(100 * r.patch.ap).toFixed(1)}` : ""}`,
        ),
    });
    const seconds = (performance.now() - t0) / 1000;
    const output: AblationOutput = {
      data: root,
      pairs: pairs.length,
      limit,
      total_pairs: total,
      weights: Object.fromEntries(MODEL_SOURCES.map((k) => [k, loaded[k]?.dir ?? null])) as Record<
        ModelSource,
        string | null
      >,
      oracle: { input_size: cfg.inputSize, patch: cfg.patch },
      rows: results,
    };
    const caption = `${pairs.length} of ${total} pairs of ${root}` +
      (loaded.model ? `; model ${dirs.model}` : needs.has("model") ? "; no model (model rows skipped)" : "") +
      ". Percentages except CR (raw) and s/pair; AP, best F1 and top-1 are cross-image patch scores (Table 1); " +
      "ARI, mIoU and CR are means over both images of a pair; region precision and recall at purity >= 0.8 (Table 2). " +
      "Oracle rows: ground-truth patch similarities through the same pipeline, the upper bound of post-processing.";
    await stageDir(out, { force }, async (tmp) => {
      await atomicWrite(path.join(tmp, "ablation.md"), ablationTable(results, { caption }));
      await atomicWriteJson(path.join(tmp, "ablation.json"), output);
    });
    const ran = results.filter((r) => r.status === "ok").length;
    console.log(
      `${ran} rows run, ${results.length - ran} skipped, ${pairs.length} pairs, ${seconds.toFixed(1)} s\n` +
        `wrote ${out}/{ablation.md, ablation.json}`,
    );
  } finally {
    for (const l of Object.values(loaded)) l?.model.dispose();
  }
}

if (import.meta.main) runMain(() => ablateCommand(Deno.args));
