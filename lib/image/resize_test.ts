import { assert, assertEquals } from "../testing/asserts.ts";
import { resizeLabelsNearest, resizeLinePreserving } from "./resize.ts";
import { newGray } from "./types.ts";

function diagonal(n: number) {
  const img = newGray(n, n);
  for (let i = 0; i < n; i++) img.data[i * n + i] = 0;
  return img;
}

Deno.test("line-preserving reduction keeps a 1-px diagonal stroke unbroken at 1920 -> 512", () => {
  const small = resizeLinePreserving(diagonal(1920), 512, 512);
  // Every output row still has an ink pixel, and it is fully black.
  for (let y = 0; y < 512; y++) {
    let m = 255;
    for (let x = 0; x < 512; x++) m = Math.min(m, small.data[y * 512 + x]);
    assertEquals(m, 0, `row ${y} lost the stroke`);
  }
  // 8-connected: the ink run of each row touches the run of the row above.
  let prev: [number, number] | null = null;
  for (let y = 0; y < 512; y++) {
    let first = -1, last = -1;
    for (let x = 0; x < 512; x++) {
      if (small.data[y * 512 + x] === 0) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (prev) assert(first <= prev[1] + 1 && last >= prev[0] - 1, `gap at row ${y}`);
    prev = [first, last];
  }
});

Deno.test("line-preserving reduction by an integer factor is exactly a min-pool", () => {
  const img = newGray(4, 4);
  img.data.set([255, 200, 255, 255, 255, 255, 255, 10, 90, 255, 255, 255, 255, 255, 255, 255]);
  const out = resizeLinePreserving(img, 2, 2);
  assertEquals(Array.from(out.data), [200, 10, 90, 255]);
});

Deno.test("a bilinear resize erases what the line-preserving one keeps (why it exists)", () => {
  const small = resizeLinePreserving(diagonal(1920), 512, 512);
  let ink = 0;
  for (const v of small.data) if (v < 128) ink++;
  assert(ink >= 512);
});

Deno.test("enlargement is bilinear and keeps constant images constant", () => {
  const out = resizeLinePreserving(newGray(3, 3, 77), 7, 5);
  assertEquals(out.width, 7);
  assert(out.data.every((v) => v === 77));
});

Deno.test("resizeLabelsNearest samples pixel centres", () => {
  const m = { width: 4, height: 2, data: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
  assertEquals(Array.from(resizeLabelsNearest(m, 2, 1).data), [6, 8]);
});
