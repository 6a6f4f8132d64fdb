import { assertAlmostEquals } from "../testing/asserts.ts";
import { learningRate } from "./schedule.ts";

Deno.test("learningRate: linear warm-up, cosine to minFactor, hand-computed points", () => {
  const o = { lr: 1e-3, steps: 110, warmup: 10, minFactor: 0.01 };
  assertAlmostEquals(learningRate(0, o), 1e-4, 1e-12);
  assertAlmostEquals(learningRate(9, o), 1e-3, 1e-12);
  assertAlmostEquals(learningRate(10, o), 1e-3, 1e-12); // cosine starts at the peak
  // Half way through the decay: min + (lr - min) / 2 = 1e-5 + 4.95e-4
  assertAlmostEquals(learningRate(60, o), 5.05e-4, 1e-12);
  assertAlmostEquals(learningRate(110, o), 1e-5, 1e-12);
  assertAlmostEquals(learningRate(500, o), 1e-5, 1e-12); // clamped after the end
});
