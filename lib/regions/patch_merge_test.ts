import { assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { borderEdge, mergePatches } from "./patch_merge.ts";
import { squareLayout } from "./patch_layout.ts";

// A 2x2 grid of 4x4-pixel patches on an 8x8 image: 0 1 / 2 3.
const lay = squareLayout(8, 8, 2);

function sims(pairs: [number, number, number][]): Float32Array {
  const s = new Float32Array(16);
  for (let i = 0; i < 4; i++) s[i * 4 + i] = 1;
  for (const [i, j, v] of pairs) s[i * 4 + j] = v;
  return s;
}

Deno.test("mergePatches: both directions must reach the threshold (inclusive)", () => {
  const flat = new Float32Array(64);
  // 0.72 both ways merges; 0.72 one way and 0.7199 back does not.
  let r = mergePatches(sims([[0, 1, 0.72], [1, 0, 0.72]]), lay, flat);
  assertEquals(Array.from(r.cluster), [0, 0, 1, 2]);
  r = mergePatches(sims([[0, 1, 0.72], [1, 0, 0.7199]]), lay, flat);
  assertEquals(Array.from(r.cluster), [0, 1, 2, 3]);
  assertEquals(r.count, 4);
});

Deno.test("mergePatches: the border's mean edge must not exceed 0.35 (inclusive)", () => {
  const s = sims([[0, 1, 0.9], [1, 0, 0.9]]);
  const edge = new Float32Array(64);
  // Border of patches 0 and 1: columns 3 and 4, rows 0..3.
  for (let y = 0; y < 4; y++) edge[y * 8 + 3] = edge[y * 8 + 4] = 0.35;
  assertAlmostEquals(borderEdge(edge, lay, 0, 1), 0.35, 1e-7);
  assertEquals(Array.from(mergePatches(s, lay, edge).cluster), [0, 0, 1, 2]);
  for (let y = 0; y < 4; y++) edge[y * 8 + 4] = 0.37; // mean 0.36
  assertEquals(Array.from(mergePatches(s, lay, edge).cluster), [0, 1, 2, 3]);
});

Deno.test("mergePatches: diagonal neighbours use the 2x2 corner; 4-neighbour mode ignores them", () => {
  const s = sims([[0, 3, 0.8], [3, 0, 0.8]]);
  const edge = new Float32Array(64);
  edge[3 * 8 + 3] = 1; // one of the four corner pixels (3,3),(4,3),(3,4),(4,4): mean 0.25
  assertAlmostEquals(borderEdge(edge, lay, 0, 3), 0.25, 1e-7);
  assertEquals(Array.from(mergePatches(s, lay, edge).cluster), [0, 1, 2, 0]);
  assertEquals(Array.from(mergePatches(s, lay, edge, { neighbours: 4 }).cluster), [0, 1, 2, 3]);
  edge[4 * 8 + 4] = 1; // mean 0.5: a stroke crosses the corner
  assertEquals(Array.from(mergePatches(s, lay, edge).cluster), [0, 1, 2, 3]);
});

Deno.test("mergePatches chains merges through union-find", () => {
  const s = sims([[0, 1, 0.8], [1, 0, 0.8], [1, 3, 0.8], [3, 1, 0.8], [3, 2, 0.8], [2, 3, 0.8]]);
  const r = mergePatches(s, lay, new Float32Array(64));
  assertEquals(Array.from(r.cluster), [0, 0, 0, 0]);
  assertEquals(r.count, 1);
});

Deno.test("mergePatches without an edge map (ablation) merges on the similarity alone", () => {
  const s = sims([[0, 1, 0.9], [1, 0, 0.9]]);
  const edge = new Float32Array(64).fill(1); // strokes everywhere: no edge-aware merge
  assertEquals(Array.from(mergePatches(s, lay, edge).cluster), [0, 1, 2, 3]);
  assertEquals(Array.from(mergePatches(s, lay, null).cluster), [0, 0, 1, 2]);
});
