import { assert, assertEquals } from "../testing/asserts.ts";
import { componentsClosingGaps, connectedComponents, dilate, fillNearest } from "./components.ts";

Deno.test("connectedComponents: 4-connected, raster-ordered, a diagonal stroke separates", () => {
  // Class 7 on both sides of a diagonal of excluded (-1) pixels; class 3 in one corner.
  const c = Int32Array.from([
    7,
    7,
    -1,
    3,
    7,
    -1,
    7,
    7,
    -1,
    7,
    7,
    7,
  ]);
  const { comp, count } = connectedComponents(c, 4, 3);
  assertEquals(count, 3);
  assertEquals(Array.from(comp), [0, 0, -1, 1, 0, -1, 2, 2, -1, 2, 2, 2]);
});

Deno.test("fillNearest gives line pixels the nearest label, meeting in the middle of a stroke", () => {
  // Labels 4 | stroke of 3 pixels | 9 on one row.
  const out = fillNearest(Int32Array.from([4, -1, -1, -1, 9]), 5, 1);
  // The middle pixel is reached by both at the same distance; the left label is queued first.
  assertEquals(Array.from(out), [4, 4, 4, 9, 9]);
  // Nothing labelled: everything stays -1.
  assertEquals(Array.from(fillNearest(Int32Array.from([-1, -1]), 2, 1)), [-1, -1]);
});

Deno.test("componentsClosingGaps closes a gap in a stroke, and keeps parts thinner than the band", async (t) => {
  // 20x9 grid of one class; a vertical stroke at x=10 with a 2-px gap at y=4..5.
  const W = 20, H = 9;
  const cls = new Int32Array(W * H);
  for (let y = 0; y < H; y++) if (y < 4 || y > 5) cls[y * W + 10] = -1;
  await t.step("without closing, the gap joins the two sides", () => {
    assertEquals(componentsClosingGaps(cls, W, H, 0).count, 1);
  });
  await t.step("closing by 1 px seals the 2-px gap: two sides, every pixel kept", () => {
    const { comp, count } = componentsClosingGaps(cls, W, H, 1);
    assertEquals(count, 2);
    assertEquals(comp[4 * W + 0], 0);
    assertEquals(comp[4 * W + 19], 1);
    // Gap pixels go to a side, stroke pixels stay excluded.
    assert(comp[4 * W + 10] >= 0 && comp[0 * W + 10] === -1);
  });
  await t.step("a 1-px line of another class inside the band is its own component", () => {
    const c2 = Int32Array.from(cls);
    for (let y = 0; y < H; y++) c2[y * W + 11] = 7; // beside the stroke, wholly inside the grown band
    const { comp, count } = componentsClosingGaps(c2, W, H, 1);
    assertEquals(count, 3);
    const strip = new Set(Array.from({ length: H }, (_, y) => comp[y * W + 11]));
    assertEquals(strip.size, 1);
    assert(!strip.has(-1) && !strip.has(comp[0]) && !strip.has(comp[19]));
  });
});

Deno.test("dilate grows a mask by a square of radius r", () => {
  const m = new Uint8Array(25);
  m[12] = 1; // centre of 5x5
  assertEquals(Array.from(dilate(m, 5, 5, 1)), [
    0,
    0,
    0,
    0,
    0,
    0,
    1,
    1,
    1,
    0,
    0,
    1,
    1,
    1,
    0,
    0,
    1,
    1,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
});
