import { assertEquals } from "../testing/asserts.ts";
import { newGray } from "../image/types.ts";
import { upscaleLabels } from "./upscale.ts";

Deno.test("upscaleLabels puts the boundary back on the full-resolution stroke", () => {
  // Working 4x2 labels: left half 1, right half 2. Full 16x8 drawing with a stroke at x = 9 (not 8).
  const small = Int32Array.of(1, 1, 2, 2, 1, 1, 2, 2);
  const line = newGray(16, 8);
  for (let y = 0; y < 8; y++) line.data[y * 16 + 9] = 0;
  const near = upscaleLabels(small, 4, 2, line, { refine: false });
  assertEquals(near[8], 2); // nearest: boundary between x = 7 and 8
  const fine = upscaleLabels(small, 4, 2, line);
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x <= 8; x++) assertEquals(fine[y * 16 + x], 1, `(${x},${y})`);
    for (let x = 10; x < 16; x++) assertEquals(fine[y * 16 + x], 2, `(${x},${y})`);
  }
  // Same size: a copy of the input.
  assertEquals(Array.from(upscaleLabels(small, 4, 2, newGray(4, 2))), Array.from(small));
});
