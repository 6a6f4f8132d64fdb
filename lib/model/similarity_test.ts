import { assertAlmostEquals, assertArrayAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { block, scoreMatrix } from "./similarity.ts";

Deno.test("block extracts the four N x N blocks", () => {
  // N = 1: [[aa, ab], [ba, bb]]
  const m = Float32Array.from([1, 2, 3, 4]);
  assertEquals([...block(m, 1, "aa"), ...block(m, 1, "ab"), ...block(m, 1, "ba"), ...block(m, 1, "bb")], [
    1,
    2,
    3,
    4,
  ]);
  const m2 = Float32Array.from({ length: 16 }, (_, i) => i);
  assertEquals(Array.from(block(m2, 2, "ab")), [2, 3, 6, 7]);
  assertEquals(Array.from(block(m2, 2, "ba")), [8, 9, 12, 13]);
});

Deno.test("scoreMatrix: sigmoid elementwise, softmax rows sum to one (hand-worked)", () => {
  const cos = Float32Array.from([0, 1, -1, 0]);
  assertArrayAlmostEquals(scoreMatrix(cos, 2, "sigmoid"), [
    0.5,
    1 / (1 + Math.exp(-1)),
    1 / (1 + Math.exp(1)),
    0.5,
  ], 1e-6);
  const s = scoreMatrix(cos, 2, "softmax", 0.5);
  // Row 0: exp(0), exp(2) -> [1, e^2] / (1 + e^2)
  assertAlmostEquals(s[0], 1 / (1 + Math.exp(2)), 1e-6);
  assertAlmostEquals(s[2] + s[3], 1, 1e-6);
});
