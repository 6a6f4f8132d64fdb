/**
 * The parts of tfjs's wasm backend that native kernels touch, typed, and the absolute address of its heap.
 *
 * The backend keeps every tensor in one `WebAssembly.Memory`: `dataIdMap.get(dataId).memoryOffset` is the
 * byte offset of a tensor, `makeOutput(shape, dtype)` mallocs a new one. When malloc grows the memory, the old
 * `ArrayBuffer` is detached and emscripten re-points `wasm.HEAPU8` & co. at the new one, whose address may
 * differ: {@link WasmHeap.base} re-derives the address whenever the buffer object changes, so callers must
 * ask for it after their last allocation.
 *
 * @module
 */

/** One tensor's record in the wasm backend's data map. */
export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: string;
  refCount: number;
}

/** What a tfjs kernel receives as `TensorInfo`. */
export interface TensorInfoLike {
  dataId: object;
  shape: number[];
  dtype: string;
}

/** The emscripten module inside the backend. */
export interface WasmModuleLike {
  HEAPU8: Uint8Array;
  HEAPF32: Float32Array;
}

/** The subset of tfjs-backend-wasm's `BackendWasm` used here (checked against 4.22.0). */
export interface WasmBackendLike {
  wasm: WasmModuleLike;
  dataIdMap: { get(dataId: object): WasmTensorData | undefined };
  makeOutput(shape: number[], dtype: string): TensorInfoLike;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Whether `x` looks like tfjs-backend-wasm's backend object. */
export function isWasmBackend(x: unknown): x is WasmBackendLike {
  const b = x as Partial<WasmBackendLike> | null;
  return !!b && typeof b === "object" && !!b.wasm && b.wasm.HEAPU8 instanceof Uint8Array &&
    typeof b.makeOutput === "function" && !!b.dataIdMap;
}

/**
 * Absolute addresses into a wasm backend's heap, cached per `ArrayBuffer` (re-derived after growth).
 *
 * @example
 * ```ts
 * const heap = new WasmHeap(backend.wasm);
 * const out = backend.makeOutput([m, n], "float32"); // may grow the memory
 * const cAddr = heap.base() + backend.dataIdMap.get(out.dataId)!.memoryOffset;
 * ```
 */
export class WasmHeap {
  #buffer: ArrayBufferLike | null = null;
  #base = 0;
  #f32: Float32Array | null = null;

  constructor(readonly module: WasmModuleLike) {}

  #refresh(): void {
    const u8 = this.module.HEAPU8;
    if (u8.buffer === this.#buffer) return;
    this.#buffer = u8.buffer;
    // A view of the whole buffer: its address is the heap's base (offset 0).
    const whole = new Uint8Array(u8.buffer, 0, 1);
    this.#base = Number(Deno.UnsafePointer.value(Deno.UnsafePointer.of(whole)));
    this.#f32 = new Float32Array(u8.buffer);
  }

  /** Address of byte 0 of the heap as it is now. */
  base(): number {
    this.#refresh();
    return this.#base;
  }

  /** A float32 view of the whole heap as it is now (do not keep it across allocations). */
  f32(): Float32Array {
    this.#refresh();
    return this.#f32!;
  }

  /** The heap's current size in bytes. */
  byteLength(): number {
    return this.module.HEAPU8.buffer.byteLength;
  }
}
