/**
 * The training loop behind `deno task train`: data (cached, split by character), AdamW with warm-up + cosine,
 * global-norm clipping, a JSONL log, periodic validation (cross-image patch AP and top-1), atomic checkpoints,
 * exact resumption, and the exported weights.
 *
 * A run folder holds:
 * ```
 *   config.json              model config, training options, data, backend
 *   log.jsonl                {"step", "loss", "lr", "grad_norm", "pairs_per_s", "elapsed_s"} per step and
 *                            {"step", "val_ap", "val_top1", "val_pairs"} per validation
 *   ckpt/latest.json, ckpt/step-<n>.bin     the last two checkpoints
 *   model.json, weights.bin  the weights of the last checkpoint (a tfjs weights manifest)
 *   metrics.json, loss.svg, val.svg         validation history and figures
 * ```
 * Every random draw of step s comes from `Rng(seed).fork("step:s")` and the data order from per-epoch seeded
 * permutations, so a run killed (even with SIGKILL) and resumed with `--resume` logs the same losses as one never
 * interrupted (same backend and kernels; `resume_test.ts` checks bit equality).
 *
 * @module
 */
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import {
  assembleBatch,
  cacheOptionsFor,
  loadPairData,
  type PairData,
  type PairItem,
  pairsForStep,
  splitByCharacter,
} from "../data/batch.ts";
import { type ModelConfig, modelConfig } from "../model/config.ts";
import { decays, PatchSimilarityModel } from "../model/model.ts";
import { kernelMode } from "../model/ops.ts";
import { resizePosEmbed } from "../model/pos_embed.ts";
import { loadWeights, saveWeights } from "../model/weights.ts";
import { UserError } from "../util/errors.ts";
import { atomicWrite, atomicWriteJson, exists, readJson } from "../util/fs.ts";
import { Progress } from "../util/progress.ts";
import { Rng } from "../util/rng.ts";
import { lineFigure } from "../viz/plotly.ts";
import { renderSvg } from "../viz/svg_plot.ts";
import { AdamW, ADAMW_DEFAULTS } from "./adamw.ts";
import { AUGMENT_DEFAULTS, type AugmentOptions, makeAugmenter } from "./augment.ts";
import { validateByFamily } from "./family_val.ts";
import { loadPixelLabels } from "../data/pixel_labels.ts";
import { TRANSFER_FAMILY } from "../generate/family.ts";
import { loadLatestCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { LOSS_DEFAULTS, type LossOptions, sampleBatch } from "./loss.ts";
import { learningRate } from "./schedule.ts";
import { trainStepAsync } from "./step.ts";

/**
 * The augmentation settings of step `step` of `steps`: augment.ts's probabilities (warp, thicken, thin, gaps)
 * times min(1, (step + 1) / (ramp * steps)); magnitudes stay. The draws per image are the same at any strength.
 *
 * @example
 * ```ts
 * rampedAugment(0, 100, 0.5).warpProb; // 0.7 / 50
 * ```
 */
export function rampedAugment(step: number, steps: number, ramp: number): Partial<AugmentOptions> {
  const s = ramp <= 0 ? 1 : Math.min(1, (step + 1) / Math.max(1, ramp * steps));
  const A = AUGMENT_DEFAULTS;
  return {
    warpProb: A.warpProb * s,
    thickenProb: A.thickenProb * s,
    thinProb: A.thinProb * s,
    gapProb: A.gapProb * s,
  };
}

/** Everything that defines a training run. */
export interface TrainOptions {
  /** Dataset folders (PBC layout). */
  data: string[];
  /** Run folder (experiments/<run>). */
  out: string;
  /** Model preset and overrides. */
  preset: string;
  model: Partial<ModelConfig>;
  /** Optimiser steps. */
  steps: number;
  /** Pairs per step. */
  batch: number;
  /** Peak learning rate. */
  lr: number;
  /** Warm-up as a fraction of the steps. */
  warmupFraction: number;
  /** Final learning rate as a fraction of the peak. */
  minLrFactor: number;
  weightDecay: number;
  /** Global gradient-norm clip. */
  clip: number;
  seed: number;
  /** Fraction of characters held out for validation. */
  valFraction: number;
  /** Validation pairs evaluated each time (a fixed seeded subset). */
  valPairs: number;
  /** Validate every this many steps (and at the start and the end). */
  valEvery: number;
  /** Checkpoint (and export) every this many steps (and at the end). */
  ckptEvery: number;
  /** Augmentation: swap and mirror (lib/data/batch.ts), warps, crops, line width and gaps (augment.ts). */
  augment: boolean;
  /** Fraction of the steps over which the probabilities of augment.ts's warps, line width and gaps rise
   * linearly from 0 to their defaults (swap and mirror are on from the start). */
  augmentRamp: number;
  loss: LossOptions;
  /** Frame gap of the default pairs (when a dataset has no pairs.csv). */
  gap: number;
  /** Start from these weights (a folder with model.json): parameters whose names and shapes fit are loaded. */
  init?: string;
  /** Continue the run in `out` from its latest checkpoint. */
  resume: boolean;
  /** Replace an existing run folder. */
  force: boolean;
  /** Show a progress bar. */
  progress: boolean;
}

/** Defaults, each with its reason. */
export const TRAIN_DEFAULTS: Omit<TrainOptions, "data" | "out"> = {
  preset: "small",
  model: {},
  steps: 4000, // ~9 epochs of 3.5k generated pairs at batch 8; a few hours on 2 cores
  batch: 8, // fits a 2-core CPU (one step ~3 s) and gives 8 * 256 sampled positives per step
  lr: 5e-4, // from scratch, small ViT (DeiT-style 5e-4 x batch/512 is lower, but our batch holds 2048 positives)
  warmupFraction: 0.05, // the release warms up 10% of 20-30 epochs; 5% is plenty at this lr
  minLrFactor: 0.01, // the release's PBC run: cosine to 0.01x
  weightDecay: ADAMW_DEFAULTS.weightDecay,
  clip: 1.0, // the release
  seed: 0,
  valFraction: 0.1, // the release's 90/10 split, by character here
  valPairs: 32, // enough for a stable AP (~10^5 patch pairs) in a few seconds
  valEvery: 200,
  ckptEvery: 100, // a kill loses at most ~5 minutes
  augment: true,
  // Full-strength warps from step 0 held a 150-step, 120-pair run near the ln 65 plateau (loss 4.08);
  // ramped over half the steps: loss 3.95 and val AP 15.0, unaugmented 14.0 (notes/augcheck.md).
  augmentRamp: 0.5,
  loss: LOSS_DEFAULTS,
  gap: 7, // the paper's and release's PBC pairs: frame i and i + 7
  resume: false,
  force: false,
  progress: true,
};

/** One line of log.jsonl. */
export interface LogRecord {
  step: number;
  loss?: number;
  lr?: number;
  grad_norm?: number;
  pairs_per_s?: number;
  elapsed_s?: number;
  val_ap?: number;
  val_top1?: number;
  val_pairs?: number;
  /** Validation per generator family, when the validation pairs span more than one (family_val.ts). */
  val_families?: Record<string, { ap: number; top1: number; pairs: number }>;
  /** True when the step's gradient norm was not finite and the update was skipped. */
  update_skipped?: boolean;
}

/** Hooks for live displays (the notebook's loss curve). */
export interface TrainHooks {
  onStep?: (r: LogRecord) => void | Promise<void>;
  onVal?: (r: LogRecord) => void | Promise<void>;
  /** One line of text per event worth telling (start, resume, checkpoints). */
  log?: (line: string) => void;
}

/** What {@link train} returns. */
export interface TrainSummary {
  out: string;
  config: ModelConfig;
  steps: number;
  trainPairs: number;
  valPairs: number;
  /** Mean loss of the last 10% of steps run in this call. */
  finalLoss: number;
  val: LogRecord | null;
}

/**
 * Training options that change the loss curve (a resumed run must keep them). Data folders are written relative
 * to the run folder, so a committed config.json names no machine path and a moved checkout still resumes;
 * `legacy` gives the older absolute form, which `--resume` still accepts.
 */
function curveKey(o: TrainOptions, cfg: ModelConfig, legacy = false): string {
  const out = path.resolve(o.out);
  return JSON.stringify({
    cfg,
    data: o.data.map((d) => legacy ? path.resolve(d) : path.relative(out, path.resolve(d))),
    batch: o.batch,
    lr: o.lr,
    steps: o.steps,
    warmupFraction: o.warmupFraction,
    minLrFactor: o.minLrFactor,
    weightDecay: o.weightDecay,
    clip: o.clip,
    seed: o.seed,
    valFraction: o.valFraction,
    // "warp-v2": augment.ts's warps with solid strokes and the pair-wise mirror (a run begun under "warp-v1",
    // per-image mirror and dashed warped lines, or with swap/mirror only, cannot resume under it).
    augment: o.augment ? "warp-v2" : false,
    augmentRamp: o.augment ? o.augmentRamp : null,
    loss: o.loss,
    gap: o.gap,
    init: o.init ?? null,
  });
}

/**
 * Validation with `lib/eval/`'s patch metrics on the release's sigmoid scores: pooled cross-image patch AP, and
 * top-1 as the mean over pairs (the release's aggregation). No augmentation.
 */
export async function validate(
  model: PatchSimilarityModel,
  caches: Parameters<typeof assembleBatch>[0],
  items: PairItem[],
  perForward = 4,
): Promise<{ ap: number; top1: number; pairs: number }> {
  // The same pooled scores as the per-family validation's `all` (one code path for both).
  return (await validateByFamily(model, caches, items, perForward)).all;
}

/**
 * The records of a run's log.jsonl, in order; [] when there is none. A line that is not a JSON record with a
 * numeric `step` (a torn last line from a killed run, a corrupted one) is left out with one warning naming the
 * file and line, passed to `warn` (default: stderr); the lines after it are still read.
 *
 * @example
 * ```ts
 * const log = await readLog("experiments/small-v1/log.jsonl");
 * const vals = log.filter((r) => r.val_ap !== undefined);
 * ```
 */
export async function readLog(
  file: string,
  warn: (line: string) => void = (l) => console.error(l),
): Promise<LogRecord[]> {
  if (!(await exists(file))) return [];
  const out: LogRecord[] = [];
  const lines = (await Deno.readTextFile(file)).split("\n");
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      rec = null;
    }
    if (rec && typeof rec === "object" && typeof (rec as LogRecord).step === "number") {
      out.push(rec as LogRecord);
    } else {
      const torn = lines.slice(i + 1).every((l) => !l.trim());
      warn(
        `warning: ${file}:${i + 1}: not a log record${
          torn ? " (a torn last line: was the run killed?)" : ""
        }; ` +
          `left out: ${JSON.stringify(line.length > 60 ? line.slice(0, 60) + "..." : line)}`,
      );
    }
  });
  return out;
}

/**
 * The warning for a step whose gradient norm is not finite (the step leaves the parameters and the optimiser
 * as they were: `trainStep` skips the update), or null for a normal step.
 *
 * @example
 * ```ts
 * skippedUpdateWarning(12, NaN); // "warning: step 12: gradient norm is NaN; update skipped ..."
 * ```
 */
export function skippedUpdateWarning(step: number, gradNorm: number): string | null {
  if (Number.isFinite(gradNorm)) return null;
  return `warning: step ${step}: gradient norm is ${gradNorm}; update skipped (parameters and optimiser ` +
    "state unchanged). If it repeats, lower --lr or --clip";
}

async function writeFigures(out: string, log: LogRecord[]): Promise<void> {
  const steps = log.filter((r) => r.loss !== undefined);
  const vals = log.filter((r) => r.val_ap !== undefined);
  // Loss: raw and a 50-step running mean.
  const k = 50;
  const smooth: number[] = [];
  let acc = 0;
  steps.forEach((r, i) => {
    acc += r.loss!;
    if (i >= k) acc -= steps[i - k].loss!;
    smooth.push(acc / Math.min(i + 1, k));
  });
  const loss = lineFigure([
    { name: "loss", x: steps.map((r) => r.step), y: steps.map((r) => r.loss!) },
    { name: `mean of ${k}`, x: steps.map((r) => r.step), y: smooth },
  ], { title: "training loss", xTitle: "step", yTitle: "loss" });
  await atomicWrite(path.join(out, "loss.svg"), await renderSvg(loss));
  if (vals.length) {
    const v = lineFigure([
      { name: "cross AP", x: vals.map((r) => r.step), y: vals.map((r) => r.val_ap!) },
      { name: "cross top-1", x: vals.map((r) => r.step), y: vals.map((r) => r.val_top1!) },
    ], { title: "validation (held-out characters)", xTitle: "step", yRange: [0, 1] });
    await atomicWrite(path.join(out, "val.svg"), await renderSvg(v));
  }
}

/**
 * Loads the parameters of the weights folder `dir` whose names and shapes fit the model (`train --init`): the
 * position embeddings are resized bicubically when only the grid differs; everything else that does not fit
 * (another width, layers the source lacks) keeps the model's own initialisation.
 *
 * @example
 * ```ts
 * const { loaded, total } = await initFrom(model, "models/vit-b16-imagenet");
 * ```
 */
export async function initFrom(
  model: PatchSimilarityModel,
  dir: string,
): Promise<{ loaded: number; total: number }> {
  const { config, values } = await loadWeights(dir);
  const cur = await model.valuesAsync();
  let loaded = 0;
  for (const [name, v] of cur) {
    let w = values.get(name);
    if (name === "pos" && w && config.dim === model.config.dim && w.length !== v.length) {
      w = resizePosEmbed(
        w,
        config.inputSize / config.patch,
        model.config.inputSize / model.config.patch,
        config.dim,
      );
    }
    if (w && w.length === v.length) {
      cur.set(name, w);
      loaded++;
    }
  }
  model.setValues(cur);
  return { loaded, total: cur.size };
}

/** The data of a run: caches, the augmenter, and the pairs split by character. */
interface RunData {
  data: PairData;
  /** The augmenter of a step (null: no augmentation). */
  augmenterAt: (step: number) => ReturnType<typeof makeAugmenter> | null;
  trainItems: PairItem[];
  /** Every held-out pair, and the ones validation reads. */
  valAll: PairItem[];
  valItems: PairItem[];
  /** Labelled patches and all patches of the caches. */
  labelled: number;
  patches: number;
}

/**
 * Trains (or resumes) a run. Call `initBackend` first.
 *
 * @example
 * ```ts
 * await initBackend();
 * const s = await train({ data: ["data/train-clean"], out: "experiments/run1", steps: 200 });
 * ```
 */
export async function train(
  options: Partial<TrainOptions> & { data: string[]; out: string },
  hooks: TrainHooks = {},
): Promise<TrainSummary> {
  const o: TrainOptions = { ...TRAIN_DEFAULTS, ...options, loss: { ...LOSS_DEFAULTS, ...options.loss } };
  const say = hooks.log ?? ((s: string) => console.error(s));
  checkTrainOptions(o);
  const cfg = modelConfig(o.preset, o.model);
  const out = o.out;
  const key = curveKey(o, cfg);
  await prepareRunFolder(o, [key, curveKey(o, cfg, true)]);
  const rd = await loadRunData(o, cfg);
  const { data, augmenterAt, trainItems, valItems } = rd;

  const model = PatchSimilarityModel.create(cfg, o.seed);
  const opt = new AdamW(model.params, { ...ADAMW_DEFAULTS, weightDecay: o.weightDecay }, decays);
  try {
    const { start, log } = await startOrResume(o, cfg, key, rd, model, opt, say);
    const rec = runRecorder(o, cfg, key, rd, model, opt, log, hooks);
    if (start === 0 && !log.some((r) => r.step === 0)) await rec.runVal(0);
    const sched = {
      lr: o.lr,
      steps: o.steps,
      warmup: Math.max(1, Math.round(o.warmupFraction * o.steps)),
      minFactor: o.minLrFactor,
    };
    const bar = o.progress
      ? new Progress({ total: (o.steps - start) * o.batch, label: "train", unit: "pairs" })
      : null;
    const t0 = performance.now();
    const losses: number[] = [];
    for (let step = start; step < o.steps; step++) {
      const ts = performance.now();
      const rng = new Rng(o.seed).fork(`step:${step}`);
      const items = pairsForStep(trainItems, step, o.batch, o.seed);
      const batch = assembleBatch(
        data.caches,
        items,
        cfg,
        o.augment ? rng.fork("augment") : null,
        augmenterAt(step),
      );
      const sample = sampleBatch(batch.labels, batch.pairs, o.loss, rng.fork("loss"));
      const lr = learningRate(step, sched);
      const r = await trainStepAsync(model, opt, batch, sample, lr, o.clip, o.loss.tau);
      if (!Number.isFinite(r.loss)) {
        throw new UserError(`loss is ${r.loss} at step ${step + 1}; lower --lr`, out);
      }
      const skipped = skippedUpdateWarning(step + 1, r.gradNorm);
      if (skipped) say(skipped);
      losses.push(r.loss);
      const dt = (performance.now() - ts) / 1000;
      const record: LogRecord = {
        step: step + 1,
        loss: r.loss,
        lr,
        grad_norm: r.gradNorm,
        pairs_per_s: o.batch / dt,
        elapsed_s: (performance.now() - t0) / 1000,
      };
      if (skipped) record.update_skipped = true;
      await rec.append(record);
      await hooks.onStep?.(record);
      bar?.tick(o.batch, `loss ${r.loss.toFixed(3)}`);
      const s = step + 1;
      if (s % o.valEvery === 0 || s === o.steps) await rec.runVal(s);
      if (s % o.ckptEvery === 0 || s === o.steps) await rec.saveAll(s);
    }
    await bar?.done();
    if (start >= o.steps) await rec.saveAll(o.steps);
    const tail = losses.slice(Math.floor(losses.length * 0.9));
    return {
      out,
      config: cfg,
      steps: o.steps,
      trainPairs: trainItems.length,
      valPairs: valItems.length,
      finalLoss: tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : NaN,
      val: [...log].reverse().find((r) => r.val_ap !== undefined) ?? null,
    };
  } finally {
    opt.dispose();
    model.dispose();
  }
}

/** Data folders given, and the counts positive integers. */
function checkTrainOptions(o: TrainOptions): void {
  if (o.data.length === 0) throw new UserError("no --data folders given");
  for (
    const [k, v] of Object.entries({
      steps: o.steps,
      batch: o.batch,
      valEvery: o.valEvery,
      ckptEvery: o.ckptEvery,
    })
  ) {
    if (!Number.isInteger(v) || v < 1) throw new UserError(`${k} must be a positive integer, got ${v}`);
  }
}

/** `--resume`: the run's options must match its config.json; otherwise the folder must be new, empty or forced. */
async function prepareRunFolder(o: TrainOptions, keys: string[]): Promise<void> {
  const out = o.out;
  const configFile = path.join(out, "config.json");
  if (o.resume) {
    if (!(await exists(configFile))) throw new UserError("nothing to resume: no config.json", out);
    const prev = await readJson<{ curveKey: string }>(configFile);
    if (!keys.includes(prev.curveKey)) {
      throw new UserError(
        "--resume with options that change the run (model, data, batch, lr, steps, seed, loss...); use the original options",
        configFile,
      );
    }
  } else if (await exists(out)) {
    const entries = [...Deno.readDirSync(out)];
    if (entries.length > 0) {
      if (!o.force) {
        throw new UserError("run folder exists; pass --resume to continue it or --force to replace it", out);
      }
      await Deno.remove(out, { recursive: true });
    }
  }
  await Deno.mkdir(out, { recursive: true });
}

/**
 * Loads the caches (refusing the held-out transfer family), the augmenter, and splits the pairs by character;
 * refuses data with no labelled patch on the model's grid.
 */
async function loadRunData(o: TrainOptions, cfg: ModelConfig): Promise<RunData> {
  const data = await loadPairData(o.data, cacheOptionsFor(cfg, { progress: o.progress }), { gap: o.gap });
  const transfer = data.items.filter((p) => p.family === TRANSFER_FAMILY);
  if (transfer.length > 0) {
    throw new UserError(
      `training data contains the held-out transfer family "${TRANSFER_FAMILY}" (${transfer.length} pairs, e.g. ${
        transfer[0].character
      }): it is for evaluation only; generate training data with --family all or other families`,
      o.data[transfer[0].source],
    );
  }
  const pixels = o.augment
    ? await Promise.all(data.caches.map((c) => loadPixelLabels(c, { progress: o.progress })))
    : null;
  // The augmenter of a step: full strength after the ramp (a pure function of the step: resumes stay exact).
  const augmenterAt = (step: number) =>
    pixels
      ? makeAugmenter(
        pixels,
        cfg.inputSize,
        cfg.inputSize / cfg.patch,
        rampedAugment(step, o.steps, o.augmentRamp),
      )
      : null;
  augmenterAt(0); // geometry check before any work
  const { train: trainItems, val: valAll } = splitByCharacter(data.items, o.valFraction, o.seed);
  if (trainItems.length === 0) throw new UserError("no training pairs after the split", o.data.join(","));
  const valItems = new Rng(o.seed).fork("val").shuffle([...valAll]).slice(0, o.valPairs);
  let labelled = 0, patches = 0;
  for (const c of data.caches) {
    patches += c.labels.length;
    for (const l of c.labels) if (l >= 0) labelled++;
  }
  if (labelled === 0) {
    throw new UserError(
      `no patch carries a region label on the ${cfg.inputSize / cfg.patch}x${
        cfg.inputSize / cfg.patch
      } grid (55% rule): nothing to learn; regions are too small for this patch size`,
      o.data.join(","),
    );
  }
  return { data, augmenterAt, trainItems, valAll, valItems, labelled, patches };
}

/**
 * A resumed run: the latest checkpoint and the log up to it. A new one: optional initial weights, config.json
 * and an empty log. Says which, and what the run trains on.
 */
async function startOrResume(
  o: TrainOptions,
  cfg: ModelConfig,
  key: string,
  rd: RunData,
  model: PatchSimilarityModel,
  opt: AdamW,
  say: (s: string) => void,
): Promise<{ start: number; log: LogRecord[] }> {
  const { data, trainItems, valAll, valItems, labelled, patches } = rd;
  const out = o.out;
  const configFile = path.join(out, "config.json"), logFile = path.join(out, "log.jsonl");
  let start = 0;
  let log: LogRecord[] = [];
  if (o.resume) {
    const ck = await loadLatestCheckpoint(out);
    if (ck) {
      model.setValues(ck.params);
      opt.load(ck.opt);
      start = ck.step;
    }
    log = (await readLog(logFile, say)).filter((r) => r.step <= start);
    await atomicWrite(logFile, log.map((r) => JSON.stringify(r) + "\n").join(""));
    say(`resuming ${out} at step ${start} of ${o.steps}`);
  } else {
    if (o.init) {
      const r = await initFrom(model, o.init);
      say(`initialised ${r.loaded} of ${r.total} parameters from ${o.init}`);
    }
    await atomicWriteJson(configFile, {
      curveKey: key,
      model: cfg,
      train: { ...o, resume: undefined, force: undefined, progress: undefined },
      data: data.caches.map((c) => ({ root: c.root, frames: c.frames.length, cache: c.file })),
      trainPairs: trainItems.length,
      valPairs: valItems.length,
      valCharacters: [...new Set(valAll.map((p) => p.character))],
      backend: `${tf.getBackend()} / kernels ${kernelMode()}`,
      created: new Date().toISOString(),
    });
    await atomicWrite(logFile, "");
  }
  say(
    `train: ${trainItems.length} pairs (${new Set(trainItems.map((p) => p.character)).size} characters), ` +
      `validation: ${valItems.length} pairs of ${
        new Set(valAll.map((p) => p.character)).size
      } held-out characters; ` +
      `${o.steps} steps of ${o.batch}; ${(100 * labelled / patches).toFixed(1)}% of patches labelled`,
  );
  return { start, log };
}

/**
 * What a run writes as it goes: log records (appended to log.jsonl and kept in `log`), validation records, and
 * at a checkpoint the checkpoint, weights, metrics.json and the figures.
 */
function runRecorder(
  o: TrainOptions,
  cfg: ModelConfig,
  key: string,
  rd: RunData,
  model: PatchSimilarityModel,
  opt: AdamW,
  log: LogRecord[],
  hooks: TrainHooks,
): {
  append(r: LogRecord): Promise<void>;
  runVal(step: number): Promise<void>;
  saveAll(step: number): Promise<void>;
} {
  const { data, valItems } = rd;
  const out = o.out;
  const logFile = path.join(out, "log.jsonl");
  const append = async (r: LogRecord) => {
    log.push(r);
    await Deno.writeTextFile(logFile, JSON.stringify(r) + "\n", { append: true });
  };
  const runVal = async (step: number) => {
    if (valItems.length === 0) return;
    let r: LogRecord;
    if (new Set(valItems.map((p) => p.family)).size > 1) {
      const v = await validateByFamily(model, data.caches, valItems);
      r = {
        step,
        val_ap: v.all.ap,
        val_top1: v.all.top1,
        val_pairs: v.all.pairs,
        val_families: v.byFamily,
      };
    } else {
      const v = await validate(model, data.caches, valItems);
      r = { step, val_ap: v.ap, val_top1: v.top1, val_pairs: v.pairs };
    }
    await append(r);
    await hooks.onVal?.(r);
  };
  const saveAll = async (step: number) => {
    const params = await model.valuesAsync(); // async reads: WebGPU has no synchronous ones
    await saveCheckpoint(out, { step, params, opt: await opt.stateAsync(), meta: { curveKey: key } });
    const lastVal = [...log].reverse().find((r) => r.val_ap !== undefined) ?? null;
    await saveWeights(out, cfg, params, {
      run: path.basename(out),
      step,
      steps: o.steps,
      validation: lastVal,
    });
    await atomicWriteJson(path.join(out, "metrics.json"), {
      step,
      last_validation: lastVal,
      validation: log.filter((r) => r.val_ap !== undefined),
    });
    await writeFigures(out, log);
  };
  return { append, runVal, saveAll };
}
