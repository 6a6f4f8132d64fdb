import { assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { topKCounts } from "./topk.ts";

Deno.test("topKCounts: both directions, ignored candidates count, ties against the true match (by hand)", () => {
  // a labels [1, 2, -], b labels [2, 1, 3]; C rows a, columns b.
  const c = Float32Array.of(
    0.4,
    0.5,
    0.1, // a0 (1): true match b1 = 0.5, nothing ahead -> rank 1
    0.7,
    0.7,
    0.2, // a1 (2): true match b0 = 0.7, b1 ties at 0.7 -> 1 ahead
    0.8,
    0.3,
    0.95, // a2 ignored as a query, but a candidate for b's queries
  );
  const t = topKCounts(c, 3, Int32Array.of(1, 2, -1), Int32Array.of(2, 1, 3), [1, 2, 5]);
  // b0 (2): true a1 = 0.7; a2 = 0.8 ahead -> 1 ahead.  b1 (1): true a0 = 0.5; a1 = 0.7 ahead -> 1 ahead.
  // b2 (3) has no match in a: not a query.
  assertEquals(t.queries, 4);
  assertEquals(t.hits, [1, 4, 4]);
});

/** Reference: sort each query's candidates by score, true matches after equal-scored others; rank of the first. */
function reference(c: Float32Array, n: number, la: Int32Array, lb: Int32Array, k: number) {
  let q = 0, hits = 0;
  const run = (get: (q: number, j: number) => number, lq: Int32Array, lc: Int32Array) => {
    for (let i = 0; i < n; i++) {
      if (lq[i] < 0 || !Array.from(lc).includes(lq[i])) continue;
      q++;
      const order = [...Array(n).keys()].sort((x, y) =>
        get(i, y) - get(i, x) || Number(lc[x] === lq[i]) - Number(lc[y] === lq[i])
      );
      const rank = order.findIndex((j) => lc[j] === lq[i]);
      if (rank < k) hits++;
    }
  };
  run((i, j) => c[i * n + j], la, lb);
  run((i, j) => c[j * n + i], lb, la);
  return { q, hits };
}

Deno.test("topKCounts agrees with a sort-based reference on random scores with ties", () => {
  const rng = new Rng(4);
  for (let trial = 0; trial < 20; trial++) {
    const n = 12;
    const c = new Float32Array(n * n);
    for (let i = 0; i < c.length; i++) c[i] = Math.round(rng.float() * 8) / 8; // many ties
    const la = Int32Array.from({ length: n }, () => rng.int(-1, 5));
    const lb = Int32Array.from({ length: n }, () => rng.int(-1, 5));
    const t = topKCounts(c, n, la, lb, [1, 3]);
    const r1 = reference(c, n, la, lb, 1), r3 = reference(c, n, la, lb, 3);
    assertEquals(t.queries, r1.q);
    assertEquals(t.hits, [r1.hits, r3.hits]);
  }
});
