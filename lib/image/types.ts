/**
 * Plain image containers: row-major typed arrays with their size. Everything outside the model works on these,
 * so functions are easy to test on hand-made inputs.
 *
 * @module
 */

/** 8-bit single-channel image; 0 = black ink, 255 = white paper. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array; // [H*W]
}

/** An RGB triple, 0-255 (a region's colour, a palette entry). */
export type Rgb = [number, number, number];

/** 8-bit RGB image, interleaved. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array; // [H*W*3]
}

/** 8-bit RGBA image, interleaved, not premultiplied. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array; // [H*W*4]
}

/** Integer label per pixel (segment ids, region ids, label indices). */
export interface LabelMap {
  width: number;
  height: number;
  data: Int32Array; // [H*W]
}

/** Float per pixel (edge maps, probabilities). */
export interface FloatMap {
  width: number;
  height: number;
  data: Float32Array; // [H*W]
}

/** A new blank gray image (white by default). */
export function newGray(width: number, height: number, fill = 255): GrayImage {
  return { width, height, data: new Uint8Array(width * height).fill(fill) };
}
