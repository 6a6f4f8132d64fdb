/**
 * `deno task evaluate`: the paper's Tables 1 and 2 for one method on a PBC-layout dataset (generated or the
 * real PaintBucket-Character), written into a folder:
 * - `metrics.json`: dataset-level and per-pair metrics (fractions in [0, 1], null where undefined), the pooled
 *   PR curves, the settings, and a `run` block saying what ran (method, weights, patch, regions, score);
 * - `table1.md`, `table2.md`: the paper's layout, our row then the paper's rows (their data differ);
 * - `pr_curves.json`: the PR-curve points (intra a, intra b, cross) with their AP;
 * - `timing.json`: seconds in all and per pair (kept apart so metrics.json is the same bytes on every run).
 *
 * Methods: `model` (the shipped or given weights + post-processing + matching), `oracle` (ground-truth
 * similarities through the same pipeline: the upper bound), `floodfill` (the no-learning baseline).
 *
 * @module
 */
import * as path from "node:path";
import { resolvePairs } from "../data/pairs.ts";
import { MATCHING_DEFAULTS } from "../match/matching.ts";
import { MATCHER_KINDS, type MatcherKind, type MatchPairOptions } from "../match/pipeline.ts";
import { PATCH_MERGE_DEFAULTS } from "../regions/patch_merge.ts";
import { SMALL } from "../model/config.ts";
import type { ScoreKind } from "../model/similarity.ts";
import { REGION_DEFAULTS, REGION_MODES, type RegionMode } from "../regions/segment.ts";
import {
  floodFillMethod,
  type Method,
  METHODS,
  modelPredictor,
  oraclePredictor,
  patchPlan,
  regionMatcherPredictor,
} from "../eval/predictors.ts";
import { type EvalMetrics, evalMetrics, scoreDataset } from "../eval/run.ts";
import { mergeEvalShards, writeEvalShard } from "../eval/merge.ts";
import { parseShard, selectShard, shardManifest, shardName } from "../data/shard.ts";
import { spreadPairs } from "../eval/subset.ts";
import { table1, table2 } from "../eval/tables.ts";
import { choice, num, parseCommand, type ParsedArgs, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { atomicWrite, atomicWriteJson, guardOutput, stageDir } from "../util/fs.ts";
import { DEFAULT_WEIGHTS, defaultWeights, type LoadedModel, loadEvalModel } from "../eval/shipped.ts";

export { DEFAULT_WEIGHTS, defaultWeights, type LoadedModel, loadEvalModel };

/** Options shared by `evaluate` and `ablate`. */
export const EVAL_OPTIONS = {
  data: {
    type: "string" as const,
    help: "a PBC-layout dataset folder (line, seg, json_index per character)",
  },
  pairs: {
    type: "string" as const,
    help: "pairs CSV (dir,reference,target); default: ROOT/pairs.csv or frames i, i+7",
  },
  out: { type: "string" as const, short: "o", help: "output folder" },
  weights: {
    type: "string" as const,
    help: `model folder (model.json + weights.bin); default: ${DEFAULT_WEIGHTS} when it exists`,
  },
  backend: {
    type: "string" as const,
    help: "tfjs backend: auto, webgpu, tensorflow, wasm, cpu",
    default: "auto",
  },
  force: { type: "boolean" as const, help: "overwrite an existing output folder" },
  "merge-threshold": {
    type: "string" as const,
    help: "patch merging (and hybrid grouping): both directed similarities at least this, sigmoid scale",
    default: String(PATCH_MERGE_DEFAULTS.threshold),
  },
  "match-threshold": {
    type: "string" as const,
    help: "region matching: a partner's region similarity at least this, sigmoid scale",
    default: String(MATCHING_DEFAULTS.threshold),
  },
};

/**
 * The pipeline options of `--merge-threshold` and `--match-threshold` (the release's 0.72 and 0.6 by default),
 * laid over a row's or a run's own options (`over` wins where it sets a field).
 */
export function thresholdsFrom(
  args: ParsedArgs,
  over: Partial<MatchPairOptions> = {},
): Partial<MatchPairOptions> {
  const merge = num(args, "merge-threshold", { def: PATCH_MERGE_DEFAULTS.threshold, min: 0, max: 1 });
  const match = num(args, "match-threshold", { def: MATCHING_DEFAULTS.threshold, min: 0, max: 1 });
  return {
    ...over,
    region: {
      ...over.region,
      merge: { ...PATCH_MERGE_DEFAULTS, threshold: merge, ...over.region?.merge },
      hybrid: { ...REGION_DEFAULTS.hybrid, threshold: merge, ...over.region?.hybrid },
    },
    matching: { ...MATCHING_DEFAULTS, threshold: match, ...over.matching },
  };
}

const SPEC = {
  name: "evaluate",
  summary: "patch- and region-level metrics of a method on a dataset (the paper's Tables 1 and 2)",
  usage:
    "deno task evaluate --data ROOT --out DIR [--pairs CSV] [--weights W] [--method model|oracle|floodfill] " +
    "[--matcher paper|region] [--regions patches|lines|hybrid|strokes] [--score sigmoid|softmax] [--patch 16|32] [--limit N] " +
    "[--merge-threshold T] [--match-threshold T] [--shard i/n] [--force]\n" +
    "       deno task evaluate --merge --out DIR SHARD_DIR... [--partial] [--name NAME] [--force]",
  options: {
    ...EVAL_OPTIONS,
    method: {
      type: "string" as const,
      help:
        "model (weights + post-processing), oracle (ground-truth similarities: upper bound), floodfill (baseline)",
      default: "model",
    },
    matcher: {
      type: "string" as const,
      help:
        "with --method model: paper (patch votes, eq. 5, threshold matching: the paper's Table 2 row) or region " +
        "(the region matcher on pooled tokens: match/colorize/demo's default)",
      default: "paper",
    },
    regions: {
      type: "string" as const,
      help: "region mode: patches (the paper), lines, hybrid, strokes; default: patches (paper matcher), " +
        "strokes (region matcher)",
    },
    score: {
      type: "string" as const,
      help: "cosine to score: sigmoid (the release) or softmax (the paper's row softmax)",
      default: "sigmoid",
    },
    patch: {
      type: "string" as const,
      help: "patch side in model-input pixels: the model's own (16) or twice it (32: tokens averaged 2x2)",
      default: "16",
    },
    limit: { type: "string" as const, help: "evaluate N pairs spread over the list (0: all)", default: "0" },
    shard: {
      type: "string" as const,
      help:
        "evaluate only shard i of n (0-based): the pairs whose index in the list (after --limit) is i mod n, " +
        "e.g. $SLURM_ARRAY_TASK_ID/8; writes shard.json and the raw data --merge needs",
    },
    merge: {
      type: "boolean" as const,
      help: "merge the shard folders given after the options into --out: metrics recomputed over their union",
    },
    partial: {
      type: "boolean" as const,
      help: "with --merge: merge the shards there are (missing ones listed)",
    },
    "no-edge-merge": { type: "boolean" as const, help: "merge patches on similarity alone (ablation)" },
    "no-watershed": { type: "boolean" as const, help: "keep the blocky merged patch clusters (ablation)" },
    name: {
      type: "string" as const,
      help: "name of our row in the tables (default: method, weights and data)",
    },
  },
  examples: [
    "deno task evaluate --data data/test-clean --out out/eval-clean",
    "deno task evaluate --data data/test-hand --out out/eval-hand --weights experiments/small-v1 --regions hybrid",
    "deno task evaluate --data data/test-clean --out out/oracle --method oracle --limit 50",
    "deno task evaluate --data data/test-hand --out out/eval-hand-region --matcher region",
  ],
};

/** What ran, recorded in metrics.json. */
export interface RunInfo {
  method: Method;
  data: string;
  pairs_csv: string | null;
  limit: number;
  weights: string | null;
  model: { preset: string; input_size: number; patch: number } | null;
  /** Patch side in model-input pixels and how it was made. */
  patch: number | null;
  pooling: "none" | "2x2 tokens before normalisation" | null;
  input_size: number | null;
  regions: RegionMode | null;
  /** Which matcher turned regions into matches (null: flood fill). */
  matcher: MatcherKind | null;
  score: ScoreKind;
  edge_aware_merge: boolean | null;
  watershed: boolean | null;
}

/** metrics.json: the evaluation plus what ran. */
export type EvaluateOutput = EvalMetrics & { run: RunInfo };

/** Writes metrics.json, table1.md, table2.md, pr_curves.json and timing.json into `dir` (which exists). */
export async function writeEvaluation(
  dir: string,
  out: EvaluateOutput,
  name: string,
  seconds: number,
): Promise<void> {
  const note = `Ours: ${name}, ${out.pairs} pairs of ${out.run.data}. The paper's rows are on its data ` +
    "(PaintBucket-Character, ATD-12K, GenAI); ours are on other data, so the numbers do not compare one for one.";
  const entry = { name, patch: out.patch, region: out.region };
  await atomicWriteJson(path.join(dir, "metrics.json"), out);
  await atomicWrite(
    path.join(dir, "table1.md"),
    table1([entry], { paper: true, caption: `Patch-level evaluation (percentages). ${note}` }),
  );
  await atomicWrite(
    path.join(dir, "table2.md"),
    table2([entry], {
      paper: true,
      caption:
        `Region-level evaluation (percentages; CR raw; region precision and recall at purity >= ${out.settings.purity}). ${note}`,
    }),
  );
  const curves = out.pr_curves && out.patch
    ? Object.fromEntries(
      (["intra_a", "intra_b", "cross"] as const).map((
        k,
      ) => [k, { ap: out.patch![k].ap, ...out.pr_curves![k] }]),
    )
    : null;
  await atomicWriteJson(path.join(dir, "pr_curves.json"), { score: out.run.score, curves });
  await atomicWriteJson(path.join(dir, "timing.json"), {
    seconds: Math.round(seconds * 100) / 100,
    seconds_per_pair: out.pairs ? Math.round((seconds / out.pairs) * 1000) / 1000 : null,
  });
}

/** The pairs of `--data` / `--pairs` / `--limit`. */
export async function pairsFrom(args: ParsedArgs, root: string) {
  const all = await resolvePairs(root, { pairsCsv: str(args, "pairs") });
  const limit = num(args, "limit", { def: 0, min: 0, integer: true });
  const pairs = spreadPairs(all, limit);
  if (pairs.length === 0) throw new UserError("no pairs to evaluate", str(args, "pairs") ?? root);
  return { pairs, limit, total: all.length };
}

/** The weights folder: `--weights`, else the shipped model when present, else null. */
export function weightsFrom(args: ParsedArgs): string | null {
  return str(args, "weights") ?? defaultWeights();
}

/** `--merge`: the shards' metrics recomputed over the union of their pairs. */
async function mergeCommand(args: ParsedArgs): Promise<void> {
  const out = str(args, "out", true);
  const force = Boolean(args.values.force);
  await guardOutput(out, { force });
  const m = await mergeEvalShards(args.positionals, { partial: Boolean(args.values.partial) });
  const output: EvaluateOutput = { ...m.metrics, run: m.options.run as RunInfo };
  const name = str(args, "name") ?? String(m.options.name);
  await stageDir(out, { force }, (tmp) => writeEvaluation(tmp, output, name, m.seconds));
  const c = m.metrics.patch?.cross;
  const pc = (v: number | null | undefined) => (typeof v === "number" ? (100 * v).toFixed(2) : "–");
  console.log(
    [
      `merged ${m.set.dirs.length} shard(s): ${m.metrics.pairs} of ${m.set.total} pairs${
        m.set.missing.length ? ` (partial: shard(s) ${m.set.missing.join(", ")} missing)` : ""
      }`,
      c
        ? `patch cross: AP ${pc(c.ap)} best F1 ${pc(c.best_f1)} top-1 ${pc(c.top1)}`
        : "patch: – (no similarity)",
      `region: ARI ${pc(m.metrics.region.intra_a.ari)} precision ${
        pc(m.metrics.region.cross.precision_all)
      } recall ${pc(m.metrics.region.cross.recall)}`,
      `wrote ${out}/{metrics.json, table1.md, table2.md, pr_curves.json, timing.json}`,
    ].join("\n"),
  );
}

async function evaluateCommand(argv: string[]): Promise<void> {
  const args = parseCommand(argv, SPEC);
  if (args.values.merge) return await mergeCommand(args);
  if (args.positionals.length > 0) {
    throw new UserError(
      `unexpected argument ${JSON.stringify(args.positionals[0])} (shard folders go with --merge)`,
    );
  }
  if (args.values.partial) throw new UserError("--partial goes with --merge");
  const shard = args.values.shard !== undefined ? parseShard(String(args.values.shard)) : null;
  const root = str(args, "data", true);
  const out = str(args, "out", true);
  const force = Boolean(args.values.force);
  const method = choice(args, "method", METHODS, "model");
  const matcher = choice(args, "matcher", MATCHER_KINDS, "paper");
  if (matcher === "region" && method !== "model") {
    throw new UserError(
      `--matcher region needs the model's tokens: use it with --method model, not ${method}`,
    );
  }
  const regions = choice(args, "regions", REGION_MODES, matcher === "region" ? "strokes" : "patches");
  const score = choice(args, "score", ["sigmoid", "softmax"] as const, "sigmoid");
  const patch = num(args, "patch", { def: 16, min: 1, integer: true });
  await guardOutput(out, { force });
  const { pairs: listed, limit, total } = await pairsFrom(args, root);
  const sel = selectShard(listed, shard);
  const pairs = sel.items;
  const match: Partial<MatchPairOptions> = thresholdsFrom(args, {
    regions,
    score,
    edgeAwareMerge: !args.values["no-edge-merge"],
    watershed: !args.values["no-watershed"],
  });
  let loaded: LoadedModel | null = null;
  const run: RunInfo = {
    method,
    data: root,
    pairs_csv: str(args, "pairs") ?? null,
    limit,
    weights: null,
    model: null,
    patch: null,
    pooling: null,
    input_size: null,
    regions: method === "floodfill" ? null : regions,
    matcher: method === "floodfill" ? null : matcher,
    score,
    edge_aware_merge: method === "floodfill" ? null : match.edgeAwareMerge!,
    watershed: method === "floodfill" ? null : match.watershed!,
  };
  try {
    let predict;
    if (method === "model") {
      const w = weightsFrom(args);
      if (!w) {
        throw new UserError(
          `no model: pass --weights DIR (the shipped model ${DEFAULT_WEIGHTS} is not there yet), or --method oracle|floodfill`,
        );
      }
      loaded = await loadEvalModel(w, str(args, "backend") ?? "auto");
      const c = loaded.model.config;
      const plan = patchPlan(loaded.model, patch);
      Object.assign(run, {
        weights: w,
        model: { preset: c.preset, input_size: c.inputSize, patch: c.patch },
        patch,
        input_size: c.inputSize,
        pooling: plan === "native" ? "none" : "2x2 tokens before normalisation",
      });
      if (matcher === "region" && plan !== "native") {
        throw new UserError(`--matcher region pools the model's own tokens: use --patch ${c.patch}`);
      }
      predict = matcher === "region"
        ? regionMatcherPredictor(loaded.model, match)
        : modelPredictor(loaded.model, { patch, match });
    } else if (method === "oracle") {
      const inputSize = SMALL.inputSize;
      if (inputSize % patch !== 0) {
        throw new UserError(`--patch ${patch} does not divide the input size ${inputSize}`);
      }
      Object.assign(run, { patch, input_size: inputSize, pooling: "none" });
      predict = oraclePredictor({ inputSize, patch }, match);
    } else {
      predict = floodFillMethod();
    }
    const t0 = performance.now();
    const state = await scoreDataset(root, pairs, predict, {
      score,
      label: `evaluate ${method}${shard ? ` shard ${shardName(shard)}` : ""}`,
    });
    const metrics = evalMetrics(state);
    const seconds = (performance.now() - t0) / 1000;
    const output: EvaluateOutput = { ...metrics, run };
    const name = str(args, "name") ??
      `${method}${matcher === "region" && method === "model" ? " + region matcher" : ""}${
        run.weights ? ` (${path.basename(run.weights)})` : ""
      }, ${path.basename(path.resolve(root))}`;
    await stageDir(out, { force }, async (tmp) => {
      await writeEvaluation(tmp, output, name, seconds);
      if (shard) {
        const manifest = await shardManifest("evaluate", shard, listed, sel.indices, { run, match, name });
        await writeEvalShard(tmp, state, manifest);
      }
    });
    const p = (
      v: number | null | undefined,
    ) => (v === null || v === undefined || !Number.isFinite(v) ? "–" : (100 * v).toFixed(2));
    const r = metrics.region;
    const lines = [
      `${name}: ${pairs.length}${limit ? ` of ${total}` : ""}${
        shard ? ` (shard ${shardName(shard)} of ${listed.length})` : ""
      } pairs in ${seconds.toFixed(1)} s (${(seconds / pairs.length).toFixed(2)} s/pair)`,
      metrics.patch
        ? `patch cross: AP ${p(metrics.patch.cross.ap)} best F1 ${p(metrics.patch.cross.best_f1)} top-1 ${
          p(metrics.patch.cross.top1)
        } top-5 ${p(metrics.patch.cross.top5)}`
        : "patch: – (no similarity)",
      `region: ARI ${p(r.intra_a.ari)}/${p(r.intra_b.ari)} mIoU P→G ${p(r.intra_a.miou_pg)} G→P ${
        p(r.intra_a.miou_gp)
      } CR ${r.intra_a.cr.toFixed(2)} | precision ${p(r.cross.precision_all)} (valid only ${
        p(r.cross.precision_valid)
      }; ${r.cross.valid_matches.toFixed(1)} valid of ${r.cross.pred_matches.toFixed(1)} matches) recall ${
        p(r.cross.recall)
      }`,
      `wrote ${out}/{metrics.json, table1.md, table2.md, pr_curves.json, timing.json}`,
    ];
    console.log(lines.join("\n"));
  } finally {
    loaded?.model.dispose();
  }
}

if (import.meta.main) runMain(() => evaluateCommand(Deno.args));
