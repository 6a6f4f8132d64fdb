import { assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { squareLayout } from "./patch_layout.ts";
import { boundaryMask, seedsFromClusters, seedsFromPatchClusters } from "./seeds.ts";

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

Deno.test("seedsFromPatchClusters equals seedsFromClusters of the per-pixel cluster map", () => {
  const rng = new Rng(67);
  for (let t = 0; t < 60; t++) {
    const W = rng.int(1, 60), H = rng.int(1, 60), grid = rng.int(1, 8);
    const layout = squareLayout(W, H, grid);
    const count = rng.int(1, 6);
    const cluster = new Int32Array(layout.n).map((_, p) => (layout.count[p] > 0 ? rng.int(0, count) : -1));
    const used = new Set(Array.from(cluster).filter((c) => c >= 0));
    // Compact ids, as mergePatches makes them.
    const ids = [...used].sort((a, b) => a - b), idOf = new Map(ids.map((c, k) => [c, k]));
    const compact = cluster.map((c) => (c >= 0 ? idOf.get(c)! : -1));
    const map = new Int32Array(W * H).map((_, i) => compact[layout.patchOf[i]]);
    const margin = rng.float() * 6;
    assertEquals(
      Array.from(seedsFromPatchClusters(layout, compact, ids.length, margin)),
      Array.from(seedsFromClusters(map, W, H, margin)),
      `case ${t}`,
    );
  }
});
