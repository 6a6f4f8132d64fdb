/**
 * The part of tfjs's `_FusedMatMul` that follows the product: add a bias broadcast over rows, then an
 * activation, in place on a float32 range. Pure functions on typed arrays.
 *
 * @module
 */

/** Activations the native `_FusedMatMul` applies itself (tfjs names); others go to the stock kernel. */
export const NATIVE_ACTIVATIONS = ["linear", "relu", "relu6", "leakyrelu", "sigmoid", "elu"] as const;
export type NativeActivation = typeof NATIVE_ACTIVATIONS[number];

/** Whether `name` is one of {@link NATIVE_ACTIVATIONS}. */
export function isNativeActivation(name: string | undefined): name is NativeActivation {
  return (NATIVE_ACTIVATIONS as readonly string[]).includes(name ?? "linear");
}

/**
 * Fills `rows` rows of length `n` starting at `offset` with a bias vector (length `n`, or 1 for a scalar), so
 * that an sgemm with beta = 1 adds the product onto it.
 *
 * @example
 * ```ts
 * const c = new Float32Array(4);
 * fillBiasRows(c, 0, 2, 2, Float32Array.of(1, 2)); // c = [1, 2, 1, 2]
 * ```
 */
export function fillBiasRows(
  c: Float32Array,
  offset: number,
  rows: number,
  n: number,
  bias: Float32Array,
): void {
  if (bias.length === 1) {
    c.fill(bias[0], offset, offset + rows * n);
    return;
  }
  if (bias.length !== n) throw new Error(`fused matMul: bias of length ${bias.length} for rows of ${n}`);
  for (let r = 0; r < rows; r++) c.set(bias, offset + r * n);
}

/**
 * Applies a tfjs fused activation in place on `c[offset, offset + len)`.
 *
 * @example
 * ```ts
 * const c = Float32Array.of(-1, 2, 9);
 * applyActivation(c, 0, 3, "relu6"); // c = [0, 2, 6]
 * ```
 */
export function applyActivation(
  c: Float32Array,
  offset: number,
  len: number,
  activation: NativeActivation,
  leakyreluAlpha = 0.2,
): void {
  const end = offset + len;
  switch (activation) {
    case "linear":
      return;
    case "relu":
      for (let i = offset; i < end; i++) if (c[i] < 0) c[i] = 0;
      return;
    case "relu6":
      for (let i = offset; i < end; i++) {
        const v = c[i];
        c[i] = v < 0 ? 0 : v > 6 ? 6 : v;
      }
      return;
    case "leakyrelu":
      for (let i = offset; i < end; i++) if (c[i] < 0) c[i] *= leakyreluAlpha;
      return;
    case "sigmoid":
      for (let i = offset; i < end; i++) c[i] = 1 / (1 + Math.exp(-c[i]));
      return;
    case "elu":
      for (let i = offset; i < end; i++) if (c[i] < 0) c[i] = Math.expm1(c[i]);
      return;
  }
}
