/**
 * AdamW (Loshchilov & Hutter: Adam with decoupled weight decay), written on tfjs variables so that its state
 * can be saved and restored exactly for resumable training.
 *
 * Per parameter p with gradient g, at step t (1-based), as PyTorch's `torch.optim.AdamW`:
 * ```
 *   p <- p * (1 - lr * wd)                      (only parameters that decay)
 *   m <- b1 m + (1 - b1) g;   v <- b2 v + (1 - b2) g^2
 *   p <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** AdamW hyper-parameters. */
export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay (applied to parameters for which `decays(name)` is true). */
  weightDecay: number;
}

/** PyTorch's defaults for the moments; the weight decay is the release's main run's. */
export const ADAMW_DEFAULTS: AdamWOptions = {
  beta1: 0.9, // torch default
  beta2: 0.999, // torch default
  eps: 1e-8, // torch default
  weightDecay: 0.05, // the release's main run (ViT practice); its PBC run used 0.01 on a pretrained backbone
};

/** The saveable state: step count and both moments per parameter name. */
export interface AdamWState {
  step: number;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

/**
 * The optimiser.
 *
 * @example
 * ```ts
 * const opt = new AdamW(model.params, ADAMW_DEFAULTS, decays);
 * opt.apply(grads, 1e-4); // grads: Map name -> tensor
 * ```
 */
export class AdamW {
  readonly opts: AdamWOptions;
  #params: Map<string, tf.Variable>;
  #m = new Map<string, tf.Variable>();
  #v = new Map<string, tf.Variable>();
  #decays: (name: string) => boolean;
  #step = 0;

  constructor(params: Map<string, tf.Variable>, opts: AdamWOptions, decays: (name: string) => boolean) {
    this.opts = opts;
    this.#params = params;
    this.#decays = decays;
    for (const [n, p] of params) {
      this.#m.set(n, tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
      this.#v.set(n, tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    }
  }

  /** Steps taken. */
  get step(): number {
    return this.#step;
  }

  /** One update with learning rate `lr`. `grads` must hold every parameter's gradient. */
  apply(grads: Map<string, tf.Tensor>, lr: number): void {
    this.#step++;
    const { beta1: b1, beta2: b2, eps, weightDecay: wd } = this.opts;
    const c1 = 1 - b1 ** this.#step, c2 = 1 - b2 ** this.#step;
    tf.tidy(() => {
      for (const [n, p] of this.#params) {
        const g = grads.get(n);
        if (!g) throw new Error(`AdamW: no gradient for ${n}`);
        const m = this.#m.get(n)!, v = this.#v.get(n)!;
        const m1 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
        const v1 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
        m.assign(m1);
        v.assign(v1);
        const base = this.#decays(n) && wd > 0 ? tf.mul(p, 1 - lr * wd) : p;
        const update = tf.div(tf.div(m1, c1), tf.add(tf.sqrt(tf.div(v1, c2)), eps));
        p.assign(tf.sub(base, tf.mul(update, lr)));
      }
    });
  }

  /** A copy of the state. */
  state(): AdamWState {
    const m = new Map<string, Float32Array>(), v = new Map<string, Float32Array>();
    for (const n of this.#params.keys()) {
      m.set(n, this.#m.get(n)!.dataSync() as Float32Array);
      v.set(n, this.#v.get(n)!.dataSync() as Float32Array);
    }
    return { step: this.#step, m, v };
  }

  /**
   * A copy of the state, read asynchronously (every backend, WebGPU included; {@link state} reads
   * synchronously, which WebGPU cannot).
   *
   * @example
   * ```ts
   * await saveCheckpoint(dir, { step, params: await model.valuesAsync(), opt: await opt.stateAsync(), meta });
   * ```
   */
  async stateAsync(): Promise<AdamWState> {
    const names = [...this.#params.keys()];
    const step = this.#step;
    const ms = await Promise.all(names.map((n) => this.#m.get(n)!.data()));
    const vs = await Promise.all(names.map((n) => this.#v.get(n)!.data()));
    const m = new Map<string, Float32Array>(), v = new Map<string, Float32Array>();
    names.forEach((n, i) => {
      m.set(n, ms[i] as Float32Array);
      v.set(n, vs[i] as Float32Array);
    });
    return { step, m, v };
  }

  /** Restores a state saved with {@link state}. */
  load(s: AdamWState): void {
    for (const [n, p] of this.#params) {
      const m = s.m.get(n), v = s.v.get(n);
      if (!m || !v || m.length !== p.size || v.length !== p.size) {
        throw new Error(`AdamW.load: bad state for ${n}`);
      }
      tf.tidy(() => {
        this.#m.get(n)!.assign(tf.tensor(m, p.shape, "float32"));
        this.#v.get(n)!.assign(tf.tensor(v, p.shape, "float32"));
      });
    }
    this.#step = s.step;
  }

  /** Frees the moment variables. */
  dispose(): void {
    for (const t of [...this.#m.values(), ...this.#v.values()]) t.dispose();
  }
}

/**
 * Scales gradients so that their global L2 norm is at most `maxNorm` (in place in the map); returns the norm
 * before clipping.
 */
export function clipGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): number {
  const sq = globalNormSquared(grads);
  const norm = Math.sqrt(sq.dataSync()[0]);
  sq.dispose();
  scaleToNorm(grads, norm, maxNorm);
  return norm;
}

/**
 * The squared global L2 norm of the gradients, as a scalar tensor (not read back: the asynchronous step reads
 * it together with the loss).
 *
 * @example
 * ```ts
 * const norm = Math.sqrt((await globalNormSquared(grads).data())[0]);
 * ```
 */
export function globalNormSquared(grads: Map<string, tf.Tensor>): tf.Scalar {
  // A chain of adds, not one addN: tfjs-webgpu's AddN binds every input to one shader, and WebGPU allows 8
  // storage buffers per stage (a model has 40+ parameters).
  return tf.tidy(() =>
    [...grads.values()].map((g) => tf.sum(tf.square(g))).reduce((acc, x) => tf.add(acc, x))
  ) as tf.Scalar;
}

/**
 * The clipping of {@link clipGlobalNorm} given the norm already read: scales the gradients (in place in the
 * map) to `maxNorm` when `norm` is above it.
 */
export function scaleToNorm(grads: Map<string, tf.Tensor>, norm: number, maxNorm: number): void {
  if (norm > maxNorm) {
    const s = maxNorm / (norm + 1e-6);
    for (const [n, g] of grads) {
      grads.set(n, tf.mul(g, s));
      g.dispose();
    }
  }
}
