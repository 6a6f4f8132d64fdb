import { assertEquals } from "../testing/asserts.ts";
import { letterbox, patchIndexMap } from "../image/letterbox.ts";
import { newGray } from "../image/types.ts";
import { patchLayout, squareLayout } from "./patch_layout.ts";

Deno.test("patchLayout at the original size agrees with letterbox's patchIndexMap", () => {
  for (const [w, h] of [[40, 24], [24, 40], [32, 32], [37, 29]]) {
    const { box } = letterbox(newGray(w, h), 64);
    const lay = patchLayout(box, 16, w, h);
    assertEquals(Array.from(lay.patchOf), Array.from(patchIndexMap(box, 16)), `${w}x${h}`);
    assertEquals(lay.grid, 4);
    // Rectangles cover exactly the pixels of each patch.
    let total = 0;
    for (let i = 0; i < lay.n; i++) {
      total += lay.count[i];
      const [x0, y0, x1, y1] = lay.rects.subarray(4 * i, 4 * i + 4);
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) assertEquals(lay.patchOf[y * w + x], i);
    }
    assertEquals(total, w * h);
  }
});

Deno.test("patchLayout of a wide image leaves the padding patches empty; side scales with the working size", () => {
  const { box } = letterbox(newGray(64, 32), 64); // 16 px of padding above and below
  const lay = patchLayout(box, 16, 64, 32);
  assertEquals(Array.from(lay.count), [0, 0, 0, 0, 256, 256, 256, 256, 256, 256, 256, 256, 0, 0, 0, 0]);
  assertEquals(lay.side, 16);
  assertEquals(patchLayout(box, 16, 32, 16).side, 8);
  assertEquals(squareLayout(8, 8, 2).rects.subarray(0, 4), Int32Array.of(0, 0, 4, 4));
});
