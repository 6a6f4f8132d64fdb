/**
 * Training the region head (`lib/match/region_head.ts`) on the generator's exact labels, read top to bottom:
 *
 * 1. samples ({@link pairSample}): each pair's regions made exactly as at inference (`pairRegionSets`: stroke
 *    regions at the drawing's own resolution), described from the backbone's tokens (`describeRegions`), and
 *    labelled with the part that holds most of each region's non-stroke pixels ({@link regionPartLabels}; regions
 *    under {@link TRAIN_HEAD_DEFAULTS}.purity are left out of the loss);
 * 2. the network's forward and hand-written backward (`region_head_grad.ts`, typed arrays like the inference);
 * 3. the loss (`dualSoftmaxLoss`): SuperGlue's with two changes for regions. Each reference region takes a log
 *    softmax over [its row of scores, the dustbin], each target region one over [its column, the dustbin]; the
 *    loss is the negative log of the probability mass on *any* region of the same part (several target regions
 *    may share one reference part: occlusion splits it), or on the dustbin when the other drawing has none;
 * 4. AdamW with warm-up and cosine decay, a few pairs per step, seeded order and side swaps: same seed, same bytes.
 *
 * @module
 */
import { resizeLabelsNearest } from "../image/resize.ts";
import type { GrayImage, LabelMap } from "../image/types.ts";
import type { PairTokens } from "../model/similarity.ts";
import { LINE_ID } from "../data/pbc.ts";
import type { RegionSet } from "../match/descriptors.ts";
import { pairRegionSets } from "../match/pipeline.ts";
import { describeRegions } from "../match/region_matcher.ts";
import {
  headScores,
  initHeadParams,
  type RegionHeadConfig,
  regionHeadFeatures,
} from "../match/region_head.ts";
import { Rng } from "../util/rng.ts";
import { dualSoftmaxLoss, type Grads, headForward, zeroGrads } from "./region_head_grad.ts";

/** A region left out of the loss (impure, or no labelled pixel). */
export const IGNORE = -2;

/** Training options. */
export interface TrainHeadOptions {
  /** Pairs per optimiser step (their losses are averaged). */
  batch: number;
  /** Passes over the training samples. */
  epochs: number;
  /** Peak learning rate. */
  lr: number;
  /** Share of the steps spent warming up linearly from 0. */
  warmup: number;
  weightDecay: number;
  /** A region's part label counts when it holds at least this share of its non-stroke pixels. */
  purity: number;
  /** Share of the samples held out to report a validation loss and accuracy (the last ones). */
  valShare: number;
  seed: number;
}

/** Defaults, each with its reason. */
export const TRAIN_HEAD_DEFAULTS: TrainHeadOptions = {
  batch: 1, // 4x the steps of batch 4 for the same compute: held-out loss 2.09 vs 2.21 after 3 epochs (360 pairs)
  epochs: 5, // held-out loss 2.22, 2.13, 2.09, 2.07, 2.08 over epochs 1-5: flat by the fifth (~6 min here)
  lr: 2e-3, // Adam on a small network
  warmup: 0.05, // a short ramp keeps the first steps from saturating the softmaxes
  weightDecay: 0.01, // light: the head is small
  purity: 0.5, // the majority part: a region straddling two parts still mostly belongs to one
  valShare: 0.1, // ~40 held-out pairs: enough to see over-fitting
  seed: 0,
};

/** One training pair: both drawings' head inputs and part labels. */
export interface HeadSample {
  m: number;
  n: number;
  /** [m * F], [n * F] (`regionHeadFeatures`). */
  xa: Float32Array;
  xb: Float32Array;
  /** Part label per region (-1: background part; {@link IGNORE}: left out). */
  la: Int32Array;
  lb: Int32Array;
}

/**
 * The part label of each listed region: the label (via `labelOfSeg`) of the most pixels of the region that are
 * not strokes in the ground truth, when it holds at least `purity` of them; else {@link IGNORE}. `seg` may be at
 * another resolution than the region map (resized nearest).
 *
 * @example
 * ```ts
 * const la = regionPartLabels(set, ids, frame.seg, frame.labelOfSeg!, 0.5);
 * ```
 */
export function regionPartLabels(
  set: RegionSet,
  ids: readonly number[],
  seg: LabelMap,
  labelOfSeg: Map<number, number>,
  purity: number,
): Int32Array {
  const s = seg.width === set.width && seg.height === set.height
    ? seg.data
    : resizeLabelsNearest(seg, set.width, set.height).data;
  const counts = new Map<number, Map<number, number>>();
  const want = new Set(ids);
  for (let i = 0; i < s.length; i++) {
    const r = set.labels[i];
    if (!want.has(r) || s[i] === LINE_ID) continue;
    const l = labelOfSeg.get(s[i]) ?? -1;
    let c = counts.get(r);
    if (!c) counts.set(r, c = new Map());
    c.set(l, (c.get(l) ?? 0) + 1);
  }
  return Int32Array.from(ids, (r) => {
    const c = counts.get(r);
    if (!c) return IGNORE;
    let best = IGNORE, bn = 0, tot = 0;
    for (const [l, k] of c) {
      tot += k;
      if (k > bn || (k === bn && l < best)) [best, bn] = [l, k];
    }
    return bn >= purity * tot ? best : IGNORE;
  });
}

/** A frame as the sample builder needs it. */
export interface LabelledFrame {
  line: GrayImage;
  seg: LabelMap;
  labelOfSeg: Map<number, number>;
}

/**
 * One pair's sample: regions as at inference, head inputs, part labels.
 *
 * @example
 * ```ts
 * const s = pairSample(a, b, await model.pairTokens(a.line, b.line), REGION_HEAD_DEFAULTS, 0.5);
 * ```
 */
export function pairSample(
  a: LabelledFrame,
  b: LabelledFrame,
  tokens: PairTokens,
  config: RegionHeadConfig,
  purity: number,
): HeadSample {
  const sets = pairRegionSets(a.line, b.line, tokens);
  const da = describeRegions(sets.a, tokens, 0), db = describeRegions(sets.b, tokens, 1);
  return {
    m: da.ids.length,
    n: db.ids.length,
    xa: regionHeadFeatures(da.ids, da.desc, da.nbr, da.geom, config),
    xb: regionHeadFeatures(db.ids, db.desc, db.nbr, db.geom, config),
    la: regionPartLabels(sets.a, da.ids, a.seg, a.labelOfSeg, purity),
    lb: regionPartLabels(sets.b, db.ids, b.seg, b.labelOfSeg, purity),
  };
}

// ---- targets, Adam, the loop ------------------------------------------------------------------------------------

/** Targets of one sample for the loss: 1 where a pair (or a region and the dustbin) is right. */
export interface HeadTargets {
  /** [m, n + 1] for the reference rows (last column: dustbin), [m + 1, n] for the target columns. */
  rowPos: Float32Array;
  colPos: Float32Array;
  /** 1 for rows / columns in the loss. */
  rowOn: Float32Array;
  colOn: Float32Array;
}

/** Positives of a sample: same part label; the dustbin when the other drawing has none of that part. */
export function headTargets(la: Int32Array, lb: Int32Array): HeadTargets {
  const m = la.length, n = lb.length;
  const rowPos = new Float32Array(m * (n + 1)), colPos = new Float32Array((m + 1) * n);
  const rowOn = new Float32Array(m), colOn = new Float32Array(n);
  for (let p = 0; p < m; p++) {
    if (la[p] === IGNORE) continue;
    rowOn[p] = 1;
    let any = false;
    for (let q = 0; q < n; q++) if (lb[q] === la[p]) rowPos[p * (n + 1) + q] = 1, any = true;
    if (!any) rowPos[p * (n + 1) + n] = 1;
  }
  for (let q = 0; q < n; q++) {
    if (lb[q] === IGNORE) continue;
    colOn[q] = 1;
    let any = false;
    for (let p = 0; p < m; p++) if (la[p] === lb[q]) colPos[p * n + q] = 1, any = true;
    if (!any) colPos[m * n + q] = 1;
  }
  return { rowPos, colPos, rowOn, colOn };
}

/** Adam's moments and step (saveable for `--resume`). */
export interface AdamState {
  step: number;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

/** Saveable training state. */
export interface HeadTrainState {
  step: number;
  params: Map<string, Float32Array>;
  opt: AdamState;
}

/** Parameters that take weight decay: matrices (not biases, not the dustbin). */
function decays(name: string): boolean {
  return name !== "dustbin" && name !== "prior" && !/\.(b1|b2|bo|mb1|mb2)$/.test(name);
}

/** One AdamW update in place (PyTorch's torch.optim.AdamW rule, as lib/train/adamw.ts). */
function adamw(P: Map<string, Float32Array>, G: Grads, s: AdamState, lr: number, wd: number): void {
  s.step++;
  const b1 = 0.9, b2 = 0.999, eps = 1e-8, c1 = 1 - b1 ** s.step, c2 = 1 - b2 ** s.step;
  for (const [name, p] of P) {
    const g = G.get(name)!, m = s.m.get(name)!, v = s.v.get(name)!, f = decays(name) ? 1 - lr * wd : 1;
    for (let i = 0; i < p.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      p[i] = p[i] * f - lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
    }
  }
}

/** Progress of one step (or of validation after an epoch). */
export interface HeadStepInfo {
  step: number;
  steps: number;
  epoch: number;
  loss: number;
  lr: number;
  /** After each epoch: held-out loss and the share of held-out target regions whose best row is right. */
  val?: { loss: number; accuracy: number };
}

/** Learning rate at a step: linear warm-up, cosine to 1% of the peak. */
export function headLr(step: number, steps: number, o: TrainHeadOptions): number {
  const w = Math.max(1, Math.round(o.warmup * steps));
  if (step < w) return o.lr * (step + 1) / w;
  const t = (step - w) / Math.max(1, steps - w);
  return o.lr * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * t)));
}

/**
 * Held-out figures: mean loss, and the share of labelled target regions whose best reference region (or the
 * dustbin) is a positive.
 */
export function evaluateHead(
  params: Map<string, Float32Array>,
  c: RegionHeadConfig,
  samples: readonly HeadSample[],
): { loss: number; accuracy: number } {
  let loss = 0, right = 0, total = 0, count = 0;
  const head = { config: c, params, backbone: { name: "", sha256: "" } };
  for (const s of samples) {
    if (s.m === 0 || s.n === 0) continue;
    const t = headTargets(s.la, s.lb);
    const { scores: S, dustbin: alpha } = headScores(head, s.xa, s.m, s.xb, s.n);
    loss += dualSoftmaxLoss(S, s.m, s.n, alpha, t).loss;
    count++;
    for (let q = 0; q < s.n; q++) {
      if (!t.colOn[q]) continue;
      let best = s.m, bv = alpha;
      for (let p = 0; p < s.m; p++) if (S[p * s.n + q] > bv) [best, bv] = [p, S[p * s.n + q]];
      total++;
      if (t.colPos[best * s.n + q]) right++;
    }
  }
  return { loss: loss / Math.max(1, count), accuracy: total ? right / total : 0 };
}

/**
 * Trains a head on samples (the last `valShare` held out); returns its parameters. `onStep` sees every step and,
 * after each epoch, the held-out figures; `checkpoint` is called after each epoch with the state to save, and
 * `resume` continues from one (bit-exact: the order and swaps are drawn from the seed and the epoch).
 *
 * @example
 * ```ts
 * const params = trainHead(samples, REGION_HEAD_DEFAULTS, TRAIN_HEAD_DEFAULTS, (i) => console.log(i.loss));
 * ```
 */
export function trainHead(
  samples: readonly HeadSample[],
  c: RegionHeadConfig,
  o: TrainHeadOptions,
  onStep: (i: HeadStepInfo) => void = () => {},
  hooks: { resume?: HeadTrainState; checkpoint?: (s: HeadTrainState) => void } = {},
): Map<string, Float32Array> {
  const nVal = Math.min(samples.length - 1, Math.round(o.valShare * samples.length));
  const train = samples.slice(0, samples.length - nVal).filter((s) => s.m > 0 && s.n > 0);
  const val = samples.slice(samples.length - nVal);
  const copy = (mp: Map<string, Float32Array>) => new Map([...mp].map(([k, v]) => [k, v.slice()]));
  const P = copy(hooks.resume?.params ?? initHeadParams(c, o.seed));
  const opt: AdamState = hooks.resume
    ? { step: hooks.resume.opt.step, m: copy(hooks.resume.opt.m), v: copy(hooks.resume.opt.v) }
    : { step: 0, m: zeroGrads(P), v: zeroGrads(P) };
  const perEpoch = Math.ceil(train.length / o.batch), steps = perEpoch * o.epochs;
  for (let step = hooks.resume?.step ?? 0; step < steps; step++) {
    const epoch = Math.floor(step / perEpoch), k = step % perEpoch;
    const rng = new Rng(o.seed * 1000003 + epoch);
    const order = rng.shuffle([...train.keys()]);
    const swaps = order.map(() => rng.bool());
    const batch = order.slice(k * o.batch, (k + 1) * o.batch);
    const G = zeroGrads(P);
    let loss = 0;
    for (const i of batch) {
      const s = train[i];
      const [xa, xb, m, n, la, lb] = swaps[i]
        ? [s.xb, s.xa, s.n, s.m, s.lb, s.la]
        : [s.xa, s.xb, s.m, s.n, s.la, s.lb];
      const f = headForward(P, c, xa, m, xb, n, G);
      const l = dualSoftmaxLoss(f.scores, m, n, f.dustbin, headTargets(la, lb));
      const w = 1 / batch.length;
      for (let j = 0; j < l.dS.length; j++) l.dS[j] *= w;
      f.back(l.dS, l.dAlpha * w);
      loss += l.loss * w;
    }
    const lr = headLr(step, steps, o);
    adamw(P, G, opt, lr, o.weightDecay);
    const info: HeadStepInfo = { step: step + 1, steps, epoch: epoch + 1, loss, lr };
    if (k === perEpoch - 1) {
      if (val.length) info.val = evaluateHead(P, c, val);
      hooks.checkpoint?.({
        step: step + 1,
        params: copy(P),
        opt: { step: opt.step, m: copy(opt.m), v: copy(opt.v) },
      });
    }
    onStep(info);
  }
  return P;
}

// ---- the sample cache --------------------------------------------------------------------------------------------

/**
 * Packs samples into bytes: u32 count, then per sample u32 m, u32 n, xa, xb (float32), la, lb (int32),
 * little-endian.
 */
export function packSamples(samples: readonly HeadSample[], F: number): Uint8Array {
  let words = 1;
  for (const s of samples) words += 2 + (s.m + s.n) * (F + 1);
  const buf = new ArrayBuffer(4 * words),
    u = new Uint32Array(buf),
    f = new Float32Array(buf),
    i = new Int32Array(buf);
  u[0] = samples.length;
  let o = 1;
  for (const s of samples) {
    u[o++] = s.m;
    u[o++] = s.n;
    f.set(s.xa, o), o += s.m * F;
    f.set(s.xb, o), o += s.n * F;
    i.set(s.la, o), o += s.m;
    i.set(s.lb, o), o += s.n;
  }
  return new Uint8Array(buf);
}

/** Unpacks {@link packSamples}' bytes (throws RangeError on a truncated or mis-sized buffer). */
export function unpackSamples(bytes: Uint8Array, F: number): HeadSample[] {
  if (bytes.byteLength % 4 !== 0 || bytes.byteLength < 4) throw new RangeError("sample cache: truncated");
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const u = new Uint32Array(buf), f = new Float32Array(buf), i = new Int32Array(buf);
  const out: HeadSample[] = [];
  let o = 1;
  for (let k = 0; k < u[0]; k++) {
    if (o + 2 > u.length) throw new RangeError("sample cache: truncated");
    const m = u[o++], n = u[o++];
    if (o + (m + n) * (F + 1) > u.length) throw new RangeError("sample cache: truncated");
    const xa = f.slice(o, o += m * F), xb = f.slice(o, o += n * F);
    const la = i.slice(o, o += m), lb = i.slice(o, o += n);
    out.push({ m, n, xa, xb, la, lb });
  }
  if (o !== u.length) throw new RangeError("sample cache: trailing bytes");
  return out;
}
