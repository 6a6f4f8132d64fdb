/**
 * Region adjacency with contact length and edge strength: for every pair of touching regions, the number of
 * neighbouring pixel pairs across their border and the mean edge value over those pixels. One pass over the
 * pixels, so linear.
 *
 * The release measures each border pixel pair through a small band (2 pixels wide) of the edge map around it;
 * here a pair contributes the mean of its own two pixels' edge values, the narrowest such band.
 *
 * @module
 */

/** Adjacency of labels 1..count. */
export interface Adjacency {
  /** Pairs as parallel arrays, a < b. */
  a: Int32Array;
  b: Int32Array;
  /** Contact length (pixel pairs across the border). */
  length: Float64Array;
  /** Mean edge value on the border. */
  meanEdge: Float64Array;
  /** For each label, the indices of its pairs (CSR: offsets [count + 2], items). */
  offsets: Int32Array;
  items: Int32Array;
}

/**
 * Pairs of regions (a < b) with a contact length and an edge sum each, numbered in order of first appearance:
 * an open-addressing hash table on typed arrays (no per-pair objects).
 *
 * @example
 * ```ts
 * const t = new PairTable(16);
 * t.add(1, 2, 1, 0.5); t.add(2, 1, 1, 0.25); // (1, 2): length 2, edge sum 0.75
 * t.size; // 1
 * ```
 */
export class PairTable {
  a: Int32Array;
  b: Int32Array;
  length: Float64Array;
  edgeSum: Float64Array;
  size = 0;
  #slots: Int32Array; // pair index + 1, 0 = empty
  #mask: number;

  constructor(capacity = 64) {
    const cap = Math.max(16, capacity);
    this.a = new Int32Array(cap);
    this.b = new Int32Array(cap);
    this.length = new Float64Array(cap);
    this.edgeSum = new Float64Array(cap);
    let slots = 32;
    while (slots < 2 * cap) slots *= 2;
    this.#slots = new Int32Array(slots);
    this.#mask = slots - 1;
  }

  /** Index of pair (u, v) (any order, u !== v), created empty if new. */
  index(u: number, v: number): number {
    if (u > v) {
      const t = u;
      u = v;
      v = t;
    }
    let h = (Math.imul(u, 0x9e3779b1) ^ Math.imul(v, 0x85ebca77)) & this.#mask;
    const slots = this.#slots;
    while (true) {
      const s = slots[h];
      if (s === 0) break;
      const k = s - 1;
      if (this.a[k] === u && this.b[k] === v) return k;
      h = (h + 1) & this.#mask;
    }
    const k = this.size++;
    if (k === this.a.length) this.#grow();
    this.a[k] = u;
    this.b[k] = v;
    this.length[k] = 0;
    this.edgeSum[k] = 0;
    if (2 * this.size > this.#slots.length) this.#rehash();
    else slots[h] = k + 1;
    return k;
  }

  /** Adds contact `len` and edge `e` to pair (u, v). */
  add(u: number, v: number, len: number, e: number): void {
    const k = this.index(u, v);
    this.length[k] += len;
    this.edgeSum[k] += e;
  }

  #grow(): void {
    const cap = this.a.length * 2;
    const g = <T extends Int32Array | Float64Array>(x: T, y: T): T => (y.set(x), y);
    this.a = g(this.a, new Int32Array(cap));
    this.b = g(this.b, new Int32Array(cap));
    this.length = g(this.length, new Float64Array(cap));
    this.edgeSum = g(this.edgeSum, new Float64Array(cap));
  }

  #rehash(): void {
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    for (let k = 0; k < this.size; k++) {
      let h = (Math.imul(this.a[k], 0x9e3779b1) ^ Math.imul(this.b[k], 0x85ebca77)) & mask;
      while (slots[h] !== 0) h = (h + 1) & mask;
      slots[h] = k + 1;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}

/** The {@link Adjacency} of a filled pair table over labels 1..count. */
export function adjacencyOf(t: PairTable, count: number): Adjacency {
  const m = t.size;
  const a = t.a.slice(0, m), b = t.b.slice(0, m), length = t.length.slice(0, m);
  const meanEdge = new Float64Array(m);
  for (let k = 0; k < m; k++) meanEdge[k] = t.edgeSum[k] / length[k];
  const offsets = new Int32Array(count + 2);
  for (let k = 0; k < m; k++) offsets[a[k] + 1]++, offsets[b[k] + 1]++;
  for (let i = 1; i < offsets.length; i++) offsets[i] += offsets[i - 1];
  const fill = offsets.slice(0, count + 1);
  const items = new Int32Array(2 * m);
  for (let k = 0; k < m; k++) items[fill[a[k]]++] = k, items[fill[b[k]]++] = k;
  return { a, b, length, meanEdge, offsets, items };
}

/**
 * Adjacency of a label map (labels > 0; 0 pixels are skipped). `connectivity` 2 also counts diagonal pairs.
 * `edge` may be a 0/1 mask (then the mean edge is the share of mask pixels on the border).
 *
 * @example
 * ```ts
 * const adj = regionAdjacency(labels, w, h, count, edge.data);
 * for (let k = 0; k < adj.a.length; k++) console.log(adj.a[k], adj.b[k], adj.length[k], adj.meanEdge[k]);
 * ```
 */
export function regionAdjacency(
  labels: Int32Array,
  width: number,
  height: number,
  count: number,
  edge: Float32Array | Uint8Array | null,
  connectivity: 1 | 2 = 1,
): Adjacency {
  return adjacencyOf(borderPairs(labels, width, height, edge, connectivity), count);
}

/** The pair table of a label map's borders (see {@link regionAdjacency}). */
export function borderPairs(
  labels: Int32Array,
  width: number,
  height: number,
  edge: Float32Array | Uint8Array | null,
  connectivity: 1 | 2 = 1,
): PairTable {
  const W = width, H = height;
  const t = new PairTable(256);
  let lastU = -1, lastV = -1, lastK = -1; // consecutive border pairs mostly share their two regions
  const eight = connectivity === 2;
  const add = (p: number, q: number) => {
    let u = labels[p], v = labels[q];
    if (u <= 0 || v <= 0) return;
    if (u > v) {
      const s = u;
      u = v;
      v = s;
    }
    let k = lastK;
    if (u !== lastU || v !== lastV) {
      k = t.index(u, v);
      lastU = u;
      lastV = v;
      lastK = k;
    }
    t.length[k] += 1;
    if (edge) t.edgeSum[k] += 0.5 * (edge[p] + edge[q]);
  };
  // Most neighbour pairs lie inside one region: compare labels inline and call `add` only across borders. Per
  // pixel, in this order: right, down, down-right, down-left (rows but the last; the last column has no right).
  for (let y = 0; y + 1 < H; y++) {
    const o = y * W;
    for (let x = 0; x + 1 < W; x++) {
      const p = o + x, v = labels[p];
      if (labels[p + 1] !== v) add(p, p + 1);
      if (labels[p + W] !== v) add(p, p + W);
      if (eight) {
        if (labels[p + W + 1] !== v) add(p, p + W + 1);
        if (x > 0 && labels[p + W - 1] !== v) add(p, p + W - 1);
      }
    }
    const p = o + W - 1, v = labels[p];
    if (labels[p + W] !== v) add(p, p + W);
    if (eight && W > 1 && labels[p + W - 1] !== v) add(p, p + W - 1);
  }
  if (H > 0) {
    const o = (H - 1) * W;
    for (let x = 0; x + 1 < W; x++) if (labels[o + x + 1] !== labels[o + x]) add(o + x, o + x + 1);
  }
  return t;
}

/** Linear-interpolated percentile (numpy's default) of `values`, q in [0, 100]; 0 for none. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return 0;
  const s = Float64Array.from(values).sort();
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos), hi = Math.min(n - 1, lo + 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
