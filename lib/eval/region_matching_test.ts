import { assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { validMask } from "./gt_regions.ts";
import { mapRegions, type RegionMatch, regionMatchMetrics } from "./region_matching.ts";

const row = (data: number[]) => ({ width: data.length, height: 1, data: Int32Array.from(data) });

// a: segments 2 (label 100) and 3 (label 101), plus a line pixel (0) and a background pixel (1).
// b: segment 5 (label 100); label 101 split into segments 6 and 7.
const segA = row([2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 0, 1]);
const segB = row([5, 5, 5, 5, 5, 6, 6, 6, 7, 7, 0, 1]);
const labA = new Map([[1, -1], [2, 100], [3, 101]]);
const labB = new Map([[1, -1], [5, 100], [6, 101], [7, 101]]);
// Predicted regions: a's are the segments (region 2 also holds the line pixel, which does not dilute it).
// b: region 1 = four pixels of 5 -> 5; region 2 = one of 5 + three of 6 -> purity 3/4 < 0.8 -> nothing;
// region 3 = segment 7 -> 7.
const predA = row([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 0]);
const predB = row([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 0, 1]);

Deno.test("mapRegions: vote over valid pixels with purity >= 0.8 (by hand)", () => {
  const m = mapRegions(predB, segB, validMask(segB, labB).valid);
  assertEquals([...m.segOf], [[1, 5], [3, 7]]);
  assertEquals(m.purity.get(2), 0.75);
  // Exactly 0.8 passes: 4 of 5 pixels.
  const seg = row([2, 2, 2, 2, 3]), lab = new Map([[2, 1], [3, 2]]);
  assertEquals(mapRegions(row([1, 1, 1, 1, 1]), seg, validMask(seg, lab).valid).segOf.get(1), 2);
  assertEquals(mapRegions(row([1, 1, 1, 1, 1]), seg, validMask(seg, lab).valid, 0.81).segOf.has(1), false);
});

Deno.test("regionMatchMetrics: precision over valid matches, recall over groups (by hand)", () => {
  const A = { regions: predA, seg: segA, labelOfSeg: labA },
    B = { regions: predB, seg: segB, labelOfSeg: labB };
  // (1,1): 2-5 correct; (2,2): b side unmapped -> not valid; (2,3): 3-7 correct; (1,3): 2-7 wrong.
  // GT groups: {2,5} and {3,6,7}.
  const m: RegionMatch[] = [
    { ref_region: 1, tgt_region: 1, score: 0.9 },
    { ref_region: 2, tgt_region: 2, score: 0.8 },
    { ref_region: 2, tgt_region: 3, score: 0.7 },
    { ref_region: 1, tgt_region: 3, score: 0.6 },
  ];
  const undirected = regionMatchMetrics(A, B, m);
  assertAlmostEquals(undirected.precision_valid, 2 / 3, 1e-15);
  assertAlmostEquals(undirected.precision_all, 2 / 4, 1e-15); // the unmapped (2,2) counts against it here
  assertEquals(undirected.sets.all.pred_matches, 4);
  assertEquals(undirected.recall, 1);
  assertEquals(undirected.sets.all.valid_matches, 3);
  assertEquals(undirected.sets.all.gt_groups, 2);
  // Directed: ab = (1,1) both + (2,2) ab -> P 1/1, R 1/2; ba = (1,1) + (2,3) + (1,3) -> P 2/3, R 2/2.
  const dirs: RegionMatch["direction"][] = ["both", "ab", "ba", "ba"];
  const directed = regionMatchMetrics(A, B, m.map((x, i) => ({ ...x, direction: dirs[i] })));
  assertAlmostEquals(directed.precision_valid, (1 + 2 / 3) / 2, 1e-15);
  // All predicted: ab 1 correct of 2, ba 2 of 3.
  assertAlmostEquals(directed.precision_all, (1 / 2 + 2 / 3) / 2, 1e-15);
  assertAlmostEquals(directed.recall, (1 / 2 + 1) / 2, 1e-15);
  assertEquals(directed.sets.ab.valid_matches, 1);
  assertEquals(directed.sets.ba.correct_matches, 2);
  // No match: precision and recall 0 (the release's convention).
  const none = regionMatchMetrics(A, B, []);
  assertEquals([none.precision_all, none.precision_valid, none.recall], [0, 0, 0]);
  // Only invalid matches: valid-only precision 0 by convention, all-matches precision 0 (nothing correct).
  const invalid = regionMatchMetrics(A, B, [m[1]]);
  assertEquals([invalid.precision_all, invalid.precision_valid, invalid.sets.all.valid_matches], [0, 0, 0]);
});

Deno.test("regionMatchMetrics: perfect prediction scores 1", () => {
  const A = { regions: segA, seg: segA, labelOfSeg: labA },
    B = { regions: segB, seg: segB, labelOfSeg: labB };
  const m = [[2, 5], [3, 6], [3, 7]].map(([r, t]) => ({ ref_region: r, tgt_region: t, score: 1 }));
  const s = regionMatchMetrics(A, B, m);
  assertEquals([s.precision_all, s.precision_valid, s.recall], [1, 1, 1]);
});
