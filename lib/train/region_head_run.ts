/**
 * One `train:head` run: pick pairs from a generated dataset, build (or reuse) the sample cache from the backbone's
 * tokens, train the head (`region_head.ts`), write the head folder. The cache and the per-epoch checkpoint live in
 * `.cache/region-head/` (git-ignored) under a key of the backbone's sha256, the dataset and the pair list, so a
 * re-run with the same inputs skips the forwards and `--resume` continues an interrupted run.
 *
 * @module
 */
import * as path from "node:path";
import { resolvePairs } from "../data/pairs.ts";
import { loadFrame } from "../data/pbc.ts";
import type { GrayImage } from "../image/types.ts";
import type { PairTokens } from "../model/similarity.ts";
import {
  backboneOf,
  headInputSize,
  headParamShapes,
  type RegionHeadConfig,
  saveRegionHead,
} from "../match/region_head.ts";
import { UserError } from "../util/errors.ts";
import { atomicWrite, atomicWriteJson, exists, guardOutput, stageDir } from "../util/fs.ts";
import { repoPath } from "../util/paths.ts";
import { hashString } from "../util/rng.ts";
import {
  type HeadSample,
  type HeadStepInfo,
  type HeadTrainState,
  packSamples,
  pairSample,
  trainHead,
  type TrainHeadOptions,
  unpackSamples,
} from "./region_head.ts";

/** What a run needs. */
export interface TrainHeadRun {
  /** The backbone, loaded (its tokens feed the head). */
  model: { pairTokens(a: GrayImage, b: GrayImage): Promise<PairTokens> };
  modelDir: string;
  data: string;
  out: string;
  /** Pairs used, spread over the dataset's list. */
  pairs: number;
  config: RegionHeadConfig;
  options: TrainHeadOptions;
  force: boolean;
  resume: boolean;
  /** The command line, recorded in config.json. */
  command: string;
  /** Progress of the sample cache (done, total) and of training. */
  onSample?: (done: number, total: number) => void;
  onStep?: (i: HeadStepInfo) => void;
}

/** What a run reports. */
export interface TrainHeadReport {
  samples: number;
  cached: boolean;
  heldOut: { loss: number; accuracy: number } | null;
  seconds: { samples: number; training: number };
}

/** Words of the checkpoint file: u32 step, then params, Adam m, Adam v, each in manifest order (float32). */
function packState(s: HeadTrainState, c: RegionHeadConfig): Uint8Array {
  const shapes = headParamShapes(c);
  const size = shapes.reduce((t, [, sh]) => t + sh.reduce((a, b) => a * b, 1), 0);
  const buf = new ArrayBuffer(4 * (2 + 3 * size)), u = new Uint32Array(buf), f = new Float32Array(buf);
  u[0] = s.step;
  u[1] = s.opt.step;
  let o = 2;
  for (const src of [s.params, s.opt.m, s.opt.v]) {
    for (const [n] of shapes) f.set(src.get(n)!, o), o += src.get(n)!.length;
  }
  return new Uint8Array(buf);
}

function unpackState(bytes: Uint8Array, c: RegionHeadConfig): HeadTrainState {
  const shapes = headParamShapes(c);
  const size = shapes.reduce((t, [, sh]) => t + sh.reduce((a, b) => a * b, 1), 0);
  if (bytes.byteLength !== 4 * (2 + 3 * size)) throw new RangeError("checkpoint: wrong size");
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const u = new Uint32Array(buf), f = new Float32Array(buf);
  const maps = [
    new Map<string, Float32Array>(),
    new Map<string, Float32Array>(),
    new Map<string, Float32Array>(),
  ];
  let o = 2;
  for (const mp of maps) {
    for (const [n, sh] of shapes) {
      const k = sh.reduce((a, b) => a * b, 1);
      mp.set(n, f.slice(o, o += k));
    }
  }
  return { step: u[0], params: maps[0], opt: { step: u[1], m: maps[1], v: maps[2] } };
}

/**
 * Runs it: samples (cached), training (checkpointed per epoch), the head folder written atomically with
 * `head.json`, `weights.bin` and `config.json` (command, data, options, held-out figures; no absolute paths).
 *
 * @example
 * ```ts
 * await runTrainHead({ model, modelDir: "experiments/small-v1", data: "data/train-mix", out: "experiments/region-head-v1", ... });
 * ```
 */
export async function runTrainHead(r: TrainHeadRun): Promise<TrainHeadReport> {
  if (!r.force && !r.resume) await guardOutput(r.out);
  const backbone = await backboneOf(r.modelDir);
  if (r.config.tokenDim <= 0) throw new UserError("tokenDim must be positive");
  const all = await resolvePairs(r.data);
  if (all.length === 0) throw new UserError("no pairs", r.data);
  const step = Math.max(1, Math.floor(all.length / Math.max(1, r.pairs)));
  const pairs = all.filter((_, i) => i % step === 0).slice(0, r.pairs);
  const F = headInputSize(r.config);
  const key = (hashString(
    JSON.stringify([
      backbone.sha256,
      path.basename(path.resolve(r.data)),
      pairs,
      // What the cached inputs depend on (not the head's width or depth).
      [r.config.tokenDim, r.config.neighbours, r.config.freqs],
      r.options.purity,
    ]),
  ) >>> 0).toString(16).padStart(8, "0");
  const cacheDir = repoPath(".cache", "region-head");
  const cacheFile = path.join(cacheDir, `samples-${key}.bin`), partial = cacheFile + ".partial";
  const ckptFile = path.join(cacheDir, `ckpt-${key}-${r.options.seed}-${r.options.epochs}.bin`);
  const t0 = performance.now();
  let samples: HeadSample[] = [];
  let cached = false;
  if (await exists(cacheFile)) {
    samples = unpackSamples(await Deno.readFile(cacheFile), F);
    cached = true;
  } else {
    if (r.resume && await exists(partial)) samples = unpackSamples(await Deno.readFile(partial), F);
    for (let k = samples.length; k < pairs.length; k++) {
      const p = pairs[k];
      const [a, b] = await Promise.all([
        loadFrame(r.data, p.dir, p.reference),
        loadFrame(r.data, p.dir, p.target),
      ]);
      if (!a.labelOfSeg || !b.labelOfSeg) {
        throw new UserError(
          `pair ${p.dir} ${p.reference}-${p.target} has no part labels (json_index)`,
          r.data,
        );
      }
      const tokens = await r.model.pairTokens(a.line, b.line);
      samples.push(pairSample(
        { line: a.line, seg: a.seg, labelOfSeg: a.labelOfSeg },
        { line: b.line, seg: b.seg, labelOfSeg: b.labelOfSeg },
        tokens,
        r.config,
        r.options.purity,
      ));
      r.onSample?.(k + 1, pairs.length);
      if ((k + 1) % 50 === 0) await atomicWrite(partial, packSamples(samples, F));
    }
    await atomicWrite(cacheFile, packSamples(samples, F));
    await Deno.remove(partial).catch(() => {});
  }
  const t1 = performance.now();
  const resume = r.resume && await exists(ckptFile)
    ? unpackState(await Deno.readFile(ckptFile), r.config)
    : undefined;
  let heldOut: TrainHeadReport["heldOut"] = null;
  const pending: Promise<void>[] = [];
  const params = trainHead(samples, r.config, r.options, (i) => {
    if (i.val) heldOut = i.val;
    r.onStep?.(i);
  }, { resume, checkpoint: (s) => void pending.push(atomicWrite(ckptFile, packState(s, r.config))) });
  await Promise.all(pending);
  const t2 = performance.now();
  const report: TrainHeadReport = {
    samples: samples.length,
    cached,
    heldOut,
    seconds: { samples: (t1 - t0) / 1000, training: (t2 - t1) / 1000 },
  };
  const training = {
    command: r.command,
    data: path.relative(repoPath(), path.resolve(r.data)) || r.data,
    pairs: pairs.length,
    options: r.options,
    heldOut,
  };
  await stageDir(r.out, { force: true }, async (tmp) => {
    await saveRegionHead(tmp, { config: r.config, params, backbone }, training);
    await atomicWriteJson(path.join(tmp, "config.json"), { ...training, backbone, config: r.config, report });
  });
  await Deno.remove(ckptFile).catch(() => {});
  return report;
}
