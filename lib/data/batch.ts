/**
 * Training pairs from cached datasets: pair lists, the split by character (validation characters are never
 * seen in training), a data order that is a pure function of (seed, step) — so a resumed run reads exactly
 * the batches an uninterrupted one would — and batch assembly with optional augmentation.
 *
 * Augmentation (on by default in training, off in validation): each pair's two images are swapped with
 * probability 1/2, and the pair is mirrored left-right with probability 1/2 (both images, with their patch
 * labels). Both keep every correspondence: labels travel with their pixels. Manga characters face either way,
 * so a mirrored pair is a plausible pair; mirroring one image alone is not (its left-side parts, labelled apart
 * from the right-side ones, would sit where the other image has the right-side ones). An {@link ImageAugmenter} (lib/train/augment.ts: warps, crops, line
 * width, gaps) can move pixels too; it returns the patch labels that follow them. It draws from a stream forked
 * per image, so the swap and mirror draws are the same with or without it.
 *
 * @module
 */
import * as path from "node:path";
import { type ModelConfig, patchDim } from "../model/config.ts";
import { patchify } from "../model/model.ts";
import type { Batch } from "../model/batch.ts";
import { UserError } from "../util/errors.ts";
import { Rng } from "../util/rng.ts";
import { type CacheOptions, type FrameCache, loadCache } from "./cache.ts";
import { characterFamilies } from "./families.ts";
import { resolvePairs } from "./pairs.ts";

/** One training pair: two frames of one cached dataset. */
export interface PairItem {
  /** Index of the dataset (cache) in the list. */
  source: number;
  /** Frame indices in that cache. */
  a: number;
  b: number;
  /** Character, qualified by dataset ("<source>:<character>"), for the split. */
  character: string;
  /** Generator family of the character (lib/data/families.ts); absent: unknown. */
  family?: string;
}

/** Datasets and their pairs. */
export interface PairData {
  caches: FrameCache[];
  items: PairItem[];
}

/**
 * Loads (building when needed) the caches of several datasets and their pair lists (pairs.csv when present,
 * else frame i and i + gap).
 *
 * @example
 * ```ts
 * const data = await loadPairData(["data/train-clean", "data/train-hand"], { size: 256, patch: 16 });
 * ```
 */
export async function loadPairData(
  roots: string[],
  cache: CacheOptions,
  opts: { gap?: number } = {},
): Promise<PairData> {
  const caches: FrameCache[] = [];
  const items: PairItem[] = [];
  for (const [source, root] of roots.entries()) {
    const c = await loadCache(root, cache);
    caches.push(c);
    const fam = await characterFamilies(root);
    for (const p of await resolvePairs(root, { gap: opts.gap })) {
      const a = c.index.get(`${p.dir}/${p.reference}`), b = c.index.get(`${p.dir}/${p.target}`);
      if (a === undefined || b === undefined) {
        throw new UserError(
          `pair ${p.dir},${p.reference},${p.target} names a frame the cache lacks`,
          path.join(root, p.dir),
        );
      }
      items.push({ source, a, b, character: `${source}:${p.dir}`, family: fam.of(p.dir) });
    }
  }
  return { caches, items };
}

/**
 * Splits pairs by character: a seeded `valFraction` of the characters (at least one when there are two or
 * more) go to validation with all their pairs.
 */
export function splitByCharacter(
  items: PairItem[],
  valFraction: number,
  seed: number,
): { train: PairItem[]; val: PairItem[] } {
  const chars = [...new Set(items.map((p) => p.character))].sort();
  const rng = new Rng(seed).fork("split");
  rng.shuffle(chars);
  const nVal = valFraction <= 0 || chars.length < 2
    ? 0
    : Math.max(1, Math.min(chars.length - 1, Math.round(valFraction * chars.length)));
  const val = new Set(chars.slice(0, nVal));
  return {
    train: items.filter((p) => !val.has(p.character)),
    val: items.filter((p) => val.has(p.character)),
  };
}

/** The permutation of `n` items for an epoch. */
export function epochOrder(n: number, epoch: number, seed: number): Int32Array {
  const order = Array.from({ length: n }, (_, i) => i);
  new Rng(seed).fork(`epoch:${epoch}`).shuffle(order);
  return Int32Array.from(order);
}

/**
 * The pairs of step `step`: positions step * batch ... step * batch + batch - 1 of the endless sequence of
 * epoch permutations. A pure function of its arguments (resuming needs no data-loader state).
 */
export function pairsForStep(items: PairItem[], step: number, batch: number, seed: number): PairItem[] {
  if (items.length === 0) throw new UserError("no training pairs");
  const out: PairItem[] = [];
  let cachedEpoch = -1;
  let order: Int32Array = new Int32Array(0);
  for (let k = 0; k < batch; k++) {
    const pos = step * batch + k;
    const epoch = Math.floor(pos / items.length);
    if (epoch !== cachedEpoch) {
      order = epochOrder(items.length, epoch, seed);
      cachedEpoch = epoch;
    }
    out.push(items[order[pos % items.length]]);
  }
  return out;
}

/**
 * Augments one image of frame `frame` of cache `source`: the new image and its patch labels (grid order).
 */
export type ImageAugmenter = (
  source: number,
  frame: number,
  image: Uint8Array,
  rng: Rng,
) => { image: Uint8Array; labels: Int32Array };

function flipImage(src: Uint8Array, side: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let y = 0; y < side; y++) {
    const r = y * side;
    for (let x = 0; x < side; x++) out[r + x] = src[r + side - 1 - x];
  }
  return out;
}

function flipLabels(src: Int32Array, grid: number): Int32Array {
  const out = new Int32Array(src.length);
  for (let y = 0; y < grid; y++) {
    for (let x = 0; x < grid; x++) out[y * grid + x] = src[y * grid + grid - 1 - x];
  }
  return out;
}

/**
 * Assembles a batch: patch vectors of the images a0, b0, a1, b1, ... and labels [pairs * 2N]. With `rng`,
 * augments (swap and mirror, see the module note).
 *
 * @example
 * ```ts
 * const batch = assembleBatch(data.caches, pairsForStep(train, step, 8, seed), cfg, stepRng);
 * ```
 */
export function assembleBatch(
  caches: FrameCache[],
  items: PairItem[],
  cfg: ModelConfig,
  rng: Rng | null,
  augmenter: ImageAugmenter | null = null,
): Batch {
  const S = cfg.inputSize;
  const images: Uint8Array[] = [];
  const N = (S / cfg.patch) ** 2, G = S / cfg.patch;
  const labels = new Int32Array(items.length * 2 * N);
  items.forEach((it, p) => {
    const c = caches[it.source];
    if (c.size !== S || c.grid !== G) {
      throw new Error(`assembleBatch: cache is ${c.size}/${c.grid}, model ${S}/${G}`);
    }
    let frames = [it.a, it.b];
    if (rng && rng.bool()) frames = [it.b, it.a];
    // One mirror draw per pair: mirroring one image alone would put its left-side parts (eyeL, armL...) where
    // the other image has the right-side ones, a pair no camera makes.
    const mirror = rng !== null && rng.bool();
    frames.forEach((k, side) => {
      let img: Uint8Array = c.lines.subarray(k * S * S, (k + 1) * S * S);
      let lab: Int32Array = c.labels.subarray(k * N, (k + 1) * N);
      if (rng && augmenter) {
        ({ image: img, labels: lab } = augmenter(it.source, k, img, rng.fork(`image:${p}:${side}`)));
      }
      if (mirror) {
        img = flipImage(img, S);
        lab = flipLabels(lab, G);
      }
      images.push(img);
      labels.set(lab, p * 2 * N + side * N);
    });
  });
  const patches = patchify(images, cfg, new Float32Array(images.length * N * patchDim(cfg)));
  return { pairs: items.length, patches, labels };
}

/** The cache options that fit a model config. */
export function cacheOptionsFor(cfg: ModelConfig, extra: Partial<CacheOptions> = {}): CacheOptions {
  return { size: cfg.inputSize, patch: cfg.patch, ...extra };
}
