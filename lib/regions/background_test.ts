import { assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { backgroundFromLines, backgroundFromOutside, borderRegions, outsideMask } from "./background.ts";

// 6x4 border has 16 pixels.
Deno.test("borderRegions: the region holding most of the border, not a figure cut by the frame", () => {
  // Region 2 touches the bottom edge over 2 px (a bust's shoulders); region 1 holds the other 14.
  const lab = Int32Array.of(
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    3,
    3,
    3,
    3,
    1,
    1,
    3,
    2,
    2,
    3,
    1,
    1,
    1,
    2,
    2,
    1,
    1,
  );
  const bg = borderRegions(lab, 3, 6, 4, new Uint8Array(24));
  assertEquals(Array.from(bg), [0, 1, 0, 0]);
});

Deno.test("borderRegions: a figure splitting the background gives two background regions", () => {
  // 8x4 (20 border pixels): 1 holds 8, 2 holds 10, the figure 3 (one column) holds 2.
  const lab = Int32Array.of(
    1,
    1,
    1,
    3,
    2,
    2,
    2,
    2,
    1,
    1,
    1,
    3,
    2,
    2,
    2,
    2,
    1,
    1,
    1,
    3,
    2,
    2,
    2,
    2,
    1,
    1,
    1,
    3,
    2,
    2,
    2,
    2,
  );
  assertEquals(Array.from(borderRegions(lab, 3, 8, 4, new Uint8Array(32))), [0, 1, 1, 0]);
  // All-ink border: no background.
  assertEquals(Array.from(borderRegions(lab, 3, 8, 4, new Uint8Array(32).fill(1))), [0, 0, 0, 0]);
});

Deno.test("backgroundFromOutside: regions mostly on background paper", () => {
  const line = Int32Array.of(1, 1, 2, 2);
  const ink = Uint8Array.of(0, 0, 0, 1);
  const outside = outsideMask(line, Uint8Array.of(0, 1, 0), ink);
  assertEquals(Array.from(outside), [1, 1, 0, 0]);
  // Region 5 covers pixels 0, 1, 2: 2 of 3 paper pixels outside -> background; region 6 (pixel 3) is ink only.
  assertEquals(Array.from(backgroundFromOutside(Int32Array.of(5, 5, 5, 6), 6, outside, ink)), [
    0,
    0,
    0,
    0,
    0,
    1,
    0,
  ]);
});

Deno.test("backgroundFromLines equals backgroundFromOutside of the outside mask", () => {
  const rng = new Rng(61);
  for (let t = 0; t < 100; t++) {
    const n = rng.int(1, 200);
    const labels = new Int32Array(n).map(() => rng.int(0, 6));
    const lines = new Int32Array(n).map(() => rng.int(1, 5));
    const lineBg = new Uint8Array(6).map(() => (rng.float() < 0.4 ? 1 : 0));
    const ink = new Uint8Array(n).map(() => (rng.float() < 0.2 ? 1 : 0));
    assertEquals(
      Array.from(backgroundFromLines(labels, 5, lines, lineBg, ink)),
      Array.from(backgroundFromOutside(labels, 5, outsideMask(lines, lineBg, ink), ink)),
    );
  }
});
