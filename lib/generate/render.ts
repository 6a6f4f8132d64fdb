/**
 * Painting a scene: its parts, back to front, into a part map (label per pixel, -1 = background), and the
 * flat colour frame of a part map.
 *
 * @module
 */
import type { LabelMap, RgbaImage } from "../image/types.ts";
import { fillPolygon } from "./raster.ts";
import type { ScenePart } from "./scene.ts";
import type { Rgb } from "./palette.ts";

/** Label of pixels no part covers. */
export const NO_PART = -1;

/**
 * Paints parts (already sorted back to front) into a new `width x height` part map.
 *
 * @example
 * ```ts
 * const parts = rasterizeParts(scene.parts, 512, 512, spec.labels.length);
 * ```
 */
export function rasterizeParts(
  parts: readonly ScenePart[],
  width: number,
  height: number,
  numLabels: number,
): LabelMap {
  const map: LabelMap = { width, height, data: new Int32Array(width * height).fill(NO_PART) };
  const clip = new Uint8Array(numLabels + 1);
  for (const p of parts) {
    if (p.clip) {
      clip.fill(0);
      for (const c of p.clip) if (c >= 0 && c < numLabels) clip[c + 1] = 1;
      fillPolygon(map, p.contours, p.label, clip);
    } else {
      fillPolygon(map, p.contours, p.label);
    }
  }
  return map;
}

/**
 * The flat colour frame of a part map: each part in its colour, background transparent; pixels where
 * `ink` is set are painted `inkColor` (line art drawn over the colours, as in PBC's gt frames).
 *
 * @example
 * ```ts
 * const gt = colorFrame(parts, spec.labels.map((l) => l.color), ink);
 * ```
 */
export function colorFrame(
  parts: LabelMap,
  colors: readonly Rgb[],
  ink: Uint8Array | null = null,
  inkColor: Rgb = [0, 0, 0],
): RgbaImage {
  const n = parts.width * parts.height;
  const out = new Uint8Array(n * 4);
  const lut = new Uint8Array(colors.length * 3);
  colors.forEach((c, i) => lut.set(c, 3 * i));
  for (let i = 0; i < n; i++) {
    const o = 4 * i;
    if (ink !== null && ink[i]) {
      out[o] = inkColor[0], out[o + 1] = inkColor[1], out[o + 2] = inkColor[2], out[o + 3] = 255;
      continue;
    }
    const v = parts.data[i];
    if (v < 0) continue;
    out[o] = lut[3 * v], out[o + 1] = lut[3 * v + 1], out[o + 2] = lut[3 * v + 2], out[o + 3] = 255;
  }
  return { width: parts.width, height: parts.height, data: out };
}
