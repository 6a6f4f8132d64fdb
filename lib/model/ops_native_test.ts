/**
 * The native path of `ops.ts` (the `tf` flavour with `lib/native`'s strided sgemm plugged in: per-head attention
 * products on the fused projection in place, one-pass LayerNorm, GELU and softmax-gradient heap kernels, the
 * bias in sgemm's accumulator) against the same ops without it (stock tfjs kernels composed as before), forward
 * and backward, and no tensors left behind.
 */
import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { inCi } from "../native/blas.ts";
import { initBackend } from "./backend.ts";
import { type HeapSgemm, heapSgemm, setHeapSgemm } from "./heap.ts";
import { attention, gelu, layerNorm, linear } from "./ops.ts";

const info = await initBackend({ backend: "wasm", blas: "auto", log: null });
const native = heapSgemm();
const skip = !native && !inCi();
if (!native && inCi()) throw new Error(`CI: the native path is missing (${info.native?.reason})`);

function randn(rng: Rng, shape: number[], scale = 1): tf.Tensor {
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * scale),
    shape,
  );
}

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync(), y = b.dataSync();
  assertEquals(x.length, y.length);
  let m = 0, s = 0;
  for (let i = 0; i < x.length; i++) {
    m = Math.max(m, Math.abs(x[i] - y[i]));
    s = Math.max(s, Math.abs(y[i]));
  }
  return m / Math.max(s, 1e-12);
}

/** The sgemm {@link run} plugs in for the native path (a counting wrapper in the attention test). */
let plugged: HeapSgemm | null = native;

/** Value and input gradients of `f` under a fixed dy, with the native path on or off. */
function run(on: boolean, inputs: tf.Tensor[], f: (...xs: tf.Tensor[]) => tf.Tensor, dy: tf.Tensor) {
  setHeapSgemm(on ? plugged : null);
  try {
    return { y: f(...inputs), g: tf.grads((...xs: tf.Tensor[]) => f(...xs))(inputs, dy) };
  } finally {
    setHeapSgemm(native);
  }
}

/**
 * Native vs stock composition: values and gradients within `tol` of the largest entry (float32 sums in other
 * orders; LayerNorm's statistics in float64), the stock kernels named in `absent` never run on the native path,
 * and a forward + backward leaves no tensor behind.
 */
function check(
  name: string,
  inputs: tf.Tensor[],
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  absent: string[],
  tol = 1e-5,
) {
  const rng = new Rng(name);
  const dy = tf.tidy(() => randn(rng, f(...inputs).shape));
  tf.tidy(() => {
    const ref = run(false, inputs, f, dy), nat = run(true, inputs, f, dy);
    const r = maxRelDiff(nat.y, ref.y);
    assert(r < tol, `${name}: native value differs by ${r}`);
    ref.g.forEach((g, i) => {
      const rg = maxRelDiff(nat.g[i], g);
      assert(rg < tol, `${name}: native gradient ${i} differs by ${rg}`);
    });
  });
  const n0 = tf.memory().numTensors, b0 = tf.memory().numBytes;
  const out = run(true, inputs, f, dy);
  out.y.dispose();
  out.g.forEach((g) => g.dispose());
  assertEquals(tf.memory().numTensors, n0, `${name}: tensors left behind`);
  assertEquals(tf.memory().numBytes, b0, `${name}: bytes left behind`);
  dy.dispose();
  return absent;
}

async function kernelsRun(f: () => tf.TensorContainer): Promise<Set<string>> {
  const p = await tf.profile(() => tf.tidy(f));
  return new Set(p.kernels.map((k) => k.name));
}

Deno.test({
  name:
    "native path: layerNorm, gelu, linear match the stock composition forward and backward, one pass each",
  ignore: skip,
  async fn() {
    const rng = new Rng("native-elementwise");
    const x = randn(rng, [37, 24], 2), g = tf.add(randn(rng, [24], 0.1), 1), b = randn(rng, [24], 0.1);
    const w = randn(rng, [24, 40], 0.3), bias = randn(rng, [40]);
    const ln = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-6);
    const ge = (x: tf.Tensor) => gelu(x as tf.Tensor2D);
    const li = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D);
    check("layerNorm", [x, g, b], ln, []);
    check("gelu", [x], ge, []);
    check("linear", [x, w, bias], li, []);
    // The stock chains do not run on the native path (forward and backward).
    const grads = (f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]) => () => tf.grads(f)(xs);
    for (
      const [what, f, xs, stockOnly] of [
        ["layerNorm", ln, [x, g, b], ["Mean", "Rsqrt", "Square"]],
        ["gelu", ge, [x], ["Square"]],
        ["linear", li, [x, w, bias], ["Add"]],
      ] as const
    ) {
      const names = await kernelsRun(grads(f as (...xs: tf.Tensor[]) => tf.Tensor, [...xs]));
      for (const k of stockOnly) assert(!names.has(k), `${what}: stock ${k} ran on the native path`);
      setHeapSgemm(null);
      const stock = await kernelsRun(grads(f as (...xs: tf.Tensor[]) => tf.Tensor, [...xs]));
      setHeapSgemm(native);
      assert(stockOnly.some((k) => stock.has(k)), `${what}: the check would not see the stock path`);
    }
    for (const t of [x, g, b, w, bias]) t.dispose();
  },
});

Deno.test({
  name: "native path: attention (self and cross) matches the stock composition; products are strided sgemms",
  ignore: skip,
  fn() {
    const rng = new Rng("native-attention");
    assert(native);
    let calls = 0;
    const counting: HeapSgemm = (...args) => {
      calls++;
      native!(...args);
    };
    for (const pairing of ["self", "cross"] as const) {
      const I = 4, N = 13, H = 3, dh = 8;
      const qkv = randn(rng, [I * N, 3 * H * dh]);
      const f = (q: tf.Tensor) => attention(q as tf.Tensor2D, { images: I, tokens: N, heads: H, pairing });
      plugged = counting;
      const c0 = calls;
      try {
        check(`attention ${pairing}`, [qkv], f, []);
      } finally {
        plugged = native;
      }
      // Two native runs, each a forward (the value), then a forward and a backward (the gradient): 2 products
      // forward and 4 backward per image and head.
      assertEquals(calls - c0, 2 * (2 + 2 + 4) * I * H, `attention ${pairing}: sgemm calls`);
      qkv.dispose();
    }
  },
});
