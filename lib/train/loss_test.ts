import * as tf from "@tensorflow/tfjs-core";
import { assert, assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { IGNORE } from "../data/patch_gt.ts";
import { initBackend } from "../model/backend.ts";
import { type KernelMode, setKernelMode } from "../model/ops.ts";
import { Rng } from "../util/rng.ts";
import { contrastiveLoss, type LossOptions, sampleBatch, samplePair } from "./loss.ts";

await initBackend({ backend: "wasm", blas: "off", log: null });

Deno.test("samplePair: positives share a label and are distinct, negatives carry another label", () => {
  const labels = new Int32Array([5, 5, 7, IGNORE, 7, 7, 9, IGNORE]);
  const opts: LossOptions = { positives: 500, negatives: 6, tau: 0.1 };
  const s = samplePair(labels, opts, new Rng(1));
  const W = 2 + opts.negatives;
  assertEquals(s.length, 500 * W);
  const groupCount = new Map<number, number>();
  for (let r = 0; r < 500; r++) {
    const a = s[r * W], p = s[r * W + 1];
    assert(a !== p, "self pair sampled");
    assertEquals(labels[a], labels[p]);
    assert(labels[a] !== IGNORE);
    groupCount.set(labels[a], (groupCount.get(labels[a]) ?? 0) + 1);
    for (let j = 0; j < opts.negatives; j++) {
      const n = s[r * W + 2 + j];
      assert(labels[n] !== IGNORE && labels[n] !== labels[a], `negative ${n} has label ${labels[n]}`);
    }
  }
  // Uniform over nonzero off-diagonal entries of G: label 5 has 2*1 = 2 entries, label 7 has 3*2 = 6, label 9 none.
  assertEquals(groupCount.get(9), undefined);
  const f5 = groupCount.get(5)! / 500;
  assert(Math.abs(f5 - 0.25) < 0.06, `label 5 drawn ${f5} of the time, expected 0.25`);
});

Deno.test("samplePair: no rows without a positive or without a negative", () => {
  const opts: LossOptions = { positives: 4, negatives: 2, tau: 0.1 };
  assertEquals(samplePair(new Int32Array([1, 2, 3, IGNORE]), opts, new Rng(1)).length, 0); // no repeated label
  assertEquals(samplePair(new Int32Array([1, 1, 1, IGNORE]), opts, new Rng(1)).length, 0); // one label only
});

Deno.test("sampleBatch: flat indices address each pair's own block of S", () => {
  const labels = new Int32Array([1, 1, 2, 2, /* pair 1 */ 3, 4, 4, 3]);
  const s = sampleBatch(labels, 2, { positives: 3, negatives: 2, tau: 0.1 }, new Rng(2));
  assertEquals(s.rows, 6);
  for (let r = 0; r < s.rows; r++) {
    const pair = r < 3 ? 0 : 1;
    for (let j = 0; j < 3; j++) assertEquals(Math.floor(s.index[r * 3 + j] / 16), pair);
  }
});

/** The loss computed in JavaScript from the features, for comparison. */
function referenceLoss(
  f: number[][],
  index: Int32Array,
  rows: number,
  K: number,
  n2: number,
  tau: number,
): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const logits: number[] = [];
    for (let j = 0; j <= K; j++) {
      const flat = index[r * (1 + K) + j];
      const p = Math.floor(flat / (n2 * n2)), i = Math.floor((flat % (n2 * n2)) / n2), c = flat % n2;
      const a = f[p * n2 + i], b = f[p * n2 + c];
      logits.push(a.reduce((s, x, k) => s + x * b[k], 0) / tau);
    }
    const m = Math.max(...logits);
    total += m + Math.log(logits.reduce((s, x) => s + Math.exp(x - m), 0)) - logits[0];
  }
  return total / rows;
}

Deno.test("contrastiveLoss: value matches a JavaScript reference; gradient matches finite differences; flavours agree", () => {
  const rng = new Rng(3);
  const pairs = 2, n2 = 6, d = 5, tau = 0.1;
  const raw = Array.from({ length: pairs * n2 }, () => Array.from({ length: d }, () => rng.normal()));
  const f = raw.map((r) => {
    const n = Math.hypot(...r);
    return r.map((x) => x / n);
  });
  const labels = new Int32Array([0, 0, 1, 1, 2, IGNORE, /* pair 1 */ 3, 4, 3, 4, 4, 5]);
  const sample = sampleBatch(labels, pairs, { positives: 5, negatives: 3, tau }, new Rng(4));
  const ref = referenceLoss(f, sample.index, sample.rows, 3, n2, tau);
  const F = tf.tensor2d(f);
  const grads: Record<string, Float32Array> = {};
  for (const mode of ["tf", "fast"] as KernelMode[]) {
    setKernelMode(mode);
    const loss = tf.tidy(() => contrastiveLoss(F, sample, pairs, tau).dataSync()[0]);
    assertAlmostEquals(loss, ref, 1e-4);
    grads[mode] = tf.tidy(() =>
      tf.grad((x: tf.Tensor) => contrastiveLoss(x as tf.Tensor2D, sample, pairs, tau))(F)
        .dataSync() as Float32Array
    );
  }
  for (let i = 0; i < grads.tf.length; i++) assertAlmostEquals(grads.fast[i], grads.tf[i], 1e-4);
  // Finite difference along a random direction (features moved off the sphere: the loss is defined for any F).
  const dir = f.map((r) => r.map(() => rng.normal()));
  const eps = 1e-3;
  const at = (s: number) =>
    referenceLoss(f.map((r, i) => r.map((x, k) => x + s * dir[i][k])), sample.index, sample.rows, 3, n2, tau);
  const fd = (at(eps) - at(-eps)) / (2 * eps);
  const an = dir.flat().reduce((s, x, i) => s + x * grads.tf[i], 0);
  assert(Math.abs(fd - an) < 1e-3 * Math.max(1, Math.abs(an)), `finite difference ${fd} vs analytic ${an}`);
  F.dispose();
  setKernelMode("auto");
});

Deno.test("contrastiveLoss: an empty sample gives 0 and a zero gradient", () => {
  const F = tf.ones([4, 3]) as tf.Tensor2D;
  const g = tf.grad((x: tf.Tensor) =>
    contrastiveLoss(x as tf.Tensor2D, { index: new Int32Array(0), rows: 0, negatives: 2 }, 1, 0.1)
  )(F);
  assertEquals(Array.from(g.dataSync()), new Array(12).fill(0));
  F.dispose();
  g.dispose();
});
