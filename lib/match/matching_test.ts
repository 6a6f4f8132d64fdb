import { assertEquals } from "../testing/asserts.ts";
import { bestPartners, matchRegions } from "./matching.ts";

// Two regions per side. simAB[i * 3 + j], simBA[j * 3 + i]; row/column 0 unused (NaN).
const N = NaN;
const simAB = Float32Array.of(N, N, N, N, 0.9, 0.6, N, 0.2, 0.55);
const simBA = Float32Array.of(N, N, N, N, 0.8, 0.1, N, 0.3, 0.7);

Deno.test("matching: argmax in each direction, the union of both", () => {
  const m = matchRegions(simAB, simBA, 2, 2);
  // a->b: 1 -> 1 (0.9); 2 -> best is 2 (0.55) < 0.6: none. b->a: 1 -> 1 (0.8); 2 -> 2 (0.7).
  assertEquals(m.map((x) => [x.ref_region, x.tgt_region, x.direction]), [[1, 1, "both"], [2, 2, "ba"]]);
  assertEquals(m[0].score, Math.fround(0.9)); // best of the proposing directions
  assertEquals(m[1].score, Math.fround(0.7));
  assertEquals(m[1].score_ab, Math.fround(0.55));
});

Deno.test("matching: the paper's rule keeps every partner at or above the threshold", () => {
  const m = matchRegions(simAB, simBA, 2, 2, { rule: "all" });
  // a->b adds 1 -> 2 at exactly 0.6 (inclusive).
  assertEquals(m.map((x) => [x.ref_region, x.tgt_region, x.direction]), [[1, 1, "both"], [1, 2, "ab"], [
    2,
    2,
    "ba",
  ]]);
  assertEquals(matchRegions(simAB, simBA, 2, 2, { rule: "all", threshold: 0.95 }).length, 0);
});

Deno.test("matching: skipped regions (background) and missing similarities take no part", () => {
  // Without b's region 1, a's region 1 falls back to its best remaining partner, 2 (0.6 reaches the threshold).
  const m = matchRegions(simAB, simBA, 2, 2, { skipB: Uint8Array.of(0, 1, 0) });
  assertEquals(m.map((x) => [x.ref_region, x.tgt_region]), [[1, 2], [2, 2]]);
  assertEquals(matchRegions(simAB, simBA, 2, 2, { skipA: Uint8Array.of(0, 1, 1) }).length, 0);
  const nan = new Float32Array(9).fill(NaN);
  assertEquals(matchRegions(nan, nan, 2, 2).length, 0);
  assertEquals(Array.from(bestPartners(simBA, 2, 2)), [0, 1, 2]);
  assertEquals(Array.from(bestPartners(nan, 2, 2)), [0, 0, 0]);
});
