/**
 * Tiny coloured drawings with known regions, for the annotation tests and the notebook's small demo: a "character"
 * of flat-painted parts (head, eye, body, pocket) on a transparent background, its one-pixel outlines as line art,
 * and the exact segment map. Drawn analytically, so every pixel's part is known.
 *
 * @module
 */
import type { GrayImage, LabelMap, RgbaImage } from "../image/types.ts";

/** Parts of the test character, in drawing order (later parts cover earlier ones). */
export const PARTS = ["head", "eye", "body", "pocket"] as const;

/** Paint of each part. */
export const PART_COLORS: Record<(typeof PARTS)[number], [number, number, number]> = {
  head: [250, 220, 190],
  eye: [90, 160, 80],
  body: [220, 60, 60],
  pocket: [60, 90, 220],
};

/** Options of {@link drawCharacter}. */
export interface DrawOptions {
  size?: number;
  /** Offset of the whole character. */
  dx?: number;
  dy?: number;
  /** Extra offset of the head and eye (a small deformation). */
  headDx?: number;
}

/** A drawn frame: colour, line art, and exact segments (0 line, 1 background, 2.. parts in raster order). */
export interface DrawnFrame {
  color: RgbaImage;
  line: GrayImage;
  /** Exact segment ids. */
  seg: LabelMap;
  /** Part index (into {@link PARTS}) per pixel, -1 background. */
  part: Int32Array;
  /** Segment id of each part. */
  segOfPart: Map<string, number>;
}

/**
 * Draws the test character. Segment ids follow raster order of each part's first non-line pixel: head 2,
 * eye 3, body 4, pocket 5 (the head is on top, the pocket inside the body).
 *
 * @example
 * ```ts
 * const a = drawCharacter(), b = drawCharacter({ dx: 6, dy: 4 });
 * ```
 */
export function drawCharacter(opts: DrawOptions = {}): DrawnFrame {
  const S = opts.size ?? 160, dx = opts.dx ?? 0, dy = opts.dy ?? 0, hx = opts.headDx ?? 0;
  const k = S / 160;
  const n = S * S;
  const part = new Int32Array(n).fill(-1);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const X = x / k - dx, Y = y / k - dy;
      let p = -1;
      if (X >= 40 && X < 120 && Y >= 70 && Y < 150) p = 2;
      if (X >= 55 && X < 85 && Y >= 95 && Y < 125) p = 3;
      if ((X - 80 - hx) ** 2 + (Y - 42) ** 2 < 26 * 26) p = 0;
      if (X >= 66 + hx && X < 76 + hx && Y >= 34 && Y < 44) p = 1;
      part[y * S + x] = p;
    }
  }
  // One-pixel outlines: a pixel of a part whose right or lower neighbour differs, or any part pixel beside
  // the background.
  const ink = new Uint8Array(n);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const p = y * S + x, v = part[p];
      if (v < 0) continue;
      const r = x + 1 < S ? part[p + 1] : -1, d = y + 1 < S ? part[p + S] : -1;
      const l = x > 0 ? part[p - 1] : -1, u = y > 0 ? part[p - S] : -1;
      if (r !== v || d !== v || l === -1 || u === -1) ink[p] = 1;
    }
  }
  const color = new Uint8Array(n * 4);
  const line = new Uint8Array(n).fill(255);
  const segOf = [2, 3, 4, 5];
  const seg = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const v = part[p];
    if (ink[p]) {
      line[p] = 0;
      color[4 * p + 3] = 255; // black stroke in the colour frame, as painted frames have
      seg[p] = 0;
      continue;
    }
    if (v < 0) {
      seg[p] = 1;
      continue;
    }
    const c = PART_COLORS[PARTS[v]];
    color.set([c[0], c[1], c[2], 255], 4 * p);
    seg[p] = segOf[v];
  }
  return {
    color: { width: S, height: S, data: color },
    line: { width: S, height: S, data: line },
    seg: { width: S, height: S, data: seg },
    part,
    segOfPart: new Map(PARTS.map((name, i) => [name, segOf[i]])),
  };
}
