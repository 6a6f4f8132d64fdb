/**
 * Fitting an image of any size into the model's square input: pad the shorter side with white paper to a
 * square (centred), then resize with {@link resizeLinePreserving}. The {@link Letterbox} records the mapping, so
 * that a patch of the model's grid maps back to a rectangle of the original pixels and back again.
 *
 * @module
 */
import { resizeLinePreserving } from "./resize.ts";
import type { GrayImage } from "./types.ts";

/** How an original image sits in the model's square input. */
export interface Letterbox {
  /** Original size. */
  srcWidth: number;
  srcHeight: number;
  /** Side of the square input. */
  size: number;
  /** Input pixels per original pixel. */
  scale: number;
  /** White margin added on the left and top of the original before scaling, in original pixels. */
  padX: number;
  padY: number;
}

/**
 * Pads `img` to a square with white (centred) and resizes it to `size` x `size`, keeping strokes.
 *
 * @example
 * ```ts
 * const { image, box } = letterbox(line, 256); // image: 256x256
 * const p = patchOfPixel(box, 16, 800, 600);    // patch index of original pixel (800, 600)
 * ```
 */
export function letterbox(img: GrayImage, size: number): { image: GrayImage; box: Letterbox } {
  const side = Math.max(img.width, img.height);
  const padX = Math.floor((side - img.width) / 2), padY = Math.floor((side - img.height) / 2);
  let square = img;
  if (img.width !== img.height) {
    square = { width: side, height: side, data: new Uint8Array(side * side).fill(255) };
    for (let y = 0; y < img.height; y++) {
      square.data.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + padY) * side + padX);
    }
  }
  const image = resizeLinePreserving(square, size, size);
  return { image, box: { srcWidth: img.width, srcHeight: img.height, size, scale: size / side, padX, padY } };
}

/** Patch grid side (patches per row) for a letterbox and patch size. */
export function gridSide(box: Letterbox, patch: number): number {
  return Math.floor(box.size / patch);
}

/** Row-major patch index of original pixel (x, y). */
export function patchOfPixel(box: Letterbox, patch: number, x: number, y: number): number {
  const g = gridSide(box, patch);
  const col = Math.min(g - 1, Math.floor(((x + 0.5 + box.padX) * box.scale) / patch));
  const row = Math.min(g - 1, Math.floor(((y + 0.5 + box.padY) * box.scale) / patch));
  return row * g + col;
}

/** Patch index of every original pixel, row-major [srcHeight * srcWidth]. */
export function patchIndexMap(box: Letterbox, patch: number): Int32Array {
  const g = gridSide(box, patch);
  const cols = new Int32Array(box.srcWidth);
  for (let x = 0; x < box.srcWidth; x++) {
    cols[x] = Math.min(g - 1, Math.floor(((x + 0.5 + box.padX) * box.scale) / patch));
  }
  const out = new Int32Array(box.srcWidth * box.srcHeight);
  for (let y = 0; y < box.srcHeight; y++) {
    const row = Math.min(g - 1, Math.floor(((y + 0.5 + box.padY) * box.scale) / patch));
    const base = y * box.srcWidth;
    for (let x = 0; x < box.srcWidth; x++) out[base + x] = row * g + cols[x];
  }
  return out;
}

/**
 * The rectangle [x0, x1) x [y0, y1) of original pixels that patch (row, col) covers, clipped to the image
 * (empty for patches that lie wholly in the padding).
 */
export function patchRect(
  box: Letterbox,
  patch: number,
  row: number,
  col: number,
): { x0: number; x1: number; y0: number; y1: number } {
  const inv = 1 / box.scale;
  const clip = (v: number, hi: number) => Math.max(0, Math.min(hi, Math.round(v)));
  return {
    x0: clip(col * patch * inv - box.padX, box.srcWidth),
    x1: clip((col + 1) * patch * inv - box.padX, box.srcWidth),
    y0: clip(row * patch * inv - box.padY, box.srcHeight),
    y1: clip((row + 1) * patch * inv - box.padY, box.srcHeight),
  };
}
