/**
 * The paper's CLIP-style sampled contrastive loss (eq. 4). For each pair, positives (i, j) are drawn uniformly
 * from the nonzero off-diagonal entries of the ground-truth matrix G (same region label, in one image or across
 * the pair; self pairs excluded), and for each positive K negatives j_k from the patches of the pair whose
 * label differs from i's. The loss is the cross-entropy of the positive against its negatives under a
 * softmax of cosine / tau, averaged over all sampled positives of the batch.
 *
 * Sampling is index arithmetic on typed arrays (data preparation, like a loader's); the loss itself is tensor
 * ops: one Gram matrix per pair, a gather of the sampled entries, log-sum-exp, and a written-out backward pass
 * (scatter of the logit gradients into dS, then dF = (dS + dS^T) F).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { IGNORE } from "../data/patch_gt.ts";
import { backward, pairGram, pairGramGrad } from "../model/ops.ts";
import type { Rng } from "../util/rng.ts";

/** Options of the sampled loss. */
export interface LossOptions {
  /** Positive pairs drawn per image pair. */
  positives: number;
  /** Negatives per positive (K). */
  negatives: number;
  /** Softmax temperature tau. */
  tau: number;
}

/**
 * The release's PBC-run settings (256 positives, 64 negatives, tau 0.07) rather than its main run's
 * (96, 256, 0.10): our training data has the PBC layout and 512x512 frames like that run, tau 0.07 matches the
 * peer's cosine / 0.07, and with the whole Gram matrix computed anyway, more positives per pair cost almost
 * nothing and lower the variance of a small batch's gradient, while 64 negatives already cover most regions of
 * a pair (a frame has ~10-60).
 */
export const LOSS_DEFAULTS: LossOptions = { positives: 256, negatives: 64, tau: 0.07 };

/** Sampled entries of a batch: flat indices into S [B, 2N, 2N]; row r's positive first, then its negatives. */
export interface LossSample {
  /** [rows * (1 + K)] flat indices into the batch's [B, 2N, 2N] similarity. */
  index: Int32Array;
  /** Sampled positives (rows of the logit matrix). */
  rows: number;
  /** Negatives per row. */
  negatives: number;
}

/**
 * Draws positives and negatives for one pair. `labels` are the pair's 2N patch labels (a's, then b's), with
 * {@link IGNORE} for unlabelled patches. Returns [anchor, positive, neg_1..neg_K] per row as indices in [0, 2N),
 * or no rows when the pair has no positive or no negative.
 *
 * @example
 * ```ts
 * const rows = samplePair(labels, LOSS_DEFAULTS, rng); // Int32Array [(2 + K) * r]
 * ```
 */
export function samplePair(labels: Int32Array, opts: LossOptions, rng: Rng): Int32Array {
  const n = labels.length, K = opts.negatives;
  // Group labelled patches by label: `order` holds them label by label, [start, end) per group.
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l === IGNORE) continue;
    let g = groups.get(l);
    if (!g) groups.set(l, g = []);
    g.push(i);
  }
  const members: number[][] = [...groups.keys()].sort((a, b) => a - b).map((l) => groups.get(l)!);
  const total = members.reduce((s, g) => s + g.length, 0);
  const order = new Int32Array(total), start = new Int32Array(members.length + 1);
  members.forEach((g, k) => {
    order.set(g, start[k]);
    start[k + 1] = start[k] + g.length;
  });
  // Positive entries of G (ordered, off-diagonal) per group: n_g (n_g - 1); cumulative for sampling.
  const cum = new Float64Array(members.length);
  let acc = 0;
  members.forEach((g, k) => {
    acc += g.length * (g.length - 1);
    cum[k] = acc;
  });
  if (acc === 0 || members.length < 2) return new Int32Array(0);
  const P = opts.positives, W = 2 + K;
  const out = new Int32Array(P * W);
  for (let r = 0; r < P; r++) {
    const u = rng.float() * acc;
    let k = 0;
    while (cum[k] <= u) k++;
    const s = start[k], m = start[k + 1] - s;
    const a = rng.int(0, m);
    let b = rng.int(0, m - 1);
    if (b >= a) b++;
    const o = r * W;
    out[o] = order[s + a];
    out[o + 1] = order[s + b];
    // Negatives: uniform over labelled patches outside group k (skip its contiguous range in `order`).
    const others = total - m;
    for (let j = 0; j < K; j++) {
      let t = rng.int(0, others);
      if (t >= s) t += m;
      out[o + 2 + j] = order[t];
    }
  }
  return out;
}

/**
 * Samples a whole batch: `labels` is [B * 2N] (pair p's 2N labels at p * 2N). Indices are flattened into the
 * [B, 2N, 2N] similarity tensor.
 */
export function sampleBatch(labels: Int32Array, pairs: number, opts: LossOptions, rng: Rng): LossSample {
  const n2 = labels.length / pairs, K = opts.negatives, W = 2 + K;
  const parts: Int32Array[] = [];
  let rows = 0;
  for (let p = 0; p < pairs; p++) {
    const s = samplePair(labels.subarray(p * n2, (p + 1) * n2), opts, rng);
    parts.push(s);
    rows += s.length / W;
  }
  const index = new Int32Array(rows * (1 + K));
  let r = 0;
  parts.forEach((s, p) => {
    const base = p * n2 * n2;
    for (let q = 0; q < s.length / W; q++, r++) {
      const anchor = s[q * W];
      for (let j = 0; j <= K; j++) index[r * (1 + K) + j] = base + anchor * n2 + s[q * W + 1 + j];
    }
  });
  return { index, rows, negatives: K };
}

/**
 * The loss on L2-normalised features F [B * 2N, d] (pairs contiguous). Differentiable in F. Returns a scalar
 * (0 when the sample has no rows). Call inside a gradient function or `tf.tidy`.
 *
 * @example
 * ```ts
 * const loss = contrastiveLoss(model.features(x, 2 * B), sampleBatch(labels, B, LOSS_DEFAULTS, rng), B, 0.07);
 * ```
 */
export function contrastiveLoss(f: tf.Tensor2D, sample: LossSample, pairs: number, tau: number): tf.Scalar {
  const R = sample.rows, C = 1 + sample.negatives;
  const op = tf.customGrad((ft, save) => {
    const F = ft as tf.Tensor2D;
    if (R === 0) {
      return { value: tf.scalar(0), gradFunc: () => [tf.zerosLike(F)] };
    }
    const S = pairGram(F, pairs); // [B, 2N, 2N]
    const idx = tf.tensor1d(sample.index, "int32");
    const logits = tf.div(tf.reshape(tf.gather(tf.reshape(S, [-1]), idx), [R, C]), tau); // [R, 1 + K]
    const value = tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.reshape(tf.slice(logits, [0, 0], [R, 1]), [R])));
    (save as tf.GradSaveFunc)([F, logits]);
    return {
      value: value as tf.Scalar,
      gradFunc: backward((dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sf, sl] = saved as [tf.Tensor2D, tf.Tensor2D];
        const positive = tf.oneHot(tf.zeros([R], "int32") as tf.Tensor1D, C); // the positive is column 0
        // d loss / d logit = (softmax - onehot(positive)) / R; logits are S / tau.
        const dl = tf.mul(tf.sub(tf.softmax(sl), positive), tf.div(dy, R * tau)); // [R, C]
        const n2 = sf.shape[0] / pairs;
        const index = tf.tensor2d(sample.index, [R * C, 1], "int32");
        const dS = tf.reshape(tf.scatterND(index, tf.reshape(dl, [-1]), [pairs * n2 * n2]), [
          pairs,
          n2,
          n2,
        ]) as tf.Tensor3D;
        return [pairGramGrad(dS, sf)];
      }),
    };
  });
  return op(f) as tf.Scalar;
}
