import { assertAlmostEquals, assertEquals, assertThrows } from "../testing/asserts.ts";
import { parkMiller } from "./fixtures.ts";
import { segmentationMetrics } from "./segmentation.ts";

const map = (data: number[], width = data.length) => ({
  width,
  height: data.length / width,
  data: Int32Array.from(data),
});

Deno.test("segmentationMetrics: valid pixels only, regions on line/background not counted (by hand)", () => {
  // seg: parts 2 and 3, a line pixel (0), a background pixel (1). Valid = first four pixels.
  const seg = map([2, 2, 3, 3, 0, 1]);
  const labelOf = new Map([[1, -1], [2, 10], [3, 11]]);
  // pred region 1 covers 2,2,3; region 2 covers 3 and the line pixel; region 3 lies on background only.
  const s = segmentationMetrics(map([1, 1, 1, 2, 2, 3]), seg, labelOf);
  // ARI on valid pixels = adjusted_rand_score([2,2,3,3], [1,1,1,2]) = 0.0 (scikit-learn 1.2.1)
  assertEquals(s.ari, 0);
  // IoU(1, seg2) = 2/3, IoU(1, seg3) = 1/4, IoU(2, seg3) = 1/2
  assertAlmostEquals(s.miou_pg, (2 / 3 + 1 / 2) / 2, 1e-15);
  assertAlmostEquals(s.miou_gp, (2 / 3 + 1 / 2) / 2, 1e-15);
  assertEquals(s.cr, 1);
  assertEquals([s.pred_regions, s.gt_regions, s.valid_pixels], [2, 2, 4]);
});

Deno.test("segmentationMetrics: perfect prediction, and a prediction with no regions", () => {
  const seg = map([2, 2, 3, 3, 0, 1, 4, 4]);
  const labelOf = new Map([[1, -1], [2, 10], [3, 11], [4, 10]]);
  const s = segmentationMetrics(map([7, 7, 5, 5, 0, 0, 9, 9]), seg, labelOf);
  assertEquals([s.ari, s.miou_pg, s.miou_gp, s.cr], [1, 1, 1, 1]);
  const none = segmentationMetrics(map([0, 0, 0, 0, 0, 0, 0, 0]), seg, labelOf);
  assertEquals([none.ari, none.miou_pg, none.miou_gp, none.cr, none.pred_regions], [0, 0, 0, 0, 0]);
  const empty = segmentationMetrics(map([1, 1]), map([0, 1]), labelOf);
  assertEquals(Number.isNaN(empty.ari) && empty.valid_pixels === 0, true);
  assertThrows(() => segmentationMetrics(map([1, 1, 1]), seg, labelOf), RangeError, "prediction is 3x1");
});

Deno.test("segmentationMetrics: reference values from scikit-learn and numpy on a 24x16 case", () => {
  // Python (/usr/bin/python3, scikit-learn 1.2.1), see /lib/eval/fixtures.ts for park_miller:
  //   g = park_miller(21); for y in range(16): for x in range(24): u = next(g); v = next(g)
  //     s = 2 + x // 6 + 4 * (y // 8); s = 0 if u < 0.1 else 1 if u < 0.15 else s
  //     p = 1 + x // 8 + 3 * (y // 5); p = 0 if v < 0.1 else p
  //   segment 9 is background (label -1); valid = (seg >= 2) & (seg != 9)
  //   ari = adjusted_rand_score(seg[valid], pred[valid]); masks restricted to valid; IoU with numpy
  //   -> ari=0.2551472917563686 miou_pg=0.2477968508203671 miou_gp=0.3429113713532469 cr=12/7 valid=280
  const W = 24, H = 16, g = parkMiller(21);
  const seg = new Int32Array(W * H), pred = new Int32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = g.next().value as number, v = g.next().value as number;
      seg[y * W + x] = u < 0.1 ? 0 : u < 0.15 ? 1 : 2 + Math.floor(x / 6) + 4 * Math.floor(y / 8);
      pred[y * W + x] = v < 0.1 ? 0 : 1 + Math.floor(x / 8) + 3 * Math.floor(y / 5);
    }
  }
  const labelOf = new Map<number, number>([[1, -1], [9, -1]]);
  for (let id = 2; id < 10; id++) if (id !== 9) labelOf.set(id, 100 + id);
  const s = segmentationMetrics(
    { width: W, height: H, data: pred },
    { width: W, height: H, data: seg },
    labelOf,
  );
  assertAlmostEquals(s.ari, 0.2551472917563686, 1e-13);
  assertAlmostEquals(s.miou_pg, 0.2477968508203671, 1e-13);
  assertAlmostEquals(s.miou_gp, 0.3429113713532469, 1e-13);
  assertAlmostEquals(s.cr, 12 / 7, 1e-15);
  assertEquals([s.pred_regions, s.gt_regions, s.valid_pixels], [12, 7, 280]);
});
