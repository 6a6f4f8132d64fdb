/**
 * Raw kernels on the tfjs wasm backend's heap, for the shapes where the stock kernels are slow.
 *
 * Measured on this machine (tfjs-wasm 4.22, SIMD, one thread; see `lib/model/SPEED.md`): a plain 2-D MatMul
 * runs at 20-35 GFLOP/s through XNNPACK, but a MatMul with a transpose flag or a batch dimension falls back to
 * a naive loop at 1-3 GFLOP/s, 2-D `transpose` moves ~14 ns per element and a [G, 256, 256] transpose 6.5.
 * So this module offers:
 *
 * - {@link HeapKernels.gemm}: C = A @ B on dense row-major blocks anywhere in the heap, through the backend's
 *   own XNNPACK path (the wasm `BatchMatMul` entry with batch 1 and no transposes), on *views*: temporary
 *   tensor ids registered over sub-ranges of existing tensors, so a batch of per-head products needs no
 *   slicing, stacking or copying. Each view id is fresh and disposed at once (XNNPACK caches its packed weights
 *   per id).
 * - {@link HeapKernels.transpose}: a cache-blocked transpose in JavaScript (~1.1 ns per element).
 * - {@link HeapKernels.colSum}: column sums in JavaScript (bias and LayerNorm gradients; tfjs's axis-0 sum
 *   transposes first).
 *
 * When a native sgemm is plugged in ({@link setNativeGemm}, from `lib/native/`), `gemm` calls it instead of
 * XNNPACK.
 *
 * Everything here reads tfjs-backend-wasm internals (`dataIdMap`, `makeOutput`, `wasm.tfjs.registerTensor`);
 * {@link heapKernels} returns null when they are not there, and callers then use plain tfjs ops.
 *
 * @module
 */
import type { Blas } from "../native/blas.ts";
import * as tf from "@tensorflow/tfjs-core";

/** The parts of the emscripten module this file uses. */
interface WasmModule {
  HEAPF32: Float32Array;
  HEAP32: Int32Array;
  _malloc(bytes: number): number;
  _BatchMatMul(
    aId: number,
    aShape: number,
    aRank: number,
    bId: number,
    bShape: number,
    bRank: number,
    transA: number,
    transB: number,
    outId: number,
  ): void;
  tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
}

/** The parts of tfjs-backend-wasm's `BackendWasm` this file uses. */
interface WasmBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
}

/**
 * A native sgemm on absolute heap byte offsets: C[M,N] = A[M,K] @ B[K,N], all dense row-major.
 * Returns false to decline (the XNNPACK path runs instead).
 */
export type NativeGemm = (
  aByte: number,
  bByte: number,
  cByte: number,
  m: number,
  k: number,
  n: number,
) => boolean;

let nativeGemm: NativeGemm | null = null;

/** Routes {@link HeapKernels.gemm} through a native sgemm (or back to XNNPACK with null). */
export function setNativeGemm(g: NativeGemm | null): void {
  nativeGemm = g;
}

/** Whether a native sgemm is plugged in. */
export function nativeGemmActive(): boolean {
  return nativeGemm !== null;
}

/**
 * A full native sgemm on the wasm heap: C = alpha op(A) op(B) + beta C, row-major, with leading dimensions, so
 * that a block of columns of a wider matrix (one head's q, k or v inside a fused [T, 3d] projection) is an
 * operand as it lies. `a`, `b`, `c` are float offsets into the heap (element indices of `HEAPF32`).
 */
export type HeapSgemm = Blas["sgemm"];

let stridedGemm: HeapSgemm | null = null;

/**
 * Plugs in (or, with null, removes) the native strided sgemm: `ops.ts` then runs attention as per-head
 * products on the fused projection in place and uses the fused elementwise kernels of {@link HeapKernels}
 * (the native path; `backend.ts` sets it when `lib/native` is active).
 */
export function setHeapSgemm(g: HeapSgemm | null): void {
  stridedGemm = g;
}

/** The native strided sgemm, when plugged in. */
export function heapSgemm(): HeapSgemm | null {
  return stridedGemm;
}

function isWasmBackend(b: unknown): b is WasmBackend {
  const x = b as Partial<WasmBackend> | null;
  return !!x && !!x.wasm && typeof x.wasm._BatchMatMul === "function" &&
    typeof x.wasm._malloc === "function" &&
    !!x.wasm.tfjs && typeof x.wasm.tfjs.registerTensor === "function" && typeof x.makeOutput === "function" &&
    !!x.dataIdMap && typeof x.dataIdNextNumber === "number";
}

/** Float offsets (element index into HEAPF32) and raw kernels on the current wasm backend. */
export class HeapKernels {
  readonly #be: WasmBackend;
  readonly #shapes: number; // byte offset of 6 int32 scratch: a's and b's [1, rows, cols]

  constructor(be: WasmBackend) {
    this.#be = be;
    this.#shapes = be.wasm._malloc(24) >>> 0;
  }

  /** The heap as floats (fetch again after any allocation: memory growth replaces the buffer). */
  get f32(): Float32Array {
    return this.#be.wasm.HEAPF32;
  }

  /** Float offset of a tensor's data. */
  off(t: tf.TensorInfo): number {
    const d = this.#be.dataIdMap.get(t.dataId);
    if (!d) throw new Error("heap: tensor is not on the wasm backend");
    return d.memoryOffset >>> 2;
  }

  /** A new float32 tensor with uninitialised data, tracked by the engine like any op output. */
  alloc(shape: number[]): tf.Tensor {
    const info = this.#be.makeOutput(shape, "float32");
    return tf.engine().makeTensorFromTensorInfo(info);
  }

  /**
   * C = A @ B on dense row-major blocks at float offsets: A [m, k], B [k, n], C [m, n].
   *
   * @example
   * ```ts
   * h.gemm(h.off(q) + g * n * dh, h.off(kT) + g * dh * n, h.off(s) + g * n * n, n, dh, n);
   * ```
   */
  gemm(a: number, b: number, c: number, m: number, k: number, n: number): void {
    if (nativeGemm && nativeGemm(a * 4, b * 4, c * 4, m, k, n)) return;
    const w = this.#be.wasm;
    const be = this.#be;
    const ia = be.dataIdNextNumber++, ib = be.dataIdNextNumber++, ic = be.dataIdNextNumber++;
    w.tfjs.registerTensor(ia, m * k, a * 4);
    w.tfjs.registerTensor(ib, k * n, b * 4);
    w.tfjs.registerTensor(ic, m * n, c * 4);
    const s = this.#shapes >>> 2, h = w.HEAP32;
    h[s] = 1, h[s + 1] = m, h[s + 2] = k, h[s + 3] = 1, h[s + 4] = k, h[s + 5] = n;
    try {
      w._BatchMatMul(ia, this.#shapes, 3, ib, this.#shapes + 12, 3, 0, 0, ic);
    } finally {
      w.tfjs.disposeData(ia);
      w.tfjs.disposeData(ib);
      w.tfjs.disposeData(ic);
    }
  }

  /** dst [cols, rows] = src [rows, cols]^T, float offsets, cache-blocked. */
  transpose(src: number, dst: number, rows: number, cols: number): void {
    const h = this.f32;
    const BS = 32;
    for (let r0 = 0; r0 < rows; r0 += BS) {
      const r1 = Math.min(rows, r0 + BS);
      for (let c0 = 0; c0 < cols; c0 += BS) {
        const c1 = Math.min(cols, c0 + BS);
        for (let c = c0; c < c1; c++) {
          let o = dst + c * rows + r0, s = src + r0 * cols + c;
          for (let r = r0; r < r1; r++, o++, s += cols) h[o] = h[s];
        }
      }
    }
  }

  /** Batched transpose: x [..., rows, cols] -> [..., cols, rows] as a new tensor. */
  transposeLast2(x: tf.Tensor): tf.Tensor {
    const sh = x.shape;
    const rows = sh[sh.length - 2], cols = sh[sh.length - 1];
    const batch = x.size / (rows * cols);
    const out = this.alloc([...sh.slice(0, -2), cols, rows]);
    const xo = this.off(x), oo = this.off(out);
    for (let g = 0; g < batch; g++) this.transpose(xo + g * rows * cols, oo + g * rows * cols, rows, cols);
    return out;
  }

  /**
   * GELU's argument for the sigmoid form: u = c x (1 + a x^2) with c = 2 sqrt(2/pi), a = 0.044715, one pass (the
   * sigmoid itself stays in wasm: JavaScript's `Math.exp` costs ~14 ns per element).
   */
  geluArg(x: tf.Tensor, c: number, a: number): tf.Tensor {
    const out = this.alloc(x.shape);
    const h = this.f32, xo = this.off(x), oo = this.off(out), n = x.size, ca = c * a;
    for (let i = 0; i < n; i++) {
      const v = h[xo + i];
      h[oo + i] = v * (c + ca * v * v);
    }
    return out;
  }

  /** GELU's backward in one pass: dx = dy (s + s (1 - s) x c (1 + 3 a x^2)), s = sigmoid(u) saved by the forward. */
  geluBackward(dy: tf.Tensor, x: tf.Tensor, s: tf.Tensor, c: number, a: number): tf.Tensor {
    const out = this.alloc(x.shape);
    const h = this.f32, dyo = this.off(dy), xo = this.off(x), so = this.off(s), oo = this.off(out);
    const n = x.size, c3a = 3 * c * a;
    for (let i = 0; i < n; i++) {
      const v = h[xo + i], si = h[so + i];
      h[oo + i] = h[dyo + i] * (si + si * (1 - si) * v * (c + c3a * v * v));
    }
    return out;
  }

  /**
   * LayerNorm over the last axis in one pass per row (statistics in float64): y = xhat g + b with
   * xhat = (x - mean) rstd, rstd = 1 / sqrt(var + eps). Returns y, xhat [rows, d] and rstd [rows, 1].
   */
  layerNormForward(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number): tf.Tensor[] {
    const d = x.shape[x.shape.length - 1], rows = x.size / d;
    const y = this.alloc(x.shape), xhat = this.alloc(x.shape), rstd = this.alloc([rows, 1]);
    const h = this.f32, xo = this.off(x), yo = this.off(y), ho = this.off(xhat), ro = this.off(rstd);
    const go = this.off(g), bo = this.off(b);
    for (let r = 0; r < rows; r++) {
      const o = r * d;
      let sum = 0;
      for (let j = 0; j < d; j++) sum += h[xo + o + j];
      const mu = sum / d;
      let sq = 0;
      for (let j = 0; j < d; j++) {
        const c = h[xo + o + j] - mu;
        sq += c * c;
      }
      const rs = 1 / Math.sqrt(sq / d + eps);
      h[ro + r] = rs;
      for (let j = 0; j < d; j++) {
        const xh = (h[xo + o + j] - mu) * rs;
        h[ho + o + j] = xh;
        h[yo + o + j] = xh * h[go + j] + h[bo + j];
      }
    }
    return [y, xhat, rstd];
  }

  /**
   * LayerNorm's backward in one pass per row: dx = rstd (gy - mean(gy) - xhat mean(gy xhat)) with gy = dy g;
   * dg = colsum(dy xhat), db = colsum(dy). Returns [dx, dg, db].
   */
  layerNormBackward(dy: tf.Tensor, xhat: tf.Tensor, rstd: tf.Tensor, g: tf.Tensor): tf.Tensor[] {
    const d = xhat.shape[xhat.shape.length - 1], rows = xhat.size / d;
    const dx = this.alloc(xhat.shape), dg = this.alloc([d]), db = this.alloc([d]);
    const h = this.f32, dyo = this.off(dy), ho = this.off(xhat), ro = this.off(rstd), go = this.off(g);
    const dxo = this.off(dx);
    const accG = new Float64Array(d), accB = new Float64Array(d);
    for (let r = 0; r < rows; r++) {
      const o = r * d;
      let m1 = 0, m2 = 0;
      for (let j = 0; j < d; j++) {
        const dyj = h[dyo + o + j], xh = h[ho + o + j], gy = dyj * h[go + j];
        m1 += gy;
        m2 += gy * xh;
        accG[j] += dyj * xh;
        accB[j] += dyj;
      }
      m1 /= d;
      m2 /= d;
      const rs = h[ro + r];
      for (let j = 0; j < d; j++) {
        const xh = h[ho + o + j];
        h[dxo + o + j] = rs * (h[dyo + o + j] * h[go + j] - m1 - xh * m2);
      }
    }
    h.set(accG, this.off(dg));
    h.set(accB, this.off(db));
    return [dx, dg, db];
  }

  /** Column sums of x [rows, cols] -> [cols]. */
  colSum(x: tf.Tensor): tf.Tensor {
    const cols = x.shape[x.shape.length - 1], rows = x.size / cols;
    const out = this.alloc([cols]);
    const acc = new Float64Array(cols);
    const h = this.f32, xo = this.off(x);
    for (let r = 0; r < rows; r++) {
      const o = xo + r * cols;
      for (let c = 0; c < cols; c++) acc[c] += h[o + c];
    }
    this.f32.set(acc, this.off(out));
    return out;
  }
}

const cache = new WeakMap<object, HeapKernels>();

/**
 * Heap kernels for the current backend, or null when it is not tfjs's wasm backend (or its internals differ
 * from what this file expects).
 */
export function heapKernels(): HeapKernels | null {
  if (tf.getBackend() !== "wasm") return null;
  const be = tf.backend() as unknown;
  if (!isWasmBackend(be)) return null;
  let k = cache.get(be as object);
  if (!k) {
    k = new HeapKernels(be);
    cache.set(be as object, k);
  }
  return k;
}
