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
import { percentile, regionAdjacency } from "./adjacency.ts";
import { labelSizes, relabelSequential } from "./relabel.ts";
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
 * Merges small regions of `labels` (ids 1..count, 0 = none) in place of a copy; returns the new labels
 * (renumbered 1..count in raster order) and count.
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
): { labels: Int32Array; count: number } {
  const o = { ...SMALL_MERGE_DEFAULTS, ...opts };
  let cur = relabelSequential(labels);
  const minPx = Math.max(o.minPixels, Math.round(o.minFraction * width * height));
  for (let pass = 0; pass < o.maxPasses; pass++) {
    const count = cur.count;
    const sizes = labelSizes(cur.labels, count);
    const small: number[] = [];
    for (let r = 1; r <= count; r++) if (sizes[r] < minPx) small.push(r);
    if (small.length === 0 || count <= 1) break;
    const adj = regionAdjacency(cur.labels, width, height, count, edge, o.connectivity);
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
    const merged = new Int32Array(cur.labels.length);
    const root = new Int32Array(count + 1);
    for (let r = 0; r <= count; r++) root[r] = uf.find(r);
    for (let i = 0; i < merged.length; i++) merged[i] = cur.labels[i] > 0 ? root[cur.labels[i]] : 0;
    cur = relabelSequential(merged);
  }
  return cur;
}
