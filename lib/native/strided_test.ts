import { assertArrayAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { copyBox, simplifyTranspose, sumMiddleAxis, transposeInto } from "./strided.ts";

/** Element-by-element box copy: the obvious reference. */
function refBox(x: Float32Array, shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const total = size.reduce((p, d) => p * d, 1);
  for (let t = 0; t < total; t++) {
    let rem = t, off = 0;
    for (let i = size.length - 1; i >= 0; i--) {
      const c = rem % size[i];
      rem = Math.floor(rem / size[i]);
      off += (begin[i] + c) * strides[i];
    }
    out.push(x[off]);
  }
  return out;
}

Deno.test("copyBox: hand-worked 2-D cuts", () => {
  const x = Float32Array.from({ length: 12 }, (_, i) => i); // [3, 4]
  const out = new Float32Array(4);
  copyBox(x, 0, [3, 4], [1, 1], [2, 2], out, 0);
  assertEquals(Array.from(out), [5, 6, 9, 10]);
  const col = new Float32Array(3);
  copyBox(x, 0, [3, 4], [0, 3], [3, 1], col, 0);
  assertEquals(Array.from(col), [3, 7, 11]);
  const rows = new Float32Array(8);
  copyBox(x, 0, [3, 4], [1, 0], [2, 4], rows, 0); // contiguous: one run
  assertEquals(Array.from(rows), [4, 5, 6, 7, 8, 9, 10, 11]);
});

Deno.test("copyBox: random boxes up to rank 5, separate and in-place (same array) destinations", () => {
  const rng = new Rng("copybox");
  for (let t = 0; t < 60; t++) {
    const rank = rng.int(1, 6);
    const shape = Array.from({ length: rank }, () => rng.int(1, 7) * (rng.bool(0.3) ? 8 : 1));
    const begin = shape.map((d) => rng.int(0, d));
    const size = shape.map((d, i) => rng.int(1, d - begin[i] + 1));
    const n = shape.reduce((p, d) => p * d, 1);
    const outN = size.reduce((p, d) => p * d, 1);
    const heap = new Float32Array(7 + n + outN);
    for (let i = 0; i < n; i++) heap[7 + i] = rng.normal();
    const expect = refBox(heap.subarray(7, 7 + n), shape, begin, size);
    copyBox(heap, 7, shape, begin, size, heap, 7 + n); // the wasm case: one heap, two regions
    assertEquals(Array.from(heap.subarray(7 + n)), expect, `shape ${shape} begin ${begin} size ${size}`);
    const sep = new Int32Array(outN);
    copyBox(
      Int32Array.from(heap.subarray(7, 7 + n), (v) => Math.round(v * 100)),
      0,
      shape,
      begin,
      size,
      sep,
      0,
    );
    assertEquals(Array.from(sep), expect.map((v) => Math.round(v * 100) | 0));
  }
});

Deno.test("sumMiddleAxis: hand-worked and random against a float64 reference", () => {
  const out = new Float32Array(4);
  // [2, 2, 2]: pre 2, red 2, post 2
  sumMiddleAxis(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), 0, 2, 2, 2, out, 0, new Float64Array(2));
  assertEquals(Array.from(out), [4, 6, 12, 14]);
  const rng = new Rng("summid");
  const [pre, red, post] = [3, 37, 11];
  const x = Float32Array.from({ length: pre * red * post }, () => rng.normal());
  const got = new Float32Array(pre * post);
  sumMiddleAxis(x, 0, pre, red, post, got, 0, new Float64Array(post));
  const ref: number[] = [];
  for (let p = 0; p < pre; p++) {
    for (let j = 0; j < post; j++) {
      let s = 0;
      for (let r = 0; r < red; r++) s += x[(p * red + r) * post + j];
      ref.push(s);
    }
  }
  assertArrayAlmostEquals(got, ref, 1e-5);
});

Deno.test("simplifyTranspose merges axes that move together and drops size-1 axes", () => {
  assertEquals(simplifyTranspose([2, 3, 4, 5], [0, 2, 3, 1]), { shape: [2, 3, 20], perm: [0, 2, 1] });
  assertEquals(simplifyTranspose([2, 3, 4], [0, 1, 2]), { shape: [24], perm: [0] });
  assertEquals(simplifyTranspose([2, 1, 3], [2, 1, 0]), { shape: [2, 3], perm: [1, 0] });
  assertEquals(simplifyTranspose([1, 1], [1, 0]), { shape: [], perm: [] });
  assertEquals(simplifyTranspose([8, 256, 3, 4, 32], [2, 0, 3, 1, 4]).perm, [2, 0, 3, 1, 4]);
});

Deno.test("transposeInto matches an element-wise reference on random shapes and permutations", () => {
  const rng = new Rng("transpose");
  for (let t = 0; t < 80; t++) {
    const rank = rng.int(1, 7);
    const shape = Array.from({ length: rank }, () => rng.pick([1, 2, 3, 5, 33]));
    const perm = rng.shuffle(Array.from({ length: rank }, (_, i) => i));
    const n = shape.reduce((p, d) => p * d, 1);
    if (n > 200000) continue;
    const x = Float32Array.from({ length: n }, (_, i) => i);
    const heap = new Float32Array(3 + 2 * n);
    heap.set(x, 3);
    transposeInto(heap, 3, shape, perm, heap, 3 + n);
    // reference: out index -> in index
    const outShape = perm.map((a) => shape[a]);
    const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
    const ref = new Float32Array(n);
    for (let o = 0; o < n; o++) {
      let rem = o, off = 0;
      for (let i = rank - 1; i >= 0; i--) {
        const c = rem % outShape[i];
        rem = Math.floor(rem / outShape[i]);
        off += c * inStrides[perm[i]];
      }
      ref[o] = x[off];
    }
    assertEquals(Array.from(heap.subarray(3 + n)), Array.from(ref), `shape ${shape} perm ${perm}`);
  }
});
