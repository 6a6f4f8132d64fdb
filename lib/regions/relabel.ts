/**
 * Label bookkeeping: compact ids, connected components, sizes.
 *
 * @module
 */

/**
 * Renumbers positive labels to 1..count in order of first appearance (raster order); 0 and negatives become 0.
 *
 * @example
 * ```ts
 * relabelSequential(Int32Array.of(7, 7, 3, 0)); // { labels: [1, 1, 2, 0], count: 2 }
 * ```
 */
export function relabelSequential(labels: Int32Array): { labels: Int32Array; count: number } {
  const out = new Int32Array(labels.length);
  const map = new Map<number, number>();
  let lastIn = 0, lastOut = 0;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v <= 0) continue;
    if (v !== lastIn) {
      let id = map.get(v);
      if (id === undefined) map.set(v, id = map.size + 1);
      lastIn = v;
      lastOut = id;
    }
    out[i] = lastOut;
  }
  return { labels: out, count: map.size };
}

/** Pixel count of every label 0..count (index = label). */
export function labelSizes(labels: Int32Array, count: number): Int32Array {
  const s = new Int32Array(count + 1);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v > 0 && v <= count) s[v]++;
  }
  return s;
}

/**
 * Connected components (4-connectivity) of pixels with equal key, for keys >= 0; pixels with a negative key
 * get 0. Returns ids 1..count in raster order of first pixel.
 */
export function connectedComponents(
  keys: Int32Array,
  width: number,
  height: number,
): { labels: Int32Array; count: number } {
  const W = width, H = height, n = W * H;
  const out = new Int32Array(n);
  const stack = new Int32Array(n);
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (out[s] !== 0 || keys[s] < 0) continue;
    const k = keys[s];
    const id = ++count;
    out[s] = id;
    let top = 0;
    stack[top++] = s;
    while (top > 0) {
      const p = stack[--top];
      const y = (p / W) | 0, x = p - y * W;
      if (x > 0 && out[p - 1] === 0 && keys[p - 1] === k) out[stack[top++] = p - 1] = id;
      if (x < W - 1 && out[p + 1] === 0 && keys[p + 1] === k) out[stack[top++] = p + 1] = id;
      if (y > 0 && out[p - W] === 0 && keys[p - W] === k) out[stack[top++] = p - W] = id;
      if (y < H - 1 && out[p + W] === 0 && keys[p + W] === k) out[stack[top++] = p + W] = id;
    }
  }
  return { labels: out, count };
}
