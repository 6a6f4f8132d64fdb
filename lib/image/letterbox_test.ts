import { assertEquals } from "../testing/asserts.ts";
import { letterbox, patchIndexMap, patchOfPixel, patchRect } from "./letterbox.ts";
import { newGray } from "./types.ts";

Deno.test("letterbox pads a wide image to a centred square with white", () => {
  const img = newGray(8, 4, 0); // all ink
  const { image, box } = letterbox(img, 8);
  assertEquals([box.padX, box.padY, box.scale], [0, 2, 1]);
  // Rows 0-1 and 6-7 are padding (white), rows 2-5 the image (black).
  for (let y = 0; y < 8; y++) assertEquals(image.data[y * 8], y >= 2 && y < 6 ? 0 : 255);
});

Deno.test("patch mapping agrees with patchRect and patchIndexMap (worked case)", () => {
  // 100x50 original, square side 100, input 32 -> scale 0.32; patch 8 -> 4x4 grid; padY 25.
  const { box } = letterbox(newGray(100, 50), 32);
  assertEquals(box.padY, 25);
  // Original pixel (0,0) sits at input (0.16, 8.16) -> patch row 1, col 0.
  assertEquals(patchOfPixel(box, 8, 0, 0), 4);
  // Original pixel (99,49): input ((99.5)*.32, (74.5)*.32) = (31.84, 23.84) -> row 2, col 3.
  assertEquals(patchOfPixel(box, 8, 99, 49), 11);
  const map = patchIndexMap(box, 8);
  for (const [x, y] of [[0, 0], [99, 49], [40, 10], [63, 30]]) {
    assertEquals(map[y * 100 + x], patchOfPixel(box, 8, x, y));
  }
  // The rectangle of patch (1, 0) holds pixel (0,0); row 0 lies in the padding (empty).
  const r = patchRect(box, 8, 1, 0);
  assertEquals([r.x0, r.x1, r.y0, r.y1], [0, 25, 0, 25]);
  const top = patchRect(box, 8, 0, 0);
  assertEquals(top.y1 - top.y0, 0);
});
