/**
 * Regions of a coloured frame: connected areas of one flat colour. When the reference is a finished colour
 * frame, its regions are exactly its paint-bucket fills, so this beats segmenting its line art. Stroke pixels
 * (from the line art when given, else near-black pixels) and specks (anti-aliasing, noise) belong to no fill;
 * they are given to the neighbouring fill they touch first.
 *
 * @module
 */
import type { GrayImage, LabelMap, RgbImage } from "../image/types.ts";
import { connectedComponents, labelSizes, relabelSequential } from "./relabel.ts";
import { watershed } from "./watershed.ts";

/** Options of {@link colorRegions}. */
export interface ColorRegionOptions {
  /** With line art: grey below this is stroke. */
  inkThreshold: number;
  /** Without line art: pixels whose brightest channel is below this are stroke. */
  blackThreshold: number;
  /** Fills smaller than this (pixels) are specks. */
  minPixels: number;
}

/** Defaults (ours). */
export const COLOR_REGION_DEFAULTS: ColorRegionOptions = {
  inkThreshold: 160, // as line-enclosed regions
  blackThreshold: 40, // PBC colour frames draw lines pure black; anti-aliased edges stay below 40
  minPixels: 8, // anti-aliasing leaves 1-4 px specks of in-between colours along strokes
};

/**
 * Flat-colour regions of `color` (ids 1..count, every pixel labelled unless the frame has no fill at all).
 *
 * @example
 * ```ts
 * const ref = colorRegions(refColor, refLine); // LabelMap
 * ```
 */
export function colorRegions(
  color: RgbImage,
  line?: GrayImage,
  opts: Partial<ColorRegionOptions> = {},
): { labels: LabelMap; count: number } {
  const o = { ...COLOR_REGION_DEFAULTS, ...opts };
  const W = color.width, H = color.height, n = W * H;
  if (line && (line.width !== W || line.height !== H)) {
    throw new RangeError(`colorRegions: line art ${line.width}x${line.height} vs colour ${W}x${H}`);
  }
  const keys = new Int32Array(n);
  const d = color.data;
  for (let i = 0; i < n; i++) {
    const r = d[3 * i], g = d[3 * i + 1], b = d[3 * i + 2];
    const ink = line ? line.data[i] < o.inkThreshold : Math.max(r, g, b) < o.blackThreshold;
    keys[i] = ink ? -1 : (r << 16) | (g << 8) | b;
  }
  const cc = connectedComponents(keys, W, H);
  const sizes = labelSizes(cc.labels, cc.count);
  const markers = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = cc.labels[i];
    if (c > 0 && sizes[c] >= o.minPixels) markers[i] = c;
  }
  // Strokes and specks flood from the fills they touch (breadth-first: one level).
  const flooded = watershed(new Uint8Array(n), markers, W, H, { connectivity: 1 });
  const { labels, count } = relabelSequential(flooded);
  return { labels: { width: W, height: H, data: labels }, count };
}
