import { assert, assertArrayAlmostEquals, assertThrows } from "../testing/asserts.ts";
import { applyActivation, fillBiasRows, isNativeActivation } from "./fused_epilogue.ts";

Deno.test("fillBiasRows repeats a vector or a scalar over rows, inside the range only", () => {
  const c = new Float32Array(8).fill(-9);
  fillBiasRows(c, 1, 2, 3, Float32Array.of(1, 2, 3));
  assertArrayAlmostEquals(c, [-9, 1, 2, 3, 1, 2, 3, -9]);
  fillBiasRows(c, 0, 4, 2, Float32Array.of(5));
  assertArrayAlmostEquals(c, [5, 5, 5, 5, 5, 5, 5, 5]);
  assertThrows(() => fillBiasRows(c, 0, 1, 3, Float32Array.of(1, 2)), Error, "bias of length 2");
});

Deno.test("applyActivation matches tfjs definitions", () => {
  const x = [-2, -0.5, 0, 0.5, 7];
  const run = (act: Parameters<typeof applyActivation>[3], alpha?: number) => {
    const c = Float32Array.of(99, ...x, 99);
    applyActivation(c, 1, x.length, act, alpha);
    assertArrayAlmostEquals([c[0], c[6]], [99, 99], 0, `${act} stays in range`);
    return Array.from(c.subarray(1, 6));
  };
  assertArrayAlmostEquals(run("linear"), x);
  assertArrayAlmostEquals(run("relu"), [0, 0, 0, 0.5, 7]);
  assertArrayAlmostEquals(run("relu6"), [0, 0, 0, 0.5, 6]);
  assertArrayAlmostEquals(run("leakyrelu", 0.1), [-0.2, -0.05, 0, 0.5, 7]);
  assertArrayAlmostEquals(run("sigmoid"), x.map((v) => 1 / (1 + Math.exp(-v))), 1e-7);
  assertArrayAlmostEquals(run("elu"), [Math.exp(-2) - 1, Math.exp(-0.5) - 1, 0, 0.5, 7], 1e-7);
  assert(isNativeActivation("relu") && isNativeActivation(undefined) && !isNativeActivation("prelu"));
});
