/**
 * From a part map to the PBC ground truth: clean 1-px lines on every part boundary, then segments (4-connected
 * pieces of each part's non-line pixels; background pieces touching the border are segment 1, enclosed
 * background pieces get their own ids with label -1), the label of every segment and pixel, and segment colours.
 *
 * @module
 */
import type { LabelMap } from "../image/types.ts";
import { BACKGROUND_ID, BACKGROUND_LABEL, LINE_ID } from "../data/pbc.ts";
import type { Rgb } from "./palette.ts";

/**
 * Clean line art: a pixel is ink when its right or lower neighbour belongs to another part. Every boundary gets
 * a closed 1-px line (8-connected), so the parts' remaining pixels fall apart into 4-connected regions.
 *
 * @example
 * ```ts
 * const ink = cleanLines(parts); // Uint8Array, 1 = ink
 * ```
 */
export function cleanLines(parts: LabelMap): Uint8Array {
  const { width: w, height: h, data } = parts;
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i = row + x, v = data[i];
      if ((x + 1 < w && data[i + 1] !== v) || (y + 1 < h && data[i + w] !== v)) ink[i] = 1;
    }
  }
  return ink;
}

/** Segments of a frame. */
export interface Segmentation {
  /** Segment id per pixel: 0 = line, 1 = outer background, 2.. regions. */
  seg: LabelMap;
  /** Label of every segment id (but 0): background -1. */
  labelOfSeg: Map<number, number>;
  /** Label per pixel; line pixels carry the label of the part under them (or of a neighbouring part). */
  labels: LabelMap;
  /** RGBA colour of every segment (background transparent). */
  segColors: Map<number, [number, number, number, number]>;
}

/**
 * Splits a part map into PBC segments given the ink mask.
 *
 * @example
 * ```ts
 * const { seg, labelOfSeg } = segmentParts(parts, cleanLines(parts), colors);
 * ```
 */
export function segmentParts(parts: LabelMap, ink: Uint8Array, colors: readonly Rgb[]): Segmentation {
  const { width: w, height: h, data } = parts;
  const n = w * h;
  const seg = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const labelOfSeg = new Map<number, number>();
  for (let i = 0; i < n; i++) if (ink[i]) seg[i] = LINE_ID;
  // Flood from a seed with 4-connectivity over non-ink pixels of the same part.
  const flood = (start: number, id: number) => {
    const v = data[start];
    let sp = 0;
    stack[sp++] = start;
    seg[start] = id;
    while (sp > 0) {
      const i = stack[--sp];
      const x = i % w;
      if (x > 0 && seg[i - 1] === -1 && data[i - 1] === v) (seg[i - 1] = id), (stack[sp++] = i - 1);
      if (x + 1 < w && seg[i + 1] === -1 && data[i + 1] === v) (seg[i + 1] = id), (stack[sp++] = i + 1);
      if (i >= w && seg[i - w] === -1 && data[i - w] === v) (seg[i - w] = id), (stack[sp++] = i - w);
      if (i + w < n && seg[i + w] === -1 && data[i + w] === v) (seg[i + w] = id), (stack[sp++] = i + w);
    }
  };
  // Outer background: every background piece that touches the border.
  const outer = (i: number) => {
    if (seg[i] === -1 && data[i] < 0) {
      flood(i, BACKGROUND_ID);
      labelOfSeg.set(BACKGROUND_ID, BACKGROUND_LABEL);
    }
  };
  for (let x = 0; x < w; x++) {
    outer(x);
    outer((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    outer(y * w);
    outer(y * w + w - 1);
  }
  let next = 2;
  for (let i = 0; i < n; i++) {
    if (seg[i] !== -1) continue;
    const id = next++;
    labelOfSeg.set(id, data[i] < 0 ? BACKGROUND_LABEL : data[i]);
    flood(i, id);
  }
  // Labels per pixel: the part itself; a line pixel on background takes a neighbouring part's label.
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let v = data[i];
    if (v < 0 && ink[i]) {
      const x = i % w;
      if (x + 1 < w && data[i + 1] >= 0) v = data[i + 1];
      else if (i + w < n && data[i + w] >= 0) v = data[i + w];
      else if (x > 0 && data[i - 1] >= 0) v = data[i - 1];
      else if (i >= w && data[i - w] >= 0) v = data[i - w];
    }
    labels[i] = v < 0 ? BACKGROUND_LABEL : v;
  }
  const segColors = new Map<number, [number, number, number, number]>();
  for (const [id, lab] of labelOfSeg) {
    segColors.set(id, lab < 0 ? [0, 0, 0, 0] : [colors[lab][0], colors[lab][1], colors[lab][2], 255]);
  }
  return {
    seg: { width: w, height: h, data: seg },
    labelOfSeg,
    labels: { width: w, height: h, data: labels },
    segColors,
  };
}
