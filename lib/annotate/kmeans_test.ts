import { assert, assertArrayAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { colorHistogram, kmeans, mergeCloseCentroids } from "./kmeans.ts";

/** Sorts [k,3] centroids by their first then second channel, for comparison. */
function sorted(c: Float32Array): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < c.length; i += 3) rows.push([c[i], c[i + 1], c[i + 2]]);
  return rows.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

Deno.test("colorHistogram counts the distinct colours of the masked pixels", () => {
  // 2x3 RGB image; the last pixel is masked out.
  const data = Uint8Array.from([10, 20, 30, 10, 20, 30, 200, 0, 0, 10, 20, 30, 0, 0, 255, 9, 9, 9]);
  const h = colorHistogram(data, 3, Uint8Array.from([1, 1, 1, 1, 1, 0]));
  assertEquals(Array.from(h.colors), [10, 20, 30, 200, 0, 0, 0, 0, 255]);
  assertEquals(Array.from(h.weights), [3, 1, 1]);
  assertEquals(Array.from(h.binOfPixel), [0, 0, 1, 0, 2, -1]);
});

Deno.test("colorHistogram bins a noisy image to 5 bits per channel, holding bin means", () => {
  // Four colours that share one 5-bit bin (0..7 in each channel) and one in another bin.
  const data = Uint8Array.from([0, 0, 0, 2, 2, 2, 4, 4, 4, 6, 6, 6, 100, 100, 100]);
  const h = colorHistogram(data, 3, new Uint8Array(5).fill(1), { maxExact: 2 });
  assertEquals(Array.from(h.colors), [3, 3, 3, 100, 100, 100]);
  assertEquals(Array.from(h.weights), [4, 1]);
  assertEquals(Array.from(h.binOfPixel), [0, 0, 0, 0, 1]);
});

Deno.test("kmeans finds the exact colours of a flat-painted image", () => {
  // An 8x8 RGBA "image" of three paints in known amounts (a hand-made frame: 40 skin, 16 red, 8 blue pixels).
  const paints = [[250, 220, 190], [220, 60, 60], [60, 90, 220]];
  const counts = [40, 16, 8];
  const data = new Uint8Array(64 * 4);
  let p = 0;
  counts.forEach((c, k) => {
    for (let i = 0; i < c; i++, p++) data.set([...paints[k], 255], 4 * p);
  });
  const h = colorHistogram(data, 4, new Uint8Array(64).fill(1));
  for (const seed of [0, 1, 7]) {
    const r = kmeans(h.colors, h.weights, 3, { seed });
    assertEquals(sorted(r.centroids), [[60, 90, 220], [220, 60, 60], [250, 220, 190]]);
    assertEquals(r.inertia, 0);
  }
  // k above the number of distinct colours is capped.
  const big = kmeans(h.colors, h.weights, 10, { seed: 3 });
  assertEquals(big.centroids.length, 9);
});

Deno.test("kmeans centres are the weighted means of their members", () => {
  // Two groups: {(0,0,0) x1, (10,0,0) x3} -> mean (7.5,0,0); {(200,200,200) x2, (210,200,200) x2} -> (205,200,200).
  const pts = Float32Array.from([0, 0, 0, 10, 0, 0, 200, 200, 200, 210, 200, 200]);
  const w = Float64Array.from([1, 3, 2, 2]);
  const r = kmeans(pts, w, 2, { seed: 5 });
  assertEquals(sorted(r.centroids), [[7.5, 0, 0], [205, 200, 200]]);
  assertEquals(r.assign[0], r.assign[1]);
  assertEquals(r.assign[2], r.assign[3]);
  assert(r.assign[0] !== r.assign[2]);
  // inertia: 1*7.5^2 + 3*2.5^2 + 4*5^2 = 56.25 + 18.75 + 100
  assertArrayAlmostEquals([r.inertia], [175], 1e-9);
});

Deno.test("kmeans is deterministic for a seed", () => {
  const pts = new Float32Array(300), w = new Float64Array(100).fill(1);
  for (let i = 0; i < 300; i++) pts[i] = (i * 37) % 251;
  const a = kmeans(pts, w, 6, { seed: 11 }), b = kmeans(pts, w, 6, { seed: 11 });
  assertEquals(Array.from(a.centroids), Array.from(b.centroids));
  assertEquals(Array.from(a.assign), Array.from(b.assign));
});

Deno.test("mergeCloseCentroids joins centres within the distance, weighting by mass", () => {
  const c = Float32Array.from([0, 0, 0, 6, 8, 0, 100, 100, 100]); // first two are 10 apart
  const { remap, centroids } = mergeCloseCentroids(c, Float64Array.from([3, 1, 5]), 10);
  assertEquals(Array.from(remap), [0, 0, 1]);
  assertArrayAlmostEquals(Array.from(centroids), [1.5, 2, 0, 100, 100, 100], 1e-6);
  assertEquals(Array.from(mergeCloseCentroids(c, Float64Array.from([3, 1, 5]), 9.9).remap), [0, 1, 2]);
});
