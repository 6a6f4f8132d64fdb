/**
 * Replacements, in plain TypeScript working directly on the wasm heap, for stock tfjs-wasm 4.22 kernels that
 * are pathologically slow at the model's shapes (measured on the 2-core machine, [1024, 512] float32):
 *
 * - `Sum` over leading/middle axes (bias and LayerNorm gradients): the stock kernel transposes the input
 *   first, at ~20 ns per element (its 2-D transpose is cache-hostile); a row-accumulating loop takes ~1.5.
 * - `Slice`, `SplitV` and `Unpack` (splitting fused projections, unstacking q|k|v): the stock kernel first
 *   copies the whole input out of the heap (`readSync`) and copies row by row, 30-80 ns per element; here one
 *   `copyWithin` per contiguous run, with no intermediate copy.
 * - `Transpose` of rank 5 and more (after merging axes that stay together), ~100 ns per element in the stock
 *   kernel, and swaps of the last two axes (~17 ns): runs of the last axis, or 32 x 32 tiles, ~1-2 ns.
 * - `GatherV2` (batchDims 0): ~18 ns per element in the stock kernel; here one copy per gathered slice.
 * - `Identity` (tfjs clones every tensor a `tf.customGrad` saves for its backward pass, and `tf.clone`): the
 *   stock kernel copies the data (11% of a native training step's kernel time); here the output shares the
 *   input's data with one more reference, as tfjs's `Reshape` and the cpu backend's `Identity` do. Safe because
 *   tfjs tensors are immutable: nothing in tfjs or in this project writes into a tensor after its kernel
 *   returned (heap kernels and sgemm write only into outputs they allocated).
 *
 * Each kernel serves only the cases it speeds up and hands everything else to the stock kernel.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { backend_util, slice_util, util } from "@tensorflow/tfjs-core";
import { type CopyArray, copyBox, simplifyTranspose, sumMiddleAxis, transposeInto } from "./strided.ts";
import { isWasmBackend, type TensorInfoLike, type WasmBackendLike } from "./wasm_heap.ts";

/** Counters of what the heap kernels did (tests check the fast path really ran). */
export interface HeapKernelCounters {
  sum: number;
  slice: number;
  splitV: number;
  transpose: number;
  gather: number;
  unpack: number;
  identity: number;
  fallback: number;
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

let scratch = new Float64Array(1024);

function offsetOf(backend: WasmBackendLike, t: TensorInfoLike): number {
  const d = backend.dataIdMap.get(t.dataId);
  if (!d || d.memoryOffset == null) throw new Error("heap kernel: tensor is not on the wasm heap");
  return d.memoryOffset;
}

/** A view of the whole heap with the element type of `dtype` (after any allocation). */
function heapView(backend: WasmBackendLike, dtype: string): CopyArray | null {
  const buf = backend.wasm.HEAPU8.buffer;
  if (dtype === "float32") return new Float32Array(buf);
  if (dtype === "int32") return new Int32Array(buf);
  if (dtype === "bool") return new Uint8Array(buf);
  return null;
}

const bytesOf = (dtype: string) => (dtype === "bool" ? 1 : 4);

function fallback(stock: tf.KernelConfig | undefined, name: string, args: KernelArgs, c: HeapKernelCounters) {
  if (!stock) throw new Error(`heap kernel ${name}: case not handled and no stock kernel to fall back to`);
  c.fallback++;
  return stock.kernelFunc(args as Parameters<tf.KernelFunc>[0]);
}

/**
 * `Sum` of a float32 tensor over a contiguous block of axes that is not innermost (`[pre, red, post]` with
 * post > 1); other cases go to `stock`.
 */
export function heapSumConfig(
  stock: tf.KernelConfig | undefined,
  counters: HeapKernelCounters,
): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const { x } = args.inputs;
    const { axis, keepDims } = (args.attrs ?? {}) as { axis: number | number[]; keepDims: boolean };
    const backend = args.backend;
    if (!x || x.dtype !== "float32" || !isWasmBackend(backend)) return fallback(stock, "Sum", args, counters);
    const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const contiguous = axes.length > 0 && axes.every((a, i) => a === axes[0] + i);
    if (!contiguous) return fallback(stock, "Sum", args, counters);
    const a0 = axes[0], a1 = axes[axes.length - 1];
    const pre = util.sizeFromShape(x.shape.slice(0, a0));
    const red = util.sizeFromShape(x.shape.slice(a0, a1 + 1));
    const post = util.sizeFromShape(x.shape.slice(a1 + 1));
    if (post <= 1) return fallback(stock, "Sum", args, counters); // innermost: the stock kernel is fast
    const reduced = x.shape.filter((_, i) => i < a0 || i > a1);
    const outShape = keepDims ? backend_util.expandShapeToKeepDim(reduced, axes) : reduced;
    const out = backend.makeOutput(outShape, "float32") as tf.TensorInfo;
    counters.sum++;
    if (pre * post === 0) return out;
    const heap = new Float32Array(backend.wasm.HEAPU8.buffer); // after the allocation
    if (scratch.length < post) scratch = new Float64Array(post);
    sumMiddleAxis(
      heap,
      offsetOf(backend, x) >>> 2,
      pre,
      red,
      post,
      heap,
      offsetOf(backend, out) >>> 2,
      scratch,
    );
    return out;
  };
  return { kernelName: "Sum", backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** Slices `x` into a new wasm tensor; null when the dtype is not copied here (strings). */
function heapSlice(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
): tf.TensorInfo | null {
  if (heapView(backend, x.dtype) === null) return null;
  const out = backend.makeOutput(size, x.dtype) as tf.TensorInfo;
  if (util.sizeFromShape(size) === 0) return out;
  const heap = heapView(backend, x.dtype)!; // after the allocation
  const el = bytesOf(x.dtype);
  copyBox(heap, offsetOf(backend, x) / el, x.shape, begin, size, heap, offsetOf(backend, out) / el);
  return out;
}

/** `Slice` by runs copied within the heap (float32, int32, bool); strings go to `stock`. */
export function heapSliceConfig(
  stock: tf.KernelConfig | undefined,
  counters: HeapKernelCounters,
): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const { x } = args.inputs;
    const { begin, size } = (args.attrs ?? {}) as { begin: number | number[]; size?: number | number[] };
    const backend = args.backend;
    if (!x || !isWasmBackend(backend)) return fallback(stock, "Slice", args, counters);
    const [b, s] = slice_util.parseSliceParams(x, begin, size);
    const out = heapSlice(backend, x, b, s);
    if (!out) return fallback(stock, "Slice", args, counters);
    counters.slice++;
    return out;
  };
  return { kernelName: "Slice", backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** `SplitV` as consecutive heap slices along the split axis; strings go to `stock`. */
export function heapSplitVConfig(
  stock: tf.KernelConfig | undefined,
  counters: HeapKernelCounters,
): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const { x } = args.inputs;
    const { numOrSizeSplits, axis } = (args.attrs ?? {}) as {
      numOrSizeSplits: number | number[];
      axis: number;
    };
    const backend = args.backend;
    if (!x || !isWasmBackend(backend) || heapView(backend, x.dtype) === null) {
      return fallback(stock, "SplitV", args, counters);
    }
    const ax = util.parseAxisParam(axis, x.shape)[0];
    const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, ax);
    const begin = new Array<number>(x.shape.length).fill(0);
    const outs: tf.TensorInfo[] = [];
    for (const s of sizes) {
      const size = x.shape.slice();
      size[ax] = s;
      outs.push(heapSlice(backend, x, begin.slice(), size)!);
      begin[ax] += s;
    }
    counters.splitV++;
    return outs;
  };
  return { kernelName: "SplitV", backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/**
 * Whether the heap transpose beats the stock one for this shape and permutation: rank >= 5 after merging, or
 * a swap of the last two axes under a batch. Rank <= 4 moves that keep the last axis are fast in stock C.
 */
export function heapTransposeWins(shape: readonly number[], perm: readonly number[]): boolean {
  const { shape: s, perm: p } = simplifyTranspose(shape, perm);
  const r = s.length;
  if (r < 2 || p.every((a, i) => a === i)) return false;
  const lastTwoSwap = p[r - 1] === r - 2 && p[r - 2] === r - 1 && p.slice(0, r - 2).every((a, i) => a === i);
  return lastTwoSwap || r >= 5;
}

/** `Transpose` for the cases of {@link heapTransposeWins} (float32, int32, bool); others go to `stock`. */
export function heapTransposeConfig(
  stock: tf.KernelConfig | undefined,
  counters: HeapKernelCounters,
): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const { x } = args.inputs;
    const { perm } = (args.attrs ?? {}) as { perm: number[] };
    const backend = args.backend;
    if (
      !x || !isWasmBackend(backend) || heapView(backend, x.dtype) === null ||
      !heapTransposeWins(x.shape, perm)
    ) {
      return fallback(stock, "Transpose", args, counters);
    }
    const out = backend.makeOutput(perm.map((a) => x.shape[a]), x.dtype) as tf.TensorInfo;
    const heap = heapView(backend, x.dtype)!; // after the allocation
    const el = bytesOf(x.dtype);
    transposeInto(heap, offsetOf(backend, x) / el, x.shape, perm, heap, offsetOf(backend, out) / el);
    counters.transpose++;
    return out;
  };
  return { kernelName: "Transpose", backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** `GatherV2` with batchDims 0 on float32/int32/bool data and int32 indices; others go to `stock`. */
export function heapGatherConfig(
  stock: tf.KernelConfig | undefined,
  counters: HeapKernelCounters,
): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const { x, indices } = args.inputs;
    const { axis, batchDims } = (args.attrs ?? {}) as { axis: number; batchDims?: number };
    const backend = args.backend;
    if (
      !x || !indices || !isWasmBackend(backend) || (batchDims ?? 0) !== 0 || indices.dtype !== "int32" ||
      heapView(backend, x.dtype) === null
    ) {
      return fallback(stock, "GatherV2", args, counters);
    }
    const ax = util.parseAxisParam(axis, x.shape)[0];
    const dim = x.shape[ax];
    const outer = util.sizeFromShape(x.shape.slice(0, ax));
    const inner = util.sizeFromShape(x.shape.slice(ax + 1));
    const nIdx = util.sizeFromShape(indices.shape);
    // Indices are read before the allocation below (which may move the heap).
    const iOff = offsetOf(backend, indices) >>> 2;
    const idx = new Int32Array(backend.wasm.HEAPU8.buffer).slice(iOff, iOff + nIdx);
    for (let i = 0; i < nIdx; i++) {
      if (idx[i] < 0 || idx[i] >= dim) {
        throw new Error(`GatherV2: the index value ${idx[i]} is not in [0, ${dim - 1}]`);
      }
    }
    const outShape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
    const out = backend.makeOutput(outShape, x.dtype) as tf.TensorInfo;
    counters.gather++;
    if (outer * nIdx * inner === 0) return out;
    const heap = heapView(backend, x.dtype)!;
    const el = bytesOf(x.dtype);
    const xo = offsetOf(backend, x) / el, oo = offsetOf(backend, out) / el;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < nIdx; i++) {
        copyBox(
          heap,
          xo + (o * dim + idx[i]) * inner,
          [inner],
          [0],
          [inner],
          heap,
          oo + (o * nIdx + i) * inner,
        );
      }
    }
    return out;
  };
  return { kernelName: "GatherV2", backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** `Unpack` (tf.unstack) as heap slices (float32, int32, bool); strings go to `stock`. */
export function heapUnpackConfig(
  stock: tf.KernelConfig | undefined,
  counters: HeapKernelCounters,
): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const { value } = args.inputs;
    const { axis } = (args.attrs ?? {}) as { axis: number };
    const backend = args.backend;
    if (!value || !isWasmBackend(backend) || heapView(backend, value.dtype) === null) {
      return fallback(stock, "Unpack", args, counters);
    }
    const ax = axis < 0 ? axis + value.shape.length : axis;
    const outShape = value.shape.filter((_, i) => i !== ax);
    const size = value.shape.slice();
    size[ax] = 1;
    const outs: tf.TensorInfo[] = [];
    for (let i = 0; i < value.shape[ax]; i++) {
      const begin = new Array<number>(value.shape.length).fill(0);
      begin[ax] = i;
      const o = heapSlice(backend, value, begin, size)!;
      outs.push({ dataId: o.dataId, dtype: o.dtype, shape: outShape });
    }
    counters.unpack++;
    return outs;
  };
  return { kernelName: "Unpack", backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/**
 * `Identity` without a copy: the output is the input's data with one more reference (numeric dtypes; strings go
 * to `stock`).
 */
export function heapIdentityConfig(
  stock: tf.KernelConfig | undefined,
  counters: HeapKernelCounters,
): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const { x } = args.inputs;
    const backend = args.backend as WasmBackendLike & { incRef?(dataId: object): void };
    if (!x || !isWasmBackend(backend) || typeof backend.incRef !== "function" || x.dtype === "string") {
      return fallback(stock, "Identity", args, counters);
    }
    backend.incRef(x.dataId);
    counters.identity++;
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { kernelName: "Identity", backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
