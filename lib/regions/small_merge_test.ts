import { assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { percentile, regionAdjacency } from "./adjacency.ts";
import { mergeSmallRegions } from "./small_merge.ts";

Deno.test("percentile interpolates like numpy", () => {
  assertAlmostEquals(percentile([1, 2, 3, 4], 85), 3.55, 1e-12);
  assertAlmostEquals(percentile([5], 85), 5, 0);
  assertEquals(percentile([], 50), 0);
});

Deno.test("regionAdjacency counts contact and mean edge", () => {
  // 1 1 2
  // 1 3 2
  const lab = Int32Array.of(1, 1, 2, 1, 3, 2);
  const edge = Float32Array.of(0, 0.2, 0.4, 0, 1, 0.6);
  const adj = regionAdjacency(lab, 3, 2, 3, edge, 1);
  const get = (a: number, b: number) => {
    for (let k = 0; k < adj.a.length; k++) {
      if (adj.a[k] === a && adj.b[k] === b) return [adj.length[k], adj.meanEdge[k]];
    }
    return null;
  };
  assertEquals(get(1, 2)![0], 1); // (1,0)-(2,0)
  assertAlmostEquals(get(1, 2)![1], 0.3, 1e-7);
  assertEquals(get(1, 3)![0], 2); // (0,1)-(1,1) and (1,0)-(1,1)
  assertAlmostEquals(get(1, 3)![1], (0.5 + 0.6) / 2, 1e-7);
  assertEquals(get(2, 3)![0], 1);
  assertAlmostEquals(get(2, 3)![1], 0.8, 1e-7);
});

Deno.test("a small region joins the neighbour with the best contact * (1 - edge)", () => {
  // 10x10: left half region 1, right half region 2, a 2x3 region 3 straddling, touching 1 along 3 px
  // (pairs across x=3|4) and 2 along 3 px (x=5|6). Edge is high on the 3|2 border: 3 joins 1.
  const W = 10, H = 10;
  const lab = new Int32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) lab[y * W + x] = x < 5 ? 1 : 2;
  for (let y = 4; y < 7; y++) for (let x = 4; x < 6; x++) lab[y * W + x] = 3;
  const edge = new Float32Array(W * H);
  for (let y = 0; y < H; y++) edge[y * W + 6] = 0.8;
  const r = mergeSmallRegions(lab, W, H, edge, { minFraction: 0.07, connectivity: 1 }); // 7 px: region 3 (6 px)
  assertEquals(r.count, 2);
  assertEquals(r.labels[5 * W + 5], r.labels[0]);
  // With the edge on the other side, it joins region 2.
  edge.fill(0);
  for (let y = 0; y < H; y++) edge[y * W + 3] = 0.8;
  const r2 = mergeSmallRegions(lab, W, H, edge, { minFraction: 0.07, connectivity: 1 });
  assertEquals(r2.labels[5 * W + 5], r2.labels[9]);
});

Deno.test("mergeSmallRegions: the gate penalty beats a longer contact across a stroke", () => {
  // Region 3 (a 1x4 strip, 4 px) touches region 1 along 4 px through a strong stroke, region 2 along 1 px
  // with no stroke; the 85th-percentile gate penalises the stroke border tenfold: 4 * 0.1 * 0.1 < 1 * 1.
  const W = 6, H = 4;
  const lab = new Int32Array(W * H).fill(1);
  for (let y = 0; y < 4; y++) lab[y * W + 2] = 3;
  for (let x = 2; x < W; x++) lab[3 * W + x] = 2;
  lab[3 * W + 2] = 3;
  for (let y = 0; y < 3; y++) for (let x = 3; x < W; x++) lab[y * W + x] = 2;
  // 1 1 3 2 2 2 / 1 1 3 2 2 2 / 1 1 3 2 2 2 / 1 1 3 2 2 2 : region 3 is a column, 2 on the right.
  const edge = new Float32Array(W * H);
  for (let y = 0; y < 4; y++) edge[y * W + 1] = edge[y * W + 2] = 0.9; // stroke between 1 and 3
  const r = mergeSmallRegions(lab, W, H, edge, { minFraction: 0.2, connectivity: 1 });
  assertEquals(r.labels[2], r.labels[3]);
});

Deno.test("mergeSmallRegions leaves a single region alone and stops after maxPasses", () => {
  const one = mergeSmallRegions(new Int32Array(9).fill(4), 3, 3, new Float32Array(9));
  assertEquals(one.count, 1);
  assertEquals(Array.from(one.labels), new Array(9).fill(1));
  // A chain 1-2-3-4 of single pixels, all small: with one pass each joins a neighbour but may stay small.
  const lab = Int32Array.of(1, 2, 3, 4);
  const r = mergeSmallRegions(lab, 4, 1, new Float32Array(4), {
    minFraction: 1,
    maxPasses: 1,
    connectivity: 1,
  });
  assertEquals(r.count, 1);
});
