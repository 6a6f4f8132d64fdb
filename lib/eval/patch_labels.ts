/**
 * Patch ground truth on the model's letterboxed grid: the same 55% rule as `patchLabels` (lib/data/patch_gt.ts),
 * but each patch covers the rectangle of original pixels that the letterbox maps it to (`patchRect`), so the
 * labels line up with the similarity matrix of a non-square image.
 *
 * The share is taken over the patch's whole rectangle before clipping to the image (the same rounding as
 * `patchRect`): the part of a patch that lies in the white letterbox padding counts as background, so a patch
 * half in the padding needs 55% of its full area in one label like any other. Without padding this is exactly
 * `patchLabels` on the same grid.
 *
 * @module
 */
import { DEFAULT_MIN_FRACTION, IGNORE, majorityLabel, segmentLabeler } from "../data/patch_gt.ts";
import { gridSide, type Letterbox, patchRect } from "../image/letterbox.ts";
import type { LabelMap } from "../image/types.ts";

/**
 * Label of each patch of the letterboxed grid over the original `seg`, or IGNORE (-1).
 *
 * @param labelOfSeg label of each segment (background -1); null: segment ids serve as labels (0 and 1 excluded)
 * @example
 * ```ts
 * const labelsA = patchLabelsForBox(frameA.seg, frameA.labelOfSeg, sim.boxA, sim.patch); // Int32Array(sim.n)
 * ```
 */
export function patchLabelsForBox(
  seg: LabelMap,
  labelOfSeg: Map<number, number> | null,
  box: Letterbox,
  patch: number,
  opts: { minFraction?: number } = {},
): Int32Array {
  if (seg.width !== box.srcWidth || seg.height !== box.srcHeight) {
    throw new RangeError(
      `patchLabelsForBox: seg is ${seg.width}x${seg.height}, letterbox is for ${box.srcWidth}x${box.srcHeight}`,
    );
  }
  const minFrac = opts.minFraction ?? DEFAULT_MIN_FRACTION;
  const g = gridSide(box, patch);
  const inv = 1 / box.scale;
  // Unclipped rectangle side of patch k along one axis (patchRect's rounding).
  const span = (k: number, pad: number) =>
    Math.round((k + 1) * patch * inv - pad) - Math.round(k * patch * inv - pad);
  const out = new Int32Array(g * g).fill(IGNORE);
  const labelOf = segmentLabeler(labelOfSeg);
  const counts = new Map<number, number>();
  for (let r = 0; r < g; r++) {
    for (let c = 0; c < g; c++) {
      const { x0, x1, y0, y1 } = patchRect(box, patch, r, c);
      if (x1 <= x0 || y1 <= y0) continue;
      const { label, count } = majorityLabel(seg, labelOf, x0, x1, y0, y1, counts);
      const area = span(c, box.padX) * span(r, box.padY);
      if (count > 0 && count >= minFrac * area) out[r * g + c] = label;
    }
  }
  return out;
}
