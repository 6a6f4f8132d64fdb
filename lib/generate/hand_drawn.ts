/**
 * The hand-drawn line style, made the way the paper's real data was made: render the flat colour frame, draw
 * the artist's strokes into it, and extract the lines with XDoG. On top of that: a smooth wobble of the whole
 * drawing (jitter), stroke width that varies along the lines, gaps where part boundaries are left undrawn
 * (open contours), and extra strokes that bound no region (hair strands, folds, lashes).
 *
 * @module
 */
import type { LabelMap } from "../image/types.ts";
import type { Rng } from "../util/rng.ts";
import { taperedStroke } from "./geometry.ts";
import { valueNoise } from "./noise.ts";
import type { Rgb } from "./palette.ts";
import { fillPolygon } from "./raster.ts";
import type { SceneStroke } from "./scene.ts";
import { cleanLines } from "./segments.ts";
import { xdog, type XdogOptions } from "./xdog.ts";

/** Settings of {@link handDrawnLines}. Lengths are in pixels at 512x512 and scale with the frame size. */
export interface HandDrawnOptions {
  /** Amplitude of the wobble warp. */
  jitterAmp: number;
  /** Feature size of the wobble. */
  jitterCell: number;
  /** Feature size of the gap field (length of an undrawn stretch). */
  gapCell: number;
  /** Gap-field threshold in [-1, 1]: boundary pixels where the field is below it are left undrawn. */
  gapThreshold: number;
  /** Feature size of the stroke-width field. */
  widthCell: number;
  /** Spread of the ink threshold: 0 = uniform width, 0.3 = from thin to about 3 px. */
  widthSpread: number;
  /** Probability that each extra stroke (strand, fold, lash) is drawn. */
  strokeProb: number;
  /** Width multiplier of extra strokes. */
  strokeWidth: number;
  /** How much the colours are washed toward white before XDoG (0 = full contrast): strong colour edges still
   * leave a line where the artist's stroke has a gap, weak ones do not. */
  wash: number;
  /** Ink specks (8-connected pieces) smaller than this many pixels are erased. */
  minSpeck: number;
  /** XDoG settings. */
  xdog: Partial<XdogOptions>;
}

/** Defaults tuned by eye against the real hand-drawn clips (laughing_girl) at 512x512. */
export const HAND_DRAWN_DEFAULTS: Readonly<HandDrawnOptions> = {
  jitterAmp: 1.2, // about one pixel of wobble: lines no longer perfectly straight or smooth
  jitterCell: 30, // wobble on the scale of a pen movement
  gapCell: 14, // gaps a few to ~15 px long
  gapThreshold: -0.55, // roughly a fifth of the part boundaries undrawn (where colours also match, a real gap)
  widthCell: 40, // width swells and thins along a stroke
  widthSpread: 0.1, // from ~1 px to ~2-3 px
  strokeProb: 0.75, // most strands and folds drawn, not all
  strokeWidth: 1, // as the scene asks
  wash: 0.7, // colour edges add a thin line only where contrast is strong (dark hair on white, black on skin)
  minSpeck: 4, // dust left by thresholding; real scans are cleaned of it
  xdog: { epsilon: -0.01 }, // a little stricter than the default: 1-2 px lines
};

/** What {@link handDrawnLines} returns. */
export interface HandDrawn {
  /** The part map after the wobble: the ground truth follows the drawing. */
  parts: LabelMap;
  /** Ink mask, 1 = line pixel. */
  ink: Uint8Array;
}

/**
 * Moves every pixel of a label map by a smooth displacement field (nearest sampling).
 *
 * @example
 * ```ts
 * const moved = warpLabels(parts, dx, dy); // dx, dy: Float32Array per pixel
 * ```
 */
export function warpLabels(map: LabelMap, dx: Float32Array, dy: Float32Array): LabelMap {
  const { width: w, height: h, data } = map;
  const out = new Int32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      let sx = Math.round(x + dx[i]), sy = Math.round(y + dy[i]);
      sx = sx < 0 ? 0 : sx >= w ? w - 1 : sx;
      sy = sy < 0 ? 0 : sy >= h ? h - 1 : sy;
      out[i] = data[sy * w + sx];
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Hand-drawn line art of a part map.
 *
 * @example
 * ```ts
 * const { parts: warped, ink } = handDrawnLines(parts, colors, scene.strokes, rng.fork("lines"));
 * ```
 */
export function handDrawnLines(
  parts: LabelMap,
  colors: readonly Rgb[],
  strokes: readonly SceneStroke[],
  rng: Rng,
  opts: Partial<HandDrawnOptions> = {},
): HandDrawn {
  const o = { ...HAND_DRAWN_DEFAULTS, ...opts };
  const { width: w, height: h } = parts;
  const n = w * h;
  const k = Math.max(w, h) / 512;
  // 1. Wobble.
  const dx = valueNoise(rng.fork("dx"), w, h, o.jitterCell * k);
  const dy = valueNoise(rng.fork("dy"), w, h, o.jitterCell * k);
  for (let i = 0; i < n; i++) {
    dx[i] *= o.jitterAmp * k;
    dy[i] *= o.jitterAmp * k;
  }
  const warped = warpLabels(parts, dx, dy);
  // 2. Luminance of the flat colour frame (background white).
  const lut = new Float32Array(colors.length);
  colors.forEach((c, i) => (lut[i] = (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255));
  const sketch = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    sketch[i] = warped.data[i] < 0 ? 1 : 1 - (1 - lut[warped.data[i]]) * (1 - o.wash);
  }
  // 3. The artist's contour strokes on part boundaries, with gaps.
  const boundary = cleanLines(warped);
  const gaps = valueNoise(rng.fork("gaps"), w, h, o.gapCell * k);
  // Strokes 2 px wide (the pixel and its right neighbour), so that their XDoG response is even along diagonals.
  for (let i = 0; i < n; i++) {
    if (boundary[i] && gaps[i] >= o.gapThreshold) {
      sketch[i] = 0;
      if ((i + 1) % w !== 0) sketch[i + 1] = 0;
    }
  }
  // 4. Extra strokes: strands, folds, lashes.
  const extra = { width: w, height: h, data: new Uint8Array(n) };
  const sr = rng.fork("strokes");
  for (const s of strokes) {
    if (!sr.bool(o.strokeProb)) continue;
    const width = Math.max(0.9 * k, s.width * o.strokeWidth * sr.range(0.8, 1.3));
    fillPolygon(extra, [taperedStroke(s.pts, width, 0.25)], 1);
  }
  for (let i = 0; i < n; i++) if (extra.data[i]) sketch[i] = 0;
  // 5. XDoG, with a threshold that varies smoothly: thicker and thinner stretches.
  const tone = xdog(sketch, w, h, o.xdog);
  const widthF = valueNoise(rng.fork("width"), w, h, o.widthCell * k);
  const ink = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (tone[i] < 0.5 + o.widthSpread * widthF[i]) ink[i] = 1;
  removeSpecks(ink, w, h, o.minSpeck);
  return { parts: warped, ink };
}

/**
 * Erases 8-connected ink pieces smaller than `minSize` pixels (in place).
 *
 * @example
 * ```ts
 * removeSpecks(ink, 512, 512, 4);
 * ```
 */
export function removeSpecks(ink: Uint8Array, width: number, height: number, minSize: number): void {
  if (minSize <= 1) return;
  const n = width * height;
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const piece = new Int32Array(minSize);
  for (let s = 0; s < n; s++) {
    if (!ink[s] || seen[s]) continue;
    let sp = 0, count = 0;
    stack[sp++] = s;
    seen[s] = 1;
    while (sp > 0) {
      const i = stack[--sp];
      if (count < minSize) piece[count] = i;
      count++;
      const x = i % width, y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (ink[j] && !seen[j]) {
            seen[j] = 1;
            stack[sp++] = j;
          }
        }
      }
    }
    if (count < minSize) { for (let k = 0; k < count; k++) ink[piece[k]] = 0; }
  }
}
