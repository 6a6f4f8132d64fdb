// %% [markdown]
// # 02 · Training the patch-similarity model
//
// The paper's model: 16x16 patches, a linear patch embedding with learnable position embeddings, a ViT
// encoder shared by both images, then the **Multiplex Transformer** (M layers, each a self-attention block on
// each image and a cross-attention block from each image to the other), L2-normalised features and the cosine
// similarity over the 2N tokens of a pair. It is trained with the paper's CLIP-style **sampled contrastive
// loss** (eq. 4): positives drawn from the ground-truth matrix G (same region label, in one image or across the
// pair), K negatives each, softmax of cosine / tau.
//
// This notebook shows the config, runs a short training with a live loss curve, exports the weights, reloads
// them, and looks at one similarity matrix. The full recipe is `deno task train` (see `lib/train/loop.ts`);
// why it is fast on tfjs-wasm is in `lib/model/SPEED.md`.

// %%
import * as path from "node:path";
import { existsSync } from "../lib/util/fs.ts";
import { REPO_ROOT } from "../lib/util/paths.ts";
import { generateDataset } from "../lib/generate/mod.ts";
import { initBackend, loadModel, modelConfig, paramCount } from "../lib/model/mod.ts";
import { block } from "../lib/model/similarity.ts";
import { type LogRecord, LOSS_DEFAULTS, readLog, train, TRAIN_DEFAULTS } from "../lib/train/mod.ts";
import { loadCache } from "../lib/data/cache.ts";
import { heatmapFigure, lineFigure } from "../lib/viz/plotly.ts";
import { LivePlot, showImages, showMarkdown, showPlot, showTable } from "../lib/viz/notebook.ts";
import { IGNORE } from "../lib/data/patch_gt.ts";

const SMALL = Deno.env.get("MANGAMATCH_NB_SMALL") === "1";
const backend = await initBackend({ backend: "auto" });

// %% [markdown]
// ## The configuration
// `small` is the default preset (the shape of the PyTorch peer in `../shared/bench/peer_torch.py`); `paper` is
// ViT-B/16 with M = 4. In the CI run (`MANGAMATCH_NB_SMALL=1`) a much smaller model trains on a few generated
// pairs so that the notebook finishes in a couple of minutes.

// %%
const small = modelConfig("small"), paper = modelConfig("paper");
const rows: Record<string, string>[] =
  (["preset", "inputSize", "patch", "channels", "dim", "heads", "vitLayers", "mtLayers", "mlpRatio"] as const)
    .map((k) => ({
      field: k,
      small: String(small[k]),
      paper: String(paper[k]),
    }));
rows.push({
  field: "parameters",
  small: `${(paramCount(small) / 1e6).toFixed(2)} M`,
  paper: `${(paramCount(paper) / 1e6).toFixed(1)} M`,
});
await showTable(rows);
await showTable(
  Object.entries({ ...TRAIN_DEFAULTS, loss: JSON.stringify(LOSS_DEFAULTS), model: "{}" })
    .filter(([k]) => !["resume", "force", "progress"].includes(k))
    .map(([k, v]) => ({ option: k, default: String(v) })),
);

// %% [markdown]
// ## The shipped model's run
// `experiments/small-v1` was trained with `deno task train --data data/train-clean,data/train-hand --out
// experiments/small-v1 --steps 6000` (batch 8, both line styles, 10% of the characters held out). Its log:
// training loss (mean of each 100 steps) and validation cross-image patch AP and top-1 on held-out characters.

// %%
const shippedLog = await readLog(path.join(REPO_ROOT, "experiments", "small-v1", "log.jsonl"));
if (shippedLog.length === 0) {
  console.log("experiments/small-v1/log.jsonl is not there");
} else {
  const steps = shippedLog.filter((r) => r.loss !== undefined);
  const mean: { x: number[]; y: number[] } = { x: [], y: [] };
  for (let i = 0; i < steps.length; i += 100) {
    const chunk = steps.slice(i, i + 100);
    mean.x.push(chunk[chunk.length - 1].step);
    mean.y.push(chunk.reduce((s, r) => s + r.loss!, 0) / chunk.length);
  }
  const v = shippedLog.filter((r) => r.val_ap !== undefined);
  await showPlot(lineFigure([{ name: "loss (mean of 100 steps)", ...mean }], {
    title: "small-v1: training loss",
    xTitle: "step",
  }));
  await showPlot(lineFigure([
    { name: "val cross AP", x: v.map((r) => r.step), y: v.map((r) => r.val_ap!) },
    { name: "val cross top-1", x: v.map((r) => r.step), y: v.map((r) => r.val_top1!) },
  ], { title: "small-v1: validation on held-out characters", xTitle: "step", yRange: [0, 1] }));
}

// %% [markdown]
// ## Data
// The generator's training sets when they are there (`data/train-clean`, `data/train-hand`), otherwise a small
// set generated here. Each frame is decoded once into a cache (letterboxed line at the model input + patch
// labels by the 55% rule), so training reads no PNG.

// %%
const tmp = await Deno.makeTempDir({ prefix: "mm-nb02-" });
const shipped = ["train-clean", "train-hand"].map((d) => path.join(REPO_ROOT, "data", d));
let data: string[];
if (!SMALL && shipped.every((d) => existsSync(path.join(d, "pairs.csv")))) {
  data = shipped;
} else {
  data = [path.join(tmp, "clean")];
  await generateDataset({
    out: data[0],
    pairs: SMALL ? 16 : 120,
    style: "clean",
    seed: 5,
    size: 256,
    gap: 7,
    framesPerCharacter: 15,
    progress: "off",
  });
}
const model = SMALL ? { dim: 32, heads: 2, vitLayers: 1, mtLayers: 1 } : {}; // CI: narrow and shallow, same 16x16 grid
const steps = SMALL ? 40 : 150, batch = SMALL ? 2 : 4;
console.log(`${backend.line}\ndata: ${data.join(", ")}\n${steps} steps of ${batch} pairs`);

// %% [markdown]
// ## A short training run, live
// The curve redraws in place every few steps; validation (held-out characters: cross-image patch AP and top-1)
// runs at the start, every `valEvery` steps and at the end.

// %%
const out = path.join(tmp, "run");
const losses: LogRecord[] = [], vals: LogRecord[] = [];
const live = new LivePlot();
const draw = () =>
  live.update(lineFigure([
    { name: "loss", x: losses.map((r) => r.step), y: losses.map((r) => r.loss!) },
    ...(vals.length
      ? [{ name: "val cross AP x 10", x: vals.map((r) => r.step), y: vals.map((r) => 10 * r.val_ap!) }]
      : []),
  ], { title: "training loss (and validation AP x 10)", xTitle: "step" }));
const summary = await train(
  {
    data,
    out,
    model,
    steps,
    batch,
    valEvery: SMALL ? 20 : 50,
    ckptEvery: SMALL ? 20 : 50,
    valPairs: SMALL ? 4 : 16,
    gap: 7,
  },
  {
    onStep: async (r) => {
      losses.push(r);
      if (r.step % 5 === 0 || r.step === steps) await draw();
    },
    onVal: async (r) => {
      vals.push(r);
      await draw();
    },
    log: (s) => console.log(s),
  },
);
await showTable(
  vals.map((r) => ({ step: r.step, "cross AP": r.val_ap!, "cross top-1": r.val_top1!, pairs: r.val_pairs! })),
);

// %% [markdown]
// ## Export and reload
// The run folder holds `model.json` (a tfjs weights manifest with the config and the sha256 of the weights) and
// `weights.bin`. Loading verifies both; a corrupt file or a mismatched config is refused with a one-line error.

// %%
const files = [...Deno.readDirSync(out)].map((e) => e.name).sort();
console.log(files.join("  "));
const reloaded = await loadModel(out);
const manifest = JSON.parse(await Deno.readTextFile(path.join(out, "model.json")));
console.log(
  `reloaded: ${reloaded.params.size} tensors, sha256 ${
    manifest.weightsSha256.slice(0, 16)
  }..., step ${manifest.training.step}`,
);

// %% [markdown]
// ## One similarity matrix
// A validation pair: its two line-art inputs, then the cross block S_ab (cosine) restricted to the labelled
// patches, rows and columns sorted by region label. Patches of the same region form the blocks along the
// diagonal; a model that has learnt the correspondence makes them bright.

// %%
const cfg = reloaded.config;
const cache = await loadCache(data[0], { size: cfg.inputSize, patch: cfg.patch, progress: false });
const config = JSON.parse(await Deno.readTextFile(path.join(out, "config.json")));
// A held-out character of the first dataset (characters are named "<dataset index>:<folder>").
const held = (config.valCharacters as string[]).find((c) => c.startsWith("0:")) ??
  `0:${cache.frames[0].character}`;
const valChar = held.slice(2);
const frames = cache.frames.map((f, i) => ({ ...f, i })).filter((f) => f.character === valChar);
const [fa, fb] = [frames[0], frames[Math.min(7, frames.length - 1)]];
const S = cfg.inputSize, N = (S / cfg.patch) ** 2;
const imgA = cache.lines.subarray(fa.i * S * S, (fa.i + 1) * S * S),
  imgB = cache.lines.subarray(fb.i * S * S, (fb.i + 1) * S * S);
await showImages([{ width: S, height: S, data: imgA }, { width: S, height: S, data: imgB }], {
  titles: [`${valChar}/${fa.frame}`, `${valChar}/${fb.frame}`],
  width: 256,
});
const cos = reloaded.cosineBatch([imgA, imgB]);
const sab = block(cos, N, "ab");
const labA = cache.labels.subarray(fa.i * N, (fa.i + 1) * N),
  labB = cache.labels.subarray(fb.i * N, (fb.i + 1) * N);
const order = (lab: Int32Array) =>
  Array.from(lab.keys()).filter((i) => lab[i] !== IGNORE).sort((x, y) => lab[x] - lab[y] || x - y);
const ra = order(labA).slice(0, 96), rb = order(labB).slice(0, 96);
const sub = new Float32Array(ra.length * rb.length);
ra.forEach((i, r) =>
  rb.forEach((j, c) => (sub[r * rb.length + c] = Math.round(sab[i * N + j] * 1000) / 1000))
);
await showPlot(heatmapFigure(sub, ra.length, rb.length, {
  title: `S_ab cosine, labelled patches sorted by label (${ra.length} x ${rb.length})`,
  xTitle: "patches of b",
  yTitle: "patches of a",
}));
await showMarkdown(
  `Final training loss ${summary.finalLoss.toFixed(3)}; validation cross AP ${
    (100 * (summary.val?.val_ap ?? NaN)).toFixed(1)
  }%, ` +
    `top-1 ${(100 * (summary.val?.val_top1 ?? NaN)).toFixed(1)}% after ${steps} steps` +
    (SMALL ? " (CI size: a tiny model on a few pairs; the numbers mean little)." : "."),
);
reloaded.dispose();
await Deno.remove(tmp, { recursive: true });
