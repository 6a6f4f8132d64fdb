import { assert, assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import type { Letterbox } from "../image/letterbox.ts";
import {
  descriptorCosine,
  poolRegionTokens,
  regionGeometryFeatures,
  similarityFromTokens,
} from "./descriptors.ts";

const BOX: Letterbox = { srcWidth: 64, srcHeight: 64, size: 64, scale: 1, padX: 0, padY: 0 };

/** 4x4 grid of orthonormal-ish tokens: token t is the unit vector e_t (dim 16). */
function basisTokens(): Float32Array {
  const t = new Float32Array(16 * 16);
  for (let k = 0; k < 16; k++) t[k * 16 + k] = 1;
  return t;
}

function setOf(labels: Int32Array, count: number) {
  return { width: 64, height: 64, labels, count, background: new Uint8Array(count + 1) };
}

Deno.test("poolRegionTokens: a 2x2 region between two tokens blends both (bilinear), not the nearest patch", () => {
  const labels = new Int32Array(64 * 64);
  for (const y of [7, 8]) for (const x of [15, 16]) labels[y * 64 + x] = 1; // straddles tokens (0, 0) and (0, 1)
  labels[40 * 64 + 40] = 2; // a single pixel near token (2, 2)'s centre (40 -> 2.03 in token units)
  const d = poolRegionTokens(setOf(labels, 2), basisTokens(), 16, 4, 16, BOX);
  // Region 1: equal weight on e_0 and e_1 (x = 15.5 and 16.5 sit at token coordinates 0.47 and 0.53).
  assertAlmostEquals(d[16 + 0], Math.SQRT1_2, 0.02);
  assertAlmostEquals(d[16 + 1], Math.SQRT1_2, 0.02);
  // Region 2: mostly token 10 (row 2, col 2).
  assert(d[32 + 10] > 0.99, `region 2 on token 10: ${d[32 + 10]}`);
  // Row 0 (no region) stays zero.
  assertEquals([...d.subarray(0, 16)].every((v) => v === 0), true);
});

Deno.test("regionGeometryFeatures: centroids in the drawing's box, log area shares", () => {
  const labels = new Int32Array(64 * 64);
  for (let y = 10; y < 20; y++) for (let x = 10; x < 30; x++) labels[y * 64 + x] = 1; // 20 x 10
  for (let y = 20; y < 30; y++) for (let x = 10; x < 30; x++) labels[y * 64 + x] = 2;
  const g = regionGeometryFeatures(setOf(labels, 2));
  assertEquals(g.box, [10, 10, 20, 20]);
  assertAlmostEquals(g.cx[1], 0.5, 1e-9);
  assertAlmostEquals(g.cy[1], 0.25, 1e-9);
  assertAlmostEquals(g.cy[2], 0.75, 1e-9);
  assertAlmostEquals(g.logArea[1], Math.log(0.5), 1e-9);
  assert(g.major[1] > g.minor[1], "a 20 x 10 box spreads more along x");
});

Deno.test("descriptorCosine and similarityFromTokens agree with hand-computed cosines", () => {
  const da = Float32Array.from([0, 0, 1, 0, 0.6, 0.8]), db = Float32Array.from([0, 0, 0.8, 0.6]);
  const c = descriptorCosine(da, 2, db, 1, 2);
  assertAlmostEquals(c[1 * 2 + 1], 0.8, 1e-6);
  assertAlmostEquals(c[2 * 2 + 1], 0.96, 1e-6);
  // Two images of one token each (grid 1), raw tokens [3, 4] and [4, 3]: cosine 24 / 25.
  const sim = similarityFromTokens({
    tokens: Float32Array.from([3, 4, 4, 3]),
    dim: 2,
    grid: 1,
    patch: 64,
    boxA: BOX,
    boxB: BOX,
    normalized: false,
  });
  assertEquals(sim.n, 1);
  assertAlmostEquals(sim.cosine[1], 0.96, 1e-6);
  assertAlmostEquals(sim.cosine[0], 1, 1e-6);
});
