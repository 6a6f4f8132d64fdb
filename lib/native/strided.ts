/**
 * Strided copies and reductions on row-major typed arrays, written to run directly on a wasm heap view (source
 * and destination may be the same array). Pure functions, no tfjs.
 *
 * @module
 */

/** Typed arrays these helpers copy between (same element type on both sides). */
export type CopyArray = Float32Array | Int32Array | Uint8Array;

/** Runs shorter than this are copied element by element (a `set`/`copyWithin` call costs more). */
const SHORT_RUN = 16;

/**
 * Copies the box `[begin, begin + size)` of a row-major array of shape `shape` (starting at element `srcOff`
 * of `src`) into `dst` at `dstOff`, densely. Trailing dimensions taken whole are merged into long runs.
 *
 * @example
 * ```ts
 * const x = Float32Array.of(0, 1, 2, 3, 4, 5); // [[0,1,2],[3,4,5]]
 * const out = new Float32Array(2);
 * copyBox(x, 0, [2, 3], [0, 1], [2, 1], out, 0); // out = [1, 4]
 * ```
 */
export function copyBox(
  src: CopyArray,
  srcOff: number,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  dst: CopyArray,
  dstOff: number,
): void {
  const rank = shape.length;
  if (size.some((s) => s === 0)) return;
  if (rank === 0) {
    dst[dstOff] = src[srcOff];
    return;
  }
  // Merge trailing dims: the innermost dims taken whole, plus the first partial one, form one run.
  let run = 1, d = rank - 1;
  while (d >= 0) {
    run *= size[d];
    if (size[d] !== shape[d]) break;
    d--;
  }
  // `d` is now the innermost dim that is cut (or -1: everything). Strides of the full array.
  const strides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  let start = srcOff;
  for (let i = 0; i < rank; i++) start += begin[i] * strides[i];
  const outer = d <= 0 ? 1 : size.slice(0, d).reduce((p, x) => p * x, 1);
  if (outer === 1) {
    copyRun(src, start, dst, dstOff, run);
    return;
  }
  // Odometer over dims [0, d): each step moves one run.
  const coord = new Array<number>(d).fill(0);
  let from = start, to = dstOff;
  for (let t = 0; t < outer; t++) {
    copyRun(src, from, dst, to, run);
    to += run;
    for (let i = d - 1; i >= 0; i--) {
      coord[i]++;
      from += strides[i];
      if (coord[i] < size[i]) break;
      from -= strides[i] * coord[i];
      coord[i] = 0;
    }
  }
}

/**
 * Sums a row-major `[pre, red, post]` float32 block over its middle axis into `[pre, post]`, accumulating in
 * float64 (`scratch` must hold `post` values; it is overwritten).
 *
 * @example
 * ```ts
 * const x = Float32Array.of(1, 2, 3, 4, 5, 6); // [1, 3, 2]: rows (1,2), (3,4), (5,6)
 * const out = new Float32Array(2);
 * sumMiddleAxis(x, 0, 1, 3, 2, out, 0, new Float64Array(2)); // out = [9, 12]
 * ```
 */
export function sumMiddleAxis(
  src: Float32Array,
  srcOff: number,
  pre: number,
  red: number,
  post: number,
  dst: Float32Array,
  dstOff: number,
  scratch: Float64Array,
): void {
  for (let p = 0; p < pre; p++) {
    scratch.fill(0, 0, post);
    let row = srcOff + p * red * post;
    for (let r = 0; r < red; r++, row += post) {
      for (let j = 0; j < post; j++) scratch[j] += src[row + j];
    }
    const o = dstOff + p * post;
    for (let j = 0; j < post; j++) dst[o + j] = scratch[j];
  }
}

/**
 * Merges adjacent axes that a permutation keeps adjacent and in order, and drops size-1 axes: the smallest
 * equivalent transpose. Returns the merged input shape and permutation.
 *
 * @example
 * ```ts
 * simplifyTranspose([2, 3, 4, 5], [0, 2, 3, 1]); // { shape: [2, 3, 20], perm: [0, 2, 1] }
 * ```
 */
export function simplifyTranspose(
  shape: readonly number[],
  perm: readonly number[],
): { shape: number[]; perm: number[] } {
  // Drop size-1 axes (they move nothing).
  const keep = shape.map((d) => d !== 1);
  const renum = new Array<number>(shape.length).fill(-1);
  let k = 0;
  for (let i = 0; i < shape.length; i++) if (keep[i]) renum[i] = k++;
  const s1 = shape.filter((_, i) => keep[i]);
  const p1 = perm.filter((a) => keep[a]).map((a) => renum[a]);
  if (s1.length === 0) return { shape: [], perm: [] };
  // Group runs p[j+1] = p[j] + 1 of the permutation.
  const groups: number[][] = [[p1[0]]];
  for (let j = 1; j < p1.length; j++) {
    const g = groups[groups.length - 1];
    if (p1[j] === g[g.length - 1] + 1) g.push(p1[j]);
    else groups.push([p1[j]]);
  }
  // Groups in input order define the merged input axes.
  const byFirst = [...groups].sort((a, b) => a[0] - b[0]);
  const shape2 = byFirst.map((g) => g.reduce((p, a) => p * s1[a], 1));
  const perm2 = groups.map((g) => byFirst.indexOf(g));
  return { shape: shape2, perm: perm2 };
}

/**
 * Transposes a row-major array of shape `shape` by `perm` (out axis i = in axis perm[i]) from `src` at `srcOff`
 * into `dst` at `dstOff` (distinct regions). Three strategies: the last axis staying last copies runs; a swap of
 * the last two axes under a batch uses 32 x 32 tiles; anything else walks the output with an odometer.
 *
 * @example
 * ```ts
 * const out = new Float32Array(6);
 * transposeInto(Float32Array.of(1, 2, 3, 4, 5, 6), 0, [2, 3], [1, 0], out, 0); // out = [1, 4, 2, 5, 3, 6]
 * ```
 */
export function transposeInto(
  src: CopyArray,
  srcOff: number,
  shape: readonly number[],
  perm: readonly number[],
  dst: CopyArray,
  dstOff: number,
): void {
  const { shape: s, perm: p } = simplifyTranspose(shape, perm);
  const r = s.length;
  const total = s.reduce((a, d) => a * d, 1);
  if (total === 0) return;
  if (r <= 1 || p.every((a, i) => a === i)) {
    copyRun(src, srcOff, dst, dstOff, total);
    return;
  }
  const inStrides = new Array<number>(r);
  let st = 1;
  for (let i = r - 1; i >= 0; i--) {
    inStrides[i] = st;
    st *= s[i];
  }
  const outShape = p.map((a) => s[a]);
  const strideOfOut = p.map((a) => inStrides[a]); // input stride of each output axis
  if (p[r - 1] === r - 1) {
    // Runs of the last axis, contiguous on both sides.
    const run = s[r - 1];
    odometer(
      outShape.slice(0, r - 1),
      strideOfOut.slice(0, r - 1),
      (from, t) => copyRun(src, srcOff + from, dst, dstOff + t * run, run),
    );
    return;
  }
  if (p[r - 1] === r - 2 && p[r - 2] === r - 1 && p.slice(0, r - 2).every((a, i) => a === i)) {
    const rows = s[r - 2], cols = s[r - 1], batch = total / (rows * cols);
    for (let b = 0; b < batch; b++) {
      tile2d(src, srcOff + b * rows * cols, rows, cols, dst, dstOff + b * rows * cols);
    }
    return;
  }
  // General: one element at a time along the output's last axis.
  const last = outShape[r - 1], lastStride = strideOfOut[r - 1];
  odometer(outShape.slice(0, r - 1), strideOfOut.slice(0, r - 1), (from, t) => {
    const o = dstOff + t * last;
    for (let j = 0, f = srcOff + from; j < last; j++, f += lastStride) dst[o + j] = src[f];
  });
}

/** Copies `n` elements (element loop for short runs, `copyWithin` within one array, else `set`). */
function copyRun(src: CopyArray, from: number, dst: CopyArray, to: number, n: number): void {
  if (n < SHORT_RUN) {
    for (let k = 0; k < n; k++) dst[to + k] = src[from + k];
  } else if (src === dst) {
    dst.copyWithin(to, from, from + n);
  } else {
    dst.set(src.subarray(from, from + n), to);
  }
}

/** Calls `f(offset, t)` for every index of `dims` in row-major order, offset = sum(index * strides). */
function odometer(dims: number[], strides: number[], f: (offset: number, t: number) => void): void {
  const r = dims.length;
  const total = dims.reduce((a, d) => a * d, 1);
  const coord = new Array<number>(r).fill(0);
  let off = 0;
  for (let t = 0; t < total; t++) {
    f(off, t);
    for (let i = r - 1; i >= 0; i--) {
      coord[i]++;
      off += strides[i];
      if (coord[i] < dims[i]) break;
      off -= strides[i] * coord[i];
      coord[i] = 0;
    }
  }
}

const TILE = 32;

/** [rows, cols] -> [cols, rows] in 32 x 32 tiles (both blocks dense). */
function tile2d(src: CopyArray, so: number, rows: number, cols: number, dst: CopyArray, d0: number): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(rows, i0 + TILE);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(cols, j0 + TILE);
      for (let j = j0; j < j1; j++) {
        const o = d0 + j * rows;
        for (let i = i0, f = so + i0 * cols + j; i < i1; i++, f += cols) dst[o + i] = src[f];
      }
    }
  }
}
