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
  /** A pixel is coloured when its channels differ by more than this. */
  chroma: number;
  /** A colour image has more than this share of coloured pixels (line art: anti-aliasing only). */
  colourShare: number;
  /** Grey below this is ink. */
  inkThreshold: number;
}

/** Defaults. */
export const INPUT_CHECK_DEFAULTS: InputCheckOptions = {
  chroma: 24, // JPEG noise and tinted paper stay below; any flat fill colour is far above
  colourShare: 0.005, // 0.5% of the frame: a coloured signature or a few tinted strokes do not count
  inkThreshold: 160, // the line-region threshold
};

/** Share of pixels whose channels differ by more than `chroma`. */
export function colourShare(img: RgbImage, chroma = INPUT_CHECK_DEFAULTS.chroma): number {
  const n = img.width * img.height, d = img.data;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const r = d[3 * i], g = d[3 * i + 1], b = d[3 * i + 2];
    if (Math.max(r, g, b) - Math.min(r, g, b) > chroma) c++;
  }
  return n ? c / n : 0;
}

/**
 * Throws unless the reference colour frame has colour.
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
  if (colourShare(img, o.chroma) === 0) {
    throw new UserError(
      "the reference is not coloured (every pixel is grey): give the coloured reference frame",
      file,
    );
  }
}

/** Throws when a drawing meant to be line art is a colour image. */
export function checkLineArt(img: RgbImage, file: string, opts: Partial<InputCheckOptions> = {}): void {
  const o = { ...INPUT_CHECK_DEFAULTS, ...opts };
  const share = colourShare(img, o.chroma);
  if (share > o.colourShare) {
    throw new UserError(
      `is a colour image (${(100 * share).toFixed(1)}% coloured pixels), not line art: give the target's line drawing`,
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
