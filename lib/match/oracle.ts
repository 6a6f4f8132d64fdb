/**
 * An oracle standing in for the model: a {@link PairSimilarity} built from two frames' ground truth, so that
 * post-processing and matching can be developed, tested and bounded from above before (and apart from) any
 * training. Each patch takes its ground-truth label by the paper's 55% rule (`patchLabels`); two labelled
 * patches have cosine `same` when their labels agree and `different` otherwise; patches with no majority label
 * (mixed, or mostly line) have cosine `ignored` with every other patch. The background counts as a label of
 * its own here (the model is never trained on it, but it is one coherent area), unless told otherwise.
 *
 * Seeded Gaussian noise (symmetric, clamped to [-1, 1]) makes it an imperfect model on demand.
 *
 * @module
 */
import type { Letterbox } from "../image/letterbox.ts";
import type { LabelMap } from "../image/types.ts";
import { IGNORE, patchLabels } from "../data/patch_gt.ts";
import { BACKGROUND_ID, BACKGROUND_LABEL, LINE_ID } from "../data/pbc.ts";
import type { PairSimilarity } from "../model/similarity.ts";
import { Rng } from "../util/rng.ts";

/** The label the oracle gives the background when it is kept as a label. */
export const ORACLE_BACKGROUND_LABEL = 1 << 30;

/** One frame's ground truth: segment ids and each segment's label (null: segment ids are the labels). */
export interface GroundTruthFrame {
  seg: LabelMap;
  labelOfSeg: Map<number, number> | null;
}

/** Options of {@link oracleSimilarity}. */
export interface OracleOptions {
  /** Model input side (pixels) and patch side: the grid is size / patch. */
  size: number;
  patch: number;
  /** Cosine of two patches with the same label, different labels, or an unlabelled patch. */
  same: number;
  different: number;
  ignored: number;
  /** Standard deviation of the Gaussian noise added to every off-diagonal cosine. */
  noise: number;
  /** Seed of the noise. */
  seed: number;
  /** Treat the background as a label (true) or ignore its patches like the training loss does (false). */
  backgroundAsLabel: boolean;
}

/** Defaults. */
export const ORACLE_DEFAULTS: OracleOptions = {
  size: 512, // the release's inference size
  patch: 32, // the release's default patch
  same: 1, // sigmoid(1) = 0.731: just above the 0.72 merge threshold, as a confident model's positives are
  different: -1, // sigmoid(-1) = 0.269: far below the 0.6 match threshold
  ignored: 0, // sigmoid(0) = 0.5: neither merges nor matches
  noise: 0,
  seed: 0,
  backgroundAsLabel: true,
};

/** The letterbox that `lib/image/letterbox.ts` computes for an image of this size (same arithmetic). */
export function letterboxOf(width: number, height: number, size: number): Letterbox {
  const side = Math.max(width, height);
  return {
    srcWidth: width,
    srcHeight: height,
    size,
    scale: size / side,
    padX: Math.floor((side - width) / 2),
    padY: Math.floor((side - height) / 2),
  };
}

/**
 * Ground-truth label of every patch of a frame letterboxed to `size` with `patch`-pixel patches (IGNORE = -1
 * where no label holds 55%).
 */
export function oraclePatchLabels(frame: GroundTruthFrame, opts: Partial<OracleOptions> = {}): Int32Array {
  const o = { ...ORACLE_DEFAULTS, ...opts };
  const { seg } = frame;
  const box = letterboxOf(seg.width, seg.height, o.size);
  const g = Math.floor(o.size / o.patch);
  const side = Math.max(seg.width, seg.height);
  let square = seg;
  if (seg.width !== seg.height) {
    const data = new Int32Array(side * side).fill(BACKGROUND_ID);
    for (let y = 0; y < seg.height; y++) {
      data.set(seg.data.subarray(y * seg.width, (y + 1) * seg.width), (y + box.padY) * side + box.padX);
    }
    square = { width: side, height: side, data };
  }
  // Labels: the frame's, or segment ids; background as its own label when asked.
  const labelOf = new Map<number, number>();
  if (frame.labelOfSeg) {
    for (const [id, l] of frame.labelOfSeg) labelOf.set(id, l);
  } else {
    for (const id of new Set(seg.data)) labelOf.set(id, id);
  }
  if (!labelOf.has(BACKGROUND_ID)) labelOf.set(BACKGROUND_ID, BACKGROUND_LABEL);
  labelOf.set(LINE_ID, BACKGROUND_LABEL);
  if (!frame.labelOfSeg) labelOf.set(BACKGROUND_ID, BACKGROUND_LABEL);
  if (o.backgroundAsLabel) {
    for (const [id, l] of labelOf) {
      if (id !== LINE_ID && l === BACKGROUND_LABEL) labelOf.set(id, ORACLE_BACKGROUND_LABEL);
    }
  }
  return patchLabels(square, labelOf, { rows: g, cols: g });
}

/**
 * A pair similarity from ground truth.
 *
 * @example
 * ```ts
 * const sim = oracleSimilarity(frameA, frameB, { noise: 0.1, seed: 7 });
 * const S = scoreMatrix(sim.cosine, 2 * sim.n, "sigmoid");
 * ```
 */
export function oracleSimilarity(
  a: GroundTruthFrame,
  b: GroundTruthFrame,
  opts: Partial<OracleOptions> = {},
): PairSimilarity {
  const o = { ...ORACLE_DEFAULTS, ...opts };
  const g = Math.floor(o.size / o.patch);
  if (g < 1) throw new RangeError(`oracleSimilarity: size ${o.size} holds no ${o.patch}-pixel patch`);
  const n = g * g;
  const la = oraclePatchLabels(a, o), lb = oraclePatchLabels(b, o);
  const all = new Int32Array(2 * n);
  all.set(la);
  all.set(lb, n);
  const size = 2 * n;
  const cosine = new Float32Array(size * size); // [2N, 2N]
  const rng = o.noise > 0 ? new Rng(o.seed) : null;
  for (let i = 0; i < size; i++) {
    cosine[i * size + i] = 1;
    for (let j = i + 1; j < size; j++) {
      const li = all[i], lj = all[j];
      let v = li === IGNORE || lj === IGNORE ? o.ignored : li === lj ? o.same : o.different;
      if (rng) v = Math.max(-1, Math.min(1, v + rng.normal(0, o.noise)));
      cosine[i * size + j] = cosine[j * size + i] = v;
    }
  }
  return {
    grid: g,
    n,
    patch: o.patch,
    cosine,
    boxA: letterboxOf(a.seg.width, a.seg.height, o.size),
    boxB: letterboxOf(b.seg.width, b.seg.height, o.size),
  };
}
