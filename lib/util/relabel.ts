/**
 * Label bookkeeping: compact ids, connected components, sizes. Generic over integer label arrays, so it lives in
 * `util/` (regions, matching and evaluation all use it); `regions/relabel.ts` re-exports it.
 *
 * @module
 */
import { scratchInt32, scratchInt32Zeroed } from "./scratch.ts";

/**
 * Renumbers positive labels to 1..count in order of first appearance (raster order); 0 and negatives become 0.
 * Writes into `out` when given (not `labels` itself).
 *
 * @example
 * ```ts
 * relabelSequential(Int32Array.of(7, 7, 3, 0)); // { labels: [1, 1, 2, 0], count: 2 }
 * ```
 */
export function relabelSequential(
  labels: Int32Array,
  out: Int32Array = new Int32Array(labels.length),
): { labels: Int32Array; count: number } {
  const r = relabelDense(labels, out, null);
  return r ?? relabelSparse(labels, out);
}

/**
 * {@link relabelSequential} that also counts each new label's pixels (`sizes[id]`, index 0 unused).
 *
 * @example
 * ```ts
 * relabelWithSizes(Int32Array.of(7, 7, 3, 0)); // { labels: [1, 1, 2, 0], count: 2, sizes: [0, 2, 1] }
 * ```
 */
export function relabelWithSizes(
  labels: Int32Array,
  out: Int32Array = new Int32Array(labels.length),
): { labels: Int32Array; count: number; sizes: Int32Array } {
  const sizes = scratchInt32("relabel.sizes", labels.length + 2);
  const r = relabelDense(labels, out, sizes);
  if (r) return { ...r, sizes: sizes.slice(0, r.count + 1) };
  const s = relabelSparse(labels, out);
  return { ...s, sizes: labelSizes(s.labels, s.count) };
}

/**
 * The dense-table relabelling: ids come from a table indexed by label (a scratch array kept all zero between
 * calls: the entries set are cleared at the end). Null when a label exceeds the table (the sparse path then
 * runs). Counts sizes into `sizes` (from index 0, zeroed here) when given.
 */
function relabelDense(
  labels: Int32Array,
  out: Int32Array,
  sizes: Int32Array | null,
): { labels: Int32Array; count: number } | null {
  const n = labels.length;
  const size = n + 2;
  const idOf = scratchInt32Zeroed("relabel.idOf", size);
  const valueOf = scratchInt32("relabel.valueOf", size); // label of each id, to clear the table
  if (sizes) sizes.fill(0, 0, size);
  let count = 0, lastIn = 0, lastOut = 0, ok = true;
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (v <= 0) {
      out[i] = 0;
      continue;
    }
    if (v !== lastIn) {
      if (v >= size) {
        ok = false;
        break;
      }
      let id = idOf[v];
      if (id === 0) {
        idOf[v] = id = ++count;
        valueOf[id] = v;
      }
      lastIn = v;
      lastOut = id;
    }
    out[i] = lastOut;
    if (sizes) sizes[lastOut]++;
  }
  for (let id = 1; id <= count; id++) idOf[valueOf[id]] = 0;
  return ok ? { labels: out, count } : null;
}

/**
 * `relabelSequential` of `map[labels[i]]` in one pass, for a small `map` (e.g. union-find roots of region ids):
 * the table is `map`-sized. Labels must lie in [0, map.length); mapped values <= 0 become 0. Also counts the
 * pixels of each new id (`sizes`, index 0 unused).
 *
 * @example
 * ```ts
 * relabelMapped(Int32Array.of(1, 2, 3), Int32Array.of(0, 3, 3, 1)); // { labels: [1, 1, 2], count: 2 }
 * ```
 */
export function relabelMapped(
  labels: Int32Array,
  map: Int32Array,
  out: Int32Array = new Int32Array(labels.length),
): { labels: Int32Array; count: number; sizes: Int32Array } {
  let max = 0;
  for (let k = 0; k < map.length; k++) if (map[k] > max) max = map[k];
  const idOf = new Int32Array(max + 1);
  const sizes = new Int32Array(max + 1); // by id; ids never exceed the distinct mapped values
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    const v = map[labels[i]];
    if (v <= 0) {
      out[i] = 0;
      continue;
    }
    let id = idOf[v];
    if (id === 0) idOf[v] = id = ++count;
    out[i] = id;
    sizes[id]++;
  }
  return { labels: out, count, sizes: sizes.subarray(0, count + 1) };
}

/** {@link relabelSequential} for labels too large for a dense table. */
function relabelSparse(labels: Int32Array, out: Int32Array): { labels: Int32Array; count: number } {
  out.fill(0, 0, labels.length);
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
 * get 0. Returns ids 1..count in raster order of first pixel (in `out` when given).
 *
 * One raster sweep joins each pixel to its left and upper neighbours of equal key (union-find whose roots are
 * each set's first pixel), a second writes the ids.
 */
export function connectedComponents(
  keys: Int32Array,
  width: number,
  height: number,
  out: Int32Array = new Int32Array(width * height),
): { labels: Int32Array; count: number } {
  const W = width, H = height, n = W * H;
  const parent = scratchInt32("relabel.parent", n);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      const g = parent[parent[x]];
      parent[x] = g;
      x = g;
    }
    return x;
  };
  for (let y = 0; y < H; y++) {
    const o = y * W;
    for (let x = 0; x < W; x++) {
      const p = o + x, k = keys[p];
      if (k < 0) continue;
      let root = p;
      if (x > 0 && keys[p - 1] === k) root = find(p - 1);
      parent[p] = root;
      if (y > 0 && keys[p - W] === k) {
        const r2 = find(p - W);
        if (r2 !== root) {
          // Keep the smaller index as the root, so roots stay first pixels.
          if (r2 < root) parent[root] = r2, parent[p] = r2;
          else parent[r2] = root;
        }
      }
    }
  }
  let count = 0;
  for (let p = 0; p < n; p++) {
    if (keys[p] < 0) {
      out[p] = 0;
      continue;
    }
    const r = find(p);
    out[p] = r === p ? ++count : out[r];
  }
  return { labels: out, count };
}
