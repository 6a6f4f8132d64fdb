import { assert, assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { adjustedRandIndex } from "./ari.ts";
import { ariLabels } from "./fixtures.ts";

Deno.test("adjustedRandIndex: scikit-learn's documented cases", () => {
  // adjusted_rand_score(...) in scikit-learn 1.2.1:
  assertEquals(adjustedRandIndex(Int32Array.of(0, 0, 1, 1), Int32Array.of(0, 0, 1, 1)), 1);
  assertEquals(adjustedRandIndex(Int32Array.of(0, 0, 1, 1), Int32Array.of(1, 1, 0, 0)), 1);
  assertAlmostEquals(
    adjustedRandIndex(Int32Array.of(0, 0, 1, 2), Int32Array.of(0, 0, 1, 1)),
    0.5714285714285714,
    1e-15,
  );
  assertAlmostEquals(adjustedRandIndex(Int32Array.of(0, 0, 1, 1), Int32Array.of(0, 1, 0, 1)), -0.5, 1e-15);
  assertEquals(adjustedRandIndex(Int32Array.of(0, 0, 0, 0), Int32Array.of(0, 1, 2, 3)), 0);
  // adjusted_rand_score([0,0,1,1],[0,0,0,1]) == 0.0 (also by hand: tp tn = fn fp = 8)
  assertEquals(adjustedRandIndex(Int32Array.of(0, 0, 1, 1), Int32Array.of(0, 0, 0, 1)), 0);
});

Deno.test("adjustedRandIndex: scikit-learn reference on seeded labels; symmetric; mask; empty", () => {
  // /usr/bin/python3, scikit-learn 1.2.1: a, b = ari_labels(seed, n) (fixtures.ts); adjusted_rand_score(a, b)
  const cases: [number, number, number][] = [[5, 400, 0.5099524936258287], [17, 250, 0.5197336659545512]];
  for (const [seed, n, ref] of cases) {
    const { a, b } = ariLabels(seed, n);
    assertAlmostEquals(adjustedRandIndex(a, b), ref, 1e-13, `seed ${seed}`);
    assertAlmostEquals(adjustedRandIndex(b, a), ref, 1e-13, `seed ${seed} swapped`);
  }
  // A mask equals dropping the masked elements.
  const { a, b } = ariLabels(5, 400);
  const mask = Uint8Array.from(a, (_, i) => (i % 3 === 0 ? 0 : 1));
  const keep = [...a.keys()].filter((i) => mask[i]);
  assertEquals(
    adjustedRandIndex(a, b, mask),
    adjustedRandIndex(Int32Array.from(keep, (i) => a[i]), Int32Array.from(keep, (i) => b[i])),
  );
  assert(Number.isNaN(adjustedRandIndex(Int32Array.of(1), Int32Array.of(1), Uint8Array.of(0))));
  assertEquals(adjustedRandIndex(Int32Array.of(4), Int32Array.of(9)), 1); // one element: fp = fn = 0
});
