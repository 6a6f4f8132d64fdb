// %% [markdown]
// # 04 · Qualitative results: segmentation, matching and colourisation (the paper's Figure 7)
//
// Pictures in the paper's style: **one colour per matched group of regions, the same colour in both drawings;
// unmatched regions grey; background white; strokes on top.** For each pair:
//
// 1. the ground truth (each label one colour, the same in both frames),
// 2. ours: the toolkit's default, the **region matcher** on stroke regions (the model of the `WEIGHTS` knob, the
//    shipped one: its tokens pooled per region, matched with geometry, neighbourhood, Sinkhorn with a dustbin and
//    a coarse alignment; what `deno task colorize` runs), then the same model through the paper's post-processing
//    (`patches` mode) and through the `REGIONS` knob's mode (`hybrid`, the old default), both with the thresholds
//    of the knobs,
// 3. the oracle (ground-truth patch similarities through the same post-processing: the best this pipeline can
//    do),
// 4. flood fill (regions between strokes, matched by position and shape),
//
// then colourisation: the target drawing filled with the colours of the matched regions of the coloured
// reference frame, beside the true colours, with the pixel accuracy over non-stroke pixels.
//
// Then warped real frames when the held-out sets `data/realwarp-pbc` and `data/realwarp-girl` are there (a real
// frame and a smooth non-rigid warp of it, with exact truth; evaluation only), and the real drawings when
// `../shared/real` is present: the PaintBucket-Character sample frame (Char0242, 1920x1920, a single frame: paired
// with its mirror image, an exact pixel permutation whose labels carry over) and the hand-drawn clip
// `laughing_girl` frames 0000 and 0002 (1600x1600, no labels: pictures only).

// %%
// Knobs: edit, then run the notebook again. Relative paths are from the repository root, whatever the kernel's
// working folder. Without the data a small set is generated in its place (the first output line says so).
const DATA = "data"; // folder holding the test splits test-clean/ and test-hand/ (deno task generate, README)
const WEIGHTS = "experiments/small-v1"; // the model: model.json + weights.bin
const PICKS = [0, 1 / 3, 2 / 3]; // which pairs of each split are pictured (fractions of the way through the split)
const MERGE_THRESHOLD = 0.72; // patch merging (and hybrid grouping): both directed similarities >= this (sigmoid)
const MATCH_THRESHOLD = 0.6; // region matching: the partner's region similarity >= this (sigmoid)
const REGIONS = "hybrid" as RegionMode; // 3rd "ours" (the old default): patches | lines | hybrid | strokes
// Warped real frames (held-out, evaluation only): the first pair of each set that is there is pictured.
const REALWARP = ["data/realwarp-pbc", "data/realwarp-girl"];

import * as path from "node:path";
import {
  colorizationScores,
  type ColorizedMethod,
  colorizeMethods,
  existsSync,
  fromRepo,
  type GrayImage,
  labelColors,
  type LabelMap,
  loadFrame,
  MATCHING_DEFAULTS,
  type MatchPairOptions,
  matchVisualization,
  notebookModel,
  notebookSplits,
  overlayLines,
  paintLabels,
  PATCH_MERGE_DEFAULTS,
  type PbcFrame,
  readGray,
  readRgb,
  realDataDir,
  REGION_DEFAULTS,
  type RegionMode,
  resolvePairs,
  type Rgb,
  type RgbImage,
  showImages,
  showMarkdown,
  showTable,
} from "mangamatch";

const SMALL = Deno.env.get("MANGAMATCH_NB_SMALL") === "1"; // the test command's tiny run
const splits = await notebookSplits({ data: DATA, pairs: 0, small: SMALL });
const loaded = await notebookModel(WEIGHTS);
const model = loaded?.model ?? null;
/** The paper's pipeline settings of the knobs (the region mode is each row's own). */
const KNOBS: Partial<MatchPairOptions> = {
  region: {
    merge: { ...PATCH_MERGE_DEFAULTS, threshold: MERGE_THRESHOLD },
    hybrid: { ...REGION_DEFAULTS.hybrid, threshold: MERGE_THRESHOLD },
  },
  matching: { ...MATCHING_DEFAULTS, threshold: MATCH_THRESHOLD },
};

// %% [markdown]
// ## Helpers: the pictures
// `matchVisualization` (lib/viz) paints matched groups; the ground truth is painted by label with one palette
// shared by both frames; colourisation is `colorizePair` (lib/match, what `deno task colorize` runs): reference
// colours by region, the most similar reference region's colour for regions no match covers, the reference
// background's colour for the background; under the region matcher every target region has a colour source of its
// own. Flood fill has no similarity: its matched regions only. `methodsFor` runs every method on a pair through
// `colorizeMethods` (lib/eval/colorization.ts, what `deno task bench:colorize` scores over many pairs) with the
// knobs above and one model forward for all of ours (`sharedForward`: the paper's rows read the similarity of the
// region matcher's tokens).

// %%
const palette = new Map<number, Rgb>(labelColors(256).map((c, k) => [k, c]));

/** Ground truth of a frame: each label one palette colour, background white, strokes black. */
function truthPicture(f: PbcFrame): RgbImage {
  const labels: LabelMap = {
    ...f.seg,
    data: Int32Array.from(f.seg.data, (id) => (id === 0 ? -2 : f.labelOfSeg?.get(id) ?? -1)),
  };
  return paintLabels(labels, { colors: palette, black: [-2], white: [-1] });
}

/**
 * Every method on a pair, with the knobs: ours through the region matcher (the default), in `patches` mode and
 * in the `REGIONS` mode (one forward pass: the tokens, and their similarity), the oracle (ground-truth
 * similarities, `patches`) when the truth is known and `withOracle`, and flood fill (no thresholds).
 */
function methodsFor(
  refColor: RgbImage,
  lineA: GrayImage,
  lineB: GrayImage,
  truth?: { a: PbcFrame; b: PbcFrame },
  withOracle = true,
): Promise<ColorizedMethod[]> {
  return colorizeMethods(refColor, lineA, lineB, {
    model,
    truth: withOracle ? truth : null,
    paperRegions: REGIONS === "patches" ? ["patches"] : ["patches", REGIONS],
    paperMatch: KNOBS,
    sharedForward: true,
  });
}

function matchPicture(a: GrayImage, b: GrayImage, r: ColorizedMethod): RgbImage {
  return matchVisualization(a, r.regionsA, b, r.regionsB, r.matches, {
    backgroundA: r.backgroundA,
    backgroundB: r.backgroundB,
  });
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

// %% [markdown]
// ## Generated pairs: matching and colourisation
// Each matching picture: reference on the left, target on the right. Colourisation scores (PaintBucket's):
// pixel accuracy over the foreground (non-stroke pixels whose true colour is not the white background) and region
// accuracy over the true colour regions.

// %%
const picks = SMALL ? [0] : PICKS;
const colourRows: Record<string, string>[] = [];
for (const s of splits) {
  for (const k of picks) {
    const p = s.pairs[Math.min(s.pairs.length - 1, Math.floor(k * s.pairs.length))];
    const [a, b] = await Promise.all([
      loadFrame(s.root, p.dir, p.reference),
      loadFrame(s.root, p.dir, p.target),
    ]);
    const [refColor, tgtColor] = await Promise.all([readRgb(a.paths.gt!), readRgb(b.paths.gt!)]);
    await showMarkdown(`### ${s.name}: \`${p.dir}\` frames ${p.reference} → ${p.target}`);
    const methods = await methodsFor(refColor, a.line, b.line, { a, b });
    await showImages([
      truthPicture(a),
      truthPicture(b),
      ...methods.map((r) => matchPicture(a.line, b.line, r)),
    ], {
      titles: [
        "truth: reference",
        "truth: target",
        ...methods.map((r) => `${r.name}: ${r.matches.length} matches`),
      ],
      width: 300,
      maxSide: 640,
    });
    const scores = methods.map((r) => colorizationScores(r.fills, tgtColor, b.line));
    methods.forEach((r, i) =>
      colourRows.push({
        split: s.name,
        pair: `${p.dir} ${p.reference}→${p.target}`,
        method: r.name,
        "fg pixel accuracy": pct(scores[i].pixelFg.accuracy),
        "colour region accuracy": pct(scores[i].region.accuracy),
      })
    );
    await showImages([refColor, ...methods.map((r) => r.painted), tgtColor], {
      titles: [
        "reference colours",
        ...methods.map((r, i) => `${r.name} (${pct(scores[i].pixelFg.accuracy)} fg px)`),
        "true target colours",
      ],
      width: 220,
      maxSide: 512,
    });
  }
}

// %% [markdown]
// ## Colourisation scores of the pairs above

// %%
await showTable(colourRows);

// %% [markdown]
// ## Warped real frames: the default beside the old default and flood fill
// The first pair of each `REALWARP` set: a real frame (the PaintBucket-Character sample, the hand-drawn
// `laughing_girl` frame) coloured, and a smooth non-rigid warp of it as the target (exact truth carried by the
// warp). Held out: nothing was trained or tuned on them. Skipped when the sets are not there (`deno task warp`,
// README).

// %%
const warped = REALWARP.map(fromRepo).filter((d) => existsSync(path.join(d, "pairs.csv")));
if (!warped.length) await showMarkdown("*No `data/realwarp-*` sets here: warped real frames skipped.*");
if (!model && warped.length) await showMarkdown("*No model (see the first output lines): flood fill only.*");
for (const root of warped) {
  const [p] = await resolvePairs(root);
  const [a, b] = await Promise.all([loadFrame(root, p.dir, p.reference), loadFrame(root, p.dir, p.target)]);
  const [refColor, tgtColor] = await Promise.all([readRgb(a.paths.gt!), readRgb(b.paths.gt!)]);
  const methods = (await methodsFor(refColor, a.line, b.line, { a, b }, false)).filter((m) =>
    m.name !== "ours (patches)"
  );
  const scores = methods.map((r) => colorizationScores(r.fills, tgtColor, b.line));
  await showMarkdown(
    `### ${
      path.basename(root)
    }: \`${p.dir}\` ${p.reference} → ${p.target} (${b.line.width}x${b.line.height})`,
  );
  await showImages([refColor, ...methods.map((r) => r.painted), tgtColor], {
    titles: [
      "reference colours",
      ...methods.map((r, i) =>
        `${r.name}: fg pixels ${pct(scores[i].pixelFg.accuracy)}, regions ${pct(scores[i].region.accuracy)}`
      ),
      "true target colours",
    ],
    width: 300,
    maxSide: 768,
  });
}

// %% [markdown]
// ## The real PaintBucket-Character frame, paired with its mirror image
// Char0242 frame 0242 is 1920x1920 with 274 segments and 51 labels. Its mirror image keeps every label, so the
// pair has exact ground truth. Skipped when `../shared/real` is absent.

// %%
const real = realDataDir();
/** A horizontally mirrored copy of an image or map (`channels` values per pixel). */
function mirror<T extends { width: number; height: number; data: Uint8Array | Int32Array }>(
  img: T,
  channels = 1,
): T {
  const { width: W, height: H } = img;
  const data = img.data.slice();
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < channels; c++) {
        data[(y * W + x) * channels + c] = img.data[(y * W + (W - 1 - x)) * channels + c];
      }
    }
  }
  return { ...img, data };
}
if (!real) {
  await showMarkdown("*`../shared/real` is not here: real frames skipped.*");
} else {
  const a = await loadFrame(path.join(real, "pbc-sample"), "Char0242", "0242");
  const b: PbcFrame = { ...a, frame: "0242 (mirrored)", line: mirror(a.line), seg: mirror(a.seg) };
  const color = await readRgb(a.paths.gt!);
  const methods = await methodsFor(color, a.line, b.line, { a, b });
  await showImages(
    [truthPicture(a), truthPicture(b), ...methods.map((r) => matchPicture(a.line, b.line, r))],
    {
      titles: ["truth", "truth (mirrored)", ...methods.map((r) => `${r.name}: ${r.matches.length} matches`)],
      width: 300,
      maxSide: 768,
    },
  );
  // Segmentation alone: each region a random colour, strokes on top.
  await showImages(
    methods.map((r) =>
      overlayLines(paintLabels(r.regionsA, { white: r.backgroundA.length ? r.backgroundA : [0] }), a.line)
    ),
    {
      titles: methods.map((r) =>
        `${r.name}: ${Math.max(...new Set(r.regionsA.data))} regions (274 true segments)`
      ),
      width: 300,
      maxSide: 768,
    },
  );
  const trueMirror = mirror(color, 3);
  const scores = methods.map((r) => colorizationScores(r.fills, trueMirror, b.line));
  await showImages([color, ...methods.map((r) => r.painted)], {
    titles: [
      "reference colours",
      ...methods.map((r, i) =>
        `${r.name} (fg pixels ${pct(scores[i].pixelFg.accuracy)}, regions ${pct(scores[i].region.accuracy)})`
      ),
    ],
    width: 300,
    maxSide: 768,
  });
}

// %% [markdown]
// ## The real hand-drawn clip: laughing_girl, frames 0000 → 0002
// Open contours and varying stroke width: the hard case. No labels, so no oracle and no scores: pictures only,
// and frame 0002 coloured from the coloured frame 0000.

// %%
if (real) {
  const dir = path.join(real, "hand-drawn", "laughing_girl");
  const [lineA, lineB, color] = await Promise.all([
    readGray(path.join(dir, "line", "0000.png")),
    readGray(path.join(dir, "line", "0002.png")),
    readRgb(path.join(dir, "gt", "0000.png")),
  ]);
  if (!model) await showMarkdown("*No model (see the first output lines): flood fill only.*");
  const methods = await methodsFor(color, lineA, lineB);
  await showImages(methods.map((r) => matchPicture(lineA, lineB, r)), {
    titles: methods.map((r) => `${r.name}: ${r.matches.length} matches`),
    width: 420,
    maxSide: 900,
  });
  await showImages([color, ...methods.map((r) => r.painted)], {
    titles: ["frame 0000 (reference colours)", ...methods.map((r) => `0002 coloured: ${r.name}`)],
    width: 260,
    maxSide: 640,
  });
}

// %%
loaded?.model.dispose();
