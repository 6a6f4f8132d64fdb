import { assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { squareLayout } from "./patch_layout.ts";
import { membershipFromPixels, membershipFromVote, patchVote } from "./vote.ts";

// 4x4 image, 2x2 patches of 2x2 pixels.
//  1 1 | 2 2
//  1 3 | 2 2
//  ----+----
//  3 3 | 2 1
//  3 0 | 0 0
const lab = Int32Array.of(1, 1, 2, 2, 1, 3, 2, 2, 3, 3, 2, 1, 3, 0, 0, 0);
const lay = squareLayout(4, 4, 2);

Deno.test("patchVote gives each patch the region with most of its pixels (ties to the smaller id, 0 skipped)", () => {
  // Patch 3 holds 2, 1, 0, 0: tie 1 vs 1 between regions 1 and 2 -> 1.
  assertEquals(Array.from(patchVote(lab, 3, lay)), [1, 2, 3, 1]);
  assertEquals(Array.from(patchVote(new Int32Array(16), 3, lay)), [-1, -1, -1, -1]);
});

Deno.test("membership from the vote is uniform over won patches; from pixels, by pixel share", () => {
  const mv = membershipFromVote(Int32Array.of(1, 2, 3, 1), 3);
  assertEquals(Array.from(mv.offsets), [0, 0, 2, 3, 4]);
  assertEquals(Array.from(mv.patch.subarray(0, 2)), [0, 3]);
  assertEquals(Array.from(mv.weight.subarray(0, 2)), [0.5, 0.5]);
  const mp = membershipFromPixels(lab, 3, lay);
  // Region 1: 3 px in patch 0, 1 px in patch 3 -> 0.75, 0.25. Region 3: 1 px in patch 0, 3 in patch 2.
  const of = (r: number) => {
    const out: Record<number, number> = {};
    for (let k = mp.offsets[r]; k < mp.offsets[r + 1]; k++) out[mp.patch[k]] = mp.weight[k];
    return out;
  };
  assertAlmostEquals(of(1)[0], 0.75, 1e-7);
  assertAlmostEquals(of(1)[3], 0.25, 1e-7);
  assertAlmostEquals(of(2)[1], 0.8, 1e-7);
  assertAlmostEquals(of(2)[3], 0.2, 1e-7);
  assertAlmostEquals(of(3)[0], 0.25, 1e-7);
  assertAlmostEquals(of(3)[2], 0.75, 1e-7);
});
