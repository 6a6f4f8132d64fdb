import { assertEquals } from "../testing/asserts.ts";
import { closeGaps } from "./gap_close.ts";

const W = 80, H = 40;
const blank = () => new Uint8Array(W * H);
const hline = (ink: Uint8Array, x0: number, x1: number, y: number) => {
  for (let x = x0; x <= x1; x++) ink[y * W + x] = 1;
};
const vline = (ink: Uint8Array, x: number, y0: number, y1: number) => {
  for (let y = y0; y <= y1; y++) ink[y * W + x] = 1;
};

Deno.test("closeGaps: two facing ends of a broken stroke are joined; ends that do not face are not", () => {
  const ink = blank();
  hline(ink, 5, 30, 10);
  hline(ink, 60, 75, 10); // a 29-px gap in one horizontal stroke
  hline(ink, 5, 30, 30);
  vline(ink, 60, 30, 38); // a vertical stroke on the lower stroke's line: its end points up, 20 px from the upper one
  const drawn = blank();
  const r = closeGaps(ink, W, H, { maxLength: 48, maxRayLength: 16 }, undefined, drawn);
  for (let x = 31; x <= 59; x++) assertEquals(ink[10 * W + x], 1, `gap pixel x=${x}`);
  assertEquals(drawn[10 * W + 45], 1);
  assertEquals(drawn[10 * W + 5], 0); // real ink is not "drawn"
  assertEquals(r.segments.length, 4); // one segment: the lower stroke's end is 29 px from the vertical one
  for (let x = 31; x <= 59; x++) assertEquals(ink[30 * W + x], 0);
});

Deno.test("closeGaps: a ray reaches the side of a stroke within maxRayLength, not beyond; closed art untouched", () => {
  const ink = blank();
  vline(ink, 40, 2, 22); // ends 10 px above the horizontal stroke at y = 33
  hline(ink, 10, 70, 33);
  const copy = ink.slice();
  closeGaps(copy, W, H, { maxLength: 48, maxRayLength: 16 });
  for (let y = 23; y <= 32; y++) assertEquals(copy[y * W + 40], 1, `y=${y}`);
  const short = ink.slice();
  closeGaps(short, W, H, { maxLength: 48, maxRayLength: 8 });
  assertEquals(short, ink);
  // A closed ring has no ends: nothing is drawn.
  const ring = blank();
  hline(ring, 10, 50, 5), hline(ring, 10, 50, 30), vline(ring, 10, 5, 30), vline(ring, 50, 5, 30);
  const before = ring.slice();
  const r = closeGaps(ring, W, H);
  assertEquals(r.endpoints, 0);
  assertEquals(ring, before);
});

Deno.test("closeGaps: no rays in a drawing whose strokes are closed but for a few deliberate ends", () => {
  // The T gap of the test above inside a long closed outline: 1 end per ~260 px of skeleton (< 5 per 1000).
  const ink = blank();
  vline(ink, 40, 8, 22);
  hline(ink, 10, 70, 33);
  hline(ink, 1, 78, 1), hline(ink, 1, 78, 38), vline(ink, 1, 1, 38), vline(ink, 78, 1, 38);
  vline(ink, 10, 1, 38), vline(ink, 70, 1, 38), hline(ink, 1, 78, 8), hline(ink, 1, 78, 20);
  const copy = ink.slice();
  const r = closeGaps(copy, W, H, { maxLength: 48, maxRayLength: 16 });
  assertEquals(r.segments.length, 0);
  assertEquals(copy, ink);
  // With the gate off, the end is extended.
  const on = ink.slice();
  closeGaps(on, W, H, { maxLength: 48, maxRayLength: 16, rayMinEnds: 0 });
  assertEquals(on[28 * W + 40], 1);
});
