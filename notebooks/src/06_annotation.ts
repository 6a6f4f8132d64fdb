// %% [markdown]
// # 06 · Automatic annotation from coloured frames
//
// The paper trains its hand-drawn model on labels made automatically from coloured line art ("Automatically
// Annotated Training Datasets"). `deno task annotate` does the same here:
//
// 1. **Intra-image segmentation** of each coloured frame: its opaque, non-line pixels are clustered into K
//    dominant colours (weighted k-means with k-means++ seeding, over the colour histogram), connected regions
//    of one colour are found with the line art's ink excluded (gaps of up to 4 px in the strokes closed), and
//    small or thin fragments are merged into the neighbour with the best `border x colour similarity` (a
//    border without a stroke counts more than one across a stroke).
// 2. **Cross-image matching**: ORB keypoints and mutual nearest neighbours (OpenCV.js, since LightGlue's
//    weights cannot be had here), a local-consistency check instead of one global homography (characters
//    deform), each match expanded to its 5x5 neighbourhood, points whose colour is far from their region's mean
//    dropped, and each region takes the target region most points land in (then target regions still
//    unmatched vote back). A coarse rule pass pairs the regions still unmatched by colour, position in the
//    character's box and size, when the two choose each other.
// 3. Matched regions share a **pseudo label**; each pair becomes one PBC character folder that `train` reads
//    unchanged.
//
// Below, the annotation is scored against the generator's exact labels for both line styles, with the
// evaluation's own metrics (`lib/eval`), and pictured like the paper's Figure 4. Then the real frames.

// %%
// Knobs: edit, then run the notebook again. Relative paths are from the repository root, whatever the kernel's
// working folder. Without the data a small set is generated in its place (the first output line says so). The
// annotation uses no model, so there are no weights, matching-threshold or region-mode knobs here.
const DATA = "data"; // folder holding the test splits test-clean/ and test-hand/ (deno task generate, README)
const GENERATED_PAIRS = 48; // pairs of each style generated when the splits are missing

import * as path from "node:path";
import {
  annotate,
  barFigure,
  exists,
  fromRepo,
  generate,
  grayToRgb,
  loadFrame,
  overlayLines,
  paintLabels,
  patchLabels,
  type PbcFrame,
  readGray,
  readPairsCsv,
  readRgba,
  realDataDir,
  resolvePairs,
  type RgbImage,
  segmentationMetrics,
  shortPath,
  showImages,
  showMarkdown,
  showPlot,
  showTable,
  showText,
  withSummary,
} from "mangamatch";
const {
  annotateDataset,
  annotatePair,
  annotationQuality,
  correspondencePictures,
  keypointImage,
  matchKeypoints,
  regionMapOf,
  segmentColorFrame,
  selectMatches,
  verifyLocalConsistency,
} = annotate;
type PairAnnotation = annotate.PairAnnotation;
type PairQuality = annotate.PairQuality;
type QualitySummary = annotate.QualitySummary;

const SMALL = Deno.env.get("MANGAMATCH_NB_SMALL") === "1"; // the test command's tiny run
const tmp = await Deno.makeTempDir({ prefix: "mm-nb06-" });
// The evaluation sets when they exist (300 pairs each, 512 px); else (and in the test command's run) a fresh set.
const roots: Record<string, string> = {};
const lines: string[] = [];
for (const [style, seed] of [["clean", 1], ["hand-drawn", 2]] as const) {
  const given = path.join(fromRepo(DATA), style === "clean" ? "test-clean" : "test-hand");
  if (!SMALL && await exists(path.join(given, "pairs.csv"))) {
    roots[style] = given;
    lines.push(`${style}: ${shortPath(given)} (${(await readPairsCsv(path.join(given, "pairs.csv"))).length} pairs)`);
  } else {
    roots[style] = path.join(tmp, style);
    const n = SMALL ? 3 : GENERATED_PAIRS;
    await generate.generateDataset({
      out: roots[style],
      pairs: n,
      style,
      seed,
      size: SMALL ? 256 : 512,
      gap: 7,
      framesPerCharacter: 15,
      progress: "off",
    });
    lines.push(
      `${style}: ${SMALL ? "MANGAMATCH_NB_SMALL=1 (the test command's size)" : `${shortPath(given)} not found`}: ` +
        `generated ${n} pairs here instead`,
    );
  }
}
await showText(`data: ${lines.join("; ")}`);

// %% [markdown]
// ## Quality against the exact labels
// Per frame: **ARI** over the exact regions' pixels, **mIoU P→G** (each pseudo region's best IoU with an exact
// region), **mIoU G→P** (each exact region's best IoU with a pseudo region), **CR** (pseudo / exact region
// count). Per pair: region **precision** and **recall** of the pseudo matches (a pseudo region stands for the
// exact segment holding ≥ 80% of it; recall counts exact correspondence groups covered). "votes only" leaves
// out the coarse pass. The "≥ 141 px" rows score only exact regions large enough to label one 16x16 patch at
// the 55% rule: the exact segmentations hold many slivers of a few pixels where strokes cross, which no colour
// segmentation keeps and no patch can learn from.

// %%
const results: Record<string, { pairs: PairQuality[]; summary: QualitySummary }> = {};
const examples: Record<
  string,
  { ann: PairAnnotation; exact: { a: PbcFrame; b: PbcFrame }; q: PairQuality }[]
> = {};
for (const style of Object.keys(roots)) {
  examples[style] = [];
  results[style] = await withSummary(
    () =>
      annotationQuality(roots[style], {
        onPair: (q, ann, exact) => {
          if (examples[style].length < 2) examples[style].push({ ann, exact, q });
        },
      }),
    (r, sec) => `annotation quality, ${style}: ${r.summary.pairs} pairs in ${sec.toFixed(1)} s`,
  );
}
const pct = (v: number) => (100 * v).toFixed(1);
await showTable({
  header: [
    "line style",
    "pairs",
    "regions",
    "ARI",
    "mIoU P→G",
    "mIoU G→P",
    "CR",
    "precision",
    "recall",
    "P (votes only)",
    "R (votes only)",
    "unmatched",
    "ms / pair",
  ],
  rows: Object.entries(results).map(([style, { summary: s }]) => [
    style,
    s.pairs,
    `${s.predRegions.toFixed(0)} / ${s.gtRegions.toFixed(0)}`,
    pct(s.ari),
    pct(s.miou_pg),
    pct(s.miou_gp),
    s.cr.toFixed(2),
    pct(s.precision),
    pct(s.recall),
    pct(s.precisionVotes),
    pct(s.recallVotes),
    pct(s.unmatchedShare) + "%",
    s.msPerPair.toFixed(0),
  ]),
});
await showTable({
  header: [
    "line style (exact regions ≥ 141 px)",
    "exact regions",
    "ARI",
    "mIoU P→G",
    "mIoU G→P",
    "CR",
    "precision",
    "recall",
  ],
  rows: Object.entries(results).map(([style, { summary: { large: l } }]) => [
    style,
    l.gtRegions.toFixed(0),
    pct(l.ari),
    pct(l.miou_pg),
    pct(l.miou_gp),
    l.cr.toFixed(2),
    pct(l.precision),
    pct(l.recall),
  ]),
});

// %% [markdown]
// Where the matches come from (summed over all pairs): keypoint votes, target regions voting back, and the
// coarse pass; and the keypoint funnel (ORB points, mutual nearest neighbours, matches kept by the local
// consistency check).

// %%
{
  const rows = Object.entries(results).map(([style, r]) => {
    const t = (k: keyof PairQuality["stats"]) => r.pairs.reduce((s, q) => s + q.stats[k], 0) / r.pairs.length;
    return [
      style,
      t("keypointsA").toFixed(0),
      t("pointMatches").toFixed(0),
      t("verifiedMatches").toFixed(0),
      t("byVotes").toFixed(1),
      t("byReverseVotes").toFixed(1),
      t("byCoarse").toFixed(1),
      t("labels").toFixed(1),
    ];
  });
  await showTable({
    header: [
      "line style",
      "ORB points / frame",
      "mutual NN",
      "verified",
      "by votes",
      "by reverse votes",
      "coarse",
      "pseudo labels",
    ],
    rows,
  });
  await showPlot(barFigure(
    Object.entries(results).map(([style, { summary: s }]) => ({
      name: style,
      x: ["ARI", "mIoU P→G", "mIoU G→P", "precision", "recall", "precision ≥141px", "recall ≥141px"],
      y: [s.ari, s.miou_pg, s.miou_gp, s.precision, s.recall, s.large.precision, s.large.recall],
    })),
    { title: "automatic annotation vs exact labels", yTitle: "fraction" },
  ));
}

// %% [markdown]
// ## Automatic vs exact (the paper's Figure 4)
// For each pair: top row the automatic annotation, bottom row the exact labels. **The same colour in both frames
// means matched regions**; grey regions have no partner in the other frame. (Colours of the two rows are
// independent: pseudo labels and exact labels are different numberings.)

// %%
for (const [style, list] of Object.entries(examples)) {
  for (const { ann, exact, q } of list) {
    const [autoA, autoB] = correspondencePictures(
      { seg: ann.a.seg, labelOfSeg: ann.labelsA, line: exact.a.line },
      { seg: ann.b.seg, labelOfSeg: ann.labelsB, line: exact.b.line },
    );
    const [exA, exB] = correspondencePictures(
      { seg: exact.a.seg, labelOfSeg: exact.a.labelOfSeg!, line: exact.a.line },
      { seg: exact.b.seg, labelOfSeg: exact.b.labelOfSeg!, line: exact.b.line },
    );
    const id = `${style} ${q.pair.dir} ${q.pair.reference}→${q.pair.target}`;
    await showMarkdown(
      `**${id}**: ARI ${pct(q.segA.ari)} / ${pct(q.segB.ari)}, precision ${pct(q.match.precision_valid)}, recall ${
        pct(q.match.recall)
      }`,
    );
    await showImages([autoA, autoB, exA, exB], {
      titles: ["automatic, frame i", "automatic, frame i+7", "exact, frame i", "exact, frame i+7"],
      width: 240,
    });
  }
}

// %% [markdown]
// ## The output is a training set
// `annotateDataset` (what `deno task annotate` runs) on two pairs: one character folder per pair, read back with
// the same `resolvePairs` / `loadFrame` / `patchLabels` that training uses. Patches of the two frames with the
// same pseudo label are positives.

// %%
{
  const out = path.join(tmp, "pseudo");
  const r = await annotateDataset(roots["hand-drawn"], out, { limit: 2 });
  const pairs = await resolvePairs(out);
  await showText(
    `wrote ${shortPath(out)}: ${r.pairs.length} pairs -> ${pairs.map((p) => `${p.dir}:${p.reference},${p.target}`).join(" ")}`,
  );
  const fa = await loadFrame(out, pairs[0].dir, pairs[0].reference),
    fb = await loadFrame(out, pairs[0].dir, pairs[0].target);
  const la = patchLabels(fa.seg, fa.labelOfSeg, { rows: 16, cols: 16 }),
    lb = patchLabels(fb.seg, fb.labelOfSeg, { rows: 16, cols: 16 });
  const shared = new Set([...la].filter((l) => l >= 0 && lb.includes(l)));
  await showText(
    `16x16 patch grid: ${la.filter((l) => l >= 0).length} / ${
      lb.filter((l) => l >= 0).length
    } labelled patches, ${shared.size} pseudo labels present in both frames`,
  );
}

// %% [markdown]
// ## Real frames
// **PaintBucket-Character sample (Char0242)**: one real 3-D-rendered frame with its colour frame and exact
// segments: the intra-image segmentation can be scored on it (there is no second frame, so no matching).
//
// **laughing_girl** (hand-drawn, 1600x1600): only frame 0000 is coloured; frames 0001-0003 are line art only.
// The pipeline can segment frame 0000 from its colours. It cannot annotate a pair: the cross-image step votes
// with regions of *both* frames and filters points by colour on both sides, and an uncoloured frame has no
// colour regions (`annotate` stops with "frame has no coloured version"). What remains possible is shown:
// keypoint matches between the line art of 0000 and 0001 (ORB on the line art alone), which a region
// segmentation of the uncoloured frame (e.g. the model's, `lib/regions`) could turn into votes.

// %%
const real = realDataDir();
if (!real) {
  await showMarkdown("_`../shared/real` is not present: real frames skipped._");
} else {
  const pbc = path.join(real, "pbc-sample");
  if (await exists(path.join(pbc, "Char0242", "gt", "0242.png"))) {
    const ex = await loadFrame(pbc, "Char0242", "0242");
    const color = await readRgba(path.join(pbc, "Char0242", "gt", "0242.png"));
    const t0 = performance.now();
    const s = segmentColorFrame(color, ex.line);
    const ms = performance.now() - t0;
    const m = segmentationMetrics(regionMapOf(s.seg), ex.seg, ex.labelOfSeg);
    await showTable([{
      frame: "PBC Char0242 (1920x1920)",
      "pseudo regions": s.count - 2,
      "exact regions": m.gt_regions,
      ARI: pct(m.ari),
      "mIoU P→G": pct(m.miou_pg),
      "mIoU G→P": pct(m.miou_gp),
      CR: m.cr.toFixed(2),
      ms: ms.toFixed(0),
    }]);
    await showImages([
      color as unknown as RgbImage,
      overlayLines(paintLabels(s.seg, { white: [1], black: [0] }), ex.line),
      overlayLines(paintLabels(ex.seg, { white: [1], black: [0] }), ex.line),
    ], { titles: ["colour frame", "automatic segments", "exact segments"], width: 280 });
  }
  const lg = path.join(real, "hand-drawn", "laughing_girl");
  if (await exists(path.join(lg, "gt", "0000.png"))) {
    const color = await readRgba(path.join(lg, "gt", "0000.png"));
    const lines = await Promise.all(
      ["0000", "0001", "0002", "0003"].map((f) => readGray(path.join(lg, "line", `${f}.png`))),
    );
    const t0 = performance.now();
    const s = segmentColorFrame(color, lines[0]);
    const segMs = performance.now() - t0;
    await showImages([
      color as unknown as RgbImage,
      overlayLines(paintLabels(s.seg, { white: [1], black: [0] }), lines[0]),
      grayToRgb(lines[1]),
    ], {
      titles: [
        `colour frame 0000`,
        `automatic segments: ${s.count - 2} regions (${segMs.toFixed(0)} ms)`,
        "frame 0001: line art only",
      ],
      width: 280,
    });
    const rows = [];
    for (const k of [1, 2, 3]) {
      const a = { color, line: lines[0] }, b = { color, line: lines[k] };
      const raw = await matchKeypoints(keypointImage(a, "line"), keypointImage(b, "line"));
      const kept = selectMatches(raw, verifyLocalConsistency(raw, { side: 1600 }));
      const d = Array.from(kept.ax, (x, i) => Math.hypot(kept.bx[i] - x, kept.by[i] - kept.ay[i])).sort((
        p,
        q,
      ) => p - q);
      rows.push({
        pair: `0000 → 000${k}`,
        "ORB points": `${raw.keypointsA} / ${raw.keypointsB}`,
        "mutual NN": raw.ax.length,
        verified: kept.ax.length,
        "median shift (px)": d.length ? d[d.length >> 1].toFixed(1) : "-",
      });
    }
    await showTable(rows);
    // A self-check that the whole pipeline runs on the real coloured frame: frame 0000 against itself.
    const self = await annotatePair({ color, line: lines[0] }, { color, line: lines[0] });
    await showText(
      `0000 against itself: ${self.stats.byVotes} of ${self.stats.segmentsA} regions matched by votes, ${self.stats.byCoarse} coarse, ${self.stats.unmatchedA} unmatched (every match should be region i -> region i: ${
        self.matches.every((m) => m.a === m.b)
      })`,
    );
  }
}

// %%
await Deno.remove(tmp, { recursive: true });
