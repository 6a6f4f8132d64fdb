/**
 * The native BatchMatMul / _FusedMatMul kernels against the stock wasm kernels (same process, switched with
 * enable/disable), on seeded random shapes with every transpose combination, broadcasting, odd sizes, heap
 * growth and gradients. Skipped with a note when no BLAS library loads.
 */
import * as tf from "@tensorflow/tfjs-core";
import { assert, assertArrayAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { openBlas, skipNativeTests } from "./blas.ts";
import {
  activeBlas,
  disableNativeMatmul,
  enableNativeMatmul,
  nativeMatmulCounters,
  nativeMatmulStatus,
} from "./enable.ts";
import { referenceMatMul } from "./matmul_plan.ts";
import { ensureWasmBackend } from "./wasm_backend.ts";
import { heapOf, ThreadChooser } from "./matmul_kernels.ts";

const probe = openBlas();
const skip = skipNativeTests(probe); // never in CI: there a missing BLAS fails the tests
if (skip) console.log(`note: native matmul tests skipped (stock kernels only): ${probe.reason}`);

/** max |x - y| / max |y|: the error relative to the reference's scale. */
function relErr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assertEquals(x.length, y.length, "lengths");
  let d = 0, s = 0;
  for (let i = 0; i < y.length; i++) {
    d = Math.max(d, Math.abs(x[i] - y[i]));
    s = Math.max(s, Math.abs(y[i]));
  }
  return d / Math.max(s, 1e-30);
}

function randn(rng: Rng, shape: number[]): tf.Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}

/** Runs `f` with the stock kernels, then with the native ones; returns both outputs as arrays. */
function stockVsNative<T>(
  f: () => T,
  read: (t: T) => Float32Array[],
): { stock: Float32Array[]; native: Float32Array[] } {
  disableNativeMatmul();
  const s = f();
  const stock = read(s);
  const st = enableNativeMatmul();
  assert(st.active, st.reason);
  try {
    const n = f();
    return { stock, native: read(n) };
  } finally {
    disableNativeMatmul();
  }
}

const tensorsOut = (t: tf.Tensor | tf.Tensor[]) =>
  (Array.isArray(t) ? t : [t]).map((x) => {
    const v = x.dataSync() as Float32Array;
    x.dispose();
    return v;
  });

Deno.test({
  name: "enable/disable swaps the registered kernels and restores the stock configs",
  ignore: skip,
  async fn() {
    await ensureWasmBackend();
    const stockBmm = tf.getKernel("BatchMatMul", "wasm");
    const stockFused = tf.getKernel("_FusedMatMul", "wasm");
    const st = enableNativeMatmul({ threads: 2 });
    try {
      assert(st.active && st.library && !st.reason.includes("\n"), st.reason);
      assert(tf.getKernel("BatchMatMul", "wasm") !== stockBmm, "BatchMatMul replaced");
      assert(tf.getKernel("_FusedMatMul", "wasm") !== stockFused, "_FusedMatMul replaced");
      assertEquals(enableNativeMatmul({ threads: 1 }).threads, st.coreName ? 1 : undefined);
      if (st.coreName) {
        // Thread policy: one thread below the threshold, all of them at or above it.
        enableNativeMatmul({ threads: 2, multiThreadMinMacs: 1000 });
        tf.tidy(() => tf.matMul(tf.ones([9, 9]), tf.ones([9, 9])).dataSync()); // 729 MACs
        assertEquals(activeBlas()!.threads(), 1);
        tf.tidy(() => tf.matMul(tf.ones([10, 10]), tf.ones([10, 10])).dataSync()); // 1000 MACs
        assertEquals(activeBlas()!.threads(), 2);
        assert(nativeMatmulStatus().reason.includes("1 below"), nativeMatmulStatus().reason);
      }
      const before = nativeMatmulCounters().native;
      tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 4])).dataSync());
      assertEquals(nativeMatmulCounters().native, before + 1);
    } finally {
      disableNativeMatmul();
    }
    assert(!nativeMatmulStatus().active);
    assert(tf.getKernel("BatchMatMul", "wasm") === stockBmm, "stock BatchMatMul back");
    assert(tf.getKernel("_FusedMatMul", "wasm") === stockFused, "stock _FusedMatMul back");
    const before = nativeMatmulCounters().native;
    tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 4])).dataSync());
    assertEquals(nativeMatmulCounters().native, before, "stock kernel after disable");
  },
});

Deno.test({
  name: "refusals leave the stock kernels in place and say why",
  async fn() {
    await ensureWasmBackend();
    const stockBmm = tf.getKernel("BatchMatMul", "wasm");
    const off = enableNativeMatmul({ library: "off" });
    assert(
      !off.active && off.reason.startsWith("stock wasm matmul") && off.reason.includes("off"),
      off.reason,
    );
    const bad = enableNativeMatmul({ library: "/nonexistent/libopenblas.so" });
    assert(!bad.active && bad.reason.includes("/nonexistent/libopenblas.so"), bad.reason);
    const prev = Deno.env.get("MANGAMATCH_BLAS");
    Deno.env.set("MANGAMATCH_BLAS", "off");
    try {
      const envOff = enableNativeMatmul();
      assert(!envOff.active && envOff.reason.includes("MANGAMATCH_BLAS=off"), envOff.reason);
    } finally {
      if (prev === undefined) Deno.env.delete("MANGAMATCH_BLAS");
      else Deno.env.set("MANGAMATCH_BLAS", prev);
    }
    assert(tf.getKernel("BatchMatMul", "wasm") === stockBmm);
  },
});

Deno.test({
  name: "BatchMatMul: random shapes, all transposes, odd sizes, same-batch and one-sided broadcasting",
  ignore: skip,
  async fn() {
    await ensureWasmBackend();
    const rng = new Rng("native-bmm");
    const sizes = [1, 3, 17, 64, 257];
    const batchCases: [number[], number[]][] = [[[], []], [[3], [3]], [[1], [4]], [[4], [1]], [[4], []], [
      [],
      [2],
    ], [
      [2, 3],
      [2, 3],
    ], [[2, 1], [1]]];
    let cases = 0;
    for (const [ba, bb] of batchCases) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          // Keep the biggest products for the unbatched cases (the stock transposed kernel is slow).
          const pool = ba.length + bb.length > 0 ? sizes.slice(0, 4) : sizes;
          const [m, n, k] = [rng.pick(pool), rng.pick(pool), rng.pick(pool)];
          const a = randn(rng, [...ba, ...(ta ? [k, m] : [m, k])]);
          const b = randn(rng, [...bb, ...(tb ? [n, k] : [k, n])]);
          const { stock, native } = stockVsNative(() => tf.matMul(a, b, ta, tb), tensorsOut);
          const label = `a=[${a.shape}] b=[${b.shape}] ta=${ta} tb=${tb}`;
          assert(relErr(native[0], stock[0]) <= 1e-5, `${label}: rel err ${relErr(native[0], stock[0])}`);
          const ref = referenceMatMul(a.dataSync(), a.shape, b.dataSync(), b.shape, ta, tb);
          assert(relErr(native[0], ref.values) <= 1e-5, `${label} vs reference`);
          a.dispose();
          b.dispose();
          cases++;
        }
      }
    }
    assertEquals(cases, 32);
  },
});

Deno.test({
  name: "BatchMatMul: mutual broadcasting follows NumPy (the stock kernels do not), checked on a reference",
  ignore: skip,
  async fn() {
    await ensureWasmBackend();
    const rng = new Rng("native-bcast");
    const cases: [number[], number[]][] = [[[2, 1], [1, 3]], [[3, 1, 2], [4, 1]], [[1, 2], [3, 1]]];
    enableNativeMatmul();
    try {
      for (const [ba, bb] of cases) {
        for (const [ta, tb] of [[false, false], [true, true], [false, true]] as const) {
          const [m, n, k] = [rng.pick([1, 3, 17]), rng.pick([1, 3, 17]), rng.pick([1, 3, 17])];
          const a = randn(rng, [...ba, ...(ta ? [k, m] : [m, k])]);
          const b = randn(rng, [...bb, ...(tb ? [n, k] : [k, n])]);
          const c = tf.matMul(a, b, ta, tb);
          const ref = referenceMatMul(a.dataSync(), a.shape, b.dataSync(), b.shape, ta, tb);
          assertEquals(c.shape, ref.shape);
          assert(relErr(c.dataSync(), ref.values) <= 1e-5, `a=[${a.shape}] b=[${b.shape}]`);
          tf.dispose([a, b, c]);
        }
      }
      // The hand-worked case: a [2,1,1,2] x b [1,3,2,1] -> [[1,2,3],[3,4,7]]
      const c = tf.matMul(
        tf.tensor4d([1, 2, 3, 4], [2, 1, 1, 2]),
        tf.tensor4d([1, 0, 0, 1, 1, 1], [1, 3, 2, 1]),
      );
      assertEquals(c.shape, [2, 3, 1, 1]);
      assertArrayAlmostEquals(c.dataSync(), [1, 2, 3, 3, 4, 7]);
    } finally {
      disableNativeMatmul();
    }
  },
});

Deno.test({
  name: "BatchMatMul: empty products (m, n or k = 0) and no leaks",
  ignore: skip,
  async fn() {
    await ensureWasmBackend();
    enableNativeMatmul();
    try {
      const z = tf.tidy(() => tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 2])));
      assertEquals(z.shape, [3, 2]);
      assertArrayAlmostEquals(z.dataSync(), [0, 0, 0, 0, 0, 0]);
      const e = tf.tidy(() => tf.matMul(tf.zeros([2, 0, 4]), tf.ones([4, 5])));
      assertEquals(e.shape, [2, 0, 5]);
      tf.dispose([z, e]);
      const a = tf.ones([2, 3, 4]), b = tf.ones([4, 5]);
      const n0 = tf.memory().numTensors;
      tf.tidy(() => tf.fused.matMul({ a, b, bias: tf.ones([5]), activation: "relu" }).dataSync());
      tf.tidy(() => tf.matMul(a, b, false, false).dataSync());
      assertEquals(tf.memory().numTensors, n0, "no tensor left behind");
      tf.dispose([a, b]);
    } finally {
      disableNativeMatmul();
    }
  },
});

Deno.test({
  name: "BatchMatMul: an output that grows the wasm heap is written at the new address",
  ignore: skip,
  async fn() {
    const backend = await ensureWasmBackend();
    enableNativeMatmul();
    try {
      const heap = heapOf(backend);
      const before = heap.byteLength();
      // An outer product whose output alone exceeds the whole current heap forces malloc to grow it.
      const side = Math.ceil(Math.sqrt(before / 4)) + 64;
      const rng = new Rng(3);
      const av = Float32Array.from({ length: side }, () => rng.normal());
      const bv = Float32Array.from({ length: side }, () => rng.normal());
      const a = tf.tensor2d(av, [side, 1]), b = tf.tensor2d(bv, [1, side]);
      const bufBefore = backend.wasm.HEAPU8.buffer;
      const c = tf.matMul(a, b);
      assert(backend.wasm.HEAPU8.buffer !== bufBefore && heap.byteLength() > before, "the heap grew");
      const v = c.dataSync();
      for (const i of [0, 1, side - 1]) {
        for (const j of [0, 7, side - 1]) {
          assertEquals(v[i * side + j], Math.fround(av[i] * bv[j]), `c[${i},${j}]`);
        }
      }
      tf.dispose([a, b, c]);
    } finally {
      disableNativeMatmul();
    }
  },
});

/** The unfused equivalent of a fused activation, with tfjs ops (stock kernels give the oracle). */
function unfusedActivation(x: tf.Tensor, activation: string, alpha: number): tf.Tensor {
  switch (activation) {
    case "relu":
      return tf.relu(x);
    case "relu6":
      return tf.relu6(x);
    case "leakyrelu":
      return tf.leakyRelu(x, alpha);
    case "sigmoid":
      return tf.sigmoid(x);
    case "elu":
      return tf.elu(x);
    default:
      return x;
  }
}

Deno.test({
  name: "_FusedMatMul: bias and every native activation against stock unfused ops; PReLU falls back",
  ignore: skip,
  async fn() {
    await ensureWasmBackend();
    const rng = new Rng("native-fused");
    for (const activation of ["linear", "relu", "relu6", "leakyrelu", "sigmoid", "elu"] as const) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const [m, n, k] = [rng.pick([1, 3, 17, 40]), rng.pick([1, 3, 17, 40]), rng.pick([1, 3, 17, 40])];
        const a = randn(rng, [2, ...(ta ? [k, m] : [m, k])]);
        const b = randn(rng, tb ? [n, k] : [k, n]);
        const bias = rng.bool() ? randn(rng, [n]) : undefined;
        // The stock fused kernel is wrong for a batched, transposed A against a shared B (it ignores the
        // batch stride), so the oracle is the stock unfused composition.
        disableNativeMatmul();
        const expect = tf.tidy(() => {
          const p = tf.matMul(a, b, ta, tb);
          return unfusedActivation(bias ? tf.add(p, bias) : p, activation, 0.3);
        });
        enableNativeMatmul();
        const got = tf.fused.matMul({
          a,
          b,
          transposeA: ta,
          transposeB: tb,
          bias,
          activation,
          leakyreluAlpha: 0.3,
        });
        disableNativeMatmul();
        assertEquals(got.shape, expect.shape);
        const e = relErr(got.dataSync(), expect.dataSync());
        assert(e <= 1e-5, `${activation} ta=${ta} tb=${tb} bias=${!!bias}: rel err ${e}`);
        tf.dispose([a, b, got, expect, ...(bias ? [bias] : [])]);
      }
    }
    // PReLU goes to the stock kernel.
    const a = randn(rng, [4, 5]), b = randn(rng, [5, 3]), alpha = tf.fill([3], 0.25);
    const f = () => tf.fused.matMul({ a, b, activation: "prelu", preluActivationWeights: alpha });
    const fb0 = nativeMatmulCounters().fallback;
    const { stock, native } = stockVsNative(f, tensorsOut);
    assertEquals(nativeMatmulCounters().fallback, fb0 + 1);
    assertArrayAlmostEquals(native[0], stock[0], 0);
    tf.dispose([a, b, alpha]);
  },
});

/** Sums a gradient over the leading batch axes its input did not have (B broadcast across a batch). */
function reduceTo(g: tf.Tensor, shape: number[]): tf.Tensor {
  const extra = g.rank - shape.length;
  return extra > 0 ? tf.sum(g, Array.from({ length: extra }, (_, i) => i)) : g;
}

/**
 * matMul with its backward pass written out (the project's model registers no tfjs gradients: its ops are
 * `tf.customGrad`s like this one). Every gradient product is itself a matMul with transpose flags.
 */
const mm = (ta: boolean, tb: boolean) =>
  tf.customGrad((a, b, save) => {
    (save as tf.GradSaveFunc)([a as tf.Tensor, b as tf.Tensor]);
    return {
      value: tf.matMul(a as tf.Tensor, b as tf.Tensor, ta, tb),
      gradFunc: (dy: tf.Tensor, [sa, sb]: tf.Tensor[]) => {
        let g: [tf.Tensor, tf.Tensor];
        if (!ta && !tb) g = [tf.matMul(dy, sb, false, true), tf.matMul(sa, dy, true, false)];
        else if (!ta && tb) g = [tf.matMul(dy, sb, false, false), tf.matMul(dy, sa, true, false)];
        else if (ta && !tb) g = [tf.matMul(sb, dy, false, true), tf.matMul(sa, dy, false, false)];
        else g = [tf.matMul(sb, dy, true, true), tf.matMul(dy, sa, true, true)];
        return [reduceTo(g[0], sa.shape), reduceTo(g[1], sb.shape)];
      },
    };
  });

/** tanh with its backward pass (dy * (1 - y^2)). */
const tanhOp = tf.customGrad((x, save) => {
  const y = tf.tanh(x as tf.Tensor);
  (save as tf.GradSaveFunc)([y]);
  return { value: y, gradFunc: (dy: tf.Tensor, [sy]: tf.Tensor[]) => [tf.mul(dy, tf.sub(1, tf.square(sy)))] };
});

/** <y, c>: the scalar read-out, with its backward pass. */
const dotWith = (c: tf.Tensor) =>
  tf.customGrad((y) => ({
    value: tf.sum(tf.mul(y as tf.Tensor, c)),
    gradFunc: (dy: tf.Tensor) => [tf.mul(dy, c)],
  }));

Deno.test({
  name: "gradients through a chain of matMuls with all transpose flags and batches agree with stock to 1e-4",
  ignore: skip,
  async fn() {
    await ensureWasmBackend();
    const rng = new Rng("native-grad");
    const scaled = (shape: number[], s: number) => tf.tidy(() => tf.mul(randn(rng, shape), s));
    // Odd sizes; weights at a 1/sqrt(fan-in) scale keep the chain well conditioned in float32.
    const x = randn(rng, [3, 17, 9]); // [B, N, D]
    const w1 = scaled([5, 9], 0.33);
    const w2 = scaled([3, 17, 5], 0.24);
    const w3 = scaled([3, 5, 7], 0.45);
    const c = randn(rng, [3, 7, 17]);
    const loss = (x: tf.Tensor, w1: tf.Tensor, w2: tf.Tensor, w3: tf.Tensor) => {
      const h1 = tanhOp(mm(false, true)(x, w1)); // x w1^T: [3,17,9] x [9,5] -> [3,17,5] (NT, w1 shared)
      const g = tanhOp(mm(true, false)(h1, w2)); // h1^T w2: [3,5,17] x [3,17,5] -> [3,5,5] (TN)
      const h2 = mm(false, false)(h1, g); // [3,17,5] x [3,5,5] -> [3,17,5] (NN)
      const z = mm(true, true)(w3, h2); // w3^T h2^T: [3,7,5] x [3,5,17] -> [3,7,17] (TT)
      return dotWith(c)(z);
    };
    const run = () => tf.tidy(() => [loss(x, w1, w2, w3), ...tf.grads(loss)([x, w1, w2, w3])]);
    const n0 = nativeMatmulCounters().native;
    const { stock, native } = stockVsNative(run, tensorsOut);
    assertEquals(
      nativeMatmulCounters().native - n0,
      16,
      "2 x 4 forward (value, then grads) + 8 backward products ran natively",
    );
    const names = ["loss", "dx", "dw1", "dw2", "dw3"];
    assertEquals(native.length, names.length);
    for (let i = 0; i < stock.length; i++) {
      const e = relErr(native[i], stock[i]);
      assert(e <= 1e-4, `${names[i]}: rel err ${e}`);
    }
    tf.dispose([x, w1, w2, w3, c]);
  },
});

Deno.test("ThreadChooser: max first, then one thread, then the faster with a periodic try of the other", () => {
  const c = new ThreadChooser();
  assertEquals(c.pick("s", 2), 2);
  c.record("s", 2, 10);
  assertEquals(c.pick("s", 2), 1);
  c.record("s", 1, 4);
  const picks: number[] = [];
  for (let i = 0; i < 2 * ThreadChooser.EXPLORE; i++) picks.push(c.pick("s", 2));
  assertEquals(
    picks.filter((t) => t === 2).length,
    2,
    "the slower setting is retried once per EXPLORE calls",
  );
  // The load changes: the many-thread setting becomes faster once remeasured.
  for (let i = 0; i < 10; i++) c.record("s", 2, 1);
  assertEquals(c.pick("s", 2) === 2 || c.summary()[0].calls % ThreadChooser.EXPLORE === 0, true);
  assert(c.summary()[0].manyMs < c.summary()[0].oneMs);
  // Shapes are independent.
  assertEquals(c.pick("other", 2), 2);
});
