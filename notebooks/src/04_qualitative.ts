// %% [markdown]
// # 04 · Qualitative results: segmentation, matching and colourisation (the paper's Figure 7)
//
// Pictures in the paper's style: **one colour per matched group of regions, the same colour in both drawings;
// unmatched regions grey; background white; strokes on top.** For each pair:
//
// 1. the ground truth (each label one colour, the same in both frames),
// 2. ours (the shipped model + the paper's post-processing, `patches` mode, and `hybrid` mode),
// 3. the oracle (ground-truth patch similarities through the same post-processing: the best this pipeline can
//    do),
// 4. flood fill (regions between strokes, matched by position and shape),
//
// then colourisation: the target drawing filled with the colours of the matched regions of the coloured
// reference frame, beside the true colours, with the pixel accuracy over non-stroke pixels.
//
// Then the real drawings when `../shared/real` is present: the PaintBucket-Character sample frame (Char0242,
// 1920x1920, a single frame: paired with its mirror image, an exact pixel permutation whose labels carry over)
// and the hand-drawn clip `laughing_girl` frames 0000 and 0002 (1600x1600, no labels: pictures only).

// %%
import * as path from "node:path";
import { REPO_ROOT } from "../lib/util/paths.ts";
import { loadFrame, type PbcFrame } from "../lib/data/pbc.ts";
import { readGray, readRgb } from "../lib/image/io.ts";
import type { GrayImage, LabelMap, RgbImage } from "../lib/image/types.ts";
import { type ColorizedMethod, colorizeMethods } from "../lib/eval/colorization.ts";
import { colorizationScores } from "../lib/match/colorize_pair.ts";
import { DEFAULT_WEIGHTS, defaultWeights, type LoadedModel, loadEvalModel } from "../lib/eval/shipped.ts";
import { testSplits } from "../lib/eval/splits.ts";
import { labelColors, overlayLines, paintLabels, type Rgb } from "../lib/viz/color.ts";
import { matchVisualization } from "../lib/viz/match_vis.ts";
import { showImages, showMarkdown, showTable } from "../lib/viz/notebook.ts";
import { realDataDir } from "../lib/util/paths.ts";

const SMALL = Deno.env.get("MANGAMATCH_NB_SMALL") === "1";
const splits = await testSplits({ small: SMALL, pairs: 4 });
const weights = defaultWeights();
const loaded: LoadedModel | null = weights ? await loadEvalModel(weights) : null;
const model = loaded?.model ?? null;
await showMarkdown(
  model
    ? `Model: \`${
      path.relative(REPO_ROOT, loaded!.dir)
    }\` (${model.config.preset}, ${model.config.inputSize} px input).`
    : `**No shipped model yet** (\`${DEFAULT_WEIGHTS}\` is missing): the pictures show the ground truth, the oracle and flood fill.`,
);

// %% [markdown]
// ## Helpers: the pictures
// `matchVisualization` (lib/viz) paints matched groups; the ground truth is painted by label with one palette
// shared by both frames; colourisation is `colorizePair` (lib/match, what `deno task colorize` runs): reference
// colours by region, the most similar reference region's colour for regions no match covers, the reference
// background's colour for the background. Flood fill has no similarity: its matched regions only. Every method
// on a pair is `colorizeMethods` (lib/eval/colorization.ts), which `deno task bench:colorize` scores over many
// pairs.

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
// pixel accuracy over non-stroke pixels and region accuracy over the true colour regions.

// %%
const picks = SMALL ? [0] : [0, 120, 240];
const colourRows: Record<string, string>[] = [];
for (const s of splits) {
  for (const k of picks) {
    const p = s.pairs[k % s.pairs.length];
    const [a, b] = await Promise.all([
      loadFrame(s.root, p.dir, p.reference),
      loadFrame(s.root, p.dir, p.target),
    ]);
    const [refColor, tgtColor] = await Promise.all([readRgb(a.paths.gt!), readRgb(b.paths.gt!)]);
    await showMarkdown(`### ${s.name}: \`${p.dir}\` frames ${p.reference} → ${p.target}`);
    const methods = await colorizeMethods(refColor, a.line, b.line, { model, truth: { a, b } });
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
        "pixel accuracy": pct(scores[i].pixel.accuracy),
        "region accuracy": pct(scores[i].region.accuracy),
      })
    );
    await showImages([refColor, ...methods.map((r) => r.painted), tgtColor], {
      titles: [
        "reference colours",
        ...methods.map((r, i) => `${r.name} (${pct(scores[i].pixel.accuracy)})`),
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
  const methods = await colorizeMethods(color, a.line, b.line, { model, truth: { a, b } });
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
        `${r.name} (pixel ${pct(scores[i].pixel.accuracy)}, region ${pct(scores[i].region.accuracy)})`
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
  if (!model) await showMarkdown("*No shipped model yet: flood fill only.*");
  const methods = await colorizeMethods(color, lineA, lineB, { model });
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
