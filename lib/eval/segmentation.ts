/**
 * Intra-image region metrics (the paper's Table 2, intra rows): how well a predicted region map groups the
 * pixels of one image. Over the valid pixels only (pixels of ground-truth regions: not line, not background;
 * see gt_regions.ts):
 *
 * - ARI: scikit-learn's `adjusted_rand_score(gt_segment_ids, predicted_ids)` on the valid pixels; predicted ids
 *   <= 0 ("no region") are one more cluster there.
 * - predicted regions: ids > 0 with at least one valid pixel; a predicted region that lies wholly on line or
 *   background pixels is not counted anywhere (as in the release, which only looks at valid pixels).
 * - IoU(P, G) = |P ∩ G| / |P ∪ G| with P and G restricted to valid pixels.
 * - mIoU P->G: mean over predicted regions of their best IoU with any ground-truth region.
 * - mIoU G->P: mean over ground-truth regions of their best IoU with any predicted region (0 when none
 *   overlaps it).
 * - CR (count ratio): #predicted regions / #ground-truth regions.
 *
 * @module
 */
import type { LabelMap } from "../image/types.ts";
import { ariFromContingency } from "./ari.ts";
import { contingency } from "./contingency.ts";
import { validMask } from "./gt_regions.ts";

/** Region metrics of one image (fractions; NaN when the image has no valid pixel). */
export interface SegmentationScores {
  ari: number;
  miou_pg: number;
  miou_gp: number;
  cr: number;
  /** Predicted regions (ids > 0 with a valid pixel) and ground-truth regions. */
  pred_regions: number;
  gt_regions: number;
  valid_pixels: number;
}

/**
 * Scores a predicted region map against a PBC frame's segments.
 *
 * @param pred predicted region id per pixel (ids > 0 are regions; 0 and below: no region), same size as `seg`
 * @example
 * ```ts
 * const s = segmentationMetrics(regionsA, frameA.seg, frameA.labelOfSeg); // { ari, miou_pg, miou_gp, cr, ... }
 * ```
 */
export function segmentationMetrics(
  pred: LabelMap,
  seg: LabelMap,
  labelOfSeg: Map<number, number> | null,
  valid?: { valid: Uint8Array; count: number },
): SegmentationScores {
  if (pred.width !== seg.width || pred.height !== seg.height) {
    throw new RangeError(
      `segmentationMetrics: prediction is ${pred.width}x${pred.height}, ground truth ${seg.width}x${seg.height}`,
    );
  }
  const v = valid ?? validMask(seg, labelOfSeg);
  if (v.count === 0) {
    return { ari: NaN, miou_pg: NaN, miou_gp: NaN, cr: NaN, pred_regions: 0, gt_regions: 0, valid_pixels: 0 };
  }
  // Every id <= 0 is one "no region" cluster.
  const p = pred.data;
  const predKey = new Int32Array(p.length);
  for (let i = 0; i < p.length; i++) predKey[i] = p[i] > 0 ? p[i] : 0;
  const c = contingency(seg.data, predKey, v.valid);
  const ari = ariFromContingency(c);
  const nG = c.rowIds.length;
  const isRegion = c.colIds.map((id) => id > 0);
  const nP = isRegion.filter(Boolean).length;
  const bestG = new Float64Array(nG), bestP = new Float64Array(c.colIds.length);
  for (let k = 0; k < c.cellCount.length; k++) {
    const r = c.cellRow[k], col = c.cellCol[k];
    if (!isRegion[col]) continue;
    const inter = c.cellCount[k];
    const iou = inter / (c.rowSums[r] + c.colSums[col] - inter);
    if (iou > bestG[r]) bestG[r] = iou;
    if (iou > bestP[col]) bestP[col] = iou;
  }
  let sumP = 0, sumG = 0;
  for (let j = 0; j < bestP.length; j++) if (isRegion[j]) sumP += bestP[j];
  for (let r = 0; r < nG; r++) sumG += bestG[r];
  return {
    ari,
    miou_pg: nP > 0 ? sumP / nP : 0,
    miou_gp: sumG / nG,
    cr: nP / nG,
    pred_regions: nP,
    gt_regions: nG,
    valid_pixels: v.count,
  };
}
