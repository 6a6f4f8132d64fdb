/**
 * Checks on what a user gives the colourisation commands, each failing with one {@link UserError} line that
 * names the file: a reference that is not coloured, a target that is a colour image rather than line art, a
 * drawing with no strokes, sizes that disagree.
 *
 * @module
 */
import type { GrayImage, RgbImage } from "../image/types.ts";
import { UserError } from "../util/errors.ts";

/** Options of the checks. */
export interface InputCheckOptions {
  /** A pixel is chromatic when its channels differ by more than this. */
  chroma: number;
  /** A pixel is a mid tone (a grey fill) when its brightest channel lies in [midLow, midHigh). */
  midLow: number;
  midHigh: number;
  /** A reference with less than this share of fill pixels is not coloured. */
  minReferenceFill: number;
  /** A target with more than this share of fill pixels is a colour image, not line art. */
  maxLineArtFill: number;
  /** Grey below this is ink. */
  inkThreshold: number;
}

/** Defaults. */
export const INPUT_CHECK_DEFAULTS: InputCheckOptions = {
  chroma: 24, // JPEG noise and tinted paper stay below; any flat fill colour is far above
  midLow: 100, // darker than this is ink (strokes), not a fill
  midHigh: 240, // lighter than this is paper
  minReferenceFill: 0.01, // coloured frames measured: 25-29% fill pixels (the grey-painted smoke_explosion
  // key 29%), line art 0-0.4% (coloured shading strokes)
  maxLineArtFill: 0.05, // line art measured at most 0.4% (smoke_explosion's red shading lines)
  inkThreshold: 160, // the line-region threshold
};

/**
 * Share of fill pixels: chromatic ones, or mid tones (grey fills: a grey-painted reference is coloured too).
 *
 * @example
 * ```ts
 * fillShare(await readRgb("gt/0000.png")); // 0.25 for a coloured frame, ~0 for line art
 * ```
 */
export function fillShare(img: RgbImage, opts: Partial<InputCheckOptions> = {}): number {
  const o = { ...INPUT_CHECK_DEFAULTS, ...opts };
  const n = img.width * img.height, d = img.data;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const r = d[3 * i], g = d[3 * i + 1], b = d[3 * i + 2];
    const mx = Math.max(r, g, b);
    if (mx - Math.min(r, g, b) > o.chroma || (mx >= o.midLow && mx < o.midHigh)) c++;
  }
  return n ? c / n : 0;
}

/**
 * Throws unless the reference colour frame has fills (colours or grey tones beyond strokes and paper).
 *
 * @example
 * ```ts
 * checkColouredReference(await readRgb(path), path);
 * ```
 */
export function checkColouredReference(
  img: RgbImage,
  file: string,
  opts: Partial<InputCheckOptions> = {},
): void {
  const o = { ...INPUT_CHECK_DEFAULTS, ...opts };
  const share = fillShare(img, o);
  if (share < o.minReferenceFill) {
    throw new UserError(
      `the reference is not coloured (${
        (100 * share).toFixed(2)
      }% fill pixels: strokes on paper): give the coloured reference frame`,
      file,
    );
  }
}

/** Throws when a drawing meant to be line art is a colour image. */
export function checkLineArt(img: RgbImage, file: string, opts: Partial<InputCheckOptions> = {}): void {
  const o = { ...INPUT_CHECK_DEFAULTS, ...opts };
  const share = fillShare(img, o);
  if (share > o.maxLineArtFill) {
    throw new UserError(
      `is a colour image (${
        (100 * share).toFixed(1)
      }% fill pixels), not line art: give the target's line drawing`,
      file,
    );
  }
}

/** Throws when a drawing has no strokes. */
export function checkNotBlank(img: GrayImage, file: string, opts: Partial<InputCheckOptions> = {}): void {
  const o = { ...INPUT_CHECK_DEFAULTS, ...opts };
  for (let i = 0; i < img.data.length; i++) if (img.data[i] < o.inkThreshold) return;
  throw new UserError("the drawing is empty (no strokes): nothing to colour", file);
}

/** Throws when two images differ in size. */
export function checkSameSize(
  a: { width: number; height: number },
  b: { width: number; height: number },
  file: string,
  what: string,
): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new UserError(`is ${b.width}x${b.height} but ${what} is ${a.width}x${a.height}`, file);
  }
}
