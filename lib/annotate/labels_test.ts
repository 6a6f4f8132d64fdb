import { assertEquals } from "../testing/asserts.ts";
import { pairLabels } from "./labels.ts";

Deno.test("pairLabels shares a label across matched regions, and chains of matches form one group", () => {
  // A: regions 2,3,4,5; B: regions 2,3,4. Matches 2-3, 3-3 (both to B3), 4-2. A5 and B4 unmatched.
  const { labelsA, labelsB, groups } = pairLabels(6, 5, [{ a: 2, b: 3 }, { a: 3, b: 3 }, { a: 4, b: 2 }]);
  assertEquals([...labelsA], [[0, -1], [1, -1], [2, 0], [3, 0], [4, 1], [5, 2]]);
  assertEquals([...labelsB], [[0, -1], [1, -1], [2, 1], [3, 0], [4, 3]]);
  assertEquals(groups, 4);
  // Matches involving background are ignored.
  const bg = pairLabels(3, 3, [{ a: 1, b: 2 }]);
  assertEquals([...bg.labelsA], [[0, -1], [1, -1], [2, 0]]);
  assertEquals([...bg.labelsB], [[0, -1], [1, -1], [2, 1]]);
});
