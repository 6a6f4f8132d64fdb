/**
 * How a (batched, possibly transposed, possibly broadcast) matrix product maps onto row-major sgemm calls:
 * sizes, leading dimensions, and where each batch's operands start. Pure arithmetic on shapes, no tfjs.
 *
 * Batch dimensions broadcast as NumPy does (right-aligned, size-1 dimensions stretch). This is what tfjs
 * documents for `matMul`; its stock wasm and cpu kernels only get it right when one side's batch is 1 or both
 * are equal (for [2,1,m,k] x [1,3,k,n] they return 3 values for a [2,3,m,n] result), so the native kernel is
 * checked against a plain reference for those cases.
 *
 * @module
 */

/** One product's plan: either one sgemm (`calls = 1`) or one per output batch. */
export interface MatMulPlan {
  /** Rows of op(A) per call. */
  m: number;
  /** Columns of op(B). */
  n: number;
  /** Shared inner size. */
  k: number;
  transA: boolean;
  transB: boolean;
  /** Row lengths of the stored A, B and C (each at least 1, as BLAS requires). */
  lda: number;
  ldb: number;
  ldc: number;
  /** The result's shape: broadcast batch dims, then [m, n] (m of the original, unfolded product). */
  outShape: number[];
  /** Number of output matrices (product of the broadcast batch dims). */
  batch: number;
  /** sgemm calls needed; 1 when folded (B shared and A untransposed: all batches are one tall product). */
  calls: number;
  /** Per call: element offset of A, of B, of C. Length `calls`. */
  aOffsets: Float64Array;
  bOffsets: Float64Array;
  cOffsets: Float64Array;
}

/**
 * NumPy broadcast of two batch shapes, or an error naming both.
 *
 * @example
 * ```ts
 * broadcastBatch([2, 1], [3]); // [2, 3]
 * ```
 */
export function broadcastBatch(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`matMul: batch dimensions [${a}] and [${b}] cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * For each output batch (row-major over `outBatch`), the index of the source matrix in `srcBatch` once it is
 * broadcast to `outBatch`.
 */
export function broadcastSourceIndex(srcBatch: readonly number[], outBatch: readonly number[]): Float64Array {
  const total = outBatch.reduce((p, d) => p * d, 1);
  const idx = new Float64Array(total);
  const rank = outBatch.length;
  // Source stride per output dim (0 where the source has size 1 or lacks the dim).
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    const d = srcBatch[srcBatch.length - rank + i] ?? 1;
    strides[i] = d === 1 ? 0 : s;
    s *= d;
  }
  const coord = new Array<number>(rank).fill(0);
  let cur = 0;
  for (let t = 0; t < total; t++) {
    idx[t] = cur;
    // odometer increment, keeping `cur` = sum(coord * strides)
    for (let i = rank - 1; i >= 0; i--) {
      coord[i]++;
      cur += strides[i];
      if (coord[i] < outBatch[i]) break;
      cur -= strides[i] * coord[i];
      coord[i] = 0;
    }
  }
  return idx;
}

/**
 * Plans `matMul(a, b, transA, transB)` for row-major storage.
 *
 * @example
 * ```ts
 * const p = planMatMul([4, 256, 128], [128, 512], false, false);
 * // p.calls === 1, p.m === 1024 (folded), p.outShape = [4, 256, 512]
 * ```
 */
export function planMatMul(
  aShape: readonly number[],
  bShape: readonly number[],
  transA: boolean,
  transB: boolean,
): MatMulPlan {
  if (aShape.length < 2 || bShape.length < 2) {
    throw new Error(`matMul: both operands need rank >= 2, got shapes [${aShape}] and [${bShape}]`);
  }
  const ra = aShape.length, rb = bShape.length;
  const m = transA ? aShape[ra - 1] : aShape[ra - 2];
  const kA = transA ? aShape[ra - 2] : aShape[ra - 1];
  const kB = transB ? bShape[rb - 1] : bShape[rb - 2];
  const n = transB ? bShape[rb - 2] : bShape[rb - 1];
  if (kA !== kB) {
    throw new Error(
      `matMul: inner shapes (${kA}) and (${kB}) of shapes [${aShape}] and [${bShape}] with ` +
        `transposeA=${transA} and transposeB=${transB} must match`,
    );
  }
  const k = kA;
  const aBatch = aShape.slice(0, -2), bBatch = bShape.slice(0, -2);
  const outBatch = broadcastBatch(aBatch, bBatch);
  const batch = outBatch.reduce((p, d) => p * d, 1);
  const nbA = aBatch.reduce((p, d) => p * d, 1);
  const nbB = bBatch.reduce((p, d) => p * d, 1);
  const aMat = m * k, bMat = k * n, cMat = m * n;
  const lda = Math.max(1, transA ? m : k);
  const ldb = Math.max(1, transB ? k : n);
  const ldc = Math.max(1, n);
  const outShape = [...outBatch, m, n];
  if (batch > 1 && nbB === 1 && nbA === batch && !transA) {
    // A's batches stacked are one (batch*m) x k matrix; B is shared: a single tall product.
    return {
      m: batch * m,
      n,
      k,
      transA,
      transB,
      lda,
      ldb,
      ldc,
      outShape,
      batch,
      calls: 1,
      aOffsets: Float64Array.of(0),
      bOffsets: Float64Array.of(0),
      cOffsets: Float64Array.of(0),
    };
  }
  const ai = broadcastSourceIndex(aBatch, outBatch);
  const bi = broadcastSourceIndex(bBatch, outBatch);
  const aOffsets = new Float64Array(batch),
    bOffsets = new Float64Array(batch),
    cOffsets = new Float64Array(batch);
  for (let t = 0; t < batch; t++) {
    aOffsets[t] = ai[t] * aMat;
    bOffsets[t] = bi[t] * bMat;
    cOffsets[t] = t * cMat;
  }
  return {
    m,
    n,
    k,
    transA,
    transB,
    lda,
    ldb,
    ldc,
    outShape,
    batch,
    calls: batch,
    aOffsets,
    bOffsets,
    cOffsets,
  };
}

/**
 * Reference product on plain arrays (float64 accumulation), for tests: same semantics as {@link planMatMul}.
 *
 * @example
 * ```ts
 * referenceMatMul(Float32Array.of(1, 2), [1, 2], Float32Array.of(3, 4), [2, 1], false, false); // [11]
 * ```
 */
export function referenceMatMul(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
  transA: boolean,
  transB: boolean,
): { values: Float32Array; shape: number[] } {
  const ra = aShape.length, rb = bShape.length;
  const m = transA ? aShape[ra - 1] : aShape[ra - 2];
  const k = transA ? aShape[ra - 2] : aShape[ra - 1];
  const n = transB ? bShape[rb - 2] : bShape[rb - 1];
  const outBatch = broadcastBatch(aShape.slice(0, -2), bShape.slice(0, -2));
  const ai = broadcastSourceIndex(aShape.slice(0, -2), outBatch);
  const bi = broadcastSourceIndex(bShape.slice(0, -2), outBatch);
  const out = new Float32Array(ai.length * m * n);
  for (let t = 0; t < ai.length; t++) {
    const ao = ai[t] * m * k, bo = bi[t] * k * n, co = t * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = transA ? a[ao + p * m + i] : a[ao + i * k + p];
          const bv = transB ? b[bo + j * k + p] : b[bo + p * n + j];
          s += av * bv;
        }
        out[co + i * n + j] = s;
      }
    }
  }
  return { values: out, shape: [...outBatch, m, n] };
}
