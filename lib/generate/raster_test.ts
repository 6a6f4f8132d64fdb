import { assertEquals } from "../testing/asserts.ts";
import { ellipse, reversePts } from "./geometry.ts";
import { fillPolygon, scanSpans } from "./raster.ts";

function map(w: number, h: number, fill = -1) {
  return { width: w, height: h, data: new Int32Array(w * h).fill(fill) };
}

Deno.test("a square covers exactly the pixel centres inside it", () => {
  const m = map(8, 8);
  const n = fillPolygon(m, [1, 1, 5, 1, 5, 4, 1, 4], 3);
  assertEquals(n, 12); // x 1..4, y 1..3
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      assertEquals(m.data[y * 8 + x], x >= 1 && x <= 4 && y >= 1 && y <= 3 ? 3 : -1, `${x},${y}`);
    }
  }
});

Deno.test("half-pixel edges follow the pixel-centre rule", () => {
  let n = 0;
  scanSpans([0.5, 0.5, 2.5, 0.5, 2.5, 1.6, 0.5, 1.6], 4, 4, (_y, a, b) => (n += b - a + 1));
  // Centres x=0.5,1.5 (x=2.5 is on the right edge: excluded) and y=0.5,1.5 are inside.
  assertEquals(n, 4);
});

Deno.test("a reversed inner contour cuts a hole (non-zero winding)", () => {
  const m = map(10, 10);
  fillPolygon(m, [[0, 0, 10, 0, 10, 10, 0, 10], reversePts([3, 3, 7, 3, 7, 7, 3, 7])], 1);
  let count = 0;
  for (const v of m.data) if (v === 1) count++;
  assertEquals(count, 100 - 16);
  assertEquals(m.data[5 * 10 + 5], -1);
  // Same orientation twice: no hole.
  const m2 = map(10, 10);
  fillPolygon(m2, [[0, 0, 10, 0, 10, 10, 0, 10], [3, 3, 7, 3, 7, 7, 3, 7]], 1);
  assertEquals(m2.data[55], 1);
});

Deno.test("clip paints only over the allowed labels", () => {
  const m = map(6, 1);
  m.data.set([-1, 0, 0, 1, 1, 2]);
  const clip = new Uint8Array(4);
  clip[0 + 1] = 1; // label 0
  clip[2 + 1] = 1; // label 2
  fillPolygon(m, [0, 0, 6, 0, 6, 1, 0, 1], 9, clip);
  assertEquals(Array.from(m.data), [-1, 9, 9, 1, 1, 9]);
});

Deno.test("an ellipse's pixel count is close to its area; off-image parts are clipped", () => {
  const m = map(64, 64);
  const n = fillPolygon(m, ellipse(32, 32, 20, 12, 0.4, 64), 1);
  const area = Math.PI * 20 * 12;
  if (Math.abs(n - area) > 0.02 * area) throw new Error(`${n} vs ${area}`);
  const m2 = map(16, 16);
  const n2 = fillPolygon(m2, [-10, -10, 30, -10, 30, 30, -10, 30], 1);
  assertEquals(n2, 256);
  const m3 = { width: 4, height: 4, data: new Uint8Array(16) };
  fillPolygon(m3, [1, 1, 3, 1, 3, 3, 1, 3], 7);
  assertEquals(Array.from(m3.data).filter((v) => v === 7).length, 4);
});
