import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { initBackend } from "./backend.ts";
import {
  attention,
  embed,
  gelu,
  type KernelMode,
  l2normalize,
  layerNorm,
  linear,
  pairGram,
  pairGramGrad,
  residual,
  setKernelMode,
} from "./ops.ts";

await initBackend({ backend: "wasm", blas: "off", log: null });

function randn(rng: Rng, shape: number[], scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal() * scale;
  return tf.tensor(v, shape);
}

function dot(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync(), y = b.dataSync();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
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

/**
 * Checks an op: (1) value and gradients of the fast and tf flavours agree to 1e-4 (relative to the largest
 * entry); (2) a central finite difference of <dy, f(x)> along a random direction matches <grad, direction>.
 */
function checkOp(
  name: string,
  inputs: tf.Tensor[],
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  seed = 1,
  fdTol = 2e-2,
) {
  const rng = new Rng(seed);
  const results: Record<KernelMode, { y: tf.Tensor; g: tf.Tensor[] }> = {} as never;
  let dy: tf.Tensor | null = null;
  for (const mode of ["tf", "fast"] as KernelMode[]) {
    setKernelMode(mode);
    const y = f(...inputs);
    dy ??= randn(rng, y.shape);
    const g = tf.grads((...xs: tf.Tensor[]) => f(...xs))(inputs, dy);
    results[mode] = { y, g };
  }
  const ry = maxRelDiff(results.fast.y, results.tf.y);
  assert(ry < 1e-4, `${name}: fast and tf values differ by ${ry}`);
  results.tf.g.forEach((g, i) => {
    const r = maxRelDiff(results.fast.g[i], g);
    assert(r < 1e-4, `${name}: gradient ${i} differs between flavours by ${r}`);
  });
  // Finite differences in the tf flavour (independent of the written-out backward passes).
  setKernelMode("tf");
  const eps = 1e-2;
  const dirs = inputs.map((x) => randn(rng, x.shape));
  const plus = f(...inputs.map((x, i) => tf.add(x, tf.mul(dirs[i], eps))));
  const minus = f(...inputs.map((x, i) => tf.sub(x, tf.mul(dirs[i], eps))));
  const fd = (dot(dy!, plus) - dot(dy!, minus)) / (2 * eps);
  const an = results.tf.g.reduce((s, g, i) => s + dot(g, dirs[i]), 0);
  const rel = Math.abs(fd - an) / Math.max(Math.abs(an), 1e-6);
  assert(rel < fdTol, `${name}: finite difference ${fd} vs analytic ${an} (rel ${rel})`);
  setKernelMode("auto");
}

Deno.test("linear: flavours agree, gradients match finite differences (both dW paths)", () => {
  const rng = new Rng(2);
  tf.tidy(() => {
    // dout > din takes path (ii) in the fast flavour, dout < din path (i).
    checkOp(
      "linear up",
      [randn(rng, [24, 8]), randn(rng, [8, 20], 0.3), randn(rng, [20])],
      (x, w, b) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
    );
    checkOp(
      "linear down",
      [randn(rng, [24, 20]), randn(rng, [20, 8], 0.3), randn(rng, [8])],
      (x, w, b) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
    );
  });
});

Deno.test("layerNorm, gelu, residual, l2normalize: flavours agree, gradients match finite differences", () => {
  const rng = new Rng(3);
  tf.tidy(() => {
    checkOp(
      "layerNorm",
      [randn(rng, [10, 16]), tf.add(randn(rng, [16], 0.1), 1), randn(rng, [16], 0.1)],
      (x, g, b) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-6),
    );
    checkOp("gelu", [randn(rng, [10, 16], 2)], (x) => gelu(x as tf.Tensor2D));
    checkOp(
      "residual",
      [randn(rng, [6, 4]), randn(rng, [6, 4])],
      (x, y) => residual(x as tf.Tensor2D, y as tf.Tensor2D),
    );
    checkOp("l2normalize", [randn(rng, [10, 16])], (x) => l2normalize(x as tf.Tensor2D));
  });
});

Deno.test("gelu is within 1e-3 of the exact erf GELU", () => {
  // erf by Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7).
  const erf = (x: number) => {
    const s = Math.sign(x), a = Math.abs(x), t = 1 / (1 + 0.3275911 * a);
    const y = 1 -
      (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t *
        Math.exp(-a * a);
    return s * y;
  };
  const xs = Array.from({ length: 121 }, (_, i) => -6 + i * 0.1);
  const y = tf.tidy(() => gelu(tf.tensor2d(xs, [1, xs.length])).dataSync());
  xs.forEach((x, i) => {
    const exact = 0.5 * x * (1 + erf(x / Math.SQRT2));
    assert(Math.abs(y[i] - exact) < 1e-3, `gelu(${x}) = ${y[i]}, exact ${exact}`);
  });
});

Deno.test("embed: flavours agree, gradients match finite differences", () => {
  const rng = new Rng(4);
  tf.tidy(() => {
    const patches = randn(rng, [3 * 4, 6]) as tf.Tensor2D; // 3 images x 4 tokens
    checkOp(
      "embed",
      [randn(rng, [6, 5], 0.3), randn(rng, [5]), randn(rng, [4, 5])],
      (w, b, pos) => embed(patches, w as tf.Tensor2D, b as tf.Tensor1D, pos as tf.Tensor2D),
    );
  });
});

Deno.test("attention (self and cross): flavours agree, gradients match finite differences", () => {
  const rng = new Rng(5);
  tf.tidy(() => {
    for (const pairing of ["self", "cross"] as const) {
      // 4 images x 6 tokens, 2 heads of width 4 (d = 8, qkv width 24).
      checkOp(
        `attention ${pairing}`,
        [randn(rng, [24, 24])],
        (qkv) => attention(qkv as tf.Tensor2D, { images: 4, tokens: 6, heads: 2, pairing }),
      );
    }
  });
});

Deno.test("attention cross: image i attends only to image i ^ 1", () => {
  tf.tidy(() => {
    const rng = new Rng(6);
    setKernelMode("fast");
    const qkv = randn(rng, [4 * 3, 3 * 4]); // 4 images x 3 tokens, d = 4, 1 head
    const out1 = attention(qkv as tf.Tensor2D, { images: 4, tokens: 3, heads: 1, pairing: "cross" })
      .arraySync();
    // Change image 3's keys/values: image 2 (its partner) must change, images 0, 1, 3 must not.
    const v = qkv.arraySync() as number[][];
    for (let t = 9; t < 12; t++) for (let c = 4; c < 12; c++) v[t][c] += 1;
    const out2 = attention(tf.tensor2d(v), { images: 4, tokens: 3, heads: 1, pairing: "cross" }).arraySync();
    const changed = (img: number) =>
      out1.slice(img * 3, img * 3 + 3).some((r, i) =>
        r.some((x, c) => Math.abs(x - out2[img * 3 + i][c]) > 1e-6)
      );
    assertEquals([0, 1, 2, 3].map(changed), [false, false, true, false]);
    setKernelMode("auto");
  });
});

Deno.test("pairGram and pairGramGrad: flavours agree with a hand computation", () => {
  tf.tidy(() => {
    const f = tf.tensor2d([[1, 0], [0, 1], [1, 1], [2, 0], [0, 3], [1, -1]]); // 2 pairs x 3 rows
    const dS = tf.tensor3d([[[1, 0, 0], [0, 0, 2], [0, 0, 0]], [[0, 1, 0], [0, 0, 0], [1, 0, 0]]]);
    for (const mode of ["tf", "fast"] as KernelMode[]) {
      setKernelMode(mode);
      const S = pairGram(f, 2).arraySync();
      assertEquals(S[0], [[1, 0, 1], [0, 1, 1], [1, 1, 2]]);
      assertEquals(S[1], [[4, 0, 2], [0, 9, -3], [2, -3, 2]]);
      // dF_p = (dS_p + dS_p^T) F_p
      const g = pairGramGrad(dS, f).arraySync();
      assertEquals(g.slice(0, 3), [[2, 0], [2, 2], [0, 2]]);
      assertEquals(g.slice(3), [[1, 2], [2, 0], [2, 0]]);
    }
    setKernelMode("auto");
  });
});

Deno.test("ops leave no tensors behind (forward and backward, both flavours)", () => {
  const rng = new Rng(7);
  const qkv = randn(rng, [24, 24]);
  for (const mode of ["tf", "fast"] as KernelMode[]) {
    setKernelMode(mode);
    const dy = tf.ones([24, 8]);
    const before = tf.memory().numTensors;
    const g = tf.grads((x: tf.Tensor) =>
      attention(x as tf.Tensor2D, { images: 4, tokens: 6, heads: 2, pairing: "cross" })
    )(
      [qkv],
      dy,
    );
    g.forEach((t) => t.dispose());
    assertEquals(tf.memory().numTensors, before, `tensors leaked in ${mode}`);
    dy.dispose();
  }
  qkv.dispose();
  setKernelMode("auto");
});
