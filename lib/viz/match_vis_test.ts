import { assertEquals, assertThrows } from "../testing/asserts.ts";
import { newGray } from "../image/types.ts";
import { matchColors, matchVisualization } from "./match_vis.ts";
import { labelColors } from "./color.ts";

Deno.test("matchColors: one colour per group of matches, grey for the unmatched, white for background", () => {
  // a: 1 -> b: 1 and 2 (one group); a: 2 unmatched; a: 3 background. b: 3 -> a: 2? no: b3 unmatched.
  const { colorsA, colorsB, groups } = matchColors(3, 3, [
    { ref_region: 1, tgt_region: 1 },
    { ref_region: 1, tgt_region: 2 },
  ], { backgroundA: [3] });
  assertEquals(groups, 1);
  const c0 = labelColors(1, 0)[0];
  assertEquals(colorsA, [[255, 255, 255], c0, [190, 190, 190], [255, 255, 255]]);
  assertEquals(colorsB, [[255, 255, 255], c0, c0, [190, 190, 190]]);
  assertThrows(() => matchColors(1, 1, [{ ref_region: 2, tgt_region: 1 }]), RangeError);
});

Deno.test("matchVisualization: side by side, strokes black over the fills", () => {
  const line = newGray(3, 2);
  line.data[0] = 0; // a stroke pixel
  const regions = { width: 3, height: 2, data: Int32Array.of(1, 1, 1, 2, 2, 2) };
  const img = matchVisualization(line, regions, line, regions, [{ ref_region: 2, tgt_region: 2 }], {
    gap: 2,
  });
  assertEquals([img.width, img.height], [8, 2]);
  const px = (x: number, y: number) => Array.from(img.data.subarray(3 * (y * 8 + x), 3 * (y * 8 + x) + 3));
  assertEquals(px(0, 0), [0, 0, 0]); // stroke
  assertEquals(px(1, 0), [190, 190, 190]); // unmatched region 1
  assertEquals(px(0, 1), labelColors(1, 0)[0]); // matched region 2
  assertEquals(px(3, 0), [255, 255, 255]); // gap
  assertEquals(px(5, 1), labelColors(1, 0)[0]); // the same colour on the right
});
