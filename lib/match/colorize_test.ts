import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/asserts.ts";
import type { LabelMap, RgbImage } from "../image/types.ts";
import { newGray } from "../image/types.ts";
import { colorize, dominantColors } from "./colorize.ts";
import { pixelAccuracy, regionAccuracy } from "./colorize_metrics.ts";

const rgb = (w: number, h: number, px: number[][]): RgbImage => ({
  width: w,
  height: h,
  data: Uint8Array.from(px.flat()),
});
const lab = (w: number, h: number, v: number[]): LabelMap => ({
  width: w,
  height: h,
  data: Int32Array.from(v),
});
type C = [number, number, number];
const R: C = [255, 0, 0], G: C = [0, 255, 0], B: C = [0, 0, 255], K: C = [0, 0, 0], Wh: C = [255, 255, 255];

Deno.test("pixelAccuracy: hand-worked, with and without a mask", () => {
  const gt = rgb(3, 2, [R, R, G, G, B, K]);
  const pred = rgb(3, 2, [R, G, G, G, R, K]);
  const a = pixelAccuracy(pred, gt);
  assertEquals([a.correct, a.total], [4, 6]);
  assertAlmostEquals(a.accuracy, 4 / 6, 1e-12);
  // Leave the line pixel (last) out: 3 of 5.
  const m = pixelAccuracy(pred, gt, { mask: Uint8Array.of(1, 1, 1, 1, 1, 0) });
  assertEquals([m.correct, m.total], [3, 5]);
  assertThrows(() => pixelAccuracy(rgb(1, 1, [R]), gt), RangeError);
});

Deno.test("regionAccuracy: a region is right when its majority colours agree", () => {
  // Regions: 1 = pixels 0,1,2 (gt R R R, pred R R G: majority R -> right); 2 = pixels 3,4 (gt G G, pred B G:
  // tie broken to the smaller packed colour, B (0x0000ff) < G (0x00ff00) -> wrong); 0 = line, not counted.
  const gt = rgb(3, 2, [R, R, R, G, G, K]);
  const pred = rgb(3, 2, [R, R, G, B, G, Wh]);
  const regions = lab(3, 2, [1, 1, 1, 2, 2, 0]);
  const a = regionAccuracy(pred, gt, regions);
  assertEquals([a.correct, a.total], [1, 2]);
  assertEquals(regionAccuracy(pred, gt, regions, { skip: [2] }).accuracy, 1);
});

Deno.test("dominantColors ignores strokes unless a region is all stroke", () => {
  const color = rgb(4, 1, [R, K, K, G]);
  const regions = lab(4, 1, [1, 1, 1, 2]);
  const line = newGray(4, 1);
  line.data[1] = line.data[2] = 0;
  assertEquals(dominantColors(color, regions, { line }), [null, R, G]);
  assertEquals(dominantColors(color, regions), [null, K, G]); // without line art, black wins region 1
  assertEquals(dominantColors(color, lab(4, 1, [1, 1, 1, 1]), { line: newGray(4, 1, 0) }), [null, K]);
});

Deno.test("colorize fills matched regions, falls back, paints background, keeps lines", () => {
  // Target: 5 pixels, regions 1 1 2 3 4; pixel 1 is a stroke (grey 0), pixel 2 half-grey.
  const line = newGray(5, 1);
  line.data[1] = 0;
  line.data[2] = 128;
  const tgt = lab(5, 1, [1, 1, 2, 3, 4]);
  const refColors: (C | null)[] = [null, R, G, B];
  const matches = [
    { ref_region: 1, tgt_region: 1, score: 0.7 },
    { ref_region: 2, tgt_region: 1, score: 0.9 }, // better: region 1 takes G
    { ref_region: 3, tgt_region: 2, score: 0.8 },
  ];
  const out = colorize(line, tgt, refColors, matches, {
    fallback: Int32Array.of(0, 0, 0, 1, 0),
    background: [4],
    backgroundColor: [9, 9, 9],
  });
  assertEquals(Array.from(out.data), [...G, ...K, 0, 0, 128, ...R, 9, 9, 9]);
  // Without a fallback, region 3 stays unmatched-white.
  const plain = colorize(line, tgt, refColors, matches);
  assertEquals(Array.from(plain.data.subarray(9, 12)), Wh);
});
