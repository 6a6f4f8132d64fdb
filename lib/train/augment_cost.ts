/**
 * The cost of the training augmentation, for `bench:train`: milliseconds per augmented image at a model's
 * input size, on a synthetic line drawing (ellipses with labelled insides), with the default settings.
 *
 * @module
 */
import { Rng } from "../util/rng.ts";
import { AUGMENT_DEFAULTS, augmentImage, type AugmentOptions } from "./augment.ts";

/**
 * Times {@link augmentImage}: `images` augmentations after four warm-up ones, mean milliseconds per image.
 *
 * @example
 * ```ts
 * const { msPerImage } = augmentCost({ inputSize: 256, patch: 16 }); // ~5 ms on a 2-core CPU
 * ```
 */
export function augmentCost(
  o: { inputSize: number; patch: number; images?: number; seed?: number; options?: Partial<AugmentOptions> },
): { msPerImage: number; images: number } {
  const S = o.inputSize, grid = S / o.patch, side = S / 2, n = o.images ?? 32;
  const rng = new Rng(o.seed ?? 0);
  const image = new Uint8Array(S * S).fill(255), cells = new Uint8Array(side * side);
  const table = new Int32Array(256).fill(-1);
  // Twelve ellipses: outlines in ink, insides labelled 1..12.
  for (let k = 1; k <= 12; k++) {
    table[k] = k;
    const cx = rng.range(0.2, 0.8) * S, cy = rng.range(0.2, 0.8) * S, rx = rng.range(0.05, 0.2) * S;
    const ry = rng.range(0.05, 0.2) * S;
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const d = Math.hypot((x - cx) / rx, (y - cy) / ry);
        if (Math.abs(d - 1) * Math.min(rx, ry) < 0.8) image[y * S + x] = 0;
        else if (d < 1 && x % 2 === 0 && y % 2 === 0) cells[(y / 2) * side + x / 2] = k;
      }
    }
  }
  const opts = { ...AUGMENT_DEFAULTS, ...o.options };
  // Warm-up: the first calls compile the pixel loops.
  for (let i = 0; i < 4; i++) augmentImage(image, cells, table, S, grid, rng.fork(`warm-up:${i}`), opts);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) augmentImage(image, cells, table, S, grid, rng.fork(`image:${i}`), opts);
  return { msPerImage: (performance.now() - t0) / n, images: n };
}
