import { assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import type { RegionMatch } from "./matching.ts";
import { propagateMatches, regionGeometry } from "./context.ts";

/** 20x20 picture: region 1 above and below, a 20x8 "face" (2) with two 2x2 "eyes" (3 left, 4 right). */
function picture(eyeShift: number): Int32Array {
  const W = 20, lab = new Int32Array(W * W).fill(1);
  for (let y = 6; y < 14; y++) for (let x = 0; x < 20; x++) lab[y * W + x] = 2;
  for (let y = 8; y < 10; y++) {
    for (let x = 4 + eyeShift; x < 6 + eyeShift; x++) lab[y * W + x] = 3;
    for (let x = 13 + eyeShift; x < 15 + eyeShift; x++) lab[y * W + x] = 4;
  }
  return lab;
}
const faces: RegionMatch[] = [{
  ref_region: 2,
  tgt_region: 2,
  score: 0.9,
  score_ab: 0.9,
  score_ba: 0.9,
  direction: "both",
}];

Deno.test("regionGeometry: areas, centroids and the parent of enclosed regions", () => {
  const g = regionGeometry(picture(0), 20, 20, 4);
  assertEquals(Array.from(g.area), [0, 240, 152, 4, 4]);
  assertAlmostEquals(g.cx[3], 5, 1e-9);
  assertAlmostEquals(g.cy[3], 9, 1e-9);
  assertEquals(Array.from(g.parent), [0, 0, 1, 2, 2]); // the largest region has none
});

Deno.test("context: eyes follow their matched faces, left to left and right to right", () => {
  const ga = regionGeometry(picture(0), 20, 20, 4), gb = regionGeometry(picture(1), 20, 20, 4);
  const m = propagateMatches(faces, ga, gb);
  assertEquals(m.map((x) => [x.ref_region, x.tgt_region, x.direction]), [[3, 3, "context"], [
    4,
    4,
    "context",
  ]]);
  // Cost of a 1-px shift in a 20-px-wide face (same area share): 0.05 / 0.15 = 1/3; score exp(-1/3).
  assertAlmostEquals(m[0].score, Math.exp(-1 / 3), 1e-9);
});

Deno.test("context: nothing without matched parents, or beyond the cost limit", () => {
  const ga = regionGeometry(picture(0), 20, 20, 4), gb = regionGeometry(picture(1), 20, 20, 4);
  assertEquals(propagateMatches([], ga, gb).length, 0);
  assertEquals(propagateMatches(faces, ga, gb, { maxCost: 0.3 }).length, 0);
  // Parents that correspond only by similarity (not matched) still count.
  const simAB = new Float32Array(25).fill(0.1), simBA = new Float32Array(25).fill(0.1);
  simAB[2 * 5 + 2] = 0.65;
  assertEquals(propagateMatches([], ga, gb, { simAB, simBA, threshold: 0.6 }).length, 2);
  // Skipped regions take no part.
  assertEquals(
    propagateMatches(faces, ga, gb, { skipB: Uint8Array.of(0, 0, 0, 1, 0) }).map((x) => x.ref_region),
    [4],
  );
});
