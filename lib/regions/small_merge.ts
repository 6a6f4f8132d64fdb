/**
 * Edge-aware merging of small regions (the paper's fragment clean-up): a region below a minimum size joins
 * the neighbour with the best `contact length * (1 - mean border edge)^alpha`, that score cut tenfold when
 * the border's edge is above the 85th percentile of all borders (so fragments prefer to cross faint borders,
 * not strokes). Up to three passes; the adjacency is measured afresh at the start of each.
 *
 * Merges within a pass go through union-find, so a small region merging into another one that merges in
 * turn ends up in the same final region (the release relabels in place, where such a chain can revive a
 * label that has just been merged away).
 *
 * @module
 */
import { adjacencyOf, borderPairs, PairTable, percentile } from "./adjacency.ts";
import { relabelWithSizes } from "./relabel.ts";
import { UnionFind } from "./union_find.ts";

/** Options of {@link mergeSmallRegions}. */
export interface SmallMergeOptions {
  /** Regions with fewer pixels than this fraction of all pixels are merged. */
  minFraction: number;
  /** Or an absolute minimum in pixels (the larger of the two applies). */
  minPixels: number;
  /** Borders whose mean edge exceeds this percentile of all borders' mean edge are penalised. */
  gatePercentile: number;
  /** Factor on the score of a penalised border. */
  gatePenalty: number;
  /** Exponent on (1 - mean edge). */
  alpha: number;
  /** Passes at most. */
  maxPasses: number;
  /** Adjacency connectivity (1: 4-neighbours, 2: 8). */
  connectivity: 1 | 2;
}

/** Release defaults. */
export const SMALL_MERGE_DEFAULTS: SmallMergeOptions = {
  minFraction: 0.005, // release --min-region-ratio 0.005 of all pixels (its evaluation script: 0.01 of foreground)
  minPixels: 0, // no absolute floor in the release
  gatePercentile: 85, // release edge_gate_perc
  gatePenalty: 0.1, // release: score *= 0.1 above the gate
  alpha: 1, // release alpha
  maxPasses: 3, // release max_pass
  connectivity: 2, // release passes its 8-neighbour mode through
};

/**
 * Merges small regions of `labels` (ids 1..count, 0 = none) in a copy (`out` when given, not `labels`
 * itself); returns the new labels (renumbered 1..count in raster order) and count.
 *
 * The pixels are read twice: once for the region graph (sizes, contact lengths, edge sums), once to write the
 * result. Between passes the graph is contracted instead of measured afresh: the border between two merged
 * regions is the union of their members' borders, so lengths and edge sums add up (in another order than a
 * fresh pixel scan would add them, which can only move a mean edge in its last bits). Ids follow raster order of
 * each region's first pixel, as relabelling the merged map would number them; ties prefer the smaller id.
 *
 * @example
 * ```ts
 * const { labels, count } = mergeSmallRegions(ws, w, h, edge.data);
 * ```
 */
export function mergeSmallRegions(
  labels: Int32Array,
  width: number,
  height: number,
  edge: Float32Array,
  opts: Partial<SmallMergeOptions> = {},
  out?: Int32Array,
): { labels: Int32Array; count: number } {
  const first = relabelWithSizes(labels, out); // ids 1..count in raster order of first pixel
  return mergeSmallSequential(first.labels, first.count, first.sizes, width, height, edge, opts);
}

/**
 * {@link mergeSmallRegions} of labels already numbered 1..count in raster order of first pixel (0 = none),
 * with their sizes (`sizes[id]`): merges in place, in `labels` itself, which it returns.
 *
 * @example
 * ```ts
 * const r = relabelWithSizes(raw);
 * mergeSmallSequential(r.labels, r.count, r.sizes, w, h, edge); // r.labels now holds the merged regions
 * ```
 */
export function mergeSmallSequential(
  labels: Int32Array,
  count0: number,
  sizes0: ArrayLike<number>,
  width: number,
  height: number,
  edge: Float32Array,
  opts: Partial<SmallMergeOptions> = {},
): { labels: Int32Array; count: number } {
  const o = { ...SMALL_MERGE_DEFAULTS, ...opts };
  const minPx = Math.max(o.minPixels, Math.round(o.minFraction * width * height));
  let sizes: Float64Array = Float64Array.from(sizes0);
  // Regions alive in the current graph are numbered 1..count by first pixel; `cur[i]` is the current region of
  // original id i.
  let count = count0;
  const cur = new Int32Array(count0 + 1);
  for (let i = 0; i <= count0; i++) cur[i] = i;
  let pairs: PairTable | null = null;
  for (let pass = 0; pass < o.maxPasses; pass++) {
    const small: number[] = [];
    for (let r = 1; r <= count; r++) if (sizes[r] < minPx) small.push(r);
    if (small.length === 0 || count <= 1) break;
    pairs ??= borderPairs(labels, width, height, edge, o.connectivity);
    const adj = adjacencyOf(pairs, count);
    const gate = percentile(adj.meanEdge, o.gatePercentile);
    const uf = new UnionFind(count + 1);
    let changed = false;
    for (const r of small) {
      let best = -1, bestScore = -Infinity;
      for (let t = adj.offsets[r]; t < adj.offsets[r + 1]; t++) {
        const k = adj.items[t];
        const other = adj.a[k] === r ? adj.b[k] : adj.a[k];
        const e = adj.meanEdge[k];
        let score = adj.length[k] * Math.pow(Math.max(0, 1 - e), o.alpha);
        if (e > gate) score *= o.gatePenalty;
        if (score > bestScore || (score === bestScore && other < best)) {
          bestScore = score;
          best = other;
        }
      }
      if (best > 0 && uf.union(r, best)) changed = true;
    }
    if (!changed) break;
    // Renumber the merged regions by their first pixel: a union's first pixel is its smallest member's, and
    // current ids already follow first pixels, so the order of smallest members is the new order.
    const newId = new Int32Array(count + 1);
    let next = 0;
    for (let r = 1; r <= count; r++) {
      const root = uf.find(r);
      if (newId[root] === 0) newId[root] = ++next;
      newId[r] = newId[root];
    }
    const newSizes = new Float64Array(next + 1);
    for (let r = 1; r <= count; r++) newSizes[newId[r]] += sizes[r];
    const contracted: PairTable = new PairTable(pairs.size);
    for (let k = 0; k < pairs.size; k++) {
      const u = newId[pairs.a[k]], v = newId[pairs.b[k]];
      if (u !== v) contracted.add(u, v, pairs.length[k], pairs.edgeSum[k]);
    }
    for (let i = 1; i <= count0; i++) cur[i] = newId[cur[i]];
    pairs = contracted;
    sizes = newSizes;
    count = next;
  }
  if (count === count0) return { labels: labels, count: count0 };
  for (let i = 0; i < labels.length; i++) labels[i] = cur[labels[i]];
  return { labels, count };
}
