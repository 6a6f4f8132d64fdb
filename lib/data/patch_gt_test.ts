import { assertEquals } from "../testing/asserts.ts";
import { groundTruthMatrix, IGNORE, patchLabels } from "./patch_gt.ts";

// A 4x4 seg map split into 2x2 patches of 2x2 pixels (ids: 0 line, 1 background, 2.. segments).
const seg = {
  width: 4,
  height: 4,
  data: Int32Array.from([
    2,
    2,
    /**/ 3,
    3,
    2,
    0,
    /**/ 1,
    1,
    // ---
    1,
    1,
    /**/ 4,
    5,
    1,
    2,
    /**/ 5,
    4,
  ]),
};

Deno.test("patchLabels: 55% majority, line and background ignored (worked by hand)", () => {
  const labelOf = new Map([[0, -1], [1, -1], [2, 10], [3, 11], [4, 12], [5, 12]]);
  // patch (0,0): three of four pixels label 10 = 75% -> 10
  // patch (0,1): two of four label 11 = 50% < 55% -> ignored
  // patch (1,0): background 3/4 -> ignored
  // patch (1,1): segments 4 and 5 share label 12 -> 100% -> 12
  assertEquals(Array.from(patchLabels(seg, labelOf, { rows: 2, cols: 2 })), [10, IGNORE, IGNORE, 12]);
  // With the threshold at 50% the 2-of-4 patch passes.
  assertEquals(Array.from(patchLabels(seg, labelOf, { rows: 2, cols: 2 }, { minFraction: 0.5 })), [
    10,
    11,
    IGNORE,
    12,
  ]);
  // Without labels, segment ids decide: 4 and 5 are then 50% each -> ignored.
  assertEquals(Array.from(patchLabels(seg, null, { rows: 2, cols: 2 })), [2, IGNORE, IGNORE, IGNORE]);
});

Deno.test("groundTruthMatrix marks equal labels within and across images", () => {
  const g = groundTruthMatrix(Int32Array.from([7, IGNORE]), Int32Array.from([7, 8]));
  assertEquals(Array.from(g), [
    1,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
    0,
    0,
    1,
  ]);
});
