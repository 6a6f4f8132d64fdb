import { assert, assertEquals } from "../testing/asserts.ts";
import { segmentColorFrame } from "./segment.ts";
import { drawCharacter, PART_COLORS } from "./fixtures.ts";
import type { RgbImage } from "../image/types.ts";

Deno.test("segmentColorFrame recovers the exact segments of a flat-painted drawing", () => {
  const f = drawCharacter();
  const s = segmentColorFrame(f.color, f.line, { seed: 3 });
  assertEquals(s.count, 6);
  assertEquals(Array.from(s.seg.data), Array.from(f.seg.data));
  // Mean colours: background white, each part its paint.
  assertEquals(Array.from(s.colors.slice(3, 6)), [255, 255, 255]);
  assertEquals(Array.from(s.colors.slice(9, 12)), PART_COLORS.eye);
  assertEquals(Array.from(s.colors.slice(12, 15)), PART_COLORS.body);
  // Line pixels are filled with a neighbouring segment in `filled`, never left 0.
  assert(!s.filled.data.includes(0));
});

Deno.test("segmentColorFrame splits one line-enclosed area painted in two colours, and keeps same-paint areas apart across a stroke", () => {
  // 12x8 opaque RGB: left half red, right half blue, no stroke between them; a vertical stroke at x=9 cuts the
  // blue half in two. Border pixels are white paper (background).
  const W = 12, H = 8;
  const rgb = new Uint8Array(W * H * 3).fill(255), line = new Uint8Array(W * H).fill(255);
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const p = y * W + x;
      rgb.set(x < 5 ? [200, 0, 0] : [0, 0, 200], 3 * p);
      if (x === 9) line[p] = 0;
    }
  }
  const img: RgbImage = { width: W, height: H, data: rgb };
  const s = segmentColorFrame(img, { width: W, height: H, data: line }, {
    fragments: { minSize: 1, thinRatio: 0 },
  });
  const row = Array.from(s.seg.data.slice(3 * W, 4 * W));
  assertEquals(row, [1, 2, 2, 2, 2, 3, 3, 3, 3, 0, 4, 1]);
  assertEquals(s.seg.data[0], 1); // white border: background
});

Deno.test("segmentColorFrame merges small fragments into the neighbour of closest colour", () => {
  // The drawing with a 3x3 blob of a slightly different red inside the body, and a 2x2 blob of a foreign
  // colour in the pocket: both are fragments (under 24 px) and go to the region they sit in.
  const f = drawCharacter();
  const W = f.color.width;
  const paint = (x0: number, y0: number, w: number, c: number[]) => {
    for (let y = y0; y < y0 + w; y++) {
      for (let x = x0; x < x0 + w; x++) f.color.data.set([...c, 255], 4 * (y * W + x));
    }
  };
  paint(100, 130, 3, [200, 70, 70]);
  paint(65, 105, 2, [0, 255, 0]);
  const s = segmentColorFrame(f.color, f.line);
  assertEquals(Array.from(s.seg.data), Array.from(f.seg.data));
  // Control: with merging off, both blobs are segments of their own.
  const raw = segmentColorFrame(f.color, f.line, {
    minSizeFraction: 0,
    fragments: { minSize: 1, thinRatio: 0 },
  });
  assertEquals(raw.count, 8);
});

Deno.test("segmentColorFrame: a thin sliver between two strokes joins a region, and the result is seeded", () => {
  const f = drawCharacter();
  const W = f.color.width;
  // A 1-px wide, 40-px long sliver of body paint in the background, cut off by a stroke beside it.
  for (let y = 60; y < 100; y++) {
    f.color.data.set([220, 60, 60, 255], 4 * (y * W + 20));
    f.line.data[y * W + 21] = 0;
  }
  const s = segmentColorFrame(f.color, f.line);
  const ids = new Set(s.seg.data);
  assertEquals(ids.size, 6); // no extra segment for the sliver
  // Control: without the thinness rule the 40-px sliver is a segment (it is above the size threshold).
  assertEquals(new Set(segmentColorFrame(f.color, f.line, { fragments: { thinRatio: 0 } }).seg.data).size, 7);
  const again = segmentColorFrame(f.color, f.line);
  assertEquals(Array.from(again.seg.data), Array.from(s.seg.data));
});
