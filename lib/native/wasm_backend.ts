/**
 * Selecting tfjs's wasm backend and getting at its backend object, for the native kernels' tests and
 * benchmarks (the model's own backend selection lives in `lib/model`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import { isWasmBackend, type WasmBackendLike } from "./wasm_heap.ts";

/**
 * Makes `wasm` the active tfjs backend and returns its backend object.
 *
 * @example
 * ```ts
 * const backend = await ensureWasmBackend();
 * backend.wasm.HEAPU8.length; // heap size in bytes
 * ```
 */
export async function ensureWasmBackend(): Promise<WasmBackendLike> {
  if (tf.getBackend() !== "wasm") {
    const ok = await tf.setBackend("wasm");
    if (!ok) throw new Error("the tfjs wasm backend failed to initialise");
  }
  await tf.ready();
  const be = tf.backend();
  if (!isWasmBackend(be)) throw new Error("tfjs backend 'wasm' does not expose its heap as expected");
  return be;
}
