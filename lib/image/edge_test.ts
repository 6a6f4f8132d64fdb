import { assert, assertAlmostEquals, assertArrayAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { randomDrawing } from "../regions/fixtures.ts";
import { edgeMap, edgeValues, gaussianBlur, gaussianKernel, sobelMagnitude } from "./edge.ts";
import { type GrayImage, newGray } from "./types.ts";

// 8x6 image: a vertical stroke at x = 3, a grey dot at (6, 1), a dark dot at (0, 4).
function sample() {
  const img = newGray(8, 6);
  for (let y = 0; y < 6; y++) img.data[y * 8 + 3] = 0;
  img.data[1 * 8 + 6] = 128;
  img.data[4 * 8 + 0] = 64;
  return img;
}

// Reference values from scipy.ndimage (gaussian_filter(g, 1.8, mode="mirror", truncate=4), sobel(mode="mirror"),
// then the release's formula), computed once with Debian's python3 and pinned here.
// deno-fmt-ignore
const BLUR = [0.882628, 0.85517, 0.79815, 0.764537, 0.783103, 0.833057, 0.875476, 0.890591, 0.878428, 0.851637, 0.796245, 0.764637, 0.785411, 0.837694, 0.882035, 0.897908, 0.866153, 0.841282, 0.790516, 0.764418, 0.790969, 0.849141, 0.898278, 0.916033, 0.848621, 0.826439, 0.782048, 0.763193, 0.796789, 0.861732, 0.916248, 0.936099, 0.832769, 0.812981, 0.77419, 0.761446, 0.80057, 0.870487, 0.928835, 0.950165, 0.826367, 0.807538, 0.770974, 0.760606, 0.801782, 0.873465, 0.933143, 0.954983];
// deno-fmt-ignore
const GRAD = [0.0, 0.333323, 0.355267, 0.051762, 0.283154, 0.377993, 0.235495, 0.0, 0.060729, 0.328604, 0.342751, 0.036263, 0.30103, 0.397921, 0.259894, 0.096488, 0.110012, 0.314531, 0.308917, 0.007465, 0.344045, 0.440768, 0.29848, 0.144808, 0.123368, 0.287723, 0.262784, 0.057722, 0.392645, 0.48167, 0.317487, 0.129379, 0.082308, 0.249478, 0.217667, 0.09895, 0.429906, 0.509372, 0.321753, 0.071559, 0.0, 0.227943, 0.196935, 0.114375, 0.4438, 0.519251, 0.322392, 0.0];
// deno-fmt-ignore
const EDGE = [0.0, 0.234964, 0.253647, 0.932962, 0.193193, 0.273239, 0.154861, 0.0, 0.030453, 0.230978, 0.242961, 0.916488, 0.207919, 0.290616, 0.62968, 0.05308, 0.062129, 0.219159, 0.214473, 0.88601, 0.244062, 0.32856, 0.205808, 0.0864, 0.071286, 0.196939, 0.176637, 0.939309, 0.285998, 0.365478, 0.221632, 0.075474, 0.703541, 0.165959, 0.140901, 0.983414, 0.318868, 0.390845, 0.225211, 0.037082, 0.0, 0.148921, 0.124954, 1.0, 0.331274, 0.399959, 0.225748, 0.0];

Deno.test("gaussianKernel sums to one and is symmetric", () => {
  const k = gaussianKernel(1.8, 7);
  assertEquals(k.length, 15);
  assertAlmostEquals(k.reduce((a, b) => a + b, 0), 1, 1e-6);
  for (let i = 0; i < 7; i++) assertAlmostEquals(k[i], k[14 - i], 1e-9);
});

Deno.test("gaussianBlur and sobelMagnitude match scipy.ndimage (mirror borders)", () => {
  const img = sample();
  const g = Float32Array.from(img.data, (v) => v / 255);
  const b = gaussianBlur(g, 8, 6, 1.8);
  assertArrayAlmostEquals(b, BLUR, 2e-6, "blur");
  assertArrayAlmostEquals(sobelMagnitude(b, 8, 6), GRAD, 5e-6, "sobel");
});

Deno.test("edgeMap matches the release formula computed with scipy", () => {
  const e = edgeMap(sample());
  assertArrayAlmostEquals(e.data, EDGE, 1e-5, "edge");
  // The stroke is the ridge: every stroke pixel beats every paper pixel of its row.
  for (let y = 0; y < 6; y++) {
    for (let x = 4; x < 8; x++) assert(e.data[y * 8 + 3] > e.data[y * 8 + x]);
  }
});

Deno.test("edgeMap of a blank image is all zeros", () => {
  const e = edgeMap(newGray(5, 4));
  assertEquals(e.data, new Float32Array(20));
});

Deno.test("blur of a constant image stays constant (borders included)", () => {
  const c = new Float32Array(7 * 3).fill(0.25);
  assertArrayAlmostEquals(gaussianBlur(c, 7, 3, 2), c, 1e-6);
  assertArrayAlmostEquals(sobelMagnitude(c, 7, 3), new Float32Array(21), 1e-6);
});

// ---- Regression: the flat-skipping, rectangle-wise computation against the plain whole-image one. ----

function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const p = 2 * (n - 1);
  i = ((i % p) + p) % p;
  return i < n ? i : p - i;
}

/** The previous implementation (full convolution, no skipping), kept as the reference. */
function referenceEdgeMap(img: GrayImage, sigma = 1.8, gamma = 1.2): Float32Array {
  const W = img.width, H = img.height, n = W * H;
  const g = Float32Array.from(img.data, (v) => v / 255);
  const r = Math.round(4 * sigma), k = Float64Array.from(gaussianKernel(sigma, r));
  const tmp = new Float32Array(n), blur = new Float32Array(n);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (let t = 0; t <= 2 * r; t++) s += k[t] * g[y * W + reflect(x + t - r, W)];
      tmp[y * W + x] = s;
    }
  }
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (let t = 0; t <= 2 * r; t++) s += k[t] * tmp[reflect(y + t - r, H) * W + x];
      blur[y * W + x] = s;
    }
  }
  const grad = sobelMagnitude(blur, W, H);
  const e = new Float32Array(n);
  let mn = Infinity, mx = -Infinity;
  for (let i = 0; i < n; i++) {
    let v = 0.5 * grad[i] + 0.5 * (1 - g[i]);
    v = v > 1e-7 ? Math.exp(gamma * Math.log(v)) : 0;
    e[i] = v;
    mn = Math.min(mn, v);
    mx = Math.max(mx, v);
  }
  if (!(mx > mn)) return new Float32Array(n);
  const inv = 1 / (mx - mn);
  for (let i = 0; i < n; i++) e[i] = (e[i] - mn) * inv;
  return e;
}

Deno.test("edgeMap equals the plain convolution bit for bit on random drawings", () => {
  const rng = new Rng(43);
  for (let t = 0; t < 25; t++) {
    const W = rng.int(1, 60), H = rng.int(1, 60);
    const img = randomDrawing(rng, W, H, rng.int(0, 10));
    assertEquals(Array.from(edgeMap(img).data), Array.from(referenceEdgeMap(img)), `drawing ${t}`);
  }
});

Deno.test("edgeValues of any rectangle equal the whole map's values there (piecewise computation)", () => {
  const rng = new Rng(47);
  for (let t = 0; t < 20; t++) {
    const W = rng.int(1, 50), H = rng.int(1, 50);
    const img = randomDrawing(rng, W, H, rng.int(1, 8));
    const whole = new Float32Array(W * H);
    edgeValues(img, 0, 0, W, H, whole, W, 0, 0);
    const x0 = rng.int(0, W), y0 = rng.int(0, H), x1 = rng.int(x0 + 1, W + 1), y1 = rng.int(y0 + 1, H + 1);
    const part = new Float32Array((x1 - x0) * (y1 - y0));
    const [lo, hi] = edgeValues(img, x0, y0, x1, y1, part, x1 - x0, x0, y0);
    let mn = Infinity, mx = -Infinity;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const v = part[(y - y0) * (x1 - x0) + x - x0];
        assertEquals(v, whole[y * W + x], `drawing ${t} (${x},${y})`);
        mn = Math.min(mn, v);
        mx = Math.max(mx, v);
      }
    }
    assertEquals([Math.fround(lo), Math.fround(hi)], [mn, mx]);
  }
});
