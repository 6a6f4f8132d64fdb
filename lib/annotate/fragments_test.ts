import { assertEquals } from "../testing/asserts.ts";
import { bestNeighbour, buildRegionGraph, FRAGMENT_DEFAULTS, mergeFragments } from "./fragments.ts";

Deno.test("buildRegionGraph counts borders with and without a stroke between", () => {
  // One row: region 0 | region 1 | stroke | region 2.
  const comp = Int32Array.from([0, 0, 1, -1, 2]);
  const full = Int32Array.from([0, 0, 1, 1, 2]);
  const rgb = new Uint8Array(15);
  const g = buildRegionGraph(comp, full, 3, rgb, 3, 5, 1);
  assertEquals(g.adj[0].get(1), [1, 0]);
  assertEquals(g.adj[1].get(2), [0, 1]);
  assertEquals(g.adj[2].get(1), [0, 1]);
  assertEquals(Array.from(g.size), [2, 1, 1]);
});

Deno.test("a fragment joins the similar-coloured neighbour; the border decides between equal colours", () => {
  // Hand-made graph: fragment 0 (red) borders 1 (red, 4 pairs across a stroke) and 2 (blue, 6 pairs direct).
  const g = {
    size: Float64Array.from([5, 100, 100]),
    colorSum: Float64Array.from([5 * 200, 0, 0, 100 * 210, 0, 0, 0, 0, 100 * 200]),
    interior: Float64Array.from([1, 80, 80]),
    adj: [
      new Map([[1, [0, 4] as [number, number]], [2, [6, 0] as [number, number]]]),
      new Map([[0, [0, 4] as [number, number]]]),
      new Map([[0, [6, 0] as [number, number]]]),
    ],
    keep: new Uint8Array(3),
  };
  const o = FRAGMENT_DEFAULTS;
  // score(1) = (0 + 0.35*4) * (0.01 + exp(-100/3200)) ~ 1.37; score(2) = 6 * (0.01 + exp(-~80000/3200)) ~ 0.06
  assertEquals(bestNeighbour(g, 0, o), 1);
  // Same colour on both sides: the border without a stroke (6 > 0.35*4) wins.
  g.colorSum.set([100 * 200, 0, 0], 6);
  assertEquals(bestNeighbour(g, 0, o), 2);
  const root = mergeFragments(g, { minSize: 10 });
  assertEquals(Array.from(root), [2, 1, 2]);
  assertEquals(g.size[2], 105);
  assertEquals(g.adj[2].get(1), [0, 4]); // the fragment's border with 1 now belongs to 2
});
