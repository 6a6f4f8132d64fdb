/**
 * Colours for pictures of regions and matches: a palette of well-separated colours (golden-angle hues,
 * alternating lightness and saturation), and label maps painted with it.
 *
 * @module
 */
import type { LabelMap, Rgb, RgbImage } from "../image/types.ts";

export type { Rgb } from "../image/types.ts";

function hslToRgb(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h * 12) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/**
 * `n` distinct, saturated colours. The same `n` and `offset` always give the same list; neighbours in the list
 * differ in hue by the golden angle, so any prefix is well spread. None is near white, black or grey.
 *
 * @example
 * ```ts
 * const pal = labelColors(3); // [[r,g,b], [r,g,b], [r,g,b]]
 * ```
 */
export function labelColors(n: number, offset = 0): Rgb[] {
  const out: Rgb[] = [];
  for (let i = 0; i < n; i++) {
    const k = i + offset;
    const h = ((k * 137.508) % 360) / 360;
    const l = [0.55, 0.42, 0.66][k % 3];
    const s = [0.75, 0.65, 0.85][(k >> 1) % 3];
    out.push(hslToRgb(h, s, l));
  }
  return out;
}

/** Options of {@link paintLabels}. */
export interface PaintOptions {
  /** Colour of each label; labels not in the map get a palette colour by their value. */
  colors?: Map<number, Rgb>;
  /** Labels painted white (e.g. background). */
  white?: Iterable<number>;
  /** Labels painted black (e.g. line pixels). */
  black?: Iterable<number>;
  /** Labels painted grey (e.g. unmatched regions). */
  grey?: Iterable<number>;
}

/**
 * Paints a label map: one colour per label, with chosen labels white, black or grey.
 *
 * @example
 * ```ts
 * const rgb = paintLabels(frame.seg, { white: [1], black: [0] });
 * ```
 */
export function paintLabels(map: LabelMap, opts: PaintOptions = {}): RgbImage {
  const white = new Set(opts.white ?? []), black = new Set(opts.black ?? []), grey = new Set(opts.grey ?? []);
  const cache = new Map<number, Rgb>();
  const colorOf = (v: number): Rgb => {
    let c = cache.get(v);
    if (c) return c;
    if (white.has(v)) c = [255, 255, 255];
    else if (black.has(v)) c = [0, 0, 0];
    else if (grey.has(v)) c = [190, 190, 190];
    else c = opts.colors?.get(v) ?? labelColors(1, Math.abs(v) * 7 + (v < 0 ? 3 : 0))[0];
    cache.set(v, c);
    return c;
  };
  const n = map.width * map.height;
  const out = new Uint8Array(n * 3);
  let last = NaN, lc: Rgb = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const v = map.data[i];
    if (v !== last) {
      last = v;
      lc = colorOf(v);
    }
    out[3 * i] = lc[0];
    out[3 * i + 1] = lc[1];
    out[3 * i + 2] = lc[2];
  }
  return { width: map.width, height: map.height, data: out };
}

/** Darkens `rgb` where `line` has ink (value < threshold): strokes drawn over a painted map. */
export function overlayLines(
  rgb: RgbImage,
  line: { width: number; height: number; data: Uint8Array },
  threshold = 128,
): RgbImage {
  if (rgb.width !== line.width || rgb.height !== line.height) {
    throw new RangeError(`overlayLines: ${rgb.width}x${rgb.height} vs ${line.width}x${line.height}`);
  }
  const out = rgb.data.slice();
  for (let i = 0; i < line.data.length; i++) {
    if (line.data[i] < threshold) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = 0;
  }
  return { width: rgb.width, height: rgb.height, data: out };
}

/** Places images side by side on white with a gap (all converted to RGB; heights may differ). */
export function sideBySide(images: RgbImage[], gap = 8): RgbImage {
  const width = images.reduce((s, im) => s + im.width, 0) + gap * Math.max(0, images.length - 1);
  const height = Math.max(...images.map((im) => im.height));
  const out = new Uint8Array(width * height * 3).fill(255);
  let x0 = 0;
  for (const im of images) {
    for (let y = 0; y < im.height; y++) {
      out.set(im.data.subarray(y * im.width * 3, (y + 1) * im.width * 3), (y * width + x0) * 3);
    }
    x0 += im.width + gap;
  }
  return { width, height, data: out };
}

/** A grey image as RGB. */
export function grayToRgb(g: { width: number; height: number; data: Uint8Array }): RgbImage {
  const out = new Uint8Array(g.data.length * 3);
  for (let i = 0; i < g.data.length; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = g.data[i];
  return { width: g.width, height: g.height, data: out };
}
