/**
 * Oracle tokens for tests: each token of a letterboxed frame is the histogram of the true labels under its patch
 * (one dimension per label), so pooled region descriptors are exact and the region matcher can be tested without
 * a trained model.
 *
 * @module
 */
import type { LabelMap } from "../image/types.ts";
import type { PairTokens } from "../model/similarity.ts";
import { letterboxOf } from "./oracle.ts";

/**
 * Tokens of a pair from its segment maps and their labels (label -> dimension `label + 1`, background 0).
 *
 * @example
 * ```ts
 * const t = oracleTokens(a.seg, a.labelOfSeg, b.seg, b.labelOfSeg);
 * ```
 */
export function oracleTokens(
  segA: LabelMap,
  labelA: Map<number, number>,
  segB: LabelMap,
  labelB: Map<number, number>,
  size = 256,
  patch = 16,
): PairTokens {
  let maxLabel = 0;
  for (const m of [labelA, labelB]) for (const l of m.values()) maxLabel = Math.max(maxLabel, l);
  const dim = maxLabel + 2, grid = size / patch, n = grid * grid;
  const tokens = new Float32Array(2 * n * dim);
  const boxes = [segA, segB].map((seg, k) => {
    const box = letterboxOf(seg.width, seg.height, size);
    const lab = k === 0 ? labelA : labelB;
    for (let y = 0; y < seg.height; y++) {
      const row = Math.min(grid - 1, Math.floor(((y + 0.5 + box.padY) * box.scale) / patch));
      for (let x = 0; x < seg.width; x++) {
        const col = Math.min(grid - 1, Math.floor(((x + 0.5 + box.padX) * box.scale) / patch));
        const l = lab.get(seg.data[y * seg.width + x]) ?? -1;
        tokens[(k * n + row * grid + col) * dim + Math.max(0, l + 1)] += 1;
      }
    }
    return box;
  });
  return { tokens, dim, grid, patch, boxA: boxes[0], boxB: boxes[1], normalized: false };
}
