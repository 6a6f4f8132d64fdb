import { assertEquals, assertThrows } from "../testing/asserts.ts";
import { contingency } from "./contingency.ts";

Deno.test("contingency: sparse counts with mask (by hand)", () => {
  const a = Int32Array.of(7, 7, 7, 3, 3, 9);
  const b = Int32Array.of(1, 1, 2, 2, 2, 1);
  const c = contingency(a, b, Uint8Array.of(1, 1, 1, 1, 1, 0));
  assertEquals(c.rowIds, [7, 3]);
  assertEquals(c.colIds, [1, 2]);
  assertEquals(c.total, 5);
  assertEquals(Array.from(c.rowSums), [3, 2]);
  assertEquals(Array.from(c.colSums), [2, 3]);
  const cells = Array.from(c.cellCount, (n, k) => [c.rowIds[c.cellRow[k]], c.colIds[c.cellCol[k]], n]);
  assertEquals(cells, [[7, 1, 2], [7, 2, 1], [3, 2, 2]]);
  // Runs broken and resumed land in the same cell.
  const d = contingency(Int32Array.of(1, 1, 2, 1, 1), Int32Array.of(0, 0, 0, 0, 0));
  assertEquals(Array.from(d.cellCount), [4, 1]);
  assertThrows(() => contingency(a, Int32Array.of(1)), RangeError);
});
