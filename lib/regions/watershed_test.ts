import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { quantize, watershed } from "./watershed.ts";

// 12x12 image of distinct values (a permutation of 0..143) with three single-pixel markers; the expected labels
// are scikit-image 0.19's `segmentation.watershed(img, markers, connectivity=c)`, computed once and pinned.
// With distinct values the flooding order is fully determined, so the two must agree pixel for pixel.
// deno-fmt-ignore
const IMG = [68, 94, 113, 17, 4, 65, 125, 53, 43, 106, 91, 116, 55, 70, 26, 143, 81, 40, 105, 46, 88, 99, 73, 114, 58, 42, 44, 97, 32, 112, 128, 119, 96, 76, 22, 104, 84, 102, 110, 87, 0, 69, 29, 86, 16, 9, 19, 90, 95, 39, 121, 54, 123, 111, 31, 24, 27, 93, 137, 100, 135, 75, 57, 79, 34, 140, 82, 1, 98, 47, 132, 25, 115, 38, 30, 28, 3, 11, 108, 12, 35, 49, 13, 21, 101, 131, 41, 136, 60, 141, 130, 2, 103, 6, 64, 18, 59, 20, 117, 134, 77, 56, 92, 74, 66, 126, 7, 5, 138, 62, 36, 72, 122, 71, 61, 23, 51, 15, 139, 142, 52, 107, 45, 83, 80, 14, 120, 89, 33, 67, 48, 8, 78, 109, 127, 85, 129, 50, 133, 10, 124, 118, 63, 37];
// deno-fmt-ignore
const SK_CONN1 = [1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3];
// deno-fmt-ignore
const SK_CONN2 = [2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 2, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3];

function markers12() {
  const m = new Int32Array(144);
  m[1 * 12 + 1] = 1;
  m[10 * 12 + 2] = 2;
  m[6 * 12 + 9] = 3;
  return m;
}

Deno.test("watershed equals scikit-image on distinct values (4- and 8-connectivity)", () => {
  const lv = Uint16Array.from(IMG);
  assertEquals(Array.from(watershed(lv, markers12(), 12, 12, { connectivity: 1 })), SK_CONN1);
  assertEquals(Array.from(watershed(lv, markers12(), 12, 12, { connectivity: 2 })), SK_CONN2);
});

Deno.test("watershed: two basins split along the ridge of a synthetic edge map", () => {
  // 9x5 image, ridge (value 200) at column 4, ramps down to 0 at both sides.
  const W = 9, H = 5;
  const lv = new Uint16Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      lv[y * W + x] = x === 4 ? 200 : 10 * (4 - Math.abs(4 - x));
    }
  }
  const m = new Int32Array(W * H);
  m[2 * W + 0] = 1;
  m[2 * W + 8] = 2;
  const out = watershed(lv, m, W, H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < 4; x++) assertEquals(out[y * W + x], 1, `(${x},${y})`);
    for (let x = 5; x < W; x++) assertEquals(out[y * W + x], 2, `(${x},${y})`);
    assert(out[y * W + 4] === 1 || out[y * W + 4] === 2);
  }
});

Deno.test("watershed: masked pixels stay 0 and wall off the flood", () => {
  const W = 5, H = 1;
  const mask = Uint8Array.of(1, 1, 0, 1, 1);
  const out = watershed(new Uint16Array(5), Int32Array.of(7, 0, 0, 0, 0), W, H, { mask });
  assertEquals(Array.from(out), [7, 7, 0, 0, 0]);
});

Deno.test("watershed: no markers leaves everything 0; bad sizes throw", () => {
  assertEquals(Array.from(watershed(new Uint16Array(4), new Int32Array(4), 2, 2)), [0, 0, 0, 0]);
  assertThrows(() => watershed(new Uint16Array(3), new Int32Array(4), 2, 2), RangeError);
});

Deno.test("quantize rounds and clamps", () => {
  assertEquals(Array.from(quantize(Float32Array.of(0, 0.5, 1, -1, 2), 256)), [0, 128, 255, 0, 255]);
  assertEquals(Array.from(quantize(Float32Array.of(0.49, 0.51), 3)), [1, 1]);
});
