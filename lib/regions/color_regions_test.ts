import { assertEquals, assertNotEquals } from "../testing/asserts.ts";
import { colorRegions } from "./color_regions.ts";

Deno.test("colorRegions: flat fills become regions, black strokes and specks join a neighbour", () => {
  // 8x4: red left, blue right, a black stroke at x = 4, one odd speck pixel inside red.
  const W = 8, H = 4;
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const c = x < 4 ? [255, 0, 0] : x === 4 ? [0, 0, 0] : [0, 0, 255];
      data.set(c, 3 * (y * W + x));
    }
  }
  data.set([250, 10, 10], 3 * (1 * W + 1)); // speck
  const { labels, count } = colorRegions({ width: W, height: H, data }, undefined, { minPixels: 2 });
  assertEquals(count, 2);
  const red = labels.data[0], blue = labels.data[W - 1];
  assertNotEquals(red, blue);
  assertEquals(labels.data[1 * W + 1], red);
  // Every pixel is labelled.
  assertEquals(labels.data.every((v) => v === red || v === blue), true);
});
