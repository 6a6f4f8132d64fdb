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
// This notebook shows the config and the shipped model's training run (`experiments/small-v1`, its log), then
// runs a **short demonstration** of the training loop with a live loss curve (150 steps of 4 pairs at full size,
// a tiny model in the test command's run: it shows the loop, it is not a model to use), exports and reloads it,
// and ends with one similarity matrix of the **shipped model** on a pair of a character it never trained on. The
// full recipe is `deno task train` (see `lib/train/loop.ts`); why it is fast on tfjs-wasm is in
// `lib/model/SPEED.md`.

// %%
// Knobs: edit, then run the notebook again. Relative paths are from the repository root, whatever the kernel's
// working folder. Without the training data a small set is generated in its place (the first output line says
// so). Training uses no matching thresholds or region mode (03-05 have those knobs).
const DATA = ["data/train-clean", "data/train-hand"]; // training sets of the demonstration run (deno task generate)
const WEIGHTS = "experiments/small-v1"; // the shipped model: its log and its similarity matrix below
const STEPS = 150, BATCH = 4; // the demonstration run (the shipped model: 6000 steps of 8)

import * as path from "node:path";
import {
  block,
  existsSync,
  fromRepo,
  generate,
  heatmapFigure,
  IGNORE,
  initBackend,
  LivePlot,
  lineFigure,
  loadFrame,
  loadModel,
  type LogRecord,
  LOSS_DEFAULTS,
  modelConfig,
  paramCount,
  patchLabelsForBox,
  readLog,
  resolvePairs,
  shortPath,
  showImages,
  showMarkdown,
  showPlot,
  showTable,
  showText,
  train,
  TRAIN_DEFAULTS,
} from "mangamatch";

const SMALL = Deno.env.get("MANGAMATCH_NB_SMALL") === "1"; // the test command's tiny run
const tmp = await Deno.makeTempDir({ prefix: "mm-nb02-" });
const given = DATA.map(fromRepo);
let data: string[];
if (!SMALL && given.every((d) => existsSync(path.join(d, "pairs.csv")))) {
  data = given;
  await showText(`data: ${data.map(shortPath).join(", ")}`);
} else {
  data = [path.join(tmp, "clean")];
  await generate.generateDataset({
    out: data[0],
    pairs: SMALL ? 16 : 240,
    style: "clean",
    // Several families, so that validation is reported per family (the transfer family `creature` stays out).
    family: "human,quadruped,bird,mecha",
    seed: 5,
    size: 256,
    gap: 7,
    framesPerCharacter: 15,
    progress: "off",
  });
  await showText(
    `data: ${
      SMALL ? "MANGAMATCH_NB_SMALL=1 (the test command's size)" : `${given.map(shortPath).join(" and ")} not found`
    }: generated ${SMALL ? 16 : 240} clean pairs of four families (human, quadruped, bird, mecha) here instead (the full sets: deno task generate --out ` +
      "data/train-clean --pairs 3000 --style clean --seed 11, and data/train-hand, see the README)",
  );
}
const backendLines: string[] = [];
const backend = await initBackend({ backend: "auto", log: (l) => backendLines.push(l) });
await showText(backendLines.join("\n") || backend.line);

// %% [markdown]
// ## The configuration
// `small` is the default preset (the shape of the PyTorch peer in the training benchmark); `paper` is ViT-B/16
// with M = 4. In the test command's run (`MANGAMATCH_NB_SMALL=1`) the demonstration trains a much smaller model on
// a few generated pairs so that the notebook finishes in a couple of minutes.

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
const shippedLog = await readLog(path.join(fromRepo(WEIGHTS), "log.jsonl"));
if (shippedLog.length === 0) {
  await showText(`${WEIGHTS}/log.jsonl is not there`);
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
    yTitle: "sampled contrastive loss",
  }));
  await showPlot(lineFigure([
    { name: "val cross AP", x: v.map((r) => r.step), y: v.map((r) => r.val_ap!) },
    { name: "val cross top-1", x: v.map((r) => r.step), y: v.map((r) => r.val_top1!) },
  ], {
    title: "small-v1: validation on held-out characters",
    xTitle: "step",
    yTitle: "fraction (AP, top-1 accuracy)",
    yRange: [0, 1],
  }));
}

// %% [markdown]
// ## The demonstration run's data and model
// The training sets of the `DATA` knob when they are there, otherwise the small set generated above. Each frame
// is decoded once into a cache (letterboxed line at the model input + patch labels by the 55% rule), so training
// reads no PNG.

// %%
const model = SMALL ? { dim: 32, heads: 2, vitLayers: 1, mtLayers: 1 } : {}; // CI: narrow and shallow, same 16x16 grid
const steps = SMALL ? 40 : STEPS, batch = SMALL ? 2 : BATCH;
await showText(`${steps} steps of ${batch} pairs on ${data.map(shortPath).join(", ")}`);

// %% [markdown]
// ## A short demonstration run, live
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
  ], { title: "training loss (and validation AP x 10)", xTitle: "step", yTitle: "loss; AP x 10" }));
const summary = await train(
  {
    data,
    out,
    model,
    steps,
    batch,
    valEvery: SMALL ? 20 : 50,
    ckptEvery: SMALL ? 20 : 50,
    valPairs: SMALL ? 4 : 24,
    // On the small generated set, hold out 30% of the characters so that every family has some in validation.
    ...(data === given ? {} : { valFraction: 0.3 }),
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
    log: (s) => void showText(s),
  },
);
await showTable(
  vals.map((r) => ({ step: r.step, "cross AP": r.val_ap!, "cross top-1": r.val_top1!, pairs: r.val_pairs! })),
);

// %% [markdown]
// ## Validation AP per family
// When the validation characters come from several families, each validation also scores every family on its
// own (`val_families` in the log; `validateByFamily` in `lib/train/family_val.ts`). A family whose curve lags
// is one the model transfers to badly.

// %%
const famNames = [...new Set(vals.flatMap((r) => Object.keys(r.val_families ?? {})))].sort();
if (famNames.length === 0) {
  await showText("validation held one family only: no per-family curves");
} else {
  await showPlot(lineFigure(
    famNames.map((f) => {
      const rs = vals.filter((r) => r.val_families?.[f] !== undefined);
      return {
        name: `${f} (${rs[rs.length - 1].val_families![f].pairs} pairs)`,
        x: rs.map((r) => r.step),
        y: rs.map((r) => r.val_families![f].ap),
      };
    }),
    { title: "validation cross AP per family", xTitle: "step", yTitle: "cross-image patch AP", yRange: [0, 1] },
  ));
}

// %% [markdown]
// ## Export and reload
// The run folder holds `model.json` (a tfjs weights manifest with the config and the sha256 of the weights) and
// `weights.bin`. Loading verifies both; a corrupt file or a mismatched config is refused with a one-line error.

// %%
const files = [...Deno.readDirSync(out)].map((e) => e.name).sort();
await showText(files.join("  "));
const reloaded = await loadModel(out);
const manifest = JSON.parse(await Deno.readTextFile(path.join(out, "model.json")));
await showText(
  `reloaded: ${reloaded.params.size} tensors, sha256 ${
    manifest.weightsSha256.slice(0, 16)
  }..., step ${manifest.training.step}`,
);
reloaded.dispose();
await showMarkdown(
  `Demonstration run: final training loss ${summary.finalLoss.toFixed(3)}; validation cross AP ${
    (100 * (summary.val?.val_ap ?? NaN)).toFixed(1)
  }%, top-1 ${(100 * (summary.val?.val_top1 ?? NaN)).toFixed(1)}% after ${steps} steps` +
    (SMALL ? " (the test command's size: a tiny model on a few pairs; the numbers mean little)." : ". ") +
    (SMALL ? "" : "The shipped model reached 85.1% / 65.6% after 6000 steps of 8 (its log above)."),
);

// %% [markdown]
// ## One similarity matrix of the shipped model
// A pair of a character the shipped model never trained on (one of the 75 characters its run held out, when its
// training data is the data here; a freshly generated character otherwise): its two line-art inputs, then the
// cross block S_ab (cosine) restricted to the labelled patches, rows and columns sorted by region label. Patches
// of the same region form the blocks along the diagonal; a model that has learnt the correspondence makes them
// bright.

// %%
const shippedDir = fromRepo(WEIGHTS);
if (!existsSync(path.join(shippedDir, "model.json"))) {
  await showText(`${WEIGHTS} holds no model.json: no similarity matrix`);
} else {
  const shipped = await loadModel(shippedDir);
  const root = data[0];
  // Its held-out characters ("<dataset index>:<folder>") name folders of its first training set.
  const runConfig = JSON.parse(await Deno.readTextFile(path.join(shippedDir, "config.json")));
  const heldOut = data === given
    ? ((runConfig.valCharacters ?? []) as string[]).filter((c) => c.startsWith("0:")).map((c) => c.slice(2))
    : [];
  const pairs = await resolvePairs(root);
  const pick = pairs.find((p) => heldOut.includes(p.dir)) ?? pairs[0];
  const [fa, fb] = await Promise.all([
    loadFrame(root, pick.dir, pick.reference),
    loadFrame(root, pick.dir, pick.target),
  ]);
  await showImages([fa.line, fb.line], {
    titles: [`${pick.dir}/${pick.reference}`, `${pick.dir}/${pick.target}`],
    width: 256,
  });
  const sim = await shipped.similarity(fa.line, fb.line);
  const N = sim.n, sab = block(sim.cosine, N, "ab");
  const labA = patchLabelsForBox(fa.seg, fa.labelOfSeg!, sim.boxA, sim.patch),
    labB = patchLabelsForBox(fb.seg, fb.labelOfSeg!, sim.boxB, sim.patch);
  const order = (lab: Int32Array) =>
    Array.from(lab.keys()).filter((i) => lab[i] !== IGNORE).sort((x, y) => lab[x] - lab[y] || x - y);
  const ra = order(labA).slice(0, 96), rb = order(labB).slice(0, 96);
  const sub = new Float32Array(ra.length * rb.length);
  ra.forEach((i, r) => rb.forEach((j, c) => (sub[r * rb.length + c] = Math.round(sab[i * N + j] * 1000) / 1000)));
  await showPlot(heatmapFigure(sub, ra.length, rb.length, {
    title: `${WEIGHTS}: S_ab cosine of ${pick.dir} ${pick.reference}→${pick.target}, labelled patches by label`,
    xTitle: `patches of b (${rb.length})`,
    yTitle: `patches of a (${ra.length})`,
  }));
  shipped.dispose();
}

// %%
await Deno.remove(tmp, { recursive: true });
