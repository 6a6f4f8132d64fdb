import { assert, assertEquals } from "../testing/asserts.ts";
import { endpointDirections, strokeEndpoints } from "./skeleton.ts";

/** An ink mask from rows of text ('#' = ink). */
function mask(rows: string[]): { ink: Uint8Array; w: number; h: number } {
  const h = rows.length, w = rows[0].length, ink = new Uint8Array(w * h);
  rows.forEach((r, y) => [...r].forEach((c, x) => (ink[y * w + x] = c === "#" ? 1 : 0)));
  return { ink, w, h };
}

Deno.test("skeleton: a 3-px-thick bar thins to one line with two endpoints", () => {
  const { ink, w, h } = mask([
    "..............",
    "..##########..",
    "..##########..",
    "..##########..",
    "..............",
  ]);
  const { skeleton, points } = strokeEndpoints(ink, w, h, undefined, 0);
  let onMiddle = 0, total = 0;
  for (let i = 0; i < w * h; i++) {
    total += skeleton[i];
    if (skeleton[i] && Math.floor(i / w) === 2) onMiddle++;
  }
  assertEquals(total, onMiddle); // one line, on the middle row
  assertEquals(points.length, 2);
});

Deno.test("skeleton: a T junction has three endpoints, a ring none, a dot one", () => {
  const t = mask([
    ".........",
    ".#######.",
    "....#....",
    "....#....",
    "....#....",
    ".........",
  ]);
  assertEquals(strokeEndpoints(t.ink, t.w, t.h, undefined, 0).points.length, 3);
  const ring = mask([
    ".......",
    ".#####.",
    ".#...#.",
    ".#...#.",
    ".#####.",
    ".......",
  ]);
  assertEquals(strokeEndpoints(ring.ink, ring.w, ring.h, undefined, 0).points.length, 0);
  const dot = mask(["...", ".#.", "..."]);
  assertEquals(strokeEndpoints(dot.ink, dot.w, dot.h, undefined, 0).points.length, 1);
});

Deno.test("skeleton: strokes that run out of the frame do not end there", () => {
  const bar = mask([
    ".....",
    "#####",
    ".....",
  ]);
  assertEquals(strokeEndpoints(bar.ink, bar.w, bar.h, undefined, 0).points.length, 2);
  assertEquals(strokeEndpoints(bar.ink, bar.w, bar.h).points.length, 0); // borderMargin 2
});

Deno.test("endpointDirections: outward along the stroke at each end", () => {
  const W = 60, H = 40, ink = new Uint8Array(W * H);
  for (let x = 10; x <= 40; x++) ink[20 * W + x] = 1;
  const { skeleton, points } = strokeEndpoints(ink, W, H);
  const dir = endpointDirections(skeleton, points, W, H);
  assertEquals(points.length, 2);
  // Raster order: the left end first, pointing left; then the right end, pointing right.
  assert(dir[0] < -0.99 && Math.abs(dir[1]) < 0.01, `left end ${dir[0]}, ${dir[1]}`);
  assert(dir[2] > 0.99 && Math.abs(dir[3]) < 0.01, `right end ${dir[2]}, ${dir[3]}`);
});
