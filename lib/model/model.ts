/**
 * The patch-similarity model of the paper, in one file: patch embedding + learnable position embeddings, a ViT
 * encoder shared by both images, the Multiplex Transformer (M layers of a self block then a cross block, both
 * shared by the two images), and cosine similarity of L2-normalised features over the 2N tokens of a pair.
 *
 * Activations are 2-D [T, d], T = images * tokens. The images of a batch of pairs are interleaved
 * (a0, b0, a1, b1, ...), so a pair's 2N tokens are contiguous rows (its similarity matrix is one Gram matrix)
 * and a cross block pairs image i with image i ^ 1. Every block is pre-norm:
 * ```
 *   x = x + proj(attn(qkv(LN1(x))))      attn: within each image (self) or from i to i ^ 1 (cross)
 *   x = x + fc2(gelu(fc1(LN2(x))))
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { letterbox } from "../image/letterbox.ts";
import type { GrayImage } from "../image/types.ts";
import { Rng } from "../util/rng.ts";
import { gridOf, headDim, type ModelConfig, patchDim, tokensOf } from "./config.ts";
import {
  attention,
  type AttentionLayout,
  embed,
  gelu,
  l2normalize,
  layerNorm,
  linear,
  pairGram,
  residual,
} from "./ops.ts";
import type { PairSimilarity, PairTokens } from "./similarity.ts";
import { gpuGuard } from "./webgpu.ts";

/** ImageNet channel statistics (RGB), for the 3-channel input mode. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** Names and shapes of every parameter, in the canonical order (weights files store them in this order). */
export function paramShapes(c: ModelConfig): [string, number[]][] {
  const d = c.dim, h = c.mlpRatio * d;
  const block = (p: string): [string, number[]][] => [
    [`${p}.ln1.g`, [d]],
    [`${p}.ln1.b`, [d]],
    [`${p}.qkv.w`, [d, 3 * d]],
    [`${p}.qkv.b`, [3 * d]],
    [`${p}.proj.w`, [d, d]],
    [`${p}.proj.b`, [d]],
    [`${p}.ln2.g`, [d]],
    [`${p}.ln2.b`, [d]],
    [`${p}.fc1.w`, [d, h]],
    [`${p}.fc1.b`, [h]],
    [`${p}.fc2.w`, [h, d]],
    [`${p}.fc2.b`, [d]],
  ];
  const out: [string, number[]][] = [["embed.w", [patchDim(c), d]], ["embed.b", [d]], ["pos", [
    tokensOf(c),
    d,
  ]]];
  for (let l = 0; l < c.vitLayers; l++) out.push(...block(`vit.${l}`));
  for (let m = 0; m < c.mtLayers; m++) out.push(...block(`mt.${m}.self`), ...block(`mt.${m}.cross`));
  if (c.finalNorm) out.push(["norm.g", [d]], ["norm.b", [d]]);
  return out;
}

/** Parameter count of a config. */
export function paramCount(c: ModelConfig): number {
  return paramShapes(c).reduce((s, [, sh]) => s + sh.reduce((a, b) => a * b, 1), 0);
}

/** Whether a parameter takes weight decay (matrices only: not biases, norms or position embeddings). */
export function decays(name: string): boolean {
  return name.endsWith(".w");
}

/**
 * Initial values: weights from a normal truncated at 2 std (ViT), biases and LayerNorm shifts 0, LayerNorm
 * gains 1, position embeddings like weights. Deterministic by seed.
 */
export function initialValues(c: ModelConfig, seed: number): Map<string, Float32Array> {
  const rng = new Rng(seed).fork("init");
  const out = new Map<string, Float32Array>();
  for (const [name, shape] of paramShapes(c)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    if (name.endsWith(".g")) v.fill(1);
    else if (name.endsWith(".w") || name === "pos") {
      for (let i = 0; i < n; i++) {
        let z = rng.normal();
        while (Math.abs(z) > 2) z = rng.normal();
        v[i] = z * c.initStd;
      }
    }
    out.set(name, v);
  }
  return out;
}

/**
 * Patch vectors of letterboxed images: [images * N, P] row-major, P = patch^2 * channels, in (channel, y, x)
 * order within a patch (PyTorch's conv-weight order, so converted ViT weights line up). Grayscale: ink = 1,
 * paper = 0. RGB mode: the gray value in all three channels, normalised with ImageNet mean/std.
 *
 * @param images `size` x `size` gray images (0 ink, 255 paper)
 * @param out optional buffer to fill (length images * N * P)
 */
export function patchify(images: Uint8Array[], c: ModelConfig, out?: Float32Array): Float32Array {
  const S = c.inputSize, p = c.patch, g = gridOf(c), P = patchDim(c), N = g * g;
  const buf = out ?? new Float32Array(images.length * N * P);
  if (buf.length !== images.length * N * P) {
    throw new RangeError(`patchify: buffer ${buf.length} != ${images.length * N * P}`);
  }
  const lut = new Float32Array(256 * c.channels);
  for (let v = 0; v < 256; v++) {
    if (c.channels === 1) lut[v] = 1 - v / 255;
    else for (let ch = 0; ch < 3; ch++) lut[ch * 256 + v] = (v / 255 - IMAGENET_MEAN[ch]) / IMAGENET_STD[ch];
  }
  images.forEach((img, k) => {
    if (img.length !== S * S) {
      throw new RangeError(`patchify: image ${k} has ${img.length} pixels, expected ${S}x${S}`);
    }
    for (let gy = 0; gy < g; gy++) {
      for (let gx = 0; gx < g; gx++) {
        let o = ((k * N) + gy * g + gx) * P;
        for (let ch = 0; ch < c.channels; ch++) {
          const l = ch * 256;
          for (let y = 0; y < p; y++) {
            const row = (gy * p + y) * S + gx * p;
            for (let x = 0; x < p; x++) buf[o++] = lut[l + img[row + x]];
          }
        }
      }
    }
  });
  return buf;
}

/** The weights of one transformer block, by role. */
interface BlockParams {
  ln1g: tf.Variable;
  ln1b: tf.Variable;
  qkvw: tf.Variable;
  qkvb: tf.Variable;
  projw: tf.Variable;
  projb: tf.Variable;
  ln2g: tf.Variable;
  ln2b: tf.Variable;
  fc1w: tf.Variable;
  fc1b: tf.Variable;
  fc2w: tf.Variable;
  fc2b: tf.Variable;
}

let modelCounter = 0;

/**
 * The model: parameters as tfjs variables, a forward pass to features, and pair similarity for inference.
 *
 * @example
 * ```ts
 * const m = PatchSimilarityModel.create(modelConfig("small"), 42);
 * const sim = await m.similarity(lineA, lineB); // sim.cosine: Float32Array [2N * 2N]
 * m.dispose();
 * ```
 */
export class PatchSimilarityModel {
  readonly config: ModelConfig;
  /** Parameters in canonical order. */
  readonly params: Map<string, tf.Variable>;
  readonly #vit: BlockParams[];
  readonly #mt: { self: BlockParams; cross: BlockParams }[];

  constructor(config: ModelConfig, values: Map<string, Float32Array>) {
    this.config = config;
    this.params = new Map();
    const id = modelCounter++;
    for (const [name, shape] of paramShapes(config)) {
      const v = values.get(name);
      if (!v) throw new Error(`model: no value for parameter ${name}`);
      if (v.length !== shape.reduce((a, b) => a * b, 1)) {
        throw new Error(`model: ${name} has ${v.length} values for shape ${shape}`);
      }
      // Variable names are global in tfjs: make them unique per model instance.
      const init = tf.tensor(v, shape, "float32");
      this.params.set(name, tf.variable(init, true, `m${id}/${name}`));
      init.dispose(); // the variable holds its own reference to the data
    }
    const blk = (p: string): BlockParams => {
      const g = (n: string) => this.params.get(`${p}.${n}`)!;
      return {
        ln1g: g("ln1.g"),
        ln1b: g("ln1.b"),
        qkvw: g("qkv.w"),
        qkvb: g("qkv.b"),
        projw: g("proj.w"),
        projb: g("proj.b"),
        ln2g: g("ln2.g"),
        ln2b: g("ln2.b"),
        fc1w: g("fc1.w"),
        fc1b: g("fc1.b"),
        fc2w: g("fc2.w"),
        fc2b: g("fc2.b"),
      };
    };
    this.#vit = Array.from({ length: config.vitLayers }, (_, l) => blk(`vit.${l}`));
    this.#mt = Array.from(
      { length: config.mtLayers },
      (_, m) => ({ self: blk(`mt.${m}.self`), cross: blk(`mt.${m}.cross`) }),
    );
  }

  /** A freshly initialised model. */
  static create(config: ModelConfig, seed = 0): PatchSimilarityModel {
    return new PatchSimilarityModel(config, initialValues(config, seed));
  }

  /** Trainable variables in canonical order. */
  variables(): tf.Variable[] {
    return [...this.params.values()];
  }

  /** Current parameter values (copies), by name. Synchronous reads: not on WebGPU (see {@link valuesAsync}). */
  values(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const [n, v] of this.params) out.set(n, v.dataSync() as Float32Array);
    return out;
  }

  /**
   * Current parameter values (copies), by name, read asynchronously (every backend, WebGPU included).
   *
   * @example
   * ```ts
   * await saveWeights(dir, model.config, await model.valuesAsync());
   * ```
   */
  async valuesAsync(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    const names = [...this.params.keys()];
    const data = await Promise.all(names.map((n) => this.params.get(n)!.data()));
    names.forEach((n, i) => out.set(n, data[i] as Float32Array));
    return out;
  }

  /** Overwrites parameter values (shapes must match). */
  setValues(values: Map<string, Float32Array>): void {
    for (const [n, v] of this.params) {
      const x = values.get(n);
      if (!x || x.length !== v.size) throw new Error(`model: bad value for ${n}`);
      tf.tidy(() => v.assign(tf.tensor(x, v.shape, "float32")));
    }
  }

  #block(x: tf.Tensor2D, p: BlockParams, layout: AttentionLayout): tf.Tensor2D {
    const eps = this.config.lnEps;
    const h = layerNorm(x, p.ln1g as tf.Tensor1D, p.ln1b as tf.Tensor1D, eps); // [T, d]
    const qkv = linear(h, p.qkvw as tf.Tensor2D, p.qkvb as tf.Tensor1D); // [T, 3d]
    const a = attention(qkv, layout); // [T, d]
    x = residual(x, linear(a, p.projw as tf.Tensor2D, p.projb as tf.Tensor1D));
    const h2 = layerNorm(x, p.ln2g as tf.Tensor1D, p.ln2b as tf.Tensor1D, eps);
    const f = gelu(linear(h2, p.fc1w as tf.Tensor2D, p.fc1b as tf.Tensor1D)); // [T, mlpRatio*d]
    return residual(x, linear(f, p.fc2w as tf.Tensor2D, p.fc2b as tf.Tensor1D));
  }

  /**
   * L2-normalised features of a batch of interleaved pairs. Call inside `tf.tidy` (or a gradient function).
   *
   * @param patches [images * N, P] from {@link patchify}, images = 2 * pairs, ordered a0, b0, a1, b1, ...
   * @returns [images * N, d]
   */
  features(patches: tf.Tensor2D, images: number): tf.Tensor2D {
    return l2normalize(this.tokens(patches, images));
  }

  /**
   * The final tokens before L2 normalisation (what the release averages 2x2 for its 32-px patches). Call inside
   * `tf.tidy` (or a gradient function).
   *
   * @param patches [images * N, P] from {@link patchify}, images = 2 * pairs, ordered a0, b0, a1, b1, ...
   * @returns [images * N, d]
   */
  tokens(patches: tf.Tensor2D, images: number): tf.Tensor2D {
    const c = this.config, N = tokensOf(c);
    if (patches.shape[0] !== images * N || patches.shape[1] !== patchDim(c)) {
      throw new Error(
        `features: patches ${patches.shape} do not fit ${images} images x ${N} tokens x ${patchDim(c)}`,
      );
    }
    const g = (n: string) => this.params.get(n)!;
    let x = embed(patches, g("embed.w") as tf.Tensor2D, g("embed.b") as tf.Tensor1D, g("pos") as tf.Tensor2D); // [T, d]
    const self: AttentionLayout = { images, tokens: N, heads: c.heads, pairing: "self" };
    const cross: AttentionLayout = { ...self, pairing: "cross" };
    for (const p of this.#vit) x = this.#block(x, p, self);
    for (const { self: ps, cross: pc } of this.#mt) {
      x = this.#block(x, ps, self);
      x = this.#block(x, pc, cross);
    }
    if (c.finalNorm) x = layerNorm(x, g("norm.g") as tf.Tensor1D, g("norm.b") as tf.Tensor1D, c.lnEps);
    return x;
  }

  /**
   * Cosine similarities [pairs, 2N, 2N] of letterboxed pairs (inference, no gradients), as one Float32Array.
   *
   * @param images 2 * pairs images of `inputSize`^2 pixels, a0, b0, a1, b1, ...
   */
  cosineBatch(images: Uint8Array[]): Float32Array {
    const gram = this.#gram(images);
    try {
      return gram.dataSync() as Float32Array;
    } finally {
      gram.dispose();
    }
  }

  /**
   * {@link cosineBatch} with an asynchronous read: the form for every backend, WebGPU included (synchronous
   * reads fail there). A GPU out-of-memory becomes one error line naming the batch.
   *
   * @example
   * ```ts
   * const cos = await model.cosineBatchAsync([a0, b0, a1, b1]); // [2, 2N, 2N]
   * ```
   */
  async cosineBatchAsync(images: Uint8Array[]): Promise<Float32Array> {
    return await gpuGuard(`inference on a batch of ${images.length / 2} pairs`, async () => {
      const gram = this.#gram(images);
      try {
        return (await gram.data()) as Float32Array;
      } finally {
        gram.dispose();
      }
    });
  }

  #gram(images: Uint8Array[]): tf.Tensor3D {
    if (images.length % 2 !== 0) throw new RangeError("cosineBatch: images come in pairs");
    const c = this.config;
    const data = patchify(images, c);
    // Read back outside tf.tidy: tidy walks whatever its function returns looking for tensors, element by
    // element for a typed array (~1 us each: 0.8 s for a batch of 4 pairs' 1M similarities).
    return tf.tidy(() => {
      const x = tf.tensor2d(data, [images.length * tokensOf(c), patchDim(c)]);
      return pairGram(this.features(x, images.length), images.length / 2); // [pairs, 2N, 2N]
    });
  }

  /**
   * The [2N, 2N] cosine similarity of two line-art images of any size (each letterboxed to the input size).
   *
   * @example
   * ```ts
   * const sim = await model.similarity(readGrayA, readGrayB);
   * const s = scoreMatrix(sim.cosine, 2 * sim.n, "sigmoid");
   * ```
   */
  async similarity(lineA: GrayImage, lineB: GrayImage): Promise<PairSimilarity> {
    const c = this.config;
    const a = letterbox(lineA, c.inputSize), b = letterbox(lineB, c.inputSize);
    const cosine = await this.cosineBatchAsync([a.image.data, b.image.data]);
    const grid = gridOf(c);
    return { grid, n: grid * grid, patch: c.patch, cosine, boxA: a.box, boxB: b.box };
  }

  /**
   * The final tokens of two line-art images before L2 normalisation, [2N, d] (a's then b's), for pooling them
   * into coarser patches as the release does (`pooledSimilarity` in lib/eval/predictors.ts).
   *
   * @example
   * ```ts
   * const t = await model.pairTokens(lineA, lineB); // t.tokens: Float32Array [2N * d]
   * ```
   */
  async pairTokens(lineA: GrayImage, lineB: GrayImage): Promise<PairTokens> {
    const c = this.config;
    const a = letterbox(lineA, c.inputSize), b = letterbox(lineB, c.inputSize);
    const data = patchify([a.image.data, b.image.data], c);
    const t = tf.tidy(() => this.tokens(tf.tensor2d(data, [2 * tokensOf(c), patchDim(c)]), 2)); // [2N, d]
    let tokens: Float32Array;
    try {
      tokens = (await t.data()) as Float32Array; // outside tidy (see cosineBatch); async: WebGPU has no sync read
    } finally {
      t.dispose();
    }
    return {
      tokens,
      dim: c.dim,
      grid: gridOf(c),
      patch: c.patch,
      boxA: a.box,
      boxB: b.box,
      normalized: false,
    };
  }

  /** Frees the variables. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}

/** Width of a head (re-exported for callers that size buffers). */
export { headDim };
