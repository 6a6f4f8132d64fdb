/**
 * Choosing the tfjs backend (and the kernel flavour of `ops.ts` that suits it).
 *
 * - `auto`: a hardware WebGPU adapter when there is one (never the software fallback), else tfjs-node-gpu or
 *   tfjs-node when already installed in `node_modules/`, else wasm, else cpu.
 * - `webgpu`: tfjs-backend-webgpu on Deno's `navigator.gpu` (`webgpu.ts`); a software adapter (llvmpipe) only
 *   with `MANGAMATCH_WEBGPU_SOFTWARE=1`. Reads on it are asynchronous only (no `dataSync`).
 * - `tensorflow`: tfjs-node-gpu, else tfjs-node; imported dynamically, so nothing is installed unless asked
 *   for (their npm install downloads libtensorflow from a host these machines cannot reach).
 * - `wasm`: tfjs-backend-wasm (SIMD, one thread in Deno). With `blas: "auto"` the native sgemm kernels of
 *   `lib/native/` are switched on when that module and a BLAS library are present; nothing depends on them.
 * - `cpu`: tfjs-backend-cpu (plain JavaScript; slow, but always there).
 *
 * @module
 */
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { UserError } from "../util/errors.ts";
import { existsSync } from "../util/fs.ts";
import { REPO_ROOT } from "../util/paths.ts";
import { type KernelMode, setKernelMode } from "./ops.ts";
import { type HeapSgemm, nativeGemmActive, setHeapSgemm, setNativeGemm } from "./heap.ts";
import { tryWebgpu } from "./webgpu.ts";
// Types only: lib/native (FFI) is imported dynamically, when asked for.
import type { Blas } from "../native/blas.ts";

/** Backends a user can ask for. */
export type BackendKind = "auto" | "webgpu" | "tensorflow" | "wasm" | "cpu";
/** Backend kinds for `--backend` (CLI choice lists). */
export const BACKEND_KINDS: readonly BackendKind[] = ["auto", "webgpu", "tensorflow", "wasm", "cpu"];

/** Options of {@link initBackend}. */
export interface BackendOptions {
  backend?: BackendKind;
  /** Native BLAS under the wasm backend: `auto` when `lib/native/` and a library are there, `off` never. */
  blas?: "auto" | "off";
  /** Kernel flavour of `ops.ts` (`auto`: `fast` on stock wasm, `tf` elsewhere). */
  kernels?: KernelMode | "auto";
  /** Where to print the one line saying what runs (default: console.error; null: silent). */
  log?: ((line: string) => void) | null;
}

/** What runs. */
export interface BackendInfo {
  /** tfjs backend name in force (`webgpu`, `tensorflow`, `wasm`, `cpu`). */
  backend: string;
  /** Kernel flavour in force. */
  kernels: KernelMode;
  /** Native BLAS status (null when not tried). */
  native: { active: boolean; reason: string } | null;
  /** The one line printed. */
  line: string;
}

/** The kernel flavour `auto` picks when native BLAS is active (by measurement, SPEED.md). */
export const AUTO_WITH_NATIVE: KernelMode = "tf";

const NODE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

/** tfjs-node packages already present in node_modules (never installs anything). */
export function installedTfjsNode(root: string = REPO_ROOT): string[] {
  return NODE_PACKAGES.filter((p) => existsSync(path.join(root, "node_modules", ...p.split("/"))));
}

async function tryTensorflow(explicit: boolean): Promise<string | null> {
  const candidates = explicit ? [...NODE_PACKAGES] : installedTfjsNode();
  const errors: string[] = [];
  for (const pkg of candidates) {
    try {
      // A computed specifier: not resolved (or installed) unless this line runs.
      const spec = `npm:${pkg}@${tf.version_core}`;
      await import(spec);
      if (await tf.setBackend("tensorflow")) return pkg;
      errors.push(`${pkg}: setBackend("tensorflow") failed`);
    } catch (e) {
      errors.push(`${pkg}: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  if (explicit) {
    throw new UserError(
      `--backend tensorflow: no usable tfjs-node (${
        errors.join("; ")
      }). Install it where libtensorflow can be ` +
        `downloaded (see README), or use --backend wasm`,
    );
  }
  return null;
}

interface NativeModule {
  enableNativeMatmul(opts?: Record<string, unknown>): { active: boolean; reason: string };
  accelerateWasm?(
    opts?: Record<string, unknown>,
  ): { matmul: { active: boolean; reason: string }; line: string };
  activeBlas?(): Pick<Blas, "sgemm"> | undefined;
  nativeHeapSgemm?(): HeapSgemm | undefined;
  restoreStockWasm?(): void;
  disableNativeMatmul?(): void;
}

/** The native module once loaded (so that `blas: "off"` can switch it back off in the same process). */
let loadedNative: Partial<NativeModule> | null = null;

/** Absolute address of the wasm heap's byte 0 (recomputed when memory growth replaces the buffer). */
function heapBase(): () => number {
  let buf: ArrayBufferLike | null = null, base = 0;
  return () => {
    const be = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } };
    const u8 = be.wasm.HEAPU8;
    if (u8.buffer !== buf) {
      buf = u8.buffer;
      base = Number(Deno.UnsafePointer.value(Deno.UnsafePointer.of(new Uint8Array(u8.buffer, 0, 1))));
    }
    return base;
  };
}

async function tryNative(): Promise<{ active: boolean; reason: string }> {
  const file = path.join(REPO_ROOT, "lib", "native", "mod.ts");
  if (!existsSync(file)) return { active: false, reason: "native BLAS: lib/native/mod.ts not present" };
  try {
    const spec = new URL("../native/mod.ts", import.meta.url).href; // computed: lib/native is optional
    const mod = (await import(spec)) as Partial<NativeModule>;
    loadedNative = mod;
    if (typeof mod.enableNativeMatmul !== "function") {
      return { active: false, reason: "native BLAS: no enableNativeMatmul" };
    }
    const st = mod.accelerateWasm
      ? (({ matmul, line }) => ({ active: matmul.active, reason: line }))(mod.accelerateWasm())
      : mod.enableNativeMatmul();
    // The fast flavour's per-head gemms call the same sgemm on heap addresses.
    const blas = st.active ? mod.activeBlas?.() : undefined;
    if (blas) {
      const base = heapBase();
      setNativeGemm((a, b, c, m, k, n) => {
        const o = base();
        blas.sgemm(false, false, m, n, k, 1, o + a, k, o + b, n, 0, o + c, n);
        return true;
      });
    } else setNativeGemm(null);
    // The native path's strided per-head products and fused heap kernels (ops.ts).
    setHeapSgemm(st.active ? mod.nativeHeapSgemm?.() ?? null : null);
    return { active: !!st.active, reason: st.reason };
  } catch (e) {
    return { active: false, reason: `native BLAS unavailable: ${(e as Error).message.split("\n")[0]}` };
  }
}

/**
 * Sets the tfjs backend and the kernel flavour, and prints one line saying which run.
 *
 * @example
 * ```ts
 * const info = await initBackend({ backend: "auto" }); // "backend: wasm (SIMD) | kernels: fast | native BLAS: off (...)"
 * ```
 */
export async function initBackend(opts: BackendOptions = {}): Promise<BackendInfo> {
  const kind = opts.backend ?? "auto";
  const log = opts.log === undefined ? (s: string) => console.error(s) : opts.log;
  let name = "";
  let detail = "";
  if (kind === "webgpu" || kind === "auto") {
    const adapter = await tryWebgpu(kind === "webgpu");
    if (adapter) {
      name = "webgpu";
      detail = adapter;
    }
  }
  if (!name && (kind === "tensorflow" || kind === "auto")) {
    const pkg = await tryTensorflow(kind === "tensorflow");
    if (pkg) {
      name = "tensorflow";
      detail = pkg;
    }
  }
  if (!name && (kind === "wasm" || kind === "auto")) {
    try {
      if (await tf.setBackend("wasm")) {
        await tf.ready();
        name = "wasm";
        const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT"),
          mt = tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT");
        detail = `${simd ? "SIMD" : "no SIMD"}, ${mt ? "threads" : "1 thread"}`;
      }
    } catch (e) {
      if (kind === "wasm") {
        throw new UserError(`--backend wasm failed: ${(e as Error).message.split("\n")[0]}`);
      }
    }
  }
  if (!name) {
    await tf.setBackend("cpu");
    await tf.ready();
    name = "cpu";
    detail = "JavaScript";
  }
  let native: BackendInfo["native"] = null;
  setNativeGemm(null);
  setHeapSgemm(null);
  if (name === "wasm") {
    if (opts.blas === "off") {
      (loadedNative?.restoreStockWasm ?? loadedNative?.disableNativeMatmul)?.();
      native = { active: false, reason: "native BLAS: off (--blas off)" };
    } else native = await tryNative();
  }
  let km = opts.kernels ?? "auto";
  // With native BLAS, tf.matMul (flags and batches included) and the fast flavour's per-head gemms both run on
  // sgemm; AUTO_WITH_NATIVE is the flavour measured faster on that path (see SPEED.md).
  if (km === "auto" && native?.active) km = nativeGemmActive() ? AUTO_WITH_NATIVE : "tf";
  const kernels = setKernelMode(km);
  const line = `backend: ${name} (${detail}) | kernels: ${kernels}` +
    (native ? ` | ${native.reason}` : "");
  log?.(line);
  return { backend: name, kernels, native, line };
}
