import { assertEquals } from "../testing/asserts.ts";
import { groundTruthMatches, groupMatches, isRegionSegment, regionIds, validMask } from "./gt_regions.ts";

Deno.test("validMask / isRegionSegment: line, background and background-labelled segments are invalid", () => {
  const labelOf = new Map([[0, -1], [1, -1], [2, 4], [3, -1], [5, 0]]);
  const seg = { width: 6, height: 1, data: Int32Array.of(0, 1, 2, 3, 5, 2) };
  const { valid, count } = validMask(seg, labelOf);
  assertEquals(Array.from(valid), [0, 0, 1, 0, 1, 1]);
  assertEquals(count, 3);
  assertEquals(regionIds(seg, valid), [2, 5]);
  assertEquals(isRegionSegment(7, labelOf), false); // unknown segment
  assertEquals(isRegionSegment(7, null), true);
  assertEquals(isRegionSegment(1, null), false);
});

Deno.test("groundTruthMatches and groupMatches: same label pairs, union-find groups (by hand)", () => {
  const la = new Map([[2, 10], [3, 11], [4, 11], [6, 12]]);
  const lb = new Map([[5, 10], [7, 11], [8, 13]]);
  const pairs = groundTruthMatches([2, 3, 4, 6], la, [5, 7, 8], lb);
  assertEquals(pairs, [[2, 5], [3, 7], [4, 7]]);
  const g = groupMatches(pairs);
  assertEquals(g.count, 2);
  assertEquals(g.groupOfA.get(3), g.groupOfA.get(4));
  assertEquals(g.groupOfA.get(3), g.groupOfB.get(7));
  assertEquals(g.groupOfA.get(2) === g.groupOfA.get(3), false);
  assertEquals(g.groupOfA.has(6), false);
  // A chain a1-b1, a2-b1, a2-b2 is one group.
  assertEquals(groupMatches([[1, 1], [2, 1], [2, 2]]).count, 1);
  assertEquals(groundTruthMatches([2], null, [5], lb), []);
});
