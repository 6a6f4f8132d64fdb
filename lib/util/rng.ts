/**
 * Seeded pseudo-random numbers: the one source of randomness in the project, so that the same seed gives the
 * same dataset bytes and the same training curve.
 *
 * The generator is sfc32 (small fast counting, 128-bit state), seeded through splitmix32. It is fast in plain
 * JavaScript, passes PractRand to 2^40 bytes, and its whole state fits in four uint32s, which `state()` and
 * `Rng.fromState()` save and restore for resumable training.
 *
 * @module
 */

/** Mixes a 32-bit value (splitmix32's finaliser). */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Hashes a string to 32 bits (FNV-1a, then mixed), for deriving named sub-streams. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h >>> 0);
}

/**
 * A seeded random stream.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const x = rng.float();            // [0, 1)
 * const k = rng.int(0, 10);         // integer in [0, 10)
 * const child = rng.fork("poses");  // independent stream, same for the same seed and name
 * ```
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #spare: number | null = null;

  constructor(seed: number | string = 0) {
    const s = typeof seed === "string" ? hashString(seed) : seed >>> 0;
    this.#a = mix32(s);
    this.#b = mix32(this.#a ^ 0x6a09e667);
    this.#c = mix32(this.#b ^ 0xbb67ae85);
    this.#d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Restores a stream saved with {@link Rng.state}. */
  static fromState(state: readonly number[]): Rng {
    if (state.length !== 4 || state.some((v) => !Number.isInteger(v))) {
      throw new Error(`Rng.fromState: expected four uint32 values, got ${JSON.stringify(state)}`);
    }
    const r = new Rng(0);
    [r.#a, r.#b, r.#c, r.#d] = state.map((v) => v >>> 0);
    return r;
  }

  /** The four uint32 words of the state (JSON-safe). */
  state(): number[] {
    return [this.#a >>> 0, this.#b >>> 0, this.#c >>> 0, this.#d >>> 0];
  }

  /** Next uint32. */
  u32(): number {
    const a = this.#a, b = this.#b, c = this.#c, d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = ((c << 21) | (c >>> 11)) + t | 0;
    this.#spare = null;
    return t >>> 0;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [lo, hi) (hi exclusive). */
  int(lo: number, hi: number): number {
    if (!(hi > lo)) throw new Error(`Rng.int: empty range [${lo}, ${hi})`);
    return lo + Math.floor(this.float() * (hi - lo));
  }

  /** True with probability p. */
  bool(p = 0.5): boolean {
    return this.float() < p;
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(mean = 0, std = 1): number {
    if (this.#spare !== null) {
      const v = this.#spare;
      this.#spare = null;
      return mean + std * v;
    }
    let u = 0;
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    const z0 = r * Math.cos(2 * Math.PI * v);
    const z1 = r * Math.sin(2 * Math.PI * v);
    // u32() clears the spare, so set it after drawing.
    this.#spare = z1;
    return mean + std * z0;
  }

  /** One element of a non-empty array. */
  pick<T>(arr: readonly T[]): T {
    if (arr.length === 0) throw new Error("Rng.pick: empty array");
    return arr[this.int(0, arr.length)];
  }

  /** Shuffles in place (Fisher-Yates) and returns the array. */
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }

  /** An independent stream derived from this one's current state and a name; does not advance this one. */
  fork(name: string | number): Rng {
    const h = typeof name === "string" ? hashString(name) : mix32(name >>> 0);
    return new Rng(mix32(this.#a ^ h) ^ mix32(this.#c + h));
  }
}
