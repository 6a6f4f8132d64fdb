/**
 * Edge-aware patch merging (the paper's first post-processing step): neighbouring patches join one cluster
 * when the model finds each similar to the other and no stroke runs between them.
 *
 * The shared border of two side neighbours is the 2-pixel band on either side of their common edge; of two
 * diagonal neighbours, the 2x2 pixels around their common corner (as the official release measures it).
 *
 * @module
 */
import { UnionFind } from "./union_find.ts";
import type { PatchLayout } from "./patch_layout.ts";

/** Options of {@link mergePatches}. */
export interface PatchMergeOptions {
  /** Both S[i,j] and S[j,i] must reach this (sigmoid scale). */
  threshold: number;
  /** The mean edge value on the shared border must not exceed this. */
  maxBorderEdge: number;
  /** 4 or 8 neighbours. */
  neighbours: 4 | 8;
}

/** Release defaults. */
export const PATCH_MERGE_DEFAULTS: PatchMergeOptions = {
  threshold: 0.72, // release --patch-thresh 0.72 on sigmoid(cosine)
  maxBorderEdge: 0.35, // release: merges suppressed when the border's mean edge > 0.35
  neighbours: 8, // release --neigh-mode 8
};

/** Mean of `edge` over the rectangle [x0, x1) x [y0, y1), clipped; 1 (a wall) when empty. */
function meanRect(
  edge: Float32Array,
  W: number,
  H: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): number {
  x0 = Math.max(0, x0), y0 = Math.max(0, y0), x1 = Math.min(W, x1), y1 = Math.min(H, y1);
  if (x1 <= x0 || y1 <= y0) return 1;
  let s = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += edge[y * W + x];
  return s / ((x1 - x0) * (y1 - y0));
}

/** Mean edge on the border shared by patches `i` and `j` (grid neighbours, any order). */
export function borderEdge(edge: Float32Array, layout: PatchLayout, i: number, j: number): number {
  const { width: W, height: H, grid: g, rects } = layout;
  const ri = Math.floor(i / g), ci = i % g, rj = Math.floor(j / g), cj = j % g;
  const a = 4 * i, b = 4 * j;
  if (ri === rj) {
    // Side by side: band of columns x-1, x where x is the right patch's first column.
    const right = cj > ci ? b : a;
    const x = rects[right];
    return meanRect(
      edge,
      W,
      H,
      x - 1,
      Math.max(rects[a + 1], rects[b + 1]),
      x + 1,
      Math.min(rects[a + 3], rects[b + 3]),
    );
  }
  if (ci === cj) {
    const lower = rj > ri ? b : a;
    const y = rects[lower + 1];
    return meanRect(
      edge,
      W,
      H,
      Math.max(rects[a], rects[b]),
      y - 1,
      Math.min(rects[a + 2], rects[b + 2]),
      y + 1,
    );
  }
  // Diagonal: the 2x2 pixels around the shared corner.
  const x = rects[cj > ci ? b : a], y = rects[(rj > ri ? b : a) + 1];
  return meanRect(edge, W, H, x - 1, y - 1, x + 1, y + 1);
}

/**
 * Clusters the patches of one image. `s` is that image's intra block S_aa ([n, n], scores in [0, 1]); `edge`
 * null merges on the similarity alone (no edge test, an ablation). Returns the cluster of each patch
 * (0..count-1); patches with no pixels get -1.
 *
 * @example
 * ```ts
 * const { cluster, count } = mergePatches(block(S, n, "aa"), layout, edge.data);
 * ```
 */
export function mergePatches(
  s: Float32Array,
  layout: PatchLayout,
  edge: Float32Array | null,
  opts: Partial<PatchMergeOptions> = {},
): { cluster: Int32Array; count: number } {
  const o = { ...PATCH_MERGE_DEFAULTS, ...opts };
  const { grid: g, n, count: px } = layout;
  if (s.length !== n * n) throw new RangeError(`mergePatches: ${s.length} similarities for ${n} patches`);
  const uf = new UnionFind(n);
  const tryMerge = (i: number, j: number) => {
    if (px[i] === 0 || px[j] === 0) return;
    if (s[i * n + j] < o.threshold || s[j * n + i] < o.threshold) return;
    if (edge && borderEdge(edge, layout, i, j) > o.maxBorderEdge) return;
    uf.union(i, j);
  };
  for (let r = 0; r < g; r++) {
    for (let c = 0; c < g; c++) {
      const i = r * g + c;
      if (c + 1 < g) tryMerge(i, i + 1);
      if (r + 1 < g) tryMerge(i, i + g);
      if (o.neighbours === 8 && r + 1 < g) {
        if (c + 1 < g) tryMerge(i, i + g + 1);
        if (c > 0) tryMerge(i, i + g - 1);
      }
    }
  }
  // Compact ids over non-empty patches.
  const cluster = new Int32Array(n).fill(-1);
  const idOfRoot = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (px[i] === 0) continue;
    const r = uf.find(i);
    let id = idOfRoot.get(r);
    if (id === undefined) idOfRoot.set(r, id = idOfRoot.size);
    cluster[i] = id;
  }
  return { cluster, count: idOfRoot.size };
}
