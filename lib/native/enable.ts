/**
 * Switching tfjs's wasm backend between its stock kernels and ours: the native sgemm matrix products
 * (`matmul_kernels.ts`, needs a BLAS library and FFI) and the heap kernels (`heap_kernels.ts`, plain
 * TypeScript, always available). The stock kernel configs are kept so that the `disable` functions restore
 * them exactly (benchmarks and tests compare both in one process).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type Blas, type BlasOptions, openBlas } from "./blas.ts";
import {
  heapGatherConfig,
  heapIdentityConfig,
  type HeapKernelCounters,
  heapSliceConfig,
  heapSplitVConfig,
  heapSumConfig,
  heapTransposeConfig,
  heapUnpackConfig,
} from "./heap_kernels.ts";
import { KernelSwap } from "./kernel_swap.ts";
import { isWasmBackend } from "./wasm_heap.ts";
import {
  heapOf,
  nativeBatchMatMulConfig,
  nativeFusedMatMulConfig,
  type NativeMatmulCounters,
  type ThreadPolicy,
} from "./matmul_kernels.ts";

/** Options of {@link enableNativeMatmul}: the library (see {@link BlasOptions}) and the threading policy. */
export interface NativeMatmulOptions extends BlasOptions {
  /**
   * Products with fewer multiply-adds per sgemm call than this run on one BLAS thread (see `ThreadPolicy`);
   * 0 gives every product `threads` threads.
   */
  multiThreadMinMacs?: number;
  /** Products at or above `multiThreadMinMacs` choose 1 or `threads` threads by measurement (`ThreadChooser`). */
  adaptiveThreads?: boolean;
}

/** Defaults of {@link NativeMatmulOptions}. */
export const NATIVE_MATMUL_DEFAULTS = {
  // 2^23 = 8.4M: per-head attention products (256x256x32 = 2.1M) stay on one thread, linear layers of 1024
  // rows (>= 1024x128x128 = 16.8M) use them all; both measured with `deno task bench:blas`.
  multiThreadMinMacs: 1 << 23,
  // On this shared 2-core machine a second OpenBLAS thread made a training step slower whenever other processes
  // held the cores (load average 4-9) and faster when idle; measuring per product shape helps there, but which
  // thread count runs a product then depends on timing, and OpenBLAS's 1- and 2-thread sums differ in the last bits
  // (two forwards of one pair differed by up to 4e-6): off by default, so the same input gives the same bytes.
  adaptiveThreads: false,
};

/** What {@link enableNativeMatmul} did. */
export interface NativeMatmulStatus {
  /** True when the native kernels are registered on the wasm backend. */
  active: boolean;
  /** The BLAS library in use, when active. */
  library?: string;
  /** OpenBLAS's kernel family (e.g. `Haswell`, `Cooperlake`), when known. */
  coreName?: string;
  /** BLAS threads, when active and known. */
  threads?: number;
  /** One line saying which path runs and why. */
  reason: string;
}

interface ActiveState {
  blas: Blas;
  swap: KernelSwap;
  policy: ThreadPolicy;
}

let active: ActiveState | null = null;
let lastReason = "native matmul not enabled: stock wasm kernels";
const counters: NativeMatmulCounters = { native: 0, fallback: 0, sgemmCalls: 0 };

function statusOf(s: ActiveState): NativeMatmulStatus {
  const threads = s.blas.threads() ? s.policy.max : 0;
  const core = s.blas.coreName ? `, ${s.blas.coreName} kernels` : "";
  const mt = threads > 1 && s.policy.minMacs > 0
    ? ` (1 below ${(s.policy.minMacs / 1e6).toFixed(1)}M multiply-adds per call${
      s.policy.adaptive ? `, 1 or ${threads} above by measurement` : ""
    })`
    : "";
  return {
    active: true,
    library: s.blas.path,
    coreName: s.blas.coreName || undefined,
    threads: threads || undefined,
    reason: `native matmul on the wasm backend: cblas_sgemm from ${s.blas.path}${core}, ${
      threads || "?"
    } threads${mt}`,
  };
}

function policyOf(blas: Blas, opts: NativeMatmulOptions, prev?: ThreadPolicy): ThreadPolicy {
  return {
    max: opts.threads !== undefined
      ? Math.max(1, Math.floor(opts.threads))
      : prev?.max ?? (blas.threads() || 1),
    minMacs: opts.multiThreadMinMacs ?? prev?.minMacs ?? NATIVE_MATMUL_DEFAULTS.multiThreadMinMacs,
    adaptive: opts.adaptiveThreads ?? prev?.adaptive ?? NATIVE_MATMUL_DEFAULTS.adaptiveThreads,
  };
}

/**
 * Registers native `BatchMatMul` and `_FusedMatMul` kernels on tfjs's wasm backend when a BLAS library loads
 * (Debian's OpenBLAS by default; `opts.library` or `MANGAMATCH_BLAS=/path/lib.so` for another, `off` to
 * refuse) and FFI is permitted. Otherwise nothing changes and `reason` says why. Import
 * `@tensorflow/tfjs-backend-wasm` first (its stock kernels are kept for {@link disableNativeMatmul}). Calling it
 * again while active only updates the threading (or switches library when another is named). `threads` is the
 * most BLAS threads a product gets; smaller products get one (see {@link NativeMatmulOptions}).
 *
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-wasm";
 * const st = enableNativeMatmul({ threads: 2 });
 * console.log(st.reason); // "native matmul on the wasm backend: cblas_sgemm from ... 2 threads"
 * ```
 */
export function enableNativeMatmul(opts: NativeMatmulOptions = {}): NativeMatmulStatus {
  if (active) {
    const sameLib = opts.library === undefined || opts.library === active.blas.path;
    if (sameLib) {
      // The kernels read the policy object at each call: update it in place.
      Object.assign(active.policy, policyOf(active.blas, opts, active.policy));
      active.blas.setThreads(active.policy.max);
      return statusOf(active);
    }
    disableNativeMatmul();
  }
  if (!tf.getKernel("BatchMatMul", "wasm")) {
    lastReason =
      "stock wasm matmul: tfjs wasm backend not loaded (import @tensorflow/tfjs-backend-wasm first)";
    return { active: false, reason: lastReason };
  }
  const { blas, reason } = openBlas(opts);
  if (!blas) {
    lastReason = `stock wasm matmul: ${reason}`;
    return { active: false, reason: lastReason };
  }
  const policy = policyOf(blas, opts);
  const swap = new KernelSwap("wasm");
  swap.install({
    BatchMatMul: (stock) => nativeBatchMatMulConfig(blas, policy, stock, counters),
    _FusedMatMul: (stock) => nativeFusedMatMulConfig(blas, policy, stock, counters),
  });
  const state: ActiveState = { blas, swap, policy };
  active = state;
  const st = statusOf(state);
  lastReason = st.reason;
  return st;
}

/**
 * Puts the stock wasm kernels back (a no-op when native matmul is not active). The library stays loaded.
 *
 * @example
 * ```ts
 * enableNativeMatmul();
 * // ... timed run ...
 * disableNativeMatmul(); // stock kernels again
 * ```
 */
export function disableNativeMatmul(): void {
  if (!active) return;
  active.swap.restore();
  active = null;
  lastReason = "native matmul disabled: stock wasm kernels";
}

/** The current state, as {@link enableNativeMatmul} would report it, without changing anything. */
export function nativeMatmulStatus(): NativeMatmulStatus {
  return active ? statusOf(active) : { active: false, reason: lastReason };
}

/** The native kernels' running counters (invocations served, fallbacks, sgemm calls); a live object. */
export function nativeMatmulCounters(): Readonly<NativeMatmulCounters> {
  return counters;
}

/** The BLAS library the native kernels use, while active (benchmarks time raw sgemm through it). */
export function activeBlas(): Blas | undefined {
  return active?.blas;
}

/**
 * A strided sgemm on the current wasm backend's heap, under the active thread policy: C = alpha op(A) op(B) +
 * beta C with `a`, `b`, `c` float offsets into the heap and leading dimensions as in {@link Blas.sgemm}.
 * Undefined while native matmul is not active. `lib/model/ops.ts` runs attention's per-head products with it
 * (q, k and v read in place from the fused projection).
 *
 * @example
 * ```ts
 * const g = nativeHeapSgemm();
 * g?.(false, true, 256, 256, 32, 0.17, qOff, 384, kOff, 384, 0, sOff, 256); // S = 0.17 Q K^T for one head
 * ```
 */
export function nativeHeapSgemm(): HeapSgemmFn | undefined {
  const s = active;
  if (!s) return undefined;
  return (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
    const be = tf.backend() as unknown;
    if (!isWasmBackend(be)) throw new Error("native heap sgemm: the backend is not wasm");
    const base = heapOf(be).base();
    s.blas.setThreads(m * n * k >= s.policy.minMacs ? s.policy.max : 1);
    counters.sgemmCalls++;
    s.blas.sgemm(
      transA,
      transB,
      m,
      n,
      k,
      alpha,
      base + 4 * a,
      lda,
      base + 4 * b,
      ldb,
      beta,
      base + 4 * c,
      ldc,
    );
  };
}

/** The function {@link nativeHeapSgemm} returns: {@link Blas}'s `sgemm` on the backend's heap offsets. */
export type HeapSgemmFn = Blas["sgemm"];

/** Kernels replaced by {@link enableHeapKernels}. */
export const HEAP_KERNEL_NAMES = [
  "Sum",
  "Slice",
  "SplitV",
  "Unpack",
  "Transpose",
  "GatherV2",
  "Identity",
] as const;

let heapSwap: KernelSwap | null = null;
const heapCounters: HeapKernelCounters = {
  sum: 0,
  slice: 0,
  splitV: 0,
  transpose: 0,
  gather: 0,
  unpack: 0,
  identity: 0,
  fallback: 0,
};

/**
 * Registers the heap kernels (`Sum` over non-innermost axes, `Slice`, `SplitV`, `Unpack`, `Transpose` of rank
 * >= 5 or of the last two axes, `GatherV2`, `Identity` without a copy: see `heap_kernels.ts`) on the wasm backend. They need no native library. Returns whether they are active and a one-line reason.
 *
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-wasm";
 * enableHeapKernels().reason; // "heap kernels on the wasm backend: Sum, Slice, SplitV, ..."
 * ```
 */
export function enableHeapKernels(): { active: boolean; reason: string } {
  if (!tf.getKernel("Sum", "wasm")) {
    return { active: false, reason: "stock wasm kernels: tfjs wasm backend not loaded" };
  }
  if (!heapSwap) {
    heapSwap = new KernelSwap("wasm");
    heapSwap.install({
      Sum: (stock) => heapSumConfig(stock, heapCounters),
      Slice: (stock) => heapSliceConfig(stock, heapCounters),
      SplitV: (stock) => heapSplitVConfig(stock, heapCounters),
      Unpack: (stock) => heapUnpackConfig(stock, heapCounters),
      Transpose: (stock) => heapTransposeConfig(stock, heapCounters),
      GatherV2: (stock) => heapGatherConfig(stock, heapCounters),
      Identity: (stock) => heapIdentityConfig(stock, heapCounters),
    });
  }
  return { active: true, reason: `heap kernels on the wasm backend: ${HEAP_KERNEL_NAMES.join(", ")}` };
}

/** Puts the stock kernels of {@link HEAP_KERNEL_NAMES} back (no-op when not active). */
export function disableHeapKernels(): void {
  heapSwap?.restore();
  heapSwap = null;
}

/** Running counters of the heap kernels (a live object). */
export function heapKernelCounters(): Readonly<HeapKernelCounters> {
  return heapCounters;
}

/** What {@link accelerateWasm} switched on. */
export interface AccelerationStatus {
  matmul: NativeMatmulStatus;
  heapKernels: boolean;
  /** One line for logs: which path runs. */
  line: string;
}

/**
 * Everything this folder offers for the wasm backend, in one call: native sgemm matrix products when a BLAS
 * library loads (see {@link enableNativeMatmul}; options as there) and the heap kernels (unless
 * `heapKernels: false`). Never throws; `line` says what runs.
 *
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-wasm";
 * await tf.setBackend("wasm");
 * console.log(accelerateWasm().line);
 * ```
 */
export function accelerateWasm(
  opts: NativeMatmulOptions & { heapKernels?: boolean } = {},
): AccelerationStatus {
  const matmul = enableNativeMatmul(opts);
  const heap = opts.heapKernels === false ? { active: false, reason: "" } : enableHeapKernels();
  if (opts.heapKernels === false) disableHeapKernels();
  const line = matmul.reason + (heap.active ? `; ${heap.reason.replace(" on the wasm backend", "")}` : "");
  return { matmul, heapKernels: heap.active, line };
}

/** Undoes {@link accelerateWasm}: stock wasm kernels everywhere. */
export function restoreStockWasm(): void {
  disableNativeMatmul();
  disableHeapKernels();
}
