// %% [markdown]
// # 01 · Data: procedural manga line art with exact region labels
//
// The paper's datasets (PaintBucket-Character, ATD-12K, in-house clips) cannot be downloaded here, so
// `deno task generate` makes paper-like data: characters built from semantic parts (face, hair locks, eyes,
// clothes, limbs...), each part a label shared by all frames of its character, moved through smooth pose and
// camera sequences, drawn in two line styles:
//
// - **clean**: closed 1-px contours on every region boundary, like PBC's 3-D rendered frames;
// - **hand-drawn**: the colour frame's lines extracted with XDoG, with wobble, varying width, gaps and extra
//   strokes that bound no region (the paper's hard case).
//
// Every frame is written in the PBC layout (`line`, `seg`, `json_index`, `label`, `json_color`, `gt`) with a
// `pairs.csv` of frame *i* and *i+7*. This notebook makes a small set, shows frames, segments and label
// correspondences, and compares its statistics with the real PBC sample frame when `../shared/real` exists.

// %%
// Knobs: edit, then run the notebook again. This notebook makes its own small set (into a temporary folder) and
// reads nothing from data/; it uses no model, so it has no weights, threshold or region-mode knobs.
const PAIRS = 48; // pairs of each line style (48 pairs = 6 characters of 15 frames)
const SIZE = 512; // frame side in pixels (the test splits' size)
const REAL = ""; // folder of the real samples; "": ../shared/real beside a developer checkout, when present

import * as path from "node:path";
import {
  collectFrameStats,
  type DatasetStats,
  type FrameStats,
  generate,
  grayToRgb,
  labelColors,
  loadFrame,
  paintLabels,
  readPairsCsv,
  readRgba,
  existsSync,
  fromRepo,
  realDataDir,
  resizeLinePreserving,
  type Rgb,
  type RgbaImage,
  type RgbImage,
  showImages,
  showMarkdown,
  showPlot,
  showTable,
  showText,
  statsTable,
  summarizeFrames,
  barFigure,
  histogramFigure,
} from "mangamatch";

const SMALL = Deno.env.get("MANGAMATCH_NB_SMALL") === "1"; // the test command's tiny run
const pairs = SMALL ? 4 : PAIRS, size = SMALL ? 256 : SIZE;
const tmp = await Deno.makeTempDir({ prefix: "mm-nb01-" });
await showText(
  `data: generating ${pairs} pairs of each line style at ${size}x${size} into a temporary folder` +
    (SMALL ? " (MANGAMATCH_NB_SMALL=1: the test command's size)" : ""),
);
const roots: Record<string, string> = {};
for (const [style, seed] of [["clean", 1], ["hand-drawn", 2]] as const) {
  roots[style] = path.join(tmp, style);
  const r = await generate.generateDataset({
    out: roots[style],
    pairs,
    style,
    seed,
    size,
    gap: 7,
    framesPerCharacter: 15,
  });
  await showText(
    `${style}: ${r.characters} characters, ${r.frames} frames, ${r.pairs} pairs in ${r.seconds.toFixed(1)} s`,
  );
}

// %% [markdown]
// ## A pair of frames, its segments and its labels
// Left to right: line art, segments (`seg`, one random colour per segment id; line pixels black), labels
// (one colour per label index: **the same colour in both frames means the same part**, i.e. the regions
// correspond), and the colour frame `gt`. Top row frame *i*, bottom row frame *i+7*.

// %%
/** White where transparent. */
function flatten(img: RgbaImage): RgbImage {
  const n = img.width * img.height, out = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    const a = img.data[4 * i + 3] / 255;
    for (let c = 0; c < 3; c++) out[3 * i + c] = Math.round(img.data[4 * i + c] * a + 255 * (1 - a));
  }
  return { width: img.width, height: img.height, data: out };
}

/** Label colours shared by every frame of a character: label k gets palette colour k. */
const palette = new Map<number, Rgb>(labelColors(128).map((c, k) => [k, c]));

async function showPair(root: string, pairIndex: number, title: string) {
  const pairs = await readPairsCsv(path.join(root, "pairs.csv"));
  const p = pairs[pairIndex % pairs.length];
  await showMarkdown(`**${title}**: \`${p.dir}\` frames ${p.reference} and ${p.target}`);
  for (const name of [p.reference, p.target]) {
    const f = await loadFrame(root, p.dir, name);
    const labelMap = {
      ...f.seg,
      data: Int32Array.from(f.seg.data, (id) => (id === 0 ? -2 : f.labelOfSeg!.get(id)!)),
    };
    const gt = flatten(await readRgba(f.paths.gt!));
    const segCount = new Set(f.seg.data).size - 1;
    // Lines are shrunk with the line-preserving resize (a plain nearest resize would break 1-px strokes).
    const side = Math.min(384, f.line.width);
    await showImages([
      grayToRgb(resizeLinePreserving(f.line, side, side)),
      paintLabels(f.seg, { black: [0], white: [1] }),
      paintLabels(labelMap, { colors: palette, black: [-2], white: [-1] }),
      gt,
    ], {
      titles: [
        `line ${name}`,
        `seg (${segCount} segments)`,
        `labels (${new Set(f.labelOfSeg!.values()).size - 1} labels)`,
        "gt",
      ],
      width: 230,
      maxSide: 384, // keeps the saved notebook small
    });
  }
}
await showPair(roots["clean"], 0, "clean");
await showPair(roots["clean"], SMALL ? 1 : 9, "clean, another character");
await showPair(roots["hand-drawn"], 0, "hand-drawn");

// %% [markdown]
// ## Statistics, beside the real PBC sample frame
// Segments per frame (all of them, and those covering at least 1e-4 of the frame, which compares a 512x512
// frame with the 1920x1920 real one), labels per frame and per character, and segment sizes. The real frame
// (Char0242, 274 segments, 51 labels) is read from `../shared/real/pbc-sample` when present.

// %%
const stats: DatasetStats[] = [];
const perFrame: Record<string, FrameStats[]> = {};
for (const [style, root] of Object.entries(roots)) {
  perFrame[style] = await collectFrameStats(root);
  stats.push(summarizeFrames(style, root, perFrame[style]));
}
const real = REAL ? (existsSync(fromRepo(REAL)) ? fromRepo(REAL) : null) : realDataDir();
if (real) {
  const dir = path.join(real, "pbc-sample");
  perFrame["real PBC"] = await collectFrameStats(dir);
  stats.push(summarizeFrames("real PBC", dir, perFrame["real PBC"]));
}
await showText(statsTable(stats));
await showTable(stats.map((d) => ({
  dataset: d.name,
  frames: d.frames,
  "segments/frame (median)": d.segmentsPerFrame.median,
  "large segments/frame": d.largeSegmentsPerFrame.median,
  "labels/frame": d.labelsPerFrame.median,
  "labels/character": d.labelsPerCharacter.median,
  "segments/label": +d.segmentsPerLabel.median.toFixed(2),
})));

// %%
const synth = Object.entries(perFrame).filter(([k]) => k !== "real PBC");
await showPlot(histogramFigure(synth.map(([name, fs]) => ({ name, values: fs.map((f) => f.segments) })), {
  title: "segments per frame" + (real ? ` (real PBC frame: ${perFrame["real PBC"][0].segments})` : ""),
  xTitle: "segments",
  nbins: 20,
}));
await showPlot(
  histogramFigure(synth.map(([name, fs]) => ({ name, values: fs.map((f) => f.labels.length) })), {
    title: "labels per frame" + (real ? ` (real PBC frame: ${perFrame["real PBC"][0].labels.length})` : ""),
    xTitle: "labels",
    nbins: 20,
  }),
);
const h0 = stats[0].sizeHistogram;
const binNames = h0.counts.map((_, b) => `${h0.edges[b].toFixed(1)}`);
await showPlot(barFigure(
  stats.map((d) => {
    const total = d.sizeHistogram.counts.reduce((a, b) => a + b, 0) || 1;
    return { name: d.name, x: binNames, y: d.sizeHistogram.counts.map((c) => c / total) };
  }),
  {
    title: "segment sizes: share of segments per bin of log10(area / frame area)",
    xTitle: "log10(segment area / frame area), lower edge of the bin",
    yTitle: "share of segments",
  },
));

// %% [markdown]
// ## The real PBC sample frame
// Shown only when `../shared/real` is present (a user's clone has none).

// %%
if (real) {
  const f = await loadFrame(path.join(real, "pbc-sample"), "Char0242", "0242");
  const gt = flatten(await readRgba(f.paths.gt!));
  await showImages([
    grayToRgb(resizeLinePreserving(f.line, 640, 640)),
    paintLabels(f.seg, { black: [0], white: [1] }),
    gt,
  ], {
    titles: ["real line", "real seg", "real gt"],
    width: 300,
    maxSide: 640,
  });
} else {
  await showText("../shared/real not present: skipping the real sample");
}

// %%
await Deno.remove(tmp, { recursive: true });
