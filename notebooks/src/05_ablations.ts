// %% [markdown]
// # 05 · Baselines and ablations, one knob per cell
//
// Every row changes one thing from the paper's pipeline (the shipped model, `patches` regions, edge-aware
// merging, watershed, sigmoid scores, 16-px tokens) and is measured on the same pairs of both test splits with
// the columns of Tables 1 and 2: cross-image patch AP, best F1 and top-1; ARI, mIoU both ways and CR (means
// over the two images of a pair); region precision and recall (purity >= 0.8).
//
// First the toolkit's default, the **region matcher** (the shipped model's tokens pooled per stroke region,
// matched with geometry, neighbourhood, Sinkhorn with a dustbin and a coarse alignment; `MATCHER_DEFAULTS` in
// lib/match/region_matcher.ts, chosen on the validation splits), and one of its knobs changed per row: its regions
// (`lines` instead of `strokes`), without the alignment, without the neighbourhood term (`deno task ablate` also
// has rows without the local warp and without adjacency consistency).
//
// The same paper-pipeline knobs run on the **oracle** (ground-truth patch similarities) show what each
// post-processing step does apart from the model. **Flood fill** is the no-learning baseline. The models trained without
// cross-attention (M = 0) and on auto-annotated labels are short runs (`experiments/abl-m0`, `abl-auto`), compared
// with a run of the same budget on exact labels (`experiments/abl-exact`), not with the shipped model's long run.
//
// Run the cells in order, or change one knob in its cell and run that cell and the table cells again; a row of
// your own (its own id) joins the summary table and chart (see "A row of your own"). The command line gives the
// same table: `deno task ablate --data data/test-clean --out out/ablation-clean` (`--merge-threshold`,
// `--match-threshold` as the knobs below).
//
// Times: the model's forward pass is run once per pair and model before the rows and timed apart (its similarity,
// and its tokens for the region matcher); every row's s/pair is then its own post-processing, matching and
// scoring, so rows compare. Patch 32 is the exception: its
// pooled tokens need a forward pass of their own, which its time includes.

// %%
// Knobs: edit, then run the notebook again. Relative paths are from the repository root, whatever the kernel's
// working folder. Without the data a small set is generated in its place (the first output line says so).
const DATA = "data"; // folder holding the test splits test-clean/ and test-hand/ (deno task generate, README)
const WEIGHTS = "experiments/small-v1"; // the model of the "Ours" rows
const BUDGET_WEIGHTS = {
  exact: "experiments/abl-exact",
  m0: "experiments/abl-m0",
  auto: "experiments/abl-auto",
};
const PAIRS = 40; // pairs per split, spread over it (every character of a 60-pair split; ~10 min in all); 0: all
const MERGE_THRESHOLD = 0.72; // patch merging (and hybrid grouping): both directed similarities >= this (sigmoid)
const MATCH_THRESHOLD = 0.6; // region matching: the partner's region similarity >= this (sigmoid)
// Region mode: each row sets its own (the paper's `patches` unless the row is about another mode).

import {
  ABLATION_ROWS,
  type AblationModels,
  type AblationResult,
  type AblationRow,
  ablationTable,
  barFigure,
  cachedSimilarity,
  hasPairTokens,
  type LoadedModel,
  loadFrame,
  MATCHER_DEFAULTS,
  MATCHING_DEFAULTS,
  type MatchPairOptions,
  notebookModel,
  notebookSplits,
  PATCH_MERGE_DEFAULTS,
  prCurveFigure,
  REGION_DEFAULTS,
  runAblation,
  showMarkdown,
  showPlot,
  showTable,
  showText,
  type SimilarityModel,
  withSummary,
} from "mangamatch";

const SMALL = Deno.env.get("MANGAMATCH_NB_SMALL") === "1"; // the test command's tiny run
const splits = await notebookSplits({ data: DATA, pairs: SMALL ? 0 : PAIRS, small: SMALL });
const loaded = await notebookModel(WEIGHTS);
/** The thresholds of the knobs, under a row's own pipeline options (a row that sets one keeps its own). */
const withKnobs = (row: AblationRow): AblationRow => ({
  ...row,
  match: {
    ...row.match,
    region: {
      ...row.match?.region,
      merge: { ...PATCH_MERGE_DEFAULTS, threshold: MERGE_THRESHOLD, ...row.match?.region?.merge },
      hybrid: { ...REGION_DEFAULTS.hybrid, threshold: MERGE_THRESHOLD, ...row.match?.region?.hybrid },
    },
    matching: { ...MATCHING_DEFAULTS, threshold: MATCH_THRESHOLD, ...row.match?.matching },
  } as Partial<MatchPairOptions>,
});
const grid = {
  oracleInputSize: loaded?.model.config.inputSize ?? 256,
  oraclePatch: loaded?.model.config.patch ?? 16,
};

/** Runs every pair's forward pass once (kept by `cachedSimilarity`), timed apart from the rows. */
async function warm(model: SimilarityModel, name: string): Promise<void> {
  for (const s of splits) {
    const t0 = performance.now();
    for (const p of s.pairs) {
      const [a, b] = await Promise.all([
        loadFrame(s.root, p.dir, p.reference),
        loadFrame(s.root, p.dir, p.target),
      ]);
      await model.similarity(a.line, b.line);
      if (hasPairTokens(model)) await model.pairTokens(a.line, b.line); // the region matcher's rows read these
    }
    const sec = (performance.now() - t0) / 1000;
    await showText(
      `${name}, ${s.name}: forward pass of ${s.pairs.length} pairs in ${sec.toFixed(1)} s ` +
        `(${(sec / s.pairs.length).toFixed(2)} s/pair, not in the rows' times)`,
    );
  }
}
/** One forward pass per pair, shared by every model row. */
const models: AblationModels = loaded ? { model: cachedSimilarity(loaded.model) } : {};
if (models.model) await warm(models.model, "model");

/** Results by split, then by row id, in the order rows ran (a rerun of a cell replaces its row). */
const results = new Map<string, Map<string, AblationResult>>(splits.map((s) => [s.name, new Map()]));
/** A row of the table by id (the defaults; cells below override its knob). */
const rowOf = (id: string): AblationRow => {
  const r = ABLATION_ROWS.find((r) => r.id === id);
  if (!r) throw new Error(`no ablation row "${id}" (rows: ${ABLATION_ROWS.map((r) => r.id).join(", ")})`);
  return r;
};
const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "–" : (100 * v).toFixed(2));

/** Runs one row on every split, then shows its line per split: the cell ends with the row's table. */
async function run(row: AblationRow, using: AblationModels = models): Promise<void> {
  for (const s of splits) {
    const [r] = await withSummary(
      () =>
        runAblation(s.root, s.pairs, [withKnobs(row)], using, {
          ...grid,
          progress: "notebook",
          missing: { model: `no model (${WEIGHTS})` },
        }),
      ([r], sec) =>
        r.status === "skipped"
          ? `${row.id}, ${s.name}: skipped (${r.note})`
          : `${row.id}, ${s.name}: ${r.pairs} pairs in ${sec.toFixed(1)} s`,
    );
    results.get(s.name)!.set(row.id, r);
  }
  await showTable(splits.map((s) => {
    const r = results.get(s.name)!.get(row.id)!;
    return r.status === "skipped" ? { split: s.name, row: row.label, note: `skipped: ${r.note}` } : {
      split: s.name,
      row: row.label,
      "patch AP": pct(r.patch?.ap),
      ARI: pct(r.region?.ari),
      "mIoU G→P": pct(r.region?.miou_gp),
      CR: r.region!.cr.toFixed(2),
      "region P (all)": pct(r.region?.precision_all),
      "region P (valid)": pct(r.region?.precision_valid),
      "region R": pct(r.region?.recall),
      "s/pair": (r.seconds / r.pairs).toFixed(2),
    };
  }));
}

// %% [markdown]
// ## Flood fill (baseline)
// Regions are the 4-connected areas between strokes; matched one-to-one by centroid, area and box shape.

// %%
await run(rowOf("floodfill"));

// %% [markdown]
// ## The region matcher (the toolkit's default)
// Stroke regions at each drawing's resolution; per region the model's tokens pooled bilinearly inside it, its
// neighbours' pooled tokens, its position, size and shape; scores into Sinkhorn with a dustbin (a region may have no
// counterpart); a coarse alignment from confident matches, then scores again (2 rounds); a match where the plan's
// probability reaches 0.4. Its own defaults: the merge and match thresholds of the knobs above are the paper
// pipeline's and do not apply.

// %%
await run(rowOf("region"));

// %% [markdown]
// ## Region matcher on `lines` regions
// The same matcher on line-enclosed regions (gaps closed by trapped balls, no stroke-endpoint test).

// %%
await run({ ...rowOf("region-lines"), match: { matcher: "region", regions: "lines" } });

// %% [markdown]
// ## Region matcher without the alignment
// No affine fit from confident matches and no second scoring: positions are compared as drawn.

// %%
await run({ ...rowOf("region-no-align"), match: { matcher: "region", regionMatcher: { alignRounds: 0 } } });

// %% [markdown]
// ## Region matcher without the neighbourhood term
// Each region scored on its own descriptor and geometry only (neighbour weight 0 instead of 1.5).

// %%
await run({
  ...rowOf("region-no-neighbour"),
  match: { matcher: "region", regionMatcher: { weights: { ...MATCHER_DEFAULTS.weights, neighbour: 0 } } },
});

// %% [markdown]
// ## The paper's pipeline
// Merge 8-neighbour patches whose similarity is >= 0.72 both ways and whose shared border crosses no stroke,
// grow the clusters along the edge map by watershed, merge small regions, match regions both ways (>= 0.6).

// %%
await run(rowOf("paper"));

// %% [markdown]
// ## Region mode: `lines`
// Regions outlined by the strokes themselves (gaps closed), each matched by the similarity of its patches.

// %%
await run({ ...rowOf("lines"), match: { regions: "lines" } });

// %% [markdown]
// ## Region mode: `hybrid`
// Line-enclosed regions grouped by the learned intra-image similarity, then matched.

// %%
await run({ ...rowOf("hybrid"), match: { regions: "hybrid" } });

// %% [markdown]
// ## Without edge-aware merging
// Patches merge on similarity alone, across strokes too.

// %%
await run({ ...rowOf("no-edge-merge"), match: { edgeAwareMerge: false } });

// %% [markdown]
// ## Without watershed
// The merged patch clusters are the regions: blocky, 32 frame pixels per step.

// %%
await run({ ...rowOf("no-watershed"), match: { watershed: false } });

// %% [markdown]
// ## Patch 32: tokens averaged 2x2
// The release's default: the final 16-px tokens averaged over 2x2 blocks before normalisation (here: the
// model's L2-normalised features, pooled and renormalised, until lib/model gives pre-normalisation tokens).

// %%
await run({ ...rowOf("patch32"), patchFactor: 2 });

// %% [markdown]
// ## Scores: cosine + row softmax (the paper) instead of sigmoid (the release)
// The paper's S is a row-wise softmax of the cosines; the release thresholds sigmoid(cosine). Patch AP changes
// because a softmax is normalised per row; the pipeline's thresholds (0.72, 0.6) are on the sigmoid scale and
// stay as they are.

// %%
await run({ ...rowOf("softmax"), score: "softmax" });

// %% [markdown]
// ## Training ablations at equal budget: no cross-attention, auto-annotated labels
// Three short runs with the same pairs, steps and batch (300 pairs of each training split whose references are
// frames 0000 and 0004, 400 steps of 4 pairs, the rest as `small`):
// `deno task train --data data/exact-sub-clean,data/exact-sub-hand --out experiments/abl-exact --steps 400 --batch 4`,
// the same with `--model '{"mtLayers":0}'` (M = 0, `abl-m0`), and on the same pairs annotated by `deno task
// annotate` from their coloured frames (`abl-auto`). Each through the paper's pipeline. Skipped when the weights
// are missing.

// %%
const budget: AblationModels = {}, budgetLoaded: LoadedModel[] = [];
for (const [k, dir] of Object.entries(BUDGET_WEIGHTS) as [keyof typeof BUDGET_WEIGHTS, string][]) {
  const l = await notebookModel(dir, { label: `${k} model` });
  if (!l) continue;
  budgetLoaded.push(l);
  budget[k] = cachedSimilarity(l.model);
  await warm(budget[k]!, `${k} model`);
}
await run(rowOf("budget-exact"), budget);
await run(rowOf("m0"), budget);
await run(rowOf("auto-labels"), budget);

// %% [markdown]
// ## The oracle, with the same knobs
// Ground-truth similarities: the patch scores are perfect, so each row shows what post-processing alone keeps.

// %%
// Every oracle row of the table, whichever rows lib/eval defines.
for (const row of ABLATION_ROWS.filter((r) => r.source === "oracle")) await run(row);

// %% [markdown]
// ## A row of your own
// Any row with its own id joins the summary table and the chart below. Here: the paper's pipeline with a stricter
// matching threshold (0.7 instead of the knob's), to see what precision it buys and what recall it costs.

// %%
await run({
  id: "match-0.7",
  label: "Ours: paper pipeline, match threshold 0.7",
  change: "region matching threshold 0.7 (the release: 0.6)",
  source: "model",
  match: { matching: { ...MATCHING_DEFAULTS, threshold: 0.7 } },
});

// %% [markdown]
// ## The table
// Rows in the order of `deno task ablate`.

// %%
/** Every row that ran on a split: the library's rows in table order, then rows of your own in the order they ran. */
const ordered = (split: string): AblationResult[] => {
  const got = results.get(split)!, known = new Set(ABLATION_ROWS.map((r) => r.id));
  return [
    ...ABLATION_ROWS.map((r) => got.get(r.id)).filter((r): r is AblationResult => !!r),
    ...[...got.values()].filter((r) => !known.has(r.id)),
  ];
};
for (const s of splits) {
  await showMarkdown(
    `### ${s.name} (${s.pairs.length} pairs)\n\n` +
      ablationTable(ordered(s.name), {
        caption:
          "Percentages except CR (raw) and s/pair. AP, best F1, top-1: cross-image patches (Table 1); " +
          "ARI, mIoU, CR: means over both images; region P/R at purity >= 0.8 (Table 2). " +
          `Thresholds: merge ${MERGE_THRESHOLD}, match ${MATCH_THRESHOLD} unless the row says otherwise. ` +
          "s/pair: post-processing, matching and scoring (the forward pass is timed above; patch 32 includes its own).",
      }),
  );
}

// %% [markdown]
// ## Region precision and recall per row

// %%
for (const s of splits) {
  const ok = ordered(s.name).filter((r) => r.status === "ok");
  await showPlot(barFigure([
    {
      name: "region precision (all)",
      x: ok.map((r) => r.label),
      y: ok.map((r) => 100 * r.region!.precision_all),
    },
    { name: "region recall", x: ok.map((r) => r.label), y: ok.map((r) => 100 * r.region!.recall) },
    { name: "ARI", x: ok.map((r) => r.label), y: ok.map((r) => 100 * r.region!.ari) },
  ], { title: `Region level, ${s.name} (${s.pairs.length} pairs)`, yTitle: "%" }));
}

// %% [markdown]
// ## Cross-image PR curves of the model rows
// One curve per distinct similarity: rows that change only post-processing or matching share the paper row's
// curve (named once, with how many rows share it); patch 32, softmax and the other models have their own. The
// region matcher's rows read the same similarity as the paper's row (from the same tokens), so they add no curve.

// %%
for (const s of splits) {
  const groups = new Map<string, AblationResult[]>();
  for (const r of ordered(s.name)) {
    if (r.status !== "ok" || !r.pr_cross || r.source === "oracle" || r.id.startsWith("region")) continue;
    const row = ABLATION_ROWS.find((x) => x.id === r.id);
    const key = `${r.source}|${row?.patchFactor ?? 1}|${row?.score ?? "sigmoid"}|${r.patch?.ap}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  if (!groups.size) {
    await showMarkdown(`*${s.name}: no model rows ran (no model).*`);
    continue;
  }
  await showPlot(prCurveFigure(
    [...groups.values()].map((g) => ({
      name: g.length > 1 ? `${g[0].label} (+${g.length - 1} rows, same similarities)` : g[0].label,
      ...g[0].pr_cross!,
      ap: g[0].patch!.ap,
    })),
    `Cross-image patch PR curves, ${s.name} (${s.pairs.length} pairs)`,
  ));
}

// %%
loaded?.model.dispose();
for (const l of budgetLoaded) l.model.dispose();
