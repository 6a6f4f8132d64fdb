import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/asserts.ts";
import type { GrayImage, RgbImage } from "../image/types.ts";
import { colorizationAccuracy } from "./colorize_metrics.ts";

type C = [number, number, number];
const R: C = [255, 0, 0], G: C = [0, 255, 0], K: C = [0, 0, 0], Wh: C = [255, 255, 255];

/**
 * A 12x4 true frame, hand-worked: columns 0-3 background (white, 16 px), column 4 a stroke (4 px, not counted),
 * columns 5-7 red (12 px), columns 8-11 green (16 px). Non-stroke pixels 44, foreground 28; colour regions:
 * background, red, green.
 */
function frame(col: (x: number, y: number) => C): RgbImage {
  const data = new Uint8Array(12 * 4 * 3);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 12; x++) data.set(col(x, y), 3 * (12 * y + x));
  return { width: 12, height: 4, data };
}
const truth = (x: number): C => (x < 4 ? Wh : x === 4 ? K : x < 8 ? R : G);
const gt = frame((x) => truth(x));
const line: GrayImage = {
  width: 12,
  height: 4,
  data: Uint8Array.from({ length: 48 }, (_, i) => (i % 12 === 4 ? 0 : 255)),
};

Deno.test("colorizationAccuracy: an all-white answer scores 0 on the foreground (hand-worked)", () => {
  const s = colorizationAccuracy(frame(() => Wh), gt, line);
  assertEquals([s.pixel.correct, s.pixel.total], [16, 44]); // the background alone is right
  assertEquals([s.pixelFg.correct, s.pixelFg.total], [0, 28]);
  assertEquals(s.pixelFg.accuracy, 0);
  assertEquals([s.region.correct, s.region.total], [1, 3]);
  assertEquals([s.regionFg.correct, s.regionFg.total], [0, 2]);
});

Deno.test("colorizationAccuracy: partly right answers (hand-worked, as BasicPBC's pix_acc / pix_acc_wobg)", () => {
  // Green region's bottom row painted red: 4 of its 16 px wrong, its majority still green.
  const a = colorizationAccuracy(frame((x, y) => (x >= 8 && y === 3 ? R : truth(x))), gt, line);
  assertAlmostEquals(a.pixel.accuracy, 40 / 44, 1e-12);
  assertAlmostEquals(a.pixelFg.accuracy, 24 / 28, 1e-12);
  assertEquals([a.region.accuracy, a.regionFg.accuracy], [1, 1]);
  // Everything red: only the red region is right.
  const b = colorizationAccuracy(frame(() => R), gt, line);
  assertEquals([b.pixel.correct, b.pixel.total, b.pixelFg.correct, b.pixelFg.total], [12, 44, 12, 28]);
  assertEquals([b.region.correct, b.region.total, b.regionFg.correct, b.regionFg.total], [1, 3, 1, 2]);
  // A perfect answer; the stroke column's colour does not matter.
  const c = colorizationAccuracy(frame((x) => (x === 4 ? G : truth(x))), gt, line);
  assertEquals([c.pixel.accuracy, c.pixelFg.accuracy, c.region.accuracy, c.regionFg.accuracy], [1, 1, 1, 1]);
  // Another background colour: then white is foreground.
  const d = colorizationAccuracy(frame(() => Wh), gt, line, { backgroundColor: [1, 2, 3] });
  assertEquals([d.pixelFg.correct, d.pixelFg.total, d.regionFg.total], [16, 44, 3]);
});

Deno.test("colorizationAccuracy: mismatched sizes are an error", () => {
  const small: RgbImage = { width: 1, height: 1, data: new Uint8Array(3) };
  assertThrows(() => colorizationAccuracy(small, gt, line), RangeError);
  assertThrows(
    () => colorizationAccuracy(gt, gt, { width: 1, height: 1, data: new Uint8Array(1) }),
    RangeError,
  );
});
