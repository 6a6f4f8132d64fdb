/**
 * Training augmentation of one image of a pair (on by default; `train --no-augment` turns it off): a smooth
 * random warp (affine: rotation, zoom in or out — zooming in is a crop — shear, shift; plus an elastic field),
 * line thickening or thinning, and gaps cut into the strokes. The patch labels follow: the image's per-pixel
 * labels (lib/data/pixel_labels.ts) are warped with the same field (nearest), cells where the augmented image has
 * ink are ignored, and each patch takes the 55% majority label, as the unaugmented ground truth does.
 *
 * The swap of a pair's images and the left-right mirror stay in lib/data/batch.ts. Every draw comes from the
 * stream the loop passes (`Rng(seed).fork("step:s").fork("augment")`, forked per image), so a resumed run
 * augments exactly as an uninterrupted one.
 *
 * @module
 */
import type { ImageAugmenter } from "../data/batch.ts";
import { IGNORE } from "../data/patch_gt.ts";
import type { PixelLabels } from "../data/pixel_labels.ts";
import { INK_WARP_DEFAULTS, randomWarp, type WarpField, warpGrayBilinear } from "../image/warp.ts";
import { UserError } from "../util/errors.ts";
import type { Rng } from "../util/rng.ts";

/** Settings of the augmentation. Lengths are fractions of the input side. */
export interface AugmentOptions {
  /** Probability that an image is warped. */
  warpProb: number;
  /** Largest rotation, degrees. */
  rotation: number;
  /** Zoom range (above 1 crops). */
  scale: [number, number];
  shift: number;
  shear: number;
  elasticAmp: number;
  elasticCell: number;
  /** Probability of thicker lines (3x3 cross min filter). */
  thickenProb: number;
  /** Probability of thinner, lighter lines (blend with the 3x3 cross max filter). */
  thinProb: number;
  /** Probability of cutting gaps into the strokes. */
  gapProb: number;
  /** Number of gaps [lo, hi). */
  gaps: [number, number];
  /** Gap radius in pixels [lo, hi). */
  gapRadius: [number, number];
  /** The patch majority rule. */
  minFraction: number;
}

/** Defaults: about the differences between PBC frames seven apart plus real line-art variety. */
export const AUGMENT_DEFAULTS: Readonly<AugmentOptions> = {
  warpProb: 0.7, // most images move; some stay as drawn so the model still sees exact generator frames
  rotation: 12, // camera roll and head tilt beyond the generator's
  scale: [0.85, 1.3], // zoom out a little, or crop in up to 1.3x
  shift: 0.06, // the subject drifts
  shear: 0.06, // a slight change of view
  elasticAmp: 0.02, // bends ~5 px at 256...
  elasticCell: 0.25, // ...over a quarter of the frame: limbs and locks bend, lines stay smooth
  thickenProb: 0.2, // bold-pen frames
  thinProb: 0.2, // light, thin lines
  gapProb: 0.3, // open contours beyond the hand-drawn style's own gaps
  gaps: [2, 8], // a few breaks per image, as quick inking and scans leave
  gapRadius: [1.5, 3.5], // gaps of 3-7 px at 256 (6-14 px of a 512 frame)
  minFraction: 0.55, // the paper's rule (lib/data/patch_gt.ts)
};

function crossFilter(img: Uint8Array, S: number, pick: (a: number, b: number) => number): Uint8Array {
  const out = new Uint8Array(img.length);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const i = y * S + x;
      let v = img[i];
      if (x > 0) v = pick(v, img[i - 1]);
      if (x + 1 < S) v = pick(v, img[i + 1]);
      if (y > 0) v = pick(v, img[i - S]);
      if (y + 1 < S) v = pick(v, img[i + S]);
      out[i] = v;
    }
  }
  return out;
}

/**
 * Augments one image: returns the new image and its patch labels on a `grid x grid` grid.
 *
 * @example
 * ```ts
 * const { image, labels } = augmentImage(line, cells, table, 256, 16, rng);
 * ```
 */
export function augmentImage(
  image: Uint8Array,
  cells: Uint8Array,
  table: Int32Array,
  S: number,
  grid: number,
  rng: Rng,
  opts: Partial<AugmentOptions> = {},
): { image: Uint8Array; labels: Int32Array } {
  const o = { ...AUGMENT_DEFAULTS, ...opts };
  const side = S / 2;
  let img = image, cl = cells;
  if (rng.bool(o.warpProb)) {
    const field = randomWarp(rng.fork("warp"), S, S, {
      rotation: o.rotation,
      scale: o.scale,
      shift: o.shift,
      shear: o.shear,
      elasticAmp: o.elasticAmp,
      elasticCell: o.elasticCell,
      fineAmp: 0,
      flipProb: 0,
    });
    img = warpLineArt(image, S, field);
    cl = warpCells(cells, side, field);
  } else img = image.slice();
  const look = rng.float();
  if (look < o.thickenProb) img = crossFilter(img, S, Math.min);
  else if (look < o.thickenProb + o.thinProb) {
    const mx = crossFilter(img, S, Math.max);
    for (let i = 0; i < img.length; i++) img[i] = (img[i] + mx[i] + 1) >> 1;
  }
  if (rng.bool(o.gapProb)) {
    // Gaps centred on ink pixels found by random probing.
    const n = rng.int(o.gaps[0], o.gaps[1]);
    for (let g = 0, tries = 0; g < n && tries < 200; tries++) {
      const x = rng.int(0, S), y = rng.int(0, S);
      if (img[y * S + x] >= 128) continue;
      g++;
      const r = rng.range(o.gapRadius[0], o.gapRadius[1]), R = Math.ceil(r);
      for (let dy = -R; dy <= R; dy++) {
        for (let dx = -R; dx <= R; dx++) {
          const xx = x + dx, yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < S && yy < S && dx * dx + dy * dy <= r * r) img[yy * S + xx] = 255;
        }
      }
    }
  }
  return { image: img, labels: cellPatchLabels(cl, table, img, S, grid, o.minFraction) };
}

/**
 * Line art moved by a field, keeping strokes solid: plain bilinear sampling turns a 1-px line that falls
 * between samples into a dashed 50% grey one (seen in the augmented batches: a look that validation and real
 * frames never have, and it slowed training), so a pixel that is ink by the solid-or-ridge rule of
 * lib/image/warp.ts (`warpInk`: coverage >= 0.5, or >= 0.2 on a ridge) takes the darkest of its four source
 * taps; the others keep the bilinear value (soft edges stay soft).
 *
 * @example
 * ```ts
 * const moved = warpLineArt(line, 256, randomWarp(rng, 256, 256));
 * ```
 */
export function warpLineArt(image: Uint8Array, S: number, field: WarpField): Uint8Array {
  const bil = warpGrayBilinear({ width: S, height: S, data: image }, field).data;
  const out = bil.slice();
  const { sx, sy } = field;
  const dark = (i: number) => 1 - bil[i] / 255;
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= S || y >= S ? 255 : image[y * S + x]);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const i = y * S + x, d = dark(i);
      if (d < INK_WARP_DEFAULTS.ridge) continue;
      if (d < INK_WARP_DEFAULTS.solid) {
        const l = x > 0 ? dark(i - 1) : 0, r = x + 1 < S ? dark(i + 1) : 0;
        const u = y > 0 ? dark(i - S) : 0, w = y + 1 < S ? dark(i + S) : 0;
        if (!((d >= l && d >= r) || (d >= u && d >= w))) continue;
      }
      const x0 = Math.floor(sx[i]), y0 = Math.floor(sy[i]);
      out[i] = Math.min(at(x0, y0), at(x0 + 1, y0), at(x0, y0 + 1), at(x0 + 1, y0 + 1));
    }
  }
  return out;
}

/** Cells moved by a field given at the input resolution (cell (u, v) reads the field at pixel (2u, 2v)). */
function warpCells(cells: Uint8Array, side: number, field: WarpField): Uint8Array {
  const out = new Uint8Array(side * side);
  const S = field.width;
  for (let v = 0; v < side; v++) {
    for (let u = 0; u < side; u++) {
      const i = 2 * v * S + 2 * u;
      // The cell's centre is half a pixel right of and below its top-left pixel; source cell c spans pixels
      // 2c and 2c + 1, i.e. [2c - 0.5, 2c + 1.5).
      const cx = Math.floor((field.sx[i] + 1) / 2), cy = Math.floor((field.sy[i] + 1) / 2);
      if (cx >= 0 && cy >= 0 && cx < side && cy < side) out[v * side + u] = cells[cy * side + cx];
    }
  }
  return out;
}

/**
 * Patch labels from cells: cells under ink of `image` are ignored, then the majority rule per patch.
 *
 * @example
 * ```ts
 * const labels = cellPatchLabels(cells, table, image, 256, 16, 0.55);
 * ```
 */
export function cellPatchLabels(
  cells: Uint8Array,
  table: Int32Array,
  image: Uint8Array,
  S: number,
  grid: number,
  minFraction: number,
): Int32Array {
  const side = S / 2, per = side / grid;
  const out = new Int32Array(grid * grid).fill(IGNORE);
  const counts = new Int32Array(256);
  for (let r = 0; r < grid; r++) {
    for (let c = 0; c < grid; c++) {
      counts.fill(0);
      for (let v = r * per; v < (r + 1) * per; v++) {
        for (let u = c * per; u < (c + 1) * per; u++) {
          const k = cells[v * side + u];
          if (k === 0) continue;
          const y = 2 * v, x = 2 * u;
          if (
            image[y * S + x] + image[y * S + x + 1] + image[(y + 1) * S + x] + image[(y + 1) * S + x + 1] <
              384
          ) continue; // three or four of its pixels dark: ink
          counts[k]++;
        }
      }
      let best = 0, bestN = 0;
      for (let k = 1; k < 256; k++) {
        if (counts[k] > bestN || (counts[k] === bestN && bestN > 0 && table[k] < table[best])) {
          best = k;
          bestN = counts[k];
        }
      }
      if (best > 0 && bestN >= minFraction * per * per) out[r * grid + c] = table[best];
    }
  }
  return out;
}

/**
 * The augmenter the training loop hands to `assembleBatch`: per image, {@link augmentImage} with that frame's
 * cells.
 *
 * @example
 * ```ts
 * const aug = makeAugmenter(pixels, 256, 16);
 * const batch = assembleBatch(data.caches, items, cfg, rng.fork("augment"), aug);
 * ```
 */
export function makeAugmenter(
  pixels: PixelLabels[],
  S: number,
  grid: number,
  opts: Partial<AugmentOptions> = {},
): ImageAugmenter {
  if ((S / 2) % grid !== 0) {
    throw new UserError(
      `augmentation needs an even patch size (input ${S}, grid ${grid}); pass --no-augment for this model`,
    );
  }
  return (source, frame, image, rng) => {
    const px = pixels[source], side = px.side;
    return augmentImage(
      image,
      px.data.subarray(frame * side * side, (frame + 1) * side * side),
      px.table.subarray(frame * 256, (frame + 1) * 256),
      S,
      grid,
      rng,
      opts,
    );
  };
}
