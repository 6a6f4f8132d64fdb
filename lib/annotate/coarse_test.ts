import { assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { coarseMatch, regionStats } from "./coarse.ts";

Deno.test("regionStats places centroids in the character box", () => {
  // 4x2: background column 0; region 2 at x=1, region 3 at x=2..3.
  const seg = { width: 4, height: 2, data: Int32Array.from([1, 2, 3, 3, 1, 2, 3, 3]) };
  const st = regionStats(seg, 4);
  assertEquals(Array.from(st.size), [0, 2, 2, 4]);
  // Box x 1..3 (width 2), y 0..1 (height 1): region 2 at x=1 -> 0, region 3 at x=2.5 -> 0.75; y 0.5.
  assertAlmostEquals(st.centroid[4], 0);
  assertAlmostEquals(st.centroid[6], 0.75);
  assertAlmostEquals(st.centroid[7], 0.5);
});

Deno.test("coarseMatch pairs by colour, position and size, within tolerances", () => {
  const stats = (c: number[][], s: number[]) => ({
    size: Float64Array.from(s),
    centroid: Float64Array.from(c.flat()),
  });
  // From: region 2 red at (0.2,0.2), region 3 blue at (0.8,0.8), region 4 green (nothing green in "to").
  const from = stats([[0, 0], [0, 0], [0.2, 0.2], [0.8, 0.8], [0.5, 0.5]], [0, 0, 100, 100, 100]);
  const fromC = Float32Array.from([0, 0, 0, 255, 255, 255, 200, 0, 0, 0, 0, 200, 0, 200, 0]);
  // To: region 2 red far away (0.9,0.9), region 3 red near (0.25,0.2), region 4 blue near (0.8,0.75) but 10x
  // larger, region 5 blue near (0.7,0.8) of similar size.
  const to = stats([[0, 0], [0, 0], [0.9, 0.9], [0.25, 0.2], [0.8, 0.75], [0.7, 0.8]], [
    0,
    0,
    100,
    120,
    1000,
    90,
  ]);
  const toC = Float32Array.from([0, 0, 0, 255, 255, 255, 200, 0, 0, 205, 0, 0, 0, 0, 200, 0, 0, 200]);
  const m = coarseMatch([2, 3, 4], from, fromC, to, toC);
  assertEquals(m.map((x) => [x.from, x.to]), [[2, 3], [3, 5]]);
});
