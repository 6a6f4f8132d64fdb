import { type GrayImage, newGray } from "../image/types.ts";
import { assert, assertEquals } from "../testing/asserts.ts";
import {
  floodFillBaseline,
  floodFillPredictor,
  floodFillRegions,
  matchByShape,
} from "./baseline_floodfill.ts";

/** Draws the outline of the box [x0, x1] x [y0, y1] (inclusive) in black. */
function box(img: GrayImage, x0: number, y0: number, x1: number, y1: number): void {
  for (let x = x0; x <= x1; x++) img.data[y0 * img.width + x] = img.data[y1 * img.width + x] = 0;
  for (let y = y0; y <= y1; y++) img.data[y * img.width + x0] = img.data[y * img.width + x1] = 0;
}

/** Two rectangles side by side sharing a wall, offset by (dx, dy): left 15 px wide, right 9 px wide inside. */
function twoRooms(dx: number, dy: number): GrayImage {
  const img = newGray(48, 28);
  box(img, 5 + dx, 5 + dy, 31 + dx, 17 + dy); // outer box
  for (let y = 5 + dy; y <= 17 + dy; y++) img.data[y * 48 + 21 + dx] = 0; // dividing wall at x = 21 + dx
  return img;
}

const at = (img: { width: number; data: Int32Array }, x: number, y: number) => img.data[y * img.width + x];

Deno.test("floodFillRegions: regions between strokes, background 0, ink given to a neighbour", () => {
  const r = floodFillRegions(twoRooms(0, 0));
  assertEquals(r.count, 2);
  assertEquals(at(r.labels, 0, 0), 0); // outer paper is background
  assertEquals(at(r.labels, 10, 10), 1); // left room (first in raster order)
  assertEquals(at(r.labels, 25, 10), 2); // right room
  // Ink pixels of the wall belong to one of the rooms beside it; outer strokes to a room or the background.
  assert([1, 2].includes(at(r.labels, 21, 10)));
  assertEquals([0, 1].includes(at(r.labels, 5, 10)), true);
  // Every pixel strictly inside the outline is in a room.
  for (let y = 6; y <= 16; y++) for (let x = 6; x <= 30; x++) assert(at(r.labels, x, y) > 0, `(${x}, ${y})`);
});

Deno.test("floodFillRegions: a one-pixel diagonal stroke separates; tiny pockets are dissolved", () => {
  const img = newGray(30, 30);
  box(img, 2, 2, 27, 27);
  for (let t = 3; t <= 26; t++) img.data[t * 30 + t] = 0; // 8-connected diagonal
  const r = floodFillRegions(img);
  assertEquals(r.count, 2);
  assert(at(r.labels, 20, 6) !== at(r.labels, 6, 20));
  // A 2x2 pocket enclosed by strokes (4 px < minAreaPixels 8) is absorbed by the room around it.
  box(img, 15, 5, 18, 8);
  const r2 = floodFillRegions(img);
  assertEquals(r2.count, 2);
  assertEquals(at(r2.labels, 16, 6), at(r2.labels, 20, 12));
  // With a smaller minimum it is a region of its own.
  assertEquals(floodFillRegions(img, { minAreaPixels: 1, minAreaFraction: 0 }).count, 3);
});

Deno.test("matchByShape: two rooms moving slightly match room to room", () => {
  const a = floodFillRegions(twoRooms(0, 0)), b = floodFillRegions(twoRooms(3, 2));
  const m = matchByShape(a, b);
  assertEquals(m.map((x) => [x.ref_region, x.tgt_region]), [[1, 1], [2, 2]]);
  for (const x of m) assert(x.score > 0.8 && x.score <= 1 && x.direction === "both", JSON.stringify(x));
  // The wall moved far left in b (rooms 5 and 19 px wide): position alone would pair left with left, but the
  // area and shape terms push that cost above the threshold.
  const mirrored = newGray(48, 28);
  box(mirrored, 5, 5, 31, 17);
  for (let y = 5; y <= 17; y++) mirrored.data[y * 48 + 11] = 0;
  const mm = matchByShape(a, floodFillRegions(mirrored));
  assert(mm.every((x) => !(x.ref_region === 1 && x.tgt_region === 1)), JSON.stringify(mm));
  // An empty image has no regions and no matches.
  assertEquals(matchByShape(a, floodFillRegions(newGray(10, 10))).length, 0);
});

Deno.test("floodFillBaseline and floodFillPredictor return the predictor shape", async () => {
  const a = twoRooms(0, 0), b = twoRooms(-2, 1);
  const direct = floodFillBaseline(a, b);
  const viaPredictor = await floodFillPredictor()({ a: { line: a }, b: { line: b } });
  assertEquals(viaPredictor, direct);
  assertEquals(direct.regionsA.width, 48);
  assertEquals(direct.matches.length, 2);
});
