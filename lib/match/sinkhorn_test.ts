import { assert, assertAlmostEquals, assertThrows } from "../testing/asserts.ts";
import { sinkhorn } from "./sinkhorn.ts";

Deno.test("sinkhorn: real rows and columns sum to 1, a clear permutation wins, a stranger goes to the dustbin", () => {
  // 3 x 3 scores: rows 0, 1 match columns 1, 0; row 2 matches nothing (all scores far below the dustbin's 0).
  const s = Float64Array.from([-5, 5, -5, 5, -5, -5, -8, -8, -8]);
  const P = sinkhorn(s, 3, 3, { alpha: 0, iterations: 100 });
  const N = 4;
  for (let i = 0; i < 3; i++) {
    let r = 0;
    for (let j = 0; j < N; j++) r += P[i * N + j];
    assertAlmostEquals(r, 1, 1e-3);
  }
  for (let j = 0; j < 3; j++) {
    let c = 0;
    for (let i = 0; i < N; i++) c += P[i * N + j];
    assertAlmostEquals(c, 1, 1e-3);
  }
  assert(P[0 * N + 1] > 0.85 && P[1 * N + 0] > 0.85, "permutation"); // entropic: ~0.9 at a 5-point margin
  assert(P[2 * N + 3] > 0.95, `row 2 to the dustbin: ${P[2 * N + 3]}`);
  assert(P[3 * N + 2] > 0.95, `column 2 to the dustbin: ${P[3 * N + 2]}`);
});

Deno.test("sinkhorn: rejects a score matrix of the wrong size", () => {
  assertThrows(() => sinkhorn(new Float32Array(5), 2, 3), RangeError);
});
