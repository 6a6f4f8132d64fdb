/** The heap kernels against the stock wasm kernels on seeded random shapes and dtypes. */
import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { disableHeapKernels, enableHeapKernels, heapKernelCounters } from "./enable.ts";
import { ensureWasmBackend } from "./wasm_backend.ts";

function randn(rng: Rng, shape: number[], dtype: "float32" | "int32" | "bool" = "float32"): tf.Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  if (dtype === "bool") {
    return tf.tensor(Uint8Array.from({ length: n }, () => (rng.bool() ? 1 : 0)), shape, "bool");
  }
  if (dtype === "int32") {
    return tf.tensor(Int32Array.from({ length: n }, () => rng.int(-1000, 1000)), shape, "int32");
  }
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}

/** Runs `f` stock then with heap kernels; returns shapes and values of both. */
function both(f: () => tf.Tensor | tf.Tensor[]) {
  const read = (t: tf.Tensor | tf.Tensor[]) =>
    (Array.isArray(t) ? t : [t]).map((x) => {
      const r = { shape: x.shape, values: Array.from(x.dataSync() as ArrayLike<number>) };
      x.dispose();
      return r;
    });
  disableHeapKernels();
  const stock = read(f());
  assert(enableHeapKernels().active);
  try {
    return { stock, heap: read(f()) };
  } finally {
    disableHeapKernels();
  }
}

Deno.test("heap Sum over leading and middle axes matches stock; innermost and scattered axes fall back", async () => {
  await ensureWasmBackend();
  const rng = new Rng("heap-sum");
  const cases: [number[], number | number[], boolean][] = [
    [[1024, 128], 0, false],
    [[37, 5], 0, true],
    [[3, 17, 9], 1, false],
    [[3, 17, 9], [0, 1], true],
    [[2, 3, 4, 5], [1, 2], false],
    [[2, 3, 4, 5], -3, false],
    [[4, 1, 6], [0, 1], false],
    [[0, 3], 0, false],
  ];
  const c0 = heapKernelCounters().sum;
  for (const [shape, axis, keepDims] of cases) {
    const x = randn(rng, shape);
    const { stock, heap } = both(() => tf.sum(x, axis, keepDims));
    assertEquals(heap[0].shape, stock[0].shape, `shape for ${shape} axis ${axis}`);
    for (let i = 0; i < stock[0].values.length; i++) {
      const d = Math.abs(heap[0].values[i] - stock[0].values[i]);
      assert(
        d <= 1e-4 * Math.max(1, Math.abs(stock[0].values[i])),
        `${shape} axis ${axis}: [${i}] off by ${d}`,
      );
    }
    x.dispose();
  }
  assertEquals(heapKernelCounters().sum - c0, cases.length, "every case took the heap path");
  const fb0 = heapKernelCounters().fallback;
  const x = randn(rng, [3, 4, 5]);
  for (const axis of [2, [0, 2], [1, 2], -1]) {
    const { stock, heap } = both(() => tf.sum(x, axis));
    assertEquals(heap, stock);
  }
  const xi = randn(rng, [5, 4], "int32");
  const { stock, heap } = both(() => tf.sum(xi, 0));
  assertEquals(heap, stock);
  assertEquals(heapKernelCounters().fallback - fb0, 5, "innermost, scattered and int32 sums went to stock");
  tf.dispose([x, xi]);
});

Deno.test("heap Slice and SplitV match stock bit for bit on random boxes and dtypes", async () => {
  await ensureWasmBackend();
  const rng = new Rng("heap-slice");
  const s0 = heapKernelCounters().slice, v0 = heapKernelCounters().splitV;
  let slices = 0, splits = 0;
  for (let t = 0; t < 40; t++) {
    const rank = rng.int(1, 6);
    const shape = Array.from({ length: rank }, () => rng.int(1, 6) * (rng.bool(0.3) ? 9 : 1));
    const dtype = rng.pick(["float32", "float32", "int32", "bool"] as const);
    const x = randn(rng, shape, dtype);
    const begin = shape.map((d) => rng.int(0, d));
    const size = shape.map((d, i) => (rng.bool(0.2) ? -1 : rng.int(0, d - begin[i] + 1)));
    const r = both(() => tf.slice(x, begin, size));
    assertEquals(r.heap, r.stock, `slice ${shape} ${begin} ${size} ${dtype}`);
    slices++;
    const axis = rng.int(0, rank);
    const parts = shape[axis] % 3 === 0 ? 3 : [shape[axis] - 1, 1].filter((v) => v > 0);
    const s = both(() => tf.split(x, parts, axis));
    assertEquals(s.heap, s.stock, `split ${shape} axis ${axis} ${dtype}`);
    splits++;
    x.dispose();
  }
  assertEquals(heapKernelCounters().slice - s0, slices);
  assertEquals(heapKernelCounters().splitV - v0, splits);
});

Deno.test("heap Transpose matches stock on rank-5 moves and last-two swaps; other moves stay stock", async () => {
  await ensureWasmBackend();
  const rng = new Rng("heap-transpose");
  const taken: [number[], number[]][] = [
    [[4, 6, 3, 2, 5], [2, 0, 3, 1, 4]], // the attention q|k|v split
    [[3, 4, 2, 6, 5], [1, 3, 0, 2, 4]], // and back
    [[2, 3, 4, 5, 6], [4, 3, 2, 1, 0]], // everything moves
    [[2, 1, 3, 4, 5, 2], [5, 0, 3, 2, 4, 1]], // rank 6 with a size-1 axis
    [[37, 45], [1, 0]], // plain 2-D, tiles with ragged edges
    [[3, 33, 70], [0, 2, 1]], // batched swap of the last two
    [[2, 3, 40, 9], [0, 1, 3, 2]],
  ];
  const t0 = heapKernelCounters().transpose;
  for (const [shape, perm] of taken) {
    for (const dtype of ["float32", "int32"] as const) {
      const x = randn(rng, shape, dtype);
      const r = both(() => tf.transpose(x, perm));
      assertEquals(r.heap, r.stock, `transpose ${shape} by ${perm} (${dtype})`);
      x.dispose();
    }
  }
  assertEquals(heapKernelCounters().transpose - t0, 2 * taken.length);
  const fb0 = heapKernelCounters().fallback;
  const x = randn(rng, [2, 3, 4, 5]);
  for (const perm of [[0, 2, 1, 3], [1, 0, 2, 3], [0, 1, 2, 3]]) {
    const r = both(() => tf.transpose(x, perm));
    assertEquals(r.heap, r.stock);
  }
  assertEquals(heapKernelCounters().fallback - fb0, 3, "rank-4 moves keeping the last axis stay stock");
  x.dispose();
});

Deno.test("heap GatherV2 and Unpack match stock; bad indices are refused", async () => {
  await ensureWasmBackend();
  const rng = new Rng("heap-gather");
  const g0 = heapKernelCounters().gather, u0 = heapKernelCounters().unpack;
  const cases: [number[], number, number[]][] = [
    [[8, 4, 16, 8], 0, [1, 0, 3, 2, 5, 4, 7, 6]],
    [[5, 7, 3], 1, [6, 0, 0, 2]],
    [[5, 7], 1, [3]],
    [[9], 0, [8, 1, 1, 0]],
  ];
  for (const [shape, axis, idx] of cases) {
    for (const dtype of ["float32", "int32", "bool"] as const) {
      const x = randn(rng, shape, dtype), i = tf.tensor1d(idx, "int32");
      const r = both(() => tf.gather(x, i, axis));
      assertEquals(r.heap, r.stock, `gather ${shape} axis ${axis} ${dtype}`);
      tf.dispose([x, i]);
    }
  }
  const i2 = tf.tensor2d([[0, 2], [1, 1]], [2, 2], "int32"), x2 = randn(rng, [3, 4]);
  const r2 = both(() => tf.gather(x2, i2, 0)); // 2-D indices: [2, 2, 4]
  assertEquals(r2.heap, r2.stock);
  assertEquals(heapKernelCounters().gather - g0, 3 * cases.length + 1);
  enableHeapKernels();
  try {
    assertThrows(() => tf.gather(x2, tf.tensor1d([3], "int32"), 0), Error, "index value 3 is not in [0, 2]");
  } finally {
    disableHeapKernels();
  }
  for (
    const [shape, axis] of [[[3, 8, 4, 16, 8], 0], [[2, 5, 3], 1], [[2, 5, 3], -1]] as [number[], number][]
  ) {
    const x = randn(rng, shape);
    const r = both(() => tf.unstack(x, axis));
    assertEquals(r.heap, r.stock, `unstack ${shape} axis ${axis}`);
    x.dispose();
  }
  assertEquals(heapKernelCounters().unpack - u0, 3);
  tf.dispose([i2, x2]);
});

Deno.test("heap kernels leave no tensors behind and restore the stock kernels", async () => {
  await ensureWasmBackend();
  const names = ["Sum", "Slice", "SplitV", "Unpack", "Transpose", "GatherV2"];
  const stock = names.map((k) => tf.getKernel(k, "wasm"));
  const x = tf.ones([4, 6]);
  enableHeapKernels();
  const n0 = tf.memory().numTensors;
  tf.tidy(() => {
    tf.sum(x, 0).dataSync();
    tf.slice(x, [1, 2], [2, 3]).dataSync();
    tf.split(x, 3, 1).forEach((t) => t.dataSync());
    tf.unstack(x).forEach((t) => t.dataSync());
    tf.transpose(x).dataSync();
    tf.gather(x, tf.tensor1d([2, 0], "int32")).dataSync();
  });
  assertEquals(tf.memory().numTensors, n0);
  disableHeapKernels();
  x.dispose();
  names.forEach((k, i) => assert(tf.getKernel(k, "wasm") === stock[i], `${k} restored`));
});

Deno.test("heap Identity shares the data: clones read the same, outlive or predecease the original, leak nothing", async () => {
  await ensureWasmBackend();
  const rng = new Rng("heap-identity");
  for (const dtype of ["float32", "int32", "bool"] as const) {
    const x = randn(rng, [7, 5], dtype);
    const { stock, heap } = both(() => tf.clone(x));
    assertEquals(heap, stock, `${dtype} clone`);
    x.dispose();
  }
  assert(enableHeapKernels().active);
  try {
    const before = tf.memory().numBytes, c0 = heapKernelCounters().identity;
    const x = randn(rng, [64, 3]);
    const want = Array.from(x.dataSync());
    const y = tf.clone(x), z = tf.clone(y);
    assertEquals(heapKernelCounters().identity, c0 + 2);
    x.dispose();
    assertEquals(Array.from(y.dataSync()), want, "the clone survives the original");
    y.dispose();
    assertEquals(Array.from(z.dataSync()), want, "and a clone of the clone");
    // customGrad saves (engine clones) and the residual's dy pass-through, in a gradient: no leak, same grads.
    const w0 = randn(rng, [64, 3]), w = tf.variable(w0);
    w0.dispose();
    const op = tf.customGrad((a, save) => {
      (save as tf.GradSaveFunc)([a as tf.Tensor]);
      return {
        value: tf.sum(tf.mul(a as tf.Tensor, a as tf.Tensor)),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const g = tf.tidy(() => tf.mul(tf.mul(dy, saved[0]), 2));
          saved[0].dispose(); // as ops.ts's backward() does: tfjs keeps saved tensors otherwise
          return [g];
        },
      };
    });
    const n0 = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => op(w) as tf.Scalar, [w]);
    const g = Array.from(grads[w.name].dataSync()), wv = Array.from(w.dataSync());
    for (let i = 0; i < g.length; i++) assert(Math.abs(g[i] - 2 * wv[i]) < 1e-5, `grad [${i}]`);
    value.dispose();
    grads[w.name].dispose();
    assertEquals(tf.memory().numTensors, n0, "no tensor left by the gradient");
    z.dispose();
    w.dispose();
    assertEquals(tf.memory().numBytes, before, "no bytes left");
  } finally {
    disableHeapKernels();
  }
});
