/**
 * Disjoint sets over 0..n-1 (union by size, path halving) on typed arrays: the merging steps of
 * post-processing (patch clusters, small regions, region grouping) all reduce to it, and evaluation and pictures
 * group regions with it too. Lives in `util/`; `regions/union_find.ts` re-exports it.
 *
 * @module
 */

/**
 * Union-find over `n` elements.
 *
 * @example
 * ```ts
 * const uf = new UnionFind(4);
 * uf.union(0, 2);
 * uf.find(2) === uf.find(0); // true
 * const { ids, count } = uf.labels(); // ids [0, 1, 0, 2], count 3
 * ```
 */
export class UnionFind {
  readonly parent: Int32Array;
  readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.size = new Int32Array(n).fill(1);
  }

  /** Representative of `x`'s set. */
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }

  /** Joins the sets of `a` and `b`; returns false when they were already one. */
  union(a: number, b: number): boolean {
    let ra = this.find(a), rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
    return true;
  }

  /** Compact set ids 0..count-1, numbered in order of each set's smallest element. */
  labels(): { ids: Int32Array; count: number } {
    const n = this.parent.length;
    const ids = new Int32Array(n).fill(-1);
    const rootId = new Int32Array(n).fill(-1);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      if (rootId[r] < 0) rootId[r] = count++;
      ids[i] = rootId[r];
    }
    return { ids, count };
  }
}
