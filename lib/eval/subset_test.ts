import { assertEquals, assertThrows } from "../testing/asserts.ts";
import { spreadPairs } from "./subset.ts";

const pairs = Array.from(
  { length: 10 },
  (_, i) => ({ dir: `c${i >> 2}`, reference: `${i}`, target: `${i + 7}` }),
);

Deno.test("spreadPairs: evenly spaced, in order; everything without a limit", () => {
  assertEquals(spreadPairs(pairs, 4).map((p) => p.reference), ["0", "2", "5", "7"]);
  assertEquals(spreadPairs(pairs, 1).map((p) => p.reference), ["0"]);
  assertEquals(spreadPairs(pairs, 0).length, 10);
  assertEquals(spreadPairs(pairs).length, 10);
  assertEquals(spreadPairs(pairs, 25).length, 10);
  assertThrows(() => spreadPairs(pairs, 2.5), RangeError);
});
