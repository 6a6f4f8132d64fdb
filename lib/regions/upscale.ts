/**
 * Bringing working-size regions back to the original resolution. Nearest-neighbour enlargement alone leaves
 * staircase boundaries a few pixels off the strokes; here the enlarged labels only seed a watershed on the
 * full-resolution edge map: pixels farther than one enlargement step from any label boundary keep their label,
 * and the band in between is flooded again, so boundaries settle on the original strokes. Every label keeps
 * at least one seed, so the ids and the set of regions do not change.
 *
 * @module
 */
import { edgeMap, type EdgeOptions } from "../image/edge.ts";
import { resizeLabelsNearest } from "../image/resize.ts";
import type { GrayImage } from "../image/types.ts";
import { seedsFromClusters } from "./seeds.ts";
import { quantize, watershed } from "./watershed.ts";

/** Options of {@link upscaleLabels}. */
export interface UpscaleOptions {
  /** Re-flood the boundary band at full resolution (true) or plain nearest-neighbour enlargement. */
  refine: boolean;
  edge: Partial<EdgeOptions>;
  levels: number;
  connectivity: 1 | 2;
}

/** Defaults. */
export const UPSCALE_DEFAULTS: UpscaleOptions = {
  refine: true, // boundaries on the original strokes are what a user (and the pixel metrics) see
  edge: {}, // the release's edge map, at full resolution
  levels: 256,
  connectivity: 2,
};

/**
 * Labels (ids >= 1, 0 = none) of a `width` x `height` working image, at `gray`'s full size.
 *
 * @example
 * ```ts
 * const full = upscaleLabels(seg.labels, 1024, 1024, line1920); // Int32Array(1920 * 1920)
 * ```
 */
export function upscaleLabels(
  labels: Int32Array,
  width: number,
  height: number,
  gray: GrayImage,
  opts: Partial<UpscaleOptions> = {},
): Int32Array {
  const o = { ...UPSCALE_DEFAULTS, ...opts };
  const W = gray.width, H = gray.height;
  const up = resizeLabelsNearest({ width, height, data: labels }, W, H).data;
  if (!o.refine || (W === width && H === height)) return up;
  const clusters = new Int32Array(up.length);
  for (let i = 0; i < up.length; i++) clusters[i] = up[i] - 1; // 0 (none) -> -1
  const margin = Math.max(W / width, H / height) + 0.5;
  const markers = seedsFromClusters(clusters, W, H, margin); // marker = cluster + 1 = original id
  const edge = edgeMap(gray, o.edge);
  const out = watershed(quantize(edge.data, o.levels), markers, W, H, { connectivity: o.connectivity });
  // Pixels that were "none" stay none.
  for (let i = 0; i < out.length; i++) if (up[i] === 0) out[i] = 0;
  return out;
}
