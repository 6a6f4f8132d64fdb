/**
 * Patch ground truth (the paper's "Ground-Truth Matrix"): each patch takes the label that covers most of it,
 * when that label covers at least 55% of the patch's pixels and is neither line nor background; otherwise the
 * patch is ignored (-1). Two patches, in one image or across the pair, are positives when their labels agree.
 *
 * Labels, not segment ids, decide: a part split into two segments by an occluder is one region for the
 * contrastive target, which keeps "same region" transitive across the pair (a1 ~ b1 and a2 ~ b1 imply a1 ~ a2).
 *
 * The grid is laid over the map's own pixels, so a 512x512 (or 1920x1920) seg map gives the labels of a
 * 16x16 grid of 256x256-input patches directly, with no resizing of the labels.
 *
 * @module
 */
import type { LabelMap } from "../image/types.ts";
import { BACKGROUND_LABEL, LINE_ID } from "./pbc.ts";

/** Ignored patch. */
export const IGNORE = -1;

/** The paper's majority threshold. */
export const DEFAULT_MIN_FRACTION = 0.55;

/**
 * The label a segment id gives a pixel for the patch ground truth: {@link IGNORE} for line pixels, background
 * and unlabelled segments.
 *
 * @param labelOfSeg label of each segment (background -1); null: segment ids serve as labels (ids 0 and 1
 *   excluded)
 * @example
 * ```ts
 * const labelOf = segmentLabeler(frame.labelOfSeg);
 * labelOf(0); // IGNORE (line)
 * ```
 */
export function segmentLabeler(labelOfSeg: Map<number, number> | null): (id: number) => number {
  return (id) => {
    if (id === LINE_ID) return IGNORE;
    if (!labelOfSeg) return id === 1 ? IGNORE : id;
    const l = labelOfSeg.get(id);
    return l === undefined || l === BACKGROUND_LABEL || l < 0 ? IGNORE : l;
  };
}

/**
 * The most frequent label (not {@link IGNORE}) of `seg`'s pixels in [x0, x1) x [y0, y1), ties to the smaller
 * label, and its pixel count ({@link IGNORE} and 0 when no pixel is labelled). `counts` is scratch space.
 *
 * @example
 * ```ts
 * const { label, count } = majorityLabel(frame.seg, segmentLabeler(frame.labelOfSeg), 0, 32, 0, 32);
 * ```
 */
export function majorityLabel(
  seg: LabelMap,
  labelOf: (id: number) => number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  counts: Map<number, number> = new Map(),
): { label: number; count: number } {
  const { width: W, data } = seg;
  counts.clear();
  // Per-id label cache: segment ids repeat over large areas.
  let lastId = -2, lastLab = IGNORE;
  for (let y = y0; y < y1; y++) {
    const row = y * W;
    for (let x = x0; x < x1; x++) {
      const id = data[row + x];
      if (id !== lastId) {
        lastId = id;
        lastLab = labelOf(id);
      }
      if (lastLab !== IGNORE) counts.set(lastLab, (counts.get(lastLab) ?? 0) + 1);
    }
  }
  let label = IGNORE, count = 0;
  for (const [lab, n] of counts) {
    if (n > count || (n === count && lab < label)) {
      label = lab;
      count = n;
    }
  }
  return { label, count };
}

/**
 * Label of each patch of a `rows` x `cols` grid over `seg`, or {@link IGNORE}.
 *
 * @param seg segment ids per pixel
 * @param labelOfSeg label of each segment (background -1); null: segment ids serve as labels (ids 0 and 1
 *   excluded)
 * @example
 * ```ts
 * const lab = patchLabels(frame.seg, frame.labelOfSeg, { rows: 16, cols: 16 }); // Int32Array(256)
 * ```
 */
export function patchLabels(
  seg: LabelMap,
  labelOfSeg: Map<number, number> | null,
  grid: { rows: number; cols: number },
  opts: { minFraction?: number } = {},
): Int32Array {
  const minFrac = opts.minFraction ?? DEFAULT_MIN_FRACTION;
  const { width: W, height: H } = seg;
  const { rows, cols } = grid;
  const out = new Int32Array(rows * cols).fill(IGNORE);
  const counts = new Map<number, number>();
  const labelOf = segmentLabeler(labelOfSeg);
  for (let r = 0; r < rows; r++) {
    const y0 = Math.floor((r * H) / rows), y1 = Math.floor(((r + 1) * H) / rows);
    for (let c = 0; c < cols; c++) {
      const x0 = Math.floor((c * W) / cols), x1 = Math.floor(((c + 1) * W) / cols);
      const area = (y1 - y0) * (x1 - x0);
      const { label, count } = majorityLabel(seg, labelOf, x0, x1, y0, y1, counts);
      if (area > 0 && count >= minFrac * area) out[r * cols + c] = label;
    }
  }
  return out;
}

/**
 * The ground-truth matrix G over the 2N patches of a pair (a's patches, then b's): G[i][j] = 1 when both are
 * labelled and their labels agree. Self pairs are included (they are excluded by the loss and metrics).
 */
export function groundTruthMatrix(labelsA: Int32Array, labelsB: Int32Array): Uint8Array {
  const all = new Int32Array(labelsA.length + labelsB.length);
  all.set(labelsA);
  all.set(labelsB, labelsA.length);
  const n = all.length;
  const g = new Uint8Array(n * n); // [2N, 2N]
  for (let i = 0; i < n; i++) {
    const li = all[i];
    if (li === IGNORE) continue;
    for (let j = 0; j < n; j++) if (all[j] === li) g[i * n + j] = 1;
  }
  return g;
}
