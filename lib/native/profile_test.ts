import * as tf from "@tensorflow/tfjs-core";
import { assert, assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { formatProfile, profileKernels } from "./profile.ts";
import { ensureWasmBackend } from "./wasm_backend.ts";

Deno.test("profileKernels groups kernel calls by name and by shape", async () => {
  await ensureWasmBackend();
  const a = tf.ones([8, 4]), b = tf.ones([4, 3]), c = tf.ones([8, 3]);
  const f = () => {
    tf.tidy(() => {
      const p = tf.matMul(a, b);
      tf.add(tf.add(p, c), tf.matMul(a, b)).dataSync();
    });
  };
  const byName = await profileKernels(f);
  const row = (key: string) => byName.rows.find((r) => r.key === key);
  assertEquals(row("BatchMatMul")?.calls, 2);
  assertEquals(row("Add")?.calls, 2);
  assertEquals(byName.kernelCalls, byName.rows.reduce((s, r) => s + r.calls, 0));
  assertAlmostEquals(byName.rows.reduce((s, r) => s + r.share, 0), 1, 1e-9);
  assert(byName.rows.every((r, i) => i === 0 || byName.rows[i - 1].ms >= r.ms), "sorted by time");
  const byShape = await profileKernels(f, { byShape: true });
  assertEquals(byShape.rows.find((r) => r.key === "BatchMatMul [[8,4],[4,3]]")?.calls, 2);
  const text = formatProfile(byShape, 1);
  assert(text.split("\n").length === 3 && text.startsWith("wall "), text);
  tf.dispose([a, b, c]);
});

Deno.test("profileKernels reports customGrad wrappers apart from the kernels they run", async () => {
  await ensureWasmBackend();
  const sq = tf.customGrad((x) => ({
    value: tf.mul(x as tf.Tensor, x as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => [dy],
  }));
  const x = tf.ones([4]);
  // Under a gradient computation (training) the custom op is a "forward" kernel, outside one an "unnamed scope".
  const inf = await profileKernels(() => {
    tf.tidy(() => sq(x).dataSync());
  });
  assertEquals([inf.wrapperCalls, inf.rows.map((r) => r.key)], [1, ["Multiply"]]);
  const p = await profileKernels(() => {
    tf.tidy(() => tf.grad((x: tf.Tensor) => sq(x))(x).dataSync());
  });
  assert(p.rows.every((r) => r.key !== "forward"), JSON.stringify(p.rows));
  assertEquals(p.rows.find((r) => r.key === "Multiply")?.calls, 1);
  assertEquals(p.wrapperCalls, 1);
  assert(p.wrapperMs >= 0 && p.kernelCalls === p.rows.reduce((s, r) => s + r.calls, 0));
  x.dispose();
});
