import { assert, assertAlmostEquals, assertArrayAlmostEquals } from "../testing/asserts.ts";
import { gaussianBlur, gaussianKernel, luminance, xdog } from "./xdog.ts";

Deno.test("Gaussian kernel is normalised and symmetric", () => {
  const k = gaussianKernel(1.3);
  assertAlmostEquals(k.reduce((s, v) => s + v, 0), 1, 1e-6);
  assertAlmostEquals(k[0], k[k.length - 1]);
  assert(k.length === 2 * Math.ceil(3.9) + 1);
});

Deno.test("blur matches scipy.ndimage.gaussian_filter(mode='nearest', truncate=3)", () => {
  const w = 8, h = 6;
  const a = new Float32Array(w * h);
  a[2 * w + 3] = 1;
  a[0] = 0.5;
  a[5 * w + 7] = 0.25;
  const b = gaussianBlur(a, w, h, 1.0);
  // Reference values from scipy 1.x: gaussian_filter(a, 1.0, mode="nearest", truncate=3.0).
  assertArrayAlmostEquals(Array.from(b.slice(2 * w, 3 * w)), [
    0.022208654804036394,
    0.030330612557104793,
    0.09829216180331664,
    0.1593706563235131,
    0.09658953799759513,
    0.02161570816467358,
    0.0021020139966938124,
    0.0007752571611609459,
  ], 1e-6);
  assertArrayAlmostEquals(Array.from(b.slice(0, 3)), [
    0.24490711997394876,
    0.10801146224304861,
    0.03351095327318197,
  ], 1e-6);
  assertArrayAlmostEquals(Array.from(b.slice(5 * w + 5, 6 * w)), [
    0.010459232194493557,
    0.05256708156045512,
    0.12233385531222576,
  ], 1e-6);
});

Deno.test("XDoG marks a dark line and the dark side of a strong edge, not flat areas", () => {
  const w = 32, h = 8;
  const lum = new Float32Array(w * h).fill(1);
  for (let y = 0; y < h; y++) {
    lum[y * w + 8] = 0; // a 1-px black line
    for (let x = 20; x < w; x++) lum[y * w + x] = 0.2; // a dark area from x = 20
  }
  const t = xdog(lum, w, h);
  const row = 4 * w;
  assert(t[row + 8] < 0.5, "line is ink");
  assert(t[row + 2] > 0.99 && t[row + 14] > 0.99, "flat paper stays paper");
  assert(t[row + 20] < 0.5, "dark side of the edge is ink");
  assert(t[row + 19] > 0.5, "light side of the edge is paper");
  assert(t[row + 28] > 0.99, "inside the dark area is paper again");
});

Deno.test("luminance uses Rec. 601 weights and treats transparency as white", () => {
  const l = luminance(new Uint8Array([255, 0, 0, 255, 0, 0, 0, 0]), 2, 1, 4);
  assertAlmostEquals(l[0], 0.299, 1e-6);
  assertAlmostEquals(l[1], 1);
});
