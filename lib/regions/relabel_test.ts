import { assertEquals } from "../testing/asserts.ts";
import { connectedComponents, labelSizes, relabelSequential } from "./relabel.ts";

Deno.test("relabelSequential numbers by first appearance; 0 and negatives become 0", () => {
  const r = relabelSequential(Int32Array.of(7, 7, 3, 0, -2, 3, 9));
  assertEquals(Array.from(r.labels), [1, 1, 2, 0, 0, 2, 3]);
  assertEquals(r.count, 3);
  assertEquals(Array.from(labelSizes(r.labels, 3)), [0, 2, 2, 1]);
});

Deno.test("connectedComponents splits equal keys that do not touch (4-connectivity)", () => {
  // 5 5 0
  // 0 5 0    key 5 at (0,0),(1,0),(1,1); key 0 elsewhere except -1 at (2,2); diagonal 5 at (0,2) is separate
  // 5 0 -1
  const keys = Int32Array.of(5, 5, 0, 0, 5, 0, 5, 0, -1);
  const r = connectedComponents(keys, 3, 3);
  assertEquals(Array.from(r.labels), [1, 1, 2, 3, 1, 2, 4, 5, 0]);
  assertEquals(r.count, 5);
});
