/**
 * The contingency table of two labellings of the same pixels (sparse: only pairs that occur), the common
 * ground of ARI, IoU and purity. Labels are arbitrary integers; rows and columns are numbered in order of
 * first appearance.
 *
 * @module
 */

/** A sparse contingency table. */
export interface Contingency {
  /** Label of each row (first labelling) and column (second). */
  rowIds: number[];
  colIds: number[];
  /** Pixels per row / column. */
  rowSums: Float64Array;
  colSums: Float64Array;
  /** Non-empty cells: row index, column index, count. */
  cellRow: Int32Array;
  cellCol: Int32Array;
  cellCount: Float64Array;
  /** Pixels counted. */
  total: number;
}

/**
 * Contingency of `a` (rows) against `b` (columns) over the elements where `mask` is non-zero (all when absent).
 * Linear in the pixels; the map is only touched when the pair of labels changes along the scan.
 *
 * @example
 * ```ts
 * const c = contingency(gtSeg.data, pred.data, valid);
 * ```
 */
export function contingency(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  mask?: ArrayLike<number>,
): Contingency {
  const n = a.length;
  if (b.length !== n || (mask && mask.length !== n)) {
    throw new RangeError("contingency: arrays differ in length");
  }
  const rowOf = new Map<number, number>(), colOf = new Map<number, number>();
  const rowIds: number[] = [], colIds: number[] = [];
  const cells = new Map<number, number>(); // key r * 2^26 + c -> cell index
  const cr: number[] = [], cc: number[] = [], cn: number[] = [];
  let lastA = NaN, lastB = NaN, lastCell = -1, run = 0, total = 0;
  const flush = () => {
    if (lastCell >= 0) cn[lastCell] += run;
    run = 0;
  };
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const va = a[i], vb = b[i];
    total++;
    if (va === lastA && vb === lastB) {
      run++;
      continue;
    }
    flush();
    lastA = va;
    lastB = vb;
    let r = rowOf.get(va);
    if (r === undefined) rowOf.set(va, r = rowIds.push(va) - 1);
    let c = colOf.get(vb);
    if (c === undefined) colOf.set(vb, c = colIds.push(vb) - 1);
    const key = r * 67108864 + c;
    let k = cells.get(key);
    if (k === undefined) {
      cells.set(key, k = cr.length);
      cr.push(r);
      cc.push(c);
      cn.push(0);
    }
    lastCell = k;
    run = 1;
  }
  flush();
  const rowSums = new Float64Array(rowIds.length), colSums = new Float64Array(colIds.length);
  for (let k = 0; k < cn.length; k++) {
    rowSums[cr[k]] += cn[k];
    colSums[cc[k]] += cn[k];
  }
  return {
    rowIds,
    colIds,
    rowSums,
    colSums,
    cellRow: Int32Array.from(cr),
    cellCol: Int32Array.from(cc),
    cellCount: Float64Array.from(cn),
    total,
  };
}
