import * as tf from "@tensorflow/tfjs-core";
import { assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { initBackend } from "../model/backend.ts";
import { AdamW, clipGlobalNorm } from "./adamw.ts";

await initBackend({ backend: "wasm", blas: "off", log: null });

Deno.test("AdamW: two steps match values worked by hand (torch.optim.AdamW semantics)", () => {
  const w = tf.variable(tf.tensor1d([1, -2]));
  const b = tf.variable(tf.tensor1d([0.5]));
  const params = new Map([["x.w", w], ["x.b", b]]);
  const opt = new AdamW(
    params,
    { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 },
    (n) => n.endsWith(".w"),
  );
  // step 1: g = [0.1, -0.3] for w, [2] for b; lr = 0.01
  opt.apply(new Map([["x.w", tf.tensor1d([0.1, -0.3])], ["x.b", tf.tensor1d([2])]]), 0.01);
  // m_hat = g, v_hat = g^2 -> update = g / (|g| + eps) = sign(g) (to 1e-7); w decays by (1 - 0.001) first.
  const w1 = Array.from(w.dataSync()), b1 = b.dataSync()[0];
  assertAlmostEquals(w1[0], 1 * 0.999 - 0.01, 1e-6);
  assertAlmostEquals(w1[1], -2 * 0.999 + 0.01, 1e-6);
  assertAlmostEquals(b1, 0.5 - 0.01, 1e-6); // no decay on biases
  // step 2 for b with g = -1: m = 0.9*0.2 - 0.1 = 0.08 (m after step 1 = 0.2), v = 0.999*0.004 + 0.001 = 0.004996
  opt.apply(new Map([["x.w", tf.tensor1d([0, 0])], ["x.b", tf.tensor1d([-1])]]), 0.01);
  const mhat = 0.08 / (1 - 0.81), vhat = 0.004996 / (1 - 0.999 ** 2);
  assertAlmostEquals(b.dataSync()[0], 0.49 - 0.01 * mhat / (Math.sqrt(vhat) + 1e-8), 1e-6);
  // torch.optim.AdamW (1.13) on the same inputs gives w = [0.98131049, -1.97931147] after step 2.
  const w2 = w.dataSync();
  assertAlmostEquals(w2[0], 0.98131049, 1e-6);
  assertAlmostEquals(w2[1], -1.97931147, 1e-6);
  assertEquals(opt.step, 2);
  // State round trip restores the moments exactly.
  const st = opt.state();
  const opt2 = new AdamW(params, opt.opts, (n) => n.endsWith(".w"));
  opt2.load(st);
  assertEquals(Array.from(opt2.state().m.get("x.b")!), Array.from(st.m.get("x.b")!));
  assertEquals(opt2.step, 2);
  opt.dispose();
  opt2.dispose();
  w.dispose();
  b.dispose();
});

Deno.test("clipGlobalNorm: scales to the max norm only when above it", () => {
  const g = new Map<string, tf.Tensor>([["a", tf.tensor1d([3, 0])], ["b", tf.tensor1d([4])]]);
  assertAlmostEquals(clipGlobalNorm(g, 10), 5, 1e-6);
  assertEquals(Array.from(g.get("a")!.dataSync()), [3, 0]);
  assertAlmostEquals(clipGlobalNorm(g, 1), 5, 1e-6);
  assertAlmostEquals(g.get("a")!.dataSync()[0], 0.6, 1e-6);
  assertAlmostEquals(g.get("b")!.dataSync()[0], 0.8, 1e-6);
  for (const t of g.values()) t.dispose();
});
