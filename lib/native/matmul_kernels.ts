/**
 * tfjs kernels for the wasm backend that compute `BatchMatMul` and `_FusedMatMul` with a native sgemm working
 * directly on the backend's heap: inputs are read where tfjs keeps them, the output is allocated through the
 * backend (so tfjs owns and frees it), transposes are sgemm flags, batches are one call each (or a single
 * tall call when B is shared), and batch dimensions broadcast (see `matmul_plan.ts`).
 *
 * Anything the native path does not cover (non-float32 inputs, a non-wasm backend, PReLU, a bias of rank > 1)
 * is handed to the stock kernel unchanged.
 *
 * @module
 */
import type {
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from "@tensorflow/tfjs-core";
import type { Blas } from "./blas.ts";
import { applyActivation, fillBiasRows, isNativeActivation } from "./fused_epilogue.ts";
import { type MatMulPlan, planMatMul } from "./matmul_plan.ts";
import {
  isWasmBackend,
  type TensorInfoLike,
  type WasmBackendLike,
  WasmHeap,
  type WasmModuleLike,
} from "./wasm_heap.ts";

/** Counters of what the native kernels did (for tests and benchmarks). */
export interface NativeMatmulCounters {
  /** Kernel invocations served natively. */
  native: number;
  /** Kernel invocations handed to the stock kernel. */
  fallback: number;
  /** sgemm calls issued. */
  sgemmCalls: number;
}

/**
 * How many BLAS threads each product gets: `max` for products of at least `minMacs` multiply-adds per sgemm
 * call, one below. Measured here (2 cores, shared): per-head attention products (256x256x32, 2M MACs) run as
 * fast or faster on one thread, and a second thread that another process holds up stalls the call.
 */
export interface ThreadPolicy {
  max: number;
  minMacs: number;
  /**
   * Products at or above `minMacs` pick 1 or `max` threads by measurement, per product shape (see
   * {@link ThreadChooser}) instead of always `max`. On a machine whose cores other processes hold, OpenBLAS's
   * second thread waits for a core and the call takes longer than on one thread; on an idle one it is ~1.8x
   * faster. Absent or false: always `max`.
   */
  adaptive?: boolean;
}

/** Running figures of one product shape under {@link ThreadChooser}. */
interface ShapeTiming {
  /** Smoothed milliseconds per call on one thread and on `max` threads (NaN until measured). */
  one: number;
  many: number;
  calls: number;
}

/**
 * Picks the thread count of each large product by measurement: per shape, a smoothed time per call on one
 * thread and on `max`; the faster runs, and every {@link ThreadChooser.EXPLORE}-th call tries the other so the
 * choice follows the machine's load. The first call of a shape runs on `max` threads, the second on one.
 *
 * @example
 * ```ts
 * const c = new ThreadChooser();
 * const t = c.pick("2048x128x512", 2);
 * const t0 = performance.now(); run(t); c.record("2048x128x512", t, performance.now() - t0);
 * ```
 */
export class ThreadChooser {
  /** One call in this many runs the slower setting again. */
  static readonly EXPLORE = 16;
  /** Weight of a new measurement in the smoothed time. */
  static readonly SMOOTH = 0.3;
  readonly #shapes = new Map<string, ShapeTiming>();

  /** The thread count for the next call of `key` (1 or `max`). */
  pick(key: string, max: number): number {
    let s = this.#shapes.get(key);
    if (!s) this.#shapes.set(key, s = { one: NaN, many: NaN, calls: 0 });
    s.calls++;
    if (Number.isNaN(s.many)) return max;
    if (Number.isNaN(s.one)) return 1;
    const best = s.one <= s.many ? 1 : max;
    return s.calls % ThreadChooser.EXPLORE === 0 ? (best === 1 ? max : 1) : best;
  }

  /** Records that a call of `key` on `threads` threads took `ms`. */
  record(key: string, threads: number, ms: number): void {
    const s = this.#shapes.get(key);
    if (!s) return;
    const a = ThreadChooser.SMOOTH;
    if (threads === 1) s.one = Number.isNaN(s.one) ? ms : (1 - a) * s.one + a * ms;
    else s.many = Number.isNaN(s.many) ? ms : (1 - a) * s.many + a * ms;
  }

  /** Per shape: the smoothed times and which setting wins now (for benchmarks and tests). */
  summary(): { key: string; oneMs: number; manyMs: number; calls: number }[] {
    return [...this.#shapes].map(([key, s]) => ({ key, oneMs: s.one, manyMs: s.many, calls: s.calls }));
  }
}

const choosers = new WeakMap<ThreadPolicy, ThreadChooser>();

/** The {@link ThreadChooser} of a policy (one per policy object). */
export function chooserOf(policy: ThreadPolicy): ThreadChooser {
  let c = choosers.get(policy);
  if (!c) choosers.set(policy, c = new ThreadChooser());
  return c;
}

const heaps = new WeakMap<WasmModuleLike, WasmHeap>();

/** The {@link WasmHeap} of a backend's module (one per module, shared by all kernels). */
export function heapOf(backend: WasmBackendLike): WasmHeap {
  let h = heaps.get(backend.wasm);
  if (!h) {
    h = new WasmHeap(backend.wasm);
    heaps.set(backend.wasm, h);
  }
  return h;
}

function offsetOf(backend: WasmBackendLike, t: TensorInfoLike): number {
  const d = backend.dataIdMap.get(t.dataId);
  if (!d || d.memoryOffset == null) throw new Error("native matMul: tensor is not on the wasm heap");
  return d.memoryOffset;
}

/**
 * Runs a plan with sgemm on absolute addresses (`a`, `b`, `c` are the bytes' addresses of the operands).
 * `beta` = 1 accumulates onto what `c` holds (used for a pre-filled bias).
 */
export function runPlan(blas: Blas, plan: MatMulPlan, a: number, b: number, c: number, beta: number): number {
  const { m, n, k, transA, transB, lda, ldb, ldc } = plan;
  for (let t = 0; t < plan.calls; t++) {
    blas.sgemm(
      transA,
      transB,
      m,
      n,
      k,
      1,
      a + 4 * plan.aOffsets[t],
      lda,
      b + 4 * plan.bOffsets[t],
      ldb,
      beta,
      c + 4 * plan.cOffsets[t],
      ldc,
    );
  }
  return plan.calls;
}

type KernelArgs = { inputs: NamedTensorInfoMap; backend: unknown; attrs?: NamedAttrMap };

/**
 * Computes `op(a) x op(b)` (+ bias, then activation) into a new wasm tensor. Returns null when the native
 * path does not apply, so the caller falls back to the stock kernel.
 */
function nativeProduct(
  blas: Blas,
  policy: ThreadPolicy,
  counters: NativeMatmulCounters,
  backend: unknown,
  a: TensorInfo | undefined,
  b: TensorInfo | undefined,
  transA: boolean,
  transB: boolean,
  bias: TensorInfo | undefined,
  activation: string | undefined,
  leakyreluAlpha: number | undefined,
): TensorInfo | null {
  if (!a || !b || !isWasmBackend(backend) || a.dtype !== "float32" || b.dtype !== "float32") return null;
  if (!isNativeActivation(activation)) return null;
  const plan = planMatMul(a.shape, b.shape, transA, transB);
  const nOut = plan.batch * (plan.outShape[plan.outShape.length - 2]) * plan.n;
  let biasLen = 0;
  if (bias) {
    if (bias.dtype !== "float32" || bias.shape.length !== 1) return null;
    biasLen = bias.shape[0];
    if (biasLen !== plan.n && biasLen !== 1) return null;
  }
  const out = backend.makeOutput(plan.outShape, "float32") as TensorInfo; // may grow the heap
  counters.native++;
  if (nOut === 0) return out;
  const heap = heapOf(backend);
  const base = heap.base(); // re-derived after the allocation above
  const aAddr = base + offsetOf(backend, a);
  const bAddr = base + offsetOf(backend, b);
  const cByte = offsetOf(backend, out);
  const f32 = heap.f32();
  const cEl = cByte >>> 2;
  let beta = 0;
  if (bias) {
    const bEl = offsetOf(backend, bias) >>> 2;
    fillBiasRows(f32, cEl, nOut / plan.n, plan.n, f32.subarray(bEl, bEl + biasLen));
    beta = 1;
  } else if (plan.k === 0) {
    f32.fill(0, cEl, cEl + nOut); // an empty sum; sgemm is not called with k = 0
  }
  if (plan.k > 0) {
    const large = plan.m * plan.n * plan.k >= policy.minMacs && policy.max > 1;
    if (large && policy.adaptive) {
      const chooser = chooserOf(policy);
      const key = `${plan.calls}x${plan.m}x${plan.n}x${plan.k}${transA ? "T" : "N"}${transB ? "T" : "N"}`;
      const threads = chooser.pick(key, policy.max);
      blas.setThreads(threads);
      const t0 = performance.now();
      counters.sgemmCalls += runPlan(blas, plan, aAddr, bAddr, base + cByte, beta);
      chooser.record(key, threads, performance.now() - t0);
    } else {
      blas.setThreads(large ? policy.max : 1);
      counters.sgemmCalls += runPlan(blas, plan, aAddr, bAddr, base + cByte, beta);
    }
  }
  if (activation && activation !== "linear") {
    applyActivation(heap.f32(), cEl, nOut, activation, leakyreluAlpha ?? 0.2);
  }
  return out;
}

/**
 * A `BatchMatMul` kernel config for the wasm backend using `blas`; `stock` serves what it does not cover.
 *
 * @example
 * ```ts
 * const stock = tf.getKernel("BatchMatMul", "wasm")!;
 * tf.unregisterKernel("BatchMatMul", "wasm");
 * tf.registerKernel(nativeBatchMatMulConfig(blas, { max: 2, minMacs: 1 << 23 }, stock, counters));
 * ```
 */
export function nativeBatchMatMulConfig(
  blas: Blas,
  policy: ThreadPolicy,
  stock: KernelConfig | undefined,
  counters: NativeMatmulCounters,
): KernelConfig {
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { a, b } = args.inputs;
    const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const out = nativeProduct(
      blas,
      policy,
      counters,
      args.backend,
      a,
      b,
      !!attrs.transposeA,
      !!attrs.transposeB,
      undefined,
      "linear",
      0,
    );
    if (out) return out;
    if (!stock) {
      throw new Error("native BatchMatMul: input not supported natively and no stock kernel to fall back to");
    }
    counters.fallback++;
    return stock.kernelFunc(args as Parameters<KernelFunc>[0]) as TensorInfo;
  };
  return { kernelName: "BatchMatMul", backendName: "wasm", kernelFunc: kernelFunc as unknown as KernelFunc };
}

/**
 * A `_FusedMatMul` kernel config (product + rank-1 bias + linear/relu/relu6/leakyrelu/sigmoid/elu) for the
 * wasm backend using `blas`; `stock` serves PReLU, other bias shapes and other dtypes.
 */
export function nativeFusedMatMulConfig(
  blas: Blas,
  policy: ThreadPolicy,
  stock: KernelConfig | undefined,
  counters: NativeMatmulCounters,
): KernelConfig {
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { a, b, bias, preluActivationWeights } = args.inputs;
    const attrs = (args.attrs ?? {}) as {
      transposeA?: boolean;
      transposeB?: boolean;
      activation?: string;
      leakyreluAlpha?: number;
    };
    const out = preluActivationWeights ? null : nativeProduct(
      blas,
      policy,
      counters,
      args.backend,
      a,
      b,
      !!attrs.transposeA,
      !!attrs.transposeB,
      bias ?? undefined,
      attrs.activation ?? "linear",
      attrs.leakyreluAlpha,
    );
    if (out) return out;
    if (!stock) {
      throw new Error(
        "native _FusedMatMul: input not supported natively and no stock kernel to fall back to",
      );
    }
    counters.fallback++;
    return stock.kernelFunc(args as Parameters<KernelFunc>[0]) as TensorInfo;
  };
  return { kernelName: "_FusedMatMul", backendName: "wasm", kernelFunc: kernelFunc as unknown as KernelFunc };
}
