/**
 * Native speed for tfjs's wasm backend: matrix products through a BLAS library's sgemm (Debian's OpenBLAS by
 * default) called over Deno's FFI directly on the backend's heap, and plain-TypeScript heap kernels for the
 * stock kernels that are pathologically slow (Sum over leading axes, Slice, SplitV). Everything is optional:
 * without a library, or without FFI permission, the stock kernels run and the status line says why.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-wasm";
 * import { accelerateWasm } from "./lib/native/mod.ts";
 * await tf.setBackend("wasm");
 * console.log(accelerateWasm().line); // "native matmul on the wasm backend: cblas_sgemm from ...; heap kernels: ..."
 * ```
 *
 * @module
 */
export {
  accelerateWasm,
  type AccelerationStatus,
  activeBlas,
  disableHeapKernels,
  disableNativeMatmul,
  enableHeapKernels,
  enableNativeMatmul,
  HEAP_KERNEL_NAMES,
  heapKernelCounters,
  type HeapSgemmFn,
  NATIVE_MATMUL_DEFAULTS,
  nativeHeapSgemm,
  nativeMatmulCounters,
  type NativeMatmulOptions,
  type NativeMatmulStatus,
  nativeMatmulStatus,
  restoreStockWasm,
} from "./enable.ts";
export {
  type Blas,
  blasCandidates,
  type BlasOptions,
  ffiPermitted,
  inCi,
  openBlas,
  skipNativeTests,
} from "./blas.ts";
export {
  BENCH_MATMUL_DEFAULTS,
  benchHeapKernels,
  benchMatmul,
  type BenchMatmulResult,
  cpuSeconds,
  type HeapCaseResult,
  type MatmulCase,
  type MatmulCaseResult,
  sgemmPeak,
  smallPresetCases,
  timeCalls,
} from "./bench.ts";
export { broadcastBatch, planMatMul, referenceMatMul } from "./matmul_plan.ts";
export { ensureWasmBackend } from "./wasm_backend.ts";
export {
  formatProfile,
  type KernelProfile,
  type KernelProfileRow,
  profileKernels,
  WRAPPER_KERNEL_NAMES,
} from "./profile.ts";
