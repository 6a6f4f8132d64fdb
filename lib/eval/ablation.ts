/**
 * Baselines and ablations as data (issue 5): each row is one method or one knob changed from the paper's
 * pipeline, run by {@link runAblation} over the same pairs and written as one table ({@link ablationTable}).
 *
 * Rows by similarity source:
 * - `none`: the flood-fill baseline (no similarity, so no Table 1 columns);
 * - `model`: the shipped model (`--weights`): through the region matcher (the toolkit's default: stroke regions,
 *   then one knob of `MATCHER_DEFAULTS` or its region mode per row), and through the paper's pipeline and one knob
 *   per row (region mode, edge-aware merging, watershed, patch 32, softmax scores);
 * - `m0`, `auto`: other trained models (without cross-attention; trained on auto-annotated labels), the paper's
 *   pipeline, and `exact`, their equal-budget baseline (trained like them, M = 2, exact labels): short runs are
 *   compared with a short run, not with the shipped model's long one;
 * - `oracle`: ground-truth similarities through the same pipeline (the upper bound of post-processing and
 *   matching), with the same knobs, so the post-processing ablations can be read apart from the model.
 * A row whose model is not given is reported as skipped, with a note.
 *
 * @module
 */
import type { PairRef } from "../data/pairs.ts";
import type { MatchPairOptions } from "../match/pipeline.ts";
import type { RegionMatcherOptions } from "../match/region_matcher.ts";
import type { ScoreKind } from "../model/similarity.ts";
import { UserError } from "../util/errors.ts";
import type { CurvePoints } from "./pr.ts";
import {
  cachedSimilarity,
  floodFillMethod,
  modelSource,
  oraclePredictor,
  pipelinePredictor,
  regionMatcherPredictor,
  type SimilarityModel,
} from "./predictors.ts";
import { type EvalMetrics, evaluateDataset, type RunOptions } from "./run.ts";
import { pct, raw } from "./tables.ts";

/**
 * Pairs an ablation runs by default, spread over the pair list: 60 pairs (8 characters of a 300-pair split) rank
 * the rows; with the 17 paper-pipeline and model rows that is ~10 minutes on 2 cores, and the region matcher's 6
 * rows add ~0.4 s a pair each (512-px pairs; the headline tables use all pairs, `evaluate`).
 */
export const ABLATE_DEFAULT_LIMIT = 60;

/** Where a row's similarity comes from. */
export type RowSource = "none" | "model" | "m0" | "auto" | "exact" | "oracle";

/** The sources that are trained models. */
export type ModelSource = "model" | "m0" | "auto" | "exact";
export const MODEL_SOURCES: readonly ModelSource[] = ["model", "m0", "auto", "exact"];
const isModelSource = (s: RowSource): s is ModelSource => (MODEL_SOURCES as readonly string[]).includes(s);

/** One row of the ablation. */
export interface AblationRow {
  /** Short id (`--rows`). */
  id: string;
  /** Name in the table. */
  label: string;
  /** What differs from the paper's pipeline row of the same source. */
  change: string;
  source: RowSource;
  /** Patch side relative to the model's own: 1 = its tokens, 2 = its tokens averaged 2x2 (the release's 32). */
  patchFactor?: 1 | 2;
  /** Score transform of the cosine (patch metrics and the pipeline). */
  score?: ScoreKind;
  /** Pipeline options over the defaults. */
  match?: Partial<MatchPairOptions>;
}

const PIPELINE_KNOBS: Omit<AblationRow, "id" | "label" | "source">[] = [
  { change: "— (the paper's pipeline: patches, edge-aware merging, watershed, sigmoid scores)" },
  { change: "regions: lines (line-enclosed, gap-closed)", match: { regions: "lines" } },
  { change: "regions: hybrid (line regions grouped by similarity)", match: { regions: "hybrid" } },
  { change: "no edge-aware merging (similarity alone)", match: { edgeAwareMerge: false } },
  { change: "no watershed (blocky patch clusters)", match: { watershed: false } },
  { change: "patch 32: tokens averaged 2x2 before normalisation", patchFactor: 2 },
  {
    change:
      "cosine + row softmax (the paper's S) instead of sigmoid (the release); thresholds unchanged (sigmoid scale)",
    score: "softmax",
  },
];
const KNOB_IDS = ["", "lines", "hybrid", "no-edge-merge", "no-watershed", "patch32", "softmax"];
const KNOB_LABELS = [
  "paper pipeline",
  "lines",
  "hybrid",
  "w/o edge-aware merging",
  "w/o watershed",
  "patch 32 (pooled)",
  "softmax scores",
];

/**
 * The region matcher's rows (issue 10: the toolkit's default in match, colorize and demo): its default (stroke
 * regions, MATCHER_DEFAULTS), then one knob of `MATCHER_DEFAULTS` (lib/match/region_matcher.ts) or of its regions
 * changed per row.
 */
const REGION_MATCHER_KNOBS: {
  id: string;
  label: string;
  change: string;
  match: Partial<MatchPairOptions>;
}[] = [
  {
    id: "region",
    label: "Ours: region matcher, strokes (default)",
    change:
      "region matcher (pooled tokens + geometry + neighbours, Sinkhorn with a dustbin, alignment) on stroke regions: the toolkit's default",
    match: {},
  },
  {
    id: "region-lines",
    label: "Ours: region matcher, lines",
    change: "region matcher on line-enclosed regions (lines) instead of strokes",
    match: { regions: "lines" },
  },
  {
    id: "region-no-align",
    label: "Ours: region matcher w/o alignment",
    change: "no coarse alignment from confident matches (alignRounds 0)",
    match: { regionMatcher: { alignRounds: 0 } },
  },
  {
    id: "region-no-warp",
    label: "Ours: region matcher w/o local warp",
    change: "affine alignment only, no smooth residual field (localWarp false)",
    match: { regionMatcher: { localWarp: false } },
  },
  {
    id: "region-no-neighbour",
    label: "Ours: region matcher w/o neighbourhood",
    change: "no neighbourhood descriptor term (weights.neighbour 0)",
    match: { regionMatcher: { weights: { neighbour: 0 } as RegionMatcherOptions["weights"] } },
  },
  {
    id: "region-no-structure",
    label: "Ours: region matcher w/o adjacency consistency",
    change: "no adjacency-consistency term (weights.structure 0)",
    match: { regionMatcher: { weights: { structure: 0 } as RegionMatcherOptions["weights"] } },
  },
];

/** Every row, in table order. */
export const ABLATION_ROWS: readonly AblationRow[] = [
  {
    id: "floodfill",
    label: "Flood fill",
    change: "baseline: regions between strokes, matched by position and shape",
    source: "none",
  },
  ...REGION_MATCHER_KNOBS.map((k): AblationRow => ({
    id: k.id,
    label: k.label,
    change: k.change,
    source: "model",
    match: { ...k.match, matcher: "region" },
  })),
  ...PIPELINE_KNOBS.map((k, i): AblationRow => ({
    ...k,
    id: KNOB_IDS[i] || "paper",
    label: `Ours: ${KNOB_LABELS[i]}`,
    source: "model",
  })),
  {
    id: "m0",
    label: "Ours: w/o cross-attention (M=0)",
    change: "model trained without the Multiplex cross blocks (--weights-m0)",
    source: "m0",
  },
  {
    id: "auto-labels",
    label: "Ours: trained on auto-annotated labels",
    change: "model trained on lib/annotate's labels instead of exact ones (--weights-auto)",
    source: "auto",
  },
  {
    id: "budget-exact",
    label: "Ours: exact labels, the M=0 / auto runs' budget",
    change:
      "model trained like the M=0 and auto-label models (same pairs, steps, batch), M=2, exact labels (--weights-exact): their baseline",
    source: "exact",
  },
  ...PIPELINE_KNOBS.map((k, i): AblationRow => ({
    ...k,
    id: KNOB_IDS[i] ? `oracle-${KNOB_IDS[i]}` : "oracle",
    label: `Oracle: ${k.patchFactor === 2 ? "patch 32 (coarser grid)" : KNOB_LABELS[i]}`,
    change: i === 0
      ? "ground-truth similarities (upper bound of post-processing)"
      : k.patchFactor === 2
      ? "patch 32: ground truth on a grid of twice the patch side"
      : k.change,
    source: "oracle",
  })),
];

/** Row ids, in table order. */
export const ABLATION_IDS: readonly string[] = ABLATION_ROWS.map((r) => r.id);

/**
 * The rows named in a comma-separated list (all rows when empty), in table order; unknown ids are a
 * {@link UserError} listing the known ones.
 *
 * @example
 * ```ts
 * selectRows("oracle,floodfill"); // [floodfill row, oracle row]
 * ```
 */
export function selectRows(list?: string): AblationRow[] {
  if (!list || !list.trim()) return [...ABLATION_ROWS];
  const want = list.split(",").map((s) => s.trim()).filter((s) => s);
  const unknown = want.filter((id) => !ABLATION_IDS.includes(id));
  if (unknown.length) {
    throw new UserError(`unknown row(s) ${unknown.join(", ")} (known: ${ABLATION_IDS.join(", ")})`);
  }
  return ABLATION_ROWS.filter((r) => want.includes(r.id));
}

/** The models rows may use; a missing one skips its rows. */
export interface AblationModels {
  model?: SimilarityModel;
  m0?: SimilarityModel;
  auto?: SimilarityModel;
  /** The equal-budget baseline of `m0` and `auto`: trained like them, M = 2, exact labels. */
  exact?: SimilarityModel;
}

/** Options of {@link runAblation}. */
export interface AblationOptions {
  /** Input size and native patch of the oracle rows (the model's, so both share a grid). */
  oracleInputSize: number;
  oraclePatch: number;
  /** Why each model source is missing (shown in skipped rows). */
  missing: Partial<Record<ModelSource, string>>;
  /** Progress of each row's evaluation. */
  progress?: RunOptions["progress"];
  /** Called after each row (logging, live tables). */
  onRow?: (r: AblationResult, index: number) => void;
}

/** Defaults. */
export const ABLATION_DEFAULTS: AblationOptions = {
  oracleInputSize: 256, // the small preset's input (lib/model/config.ts SMALL)
  oraclePatch: 16, // its patch: 32 px of a 512-px frame, the release's patch in frame pixels
  missing: {
    model: "no model: pass --weights DIR",
    m0: "needs --weights-m0 DIR (a model trained with M = 0)",
    auto: "needs --weights-auto DIR (a model trained on auto-annotated labels)",
    exact: "needs --weights-exact DIR (the M=0 / auto runs' equal-budget baseline, exact labels)",
  },
};

/** A row's scores: Table 1 cross-image columns and Table 2 columns (intra-image means of a and b). */
export interface AblationResult {
  id: string;
  label: string;
  change: string;
  source: RowSource;
  status: "ok" | "skipped";
  note?: string;
  pairs: number;
  seconds: number;
  /** Cross-image patch scores (null without a similarity or when skipped). */
  patch: {
    ap: number;
    best_f1: number;
    precision: number;
    recall: number;
    top1: number;
    top5: number;
    intra_ap: number;
  } | null;
  /** Region scores (null when skipped). */
  region: {
    ari: number;
    miou_pg: number;
    miou_gp: number;
    cr: number;
    /** Region precision over all predicted matches, and over valid ones (both regions pure: the release's). */
    precision_all: number;
    precision_valid: number;
    /** Valid and all predicted matches per pair. */
    valid_matches: number;
    pred_matches: number;
    recall: number;
    pred_regions: number;
    gt_regions: number;
  } | null;
  /** Pooled cross-image PR curve (null without a similarity). */
  pr_cross: CurvePoints | null;
}

/** The row's scores from an evaluation. */
export function rowScores(m: EvalMetrics): Pick<AblationResult, "patch" | "region" | "pr_cross"> {
  const r = m.region, mean = (x: number, y: number) => (x + y) / 2;
  return {
    patch: m.patch
      ? {
        ap: m.patch.cross.ap,
        best_f1: m.patch.cross.best_f1,
        precision: m.patch.cross.precision,
        recall: m.patch.cross.recall,
        top1: m.patch.cross.top1,
        top5: m.patch.cross.top5,
        intra_ap: mean(m.patch.intra_a.ap, m.patch.intra_b.ap),
      }
      : null,
    region: {
      ari: mean(r.intra_a.ari, r.intra_b.ari),
      miou_pg: mean(r.intra_a.miou_pg, r.intra_b.miou_pg),
      miou_gp: mean(r.intra_a.miou_gp, r.intra_b.miou_gp),
      cr: mean(r.intra_a.cr, r.intra_b.cr),
      precision_all: r.cross.precision_all,
      precision_valid: r.cross.precision_valid,
      valid_matches: r.cross.valid_matches,
      pred_matches: r.cross.pred_matches,
      recall: r.cross.recall,
      pred_regions: mean(r.intra_a.pred_regions, r.intra_b.pred_regions),
      gt_regions: mean(r.intra_a.gt_regions, r.intra_b.gt_regions),
    },
    pr_cross: m.pr_curves?.cross ?? null,
  };
}

/**
 * Runs the rows over `pairs` of the dataset at `root`.
 *
 * @example
 * ```ts
 * const results = await runAblation("data/test-clean", pairs, selectRows("floodfill,oracle"), {});
 * console.log(ablationTable(results));
 * ```
 */
export async function runAblation(
  root: string,
  pairs: readonly PairRef[],
  rows: readonly AblationRow[],
  models: AblationModels,
  opts: Partial<AblationOptions> = {},
): Promise<AblationResult[]> {
  const o: AblationOptions = {
    ...ABLATION_DEFAULTS,
    ...opts,
    missing: { ...ABLATION_DEFAULTS.missing, ...opts.missing },
  };
  // Rows of one model share its forward pass per pair.
  const cached: AblationModels = {};
  for (const k of MODEL_SOURCES) if (models[k]) cached[k] = cachedSimilarity(models[k]!);
  const out: AblationResult[] = [];
  for (const row of rows) {
    const base = { id: row.id, label: row.label, change: row.change, source: row.source };
    const score = row.score ?? "sigmoid";
    // Every knob is a change to the paper's pipeline (patch regions), whatever the toolkit's default mode is;
    // the region matcher's rows are changes to its own default (stroke regions).
    const regionMatcher = row.match?.matcher === "region";
    const match: Partial<MatchPairOptions> = {
      regions: regionMatcher ? "auto" : "patches",
      ...row.match,
      score,
    };
    let result: AblationResult;
    const model = isModelSource(row.source) ? cached[row.source] : undefined;
    if (row.source !== "none" && row.source !== "oracle" && !model) {
      result = {
        ...base,
        status: "skipped",
        note: o.missing[row.source],
        pairs: 0,
        seconds: 0,
        patch: null,
        region: null,
        pr_cross: null,
      };
    } else {
      const factor = row.patchFactor ?? 1;
      const predict = row.source === "none"
        ? floodFillMethod()
        : regionMatcher
        ? regionMatcherPredictor(model!, match)
        : row.source === "oracle"
        ? oraclePredictor({ inputSize: o.oracleInputSize, patch: o.oraclePatch * factor }, match)
        : pipelinePredictor(modelSource(model!, model!.config.patch * factor), match);
      const t0 = performance.now();
      const m = await evaluateDataset(root, pairs, predict, { score, label: row.id, progress: o.progress });
      result = {
        ...base,
        status: "ok",
        pairs: m.pairs,
        seconds: (performance.now() - t0) / 1000,
        ...rowScores(m),
      };
    }
    out.push(result);
    o.onRow?.(result, out.length - 1);
  }
  return out;
}

/**
 * The ablation as a markdown table: Table 1's cross-image AP, best F1 and top-1 (percentages), Table 2's ARI,
 * mIoU both ways (percentages), CR (raw; intra-image values are the means of a and b) and region precision and
 * recall; seconds per pair; skipped rows keep their place with their note.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile("ablation.md", ablationTable(results, { caption: "test-clean, 60 pairs" }));
 * ```
 */
export function ablationTable(results: readonly AblationResult[], opts: { caption?: string } = {}): string {
  const header = [
    "Row",
    "Change",
    "AP",
    "Best F1",
    "Top-1",
    "ARI",
    "mIoU (P→G)",
    "mIoU (G→P)",
    "CR",
    "Region P (all)",
    "Region P (valid)",
    "Valid / pred. matches",
    "Region R",
    "s/pair",
  ];
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const lines = [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i < 2 ? " --- " : " ---: ")).join("|")}|`,
  ];
  for (const r of results) {
    const cells = r.status === "skipped"
      ? [r.label, `${r.change} — skipped: ${r.note ?? "not run"}`, ...Array(12).fill("–")]
      : [
        r.label,
        r.change,
        pct(r.patch?.ap),
        pct(r.patch?.best_f1),
        pct(r.patch?.top1),
        pct(r.region?.ari),
        pct(r.region?.miou_pg),
        pct(r.region?.miou_gp),
        raw(r.region?.cr),
        pct(r.region?.precision_all),
        pct(r.region?.precision_valid),
        r.region ? `${r.region.valid_matches.toFixed(1)} / ${r.region.pred_matches.toFixed(1)}` : "–",
        pct(r.region?.recall),
        r.pairs > 0 ? (r.seconds / r.pairs).toFixed(2) : "–",
      ];
    lines.push(`| ${cells.map(esc).join(" | ")} |`);
  }
  lines.push(
    "",
    opts.caption ??
      "Percentages except CR (raw) and s/pair; AP, best F1 and top-1 are cross-image patch scores (Table 1), ARI, mIoU and CR the means over both images of a pair, region precision over all predicted matches and over valid ones (both regions of purity >= 0.8, the release's), recall over true match groups (Table 2).",
  );
  return lines.join("\n") + "\n";
}
