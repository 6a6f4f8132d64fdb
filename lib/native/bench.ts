/**
 * Matrix-product micro-benchmark at the `small` preset's shapes: stock wasm kernels against the native sgemm
 * kernels, in the same process, plus the machine's raw sgemm peak (1024^3) measured in the same run, so the
 * figures share the machine's current load (it is shared: compare ratios, not absolute numbers).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../util/rng.ts";
import {
  activeBlas,
  disableHeapKernels,
  disableNativeMatmul,
  enableHeapKernels,
  enableNativeMatmul,
  NATIVE_MATMUL_DEFAULTS,
  type NativeMatmulStatus,
} from "./enable.ts";
import type { Blas } from "./blas.ts";
import { ensureWasmBackend } from "./wasm_backend.ts";

/** One product to time: `matMul(a, b, transA, transB)` with the given stored shapes. */
export interface MatmulCase {
  name: string;
  /** What it stands for in the model. */
  role: string;
  aShape: number[];
  bShape: number[];
  transA: boolean;
  transB: boolean;
}

/** Options of {@link benchMatmul}. */
export interface BenchMatmulOptions {
  /** Seconds spent timing each case per path (after warm-up). */
  secondsPerCase: number;
  /** BLAS threads for the native path. */
  threads?: number;
  /** OpenBLAS kernel family (see `BlasOptions.coreType`). */
  coreType?: string;
  /** Also time the native path with one thread and with all threads at every size (the policy's two ends). */
  threadVariants: boolean;
  /** Cases to run; defaults to {@link smallPresetCases}. */
  cases?: MatmulCase[];
  /** Called after each case (for progress output). */
  onCase?: (r: MatmulCaseResult) => void;
}

/** Defaults: short enough for a 2-core machine (the stock transposed kernels run ~0.1 s per call). */
export const BENCH_MATMUL_DEFAULTS: BenchMatmulOptions = {
  secondsPerCase: 0.4, // a few calls of the slowest stock case; noise on a shared machine dominates anyway
  threadVariants: true, // cheap, and shows at which sizes a second thread pays on this machine
};

/** Timings of one case. GFLOP/s count 2*m*n*k per output matrix. */
export interface MatmulCaseResult {
  name: string;
  role: string;
  m: number;
  n: number;
  k: number;
  batch: number;
  stockGflops: number;
  /** Native with the default thread policy. */
  nativeGflops?: number;
  /** Native, one thread. */
  native1Gflops?: number;
  /** Native, all threads whatever the size. */
  nativeAllGflops?: number;
  stockMs: number;
  nativeMs?: number;
}

/** Whole run. */
export interface BenchMatmulResult {
  status: NativeMatmulStatus;
  /** Raw `cblas_sgemm` at 1024^3 on plain buffers, in this run (absent without BLAS). */
  peakGflops?: number;
  cases: MatmulCaseResult[];
}

/**
 * The products of one training step of the `small` preset (d=128, 4 heads of 32, MLP 512, 256 tokens per
 * image, 4 pairs: linear layers see 1024 rows per image side), forward and backward.
 */
export function smallPresetCases(d = 128, tokens = 256, pairs = 4, heads = 4): MatmulCase[] {
  const rows = pairs * tokens, dh = d / heads, bh = pairs * heads, mlp = 4 * d;
  return [
    {
      name: "linear",
      role: "x W, plain 2-D",
      aShape: [rows, d],
      bShape: [d, mlp],
      transA: false,
      transB: false,
    },
    {
      name: "linear_dx",
      role: "dY W^T (grad of x)",
      aShape: [rows, mlp],
      bShape: [d, mlp],
      transA: false,
      transB: true,
    },
    {
      name: "linear_dw",
      role: "X^T dY (grad of W)",
      aShape: [rows, d],
      bShape: [rows, mlp],
      transA: true,
      transB: false,
    },
    {
      name: "attn_qk",
      role: "Q K^T per head, batched",
      aShape: [bh, tokens, dh],
      bShape: [bh, tokens, dh],
      transA: false,
      transB: true,
    },
    {
      name: "attn_av",
      role: "A V per head, batched",
      aShape: [bh, tokens, tokens],
      bShape: [bh, tokens, dh],
      transA: false,
      transB: false,
    },
    {
      name: "similarity",
      role: "F F^T over 2N tokens, batched",
      aShape: [pairs, 2 * tokens, d],
      bShape: [pairs, 2 * tokens, d],
      transA: false,
      transB: true,
    },
  ];
}

function caseDims(c: MatmulCase): { m: number; n: number; k: number; batch: number } {
  const ra = c.aShape.length, rb = c.bShape.length;
  const m = c.transA ? c.aShape[ra - 1] : c.aShape[ra - 2];
  const k = c.transA ? c.aShape[ra - 2] : c.aShape[ra - 1];
  const n = c.transB ? c.bShape[rb - 2] : c.bShape[rb - 1];
  const batch = Math.max(
    c.aShape.slice(0, -2).reduce((p, x) => p * x, 1),
    c.bShape.slice(0, -2).reduce((p, x) => p * x, 1),
  );
  return { m, n, k, batch };
}

/**
 * Milliseconds per call of `f`: calls are grouped in chunks of at least 5 ms, for at least `seconds` in all
 * (and at least 3 chunks), and the median chunk's mean is returned, which shrugs off bursts of load from other
 * processes on a shared machine. One warm-up call first.
 */
export function timeCalls(f: () => void, seconds: number): number {
  f();
  const chunks: number[] = [];
  const tEnd = performance.now() + seconds * 1000;
  while (chunks.length < 3 || performance.now() < tEnd) {
    const t0 = performance.now();
    let reps = 0, t = t0;
    while (t - t0 < 5) {
      f();
      reps++;
      t = performance.now();
    }
    chunks.push((t - t0) / reps);
  }
  chunks.sort((a, b) => a - b);
  return chunks[chunks.length >> 1];
}

function randomTensor(rng: Rng, shape: number[]): tf.Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.range(-1, 1)), shape);
}

/**
 * Raw sgemm GFLOP/s at n x n x n on plain (non-wasm) buffers: the machine's BLAS peak in this run.
 *
 * @example
 * ```ts
 * const { blas } = openBlas();
 * if (blas) console.log(sgemmPeak(blas, 1024, 0.5));
 * ```
 */
export function sgemmPeak(
  blas: Blas,
  n = 1024,
  seconds = 0.5,
  threads = navigator.hardwareConcurrency || 1,
): number {
  // On every core whatever the thread policy last chose (the adaptive policy may have left one thread set).
  const prev = blas.threads();
  blas.setThreads(threads);
  try {
    return sgemmPeakNow(blas, n, seconds);
  } finally {
    if (prev > 0) blas.setThreads(prev);
  }
}

function sgemmPeakNow(blas: Blas, n: number, seconds: number): number {
  const a = new Float32Array(n * n).fill(0.5),
    b = new Float32Array(n * n).fill(0.25),
    c = new Float32Array(n * n);
  const addr = (x: Float32Array) => Number(Deno.UnsafePointer.value(Deno.UnsafePointer.of(x)));
  const [pa, pb, pc] = [addr(a), addr(b), addr(c)];
  const ms = timeCalls(() => blas.sgemm(false, false, n, n, n, 1, pa, n, pb, n, 0, pc, n), seconds);
  return (2 * n * n * n) / ms / 1e6;
}

/**
 * Times every case with the stock wasm kernels and with the native ones (when a BLAS library loads), and the
 * raw sgemm peak. Leaves native matmul disabled afterwards.
 *
 * @example
 * ```ts
 * const r = await benchMatmul({ secondsPerCase: 0.3, threadVariants: false });
 * for (const c of r.cases) console.log(c.name, c.stockGflops, c.nativeGflops);
 * ```
 */
export async function benchMatmul(opts: Partial<BenchMatmulOptions> = {}): Promise<BenchMatmulResult> {
  const o: BenchMatmulOptions = { ...BENCH_MATMUL_DEFAULTS, ...opts };
  await ensureWasmBackend();
  const cases = o.cases ?? smallPresetCases();
  const rng = new Rng("bench-matmul");
  const status = enableNativeMatmul({ threads: o.threads, coreType: o.coreType });
  const blas = activeBlas();
  const threads = status.threads ?? o.threads;
  const minMacs = NATIVE_MATMUL_DEFAULTS.multiThreadMinMacs;
  disableNativeMatmul();
  const peakGflops = blas ? sgemmPeak(blas, 1024, 0.5, threads || undefined) : undefined;
  const results: MatmulCaseResult[] = [];
  for (const c of cases) {
    const { m, n, k, batch } = caseDims(c);
    const flop = 2 * m * n * k * batch;
    const a = randomTensor(rng, c.aShape), b = randomTensor(rng, c.bShape);
    const call = () => tf.matMul(a, b, c.transA, c.transB).dispose();
    disableNativeMatmul();
    const stockMs = timeCalls(call, o.secondsPerCase);
    const r: MatmulCaseResult = {
      name: c.name,
      role: c.role,
      m,
      n,
      k,
      batch,
      stockGflops: flop / stockMs / 1e6,
      stockMs,
    };
    if (status.active) {
      enableNativeMatmul({ threads, multiThreadMinMacs: minMacs });
      r.nativeMs = timeCalls(call, o.secondsPerCase);
      r.nativeGflops = flop / r.nativeMs / 1e6;
      if (o.threadVariants) {
        enableNativeMatmul({ threads: 1 });
        r.native1Gflops = flop / timeCalls(call, o.secondsPerCase) / 1e6;
        enableNativeMatmul({ threads, multiThreadMinMacs: 0 });
        r.nativeAllGflops = flop / timeCalls(call, o.secondsPerCase) / 1e6;
      }
      disableNativeMatmul();
    }
    tf.dispose([a, b]);
    results.push(r);
    o.onCase?.(r);
  }
  return { status, peakGflops, cases: results };
}

/** Stock against heap-kernel milliseconds for one operation. */
export interface HeapCaseResult {
  name: string;
  stockMs: number;
  heapMs: number;
}

/**
 * Times the heap kernels against the stock ones at the model's shapes (bias/LayerNorm gradient sums, the split
 * of a fused q|k|v projection, a column slice).
 *
 * @example
 * ```ts
 * for (const r of await benchHeapKernels(0.2)) console.log(r.name, r.stockMs, r.heapMs);
 * ```
 */
export async function benchHeapKernels(
  secondsPerCase = 0.3,
  rows = 1024,
  d = 128,
): Promise<HeapCaseResult[]> {
  await ensureWasmBackend();
  const rng = new Rng("bench-heap");
  const x4 = randomTensor(rng, [rows, 4 * d]),
    x1 = randomTensor(rng, [rows, d]),
    x3 = randomTensor(rng, [rows, 3 * d]);
  const cases: [string, () => tf.Tensor | tf.Tensor[]][] = [
    [`sum axis 0 [${rows},${4 * d}]`, () => tf.sum(x4, 0)],
    [`sum axis 0 [${rows},${d}]`, () => tf.sum(x1, 0)],
    [`split [${rows},${3 * d}] in 3 on axis 1`, () => tf.split(x3, 3, 1)],
    [`slice [${rows},${3 * d}] columns ${d}..${2 * d}`, () => tf.slice(x3, [0, d], [rows, d])],
  ];
  const out: HeapCaseResult[] = [];
  for (const [name, f] of cases) {
    const call = () => tf.dispose(f());
    disableHeapKernels();
    const stockMs = timeCalls(call, secondsPerCase);
    enableHeapKernels();
    const heapMs = timeCalls(call, secondsPerCase);
    disableHeapKernels();
    out.push({ name, stockMs, heapMs });
  }
  tf.dispose([x4, x1, x3]);
  return out;
}

/**
 * CPU seconds (user + system) this process has used so far, from `/proc/self/stat` (Linux; null elsewhere or
 * without read permission). On a shared machine, CPU time of single-threaded work is far steadier than wall time.
 *
 * @example
 * ```ts
 * const c0 = cpuSeconds();
 * step();
 * const c1 = cpuSeconds(); // c1 - c0: CPU seconds of the step, all threads together
 * ```
 */
export function cpuSeconds(): number | null {
  try {
    const stat = Deno.readTextFileSync("/proc/self/stat");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
    const ticks = Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
    return Number.isFinite(ticks) ? ticks / 100 : null; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}
