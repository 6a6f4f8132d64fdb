import { assertEquals } from "../testing/asserts.ts";
import { boundaryMask, seedsFromClusters } from "./seeds.ts";

Deno.test("seeds lie more than the margin from the cluster boundary", () => {
  // 12x3 image: cluster 0 on x < 6, cluster 1 on x >= 6. Boundary pixels: x = 5 and x = 6.
  const W = 12, H = 3;
  const c = new Int32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 6; x < W; x++) c[y * W + x] = 1;
  const bm = boundaryMask(c, W, H);
  assertEquals(Array.from(bm.subarray(0, W)), [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  const m = seedsFromClusters(c, W, H, 2);
  // Distance to the boundary column: x=5-x for the left side; seeds need > 2, i.e. x <= 2 or x >= 9.
  assertEquals(Array.from(m.subarray(0, W)), [1, 1, 1, 0, 0, 0, 0, 0, 0, 2, 2, 2]);
});

Deno.test("a cluster too thin for the margin keeps one seed at its most interior pixel", () => {
  const W = 9, H = 1;
  const c = Int32Array.of(0, 0, 0, 0, 1, 2, 2, 2, 2);
  const m = seedsFromClusters(c, W, H, 2);
  assertEquals(m.filter((v) => v === 2).length, 1); // cluster 1 (id 2): one pixel, at x = 4
  assertEquals(m[4], 2);
  // Boundary pixels x = 3, 4, 5; only x = 0 and x = 8 lie more than 2 away.
  assertEquals(Array.from(m), [1, 0, 0, 0, 2, 0, 0, 0, 3]);
  // Negative cluster ids are no cluster.
  assertEquals(Array.from(seedsFromClusters(Int32Array.of(-1, -1), 2, 1, 1)), [0, 0]);
});
