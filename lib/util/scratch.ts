/**
 * Reusable scratch buffers for per-pixel temporaries (post-processing, the edge map). Allocating a fresh multi-megabyte
 * typed array costs page faults on every call (on the VMs here about 4 ms per MB, more than the work done in
 * it), so each step borrows its temporaries from here, by a name of its own, and returns fresh arrays only for
 * what it hands back to the caller.
 *
 * A buffer only grows; {@link releaseScratch} drops them (e.g. after one very large image). Borrowed arrays
 * are valid until the next borrow under the same name: a name must be used by one function only, and never
 * while a caller may still hold that name's array. By convention a name is `"<step>.<variable>"`
 * (`"edge.blur"`, `"watershed.queue"`), which keeps names unique across the library.
 *
 * Lives in `util/` because `image/` (the edge map) and `regions/` both borrow; `regions/scratch.ts` re-exports it.
 *
 * @module
 */

const buffers = new Map<string, ArrayBuffer>();

function buffer(name: string, bytes: number): ArrayBuffer {
  let b = buffers.get(name);
  if (!b || b.byteLength < bytes) {
    b = new ArrayBuffer(bytes);
    buffers.set(name, b);
  }
  return b;
}

/**
 * An Int32Array of `n` elements borrowed under `name`; contents are left over from earlier use unless `fill`
 * is given.
 *
 * @example
 * ```ts
 * const queue = scratchInt32("lines.queue", w * h);
 * const seen = scratchUint8("lines.seen", w * h, 0); // zeroed
 * ```
 */
export function scratchInt32(name: string, n: number, fill?: number): Int32Array {
  const a = new Int32Array(buffer(name, 4 * n), 0, n);
  if (fill !== undefined) a.fill(fill);
  return a;
}

const zeroed = new Map<string, ArrayBuffer>();

/**
 * An Int32Array of `n` elements borrowed under `name` that is all zero on entry, for tables indexed by label:
 * the borrower must set back to zero every entry it changed before it returns (so no O(buffer) clearing is
 * paid per call).
 */
export function scratchInt32Zeroed(name: string, n: number): Int32Array {
  let b = zeroed.get(name);
  if (!b || b.byteLength < 4 * n) {
    b = new ArrayBuffer(4 * n);
    zeroed.set(name, b);
  }
  return new Int32Array(b, 0, n);
}

/** A Float32Array borrowed under `name` (see {@link scratchInt32}). */
export function scratchFloat32(name: string, n: number, fill?: number): Float32Array {
  const a = new Float32Array(buffer(name, 4 * n), 0, n);
  if (fill !== undefined) a.fill(fill);
  return a;
}

/** A Float64Array borrowed under `name` (see {@link scratchInt32}). */
export function scratchFloat64(name: string, n: number, fill?: number): Float64Array {
  const a = new Float64Array(buffer(name, 8 * n), 0, n);
  if (fill !== undefined) a.fill(fill);
  return a;
}

/** A Uint16Array borrowed under `name` (see {@link scratchInt32}). */
export function scratchUint16(name: string, n: number, fill?: number): Uint16Array {
  const a = new Uint16Array(buffer(name, 2 * n), 0, n);
  if (fill !== undefined) a.fill(fill);
  return a;
}

/** A Uint8Array borrowed under `name` (see {@link scratchInt32}). */
export function scratchUint8(name: string, n: number, fill?: number): Uint8Array {
  const a = new Uint8Array(buffer(name, n), 0, n);
  if (fill !== undefined) a.fill(fill);
  return a;
}

/** Bytes held by all scratch buffers. */
export function scratchBytes(): number {
  let s = 0;
  for (const b of buffers.values()) s += b.byteLength;
  for (const b of zeroed.values()) s += b.byteLength;
  return s;
}

/**
 * Drops the scratch buffers whose names start with `prefix` (all of them by default); they are reallocated on
 * their next use. Post-processing of a 1920x1920 pair leaves about 150 MB here (working size 1024 and the
 * full-resolution refinement), of a 512x512 pair about 30 MB.
 *
 * @example
 * ```ts
 * releaseScratch("upscale."); // the full-resolution refinement's buffers
 * releaseScratch();           // everything
 * ```
 */
export function releaseScratch(prefix = ""): void {
  for (const m of [buffers, zeroed]) for (const k of [...m.keys()]) if (k.startsWith(prefix)) m.delete(k);
}
