import { assertEquals } from "../testing/asserts.ts";
import { colorFrame, NO_PART, rasterizeParts } from "./render.ts";
import type { ScenePart } from "./scene.ts";

const sq = (x0: number, y0: number, x1: number, y1: number) =>
  Float64Array.from([x0, y0, x1, y0, x1, y1, x0, y1]);

Deno.test("parts are painted in order; clipped parts only over their parents", () => {
  const parts: ScenePart[] = [
    { label: 0, depth: 0, contours: [sq(0, 0, 4, 4)] },
    { label: 1, depth: 1, contours: [sq(2, 0, 6, 2)] },
    { label: 2, depth: 2, contours: [sq(0, 0, 6, 6)], clip: [0] }, // a "shadow" on part 0 only
  ];
  const m = rasterizeParts(parts, 6, 6, 3);
  const row = (y: number) => Array.from(m.data.slice(6 * y, 6 * y + 6));
  assertEquals(row(0), [2, 2, 1, 1, 1, 1]);
  assertEquals(row(3), [2, 2, 2, 2, NO_PART, NO_PART]);
  assertEquals(row(5), [NO_PART, NO_PART, NO_PART, NO_PART, NO_PART, NO_PART]);
});

Deno.test("colour frame: part colours, ink black, background transparent", () => {
  const m = { width: 3, height: 1, data: Int32Array.from([0, 1, -1]) };
  const img = colorFrame(m, [[10, 20, 30], [40, 50, 60]], Uint8Array.from([0, 1, 0]));
  assertEquals(Array.from(img.data), [10, 20, 30, 255, 0, 0, 0, 255, 0, 0, 0, 0]);
});
