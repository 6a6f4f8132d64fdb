import { assert, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import type { LabelMap } from "../image/types.ts";
import { ellipse } from "./geometry.ts";
import { fillPolygon } from "./raster.ts";
import { cleanLines, segmentParts } from "./segments.ts";
import type { Rgb } from "./palette.ts";

const COLORS: Rgb[] = [[200, 10, 10], [10, 200, 10], [10, 10, 200], [90, 90, 90]];

function fromRows(rows: number[][]): LabelMap {
  return { width: rows[0].length, height: rows.length, data: Int32Array.from(rows.flat()) };
}

Deno.test("clean lines: the pixel left of / above a boundary is ink", () => {
  const parts = fromRows([
    [0, 0, 1, 1, 1],
    [0, 0, 1, 1, 1],
    [0, 0, 1, 1, 1],
  ]);
  assertEquals(Array.from(cleanLines(parts)), [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
  const s = segmentParts(parts, cleanLines(parts), COLORS);
  assertEquals(Array.from(s.seg.data), [2, 0, 3, 3, 3, 2, 0, 3, 3, 3, 2, 0, 3, 3, 3]);
  assertEquals([...s.labelOfSeg].sort((a, b) => a[0] - b[0]), [[2, 0], [3, 1]]);
  assertEquals(s.segColors.get(3), [10, 200, 10, 255]);
  // Line pixels carry the label of their own part.
  assertEquals(s.labels.data[1], 0);
});

Deno.test("enclosed background gets its own segment with label -1; line pixels on background take the part's label", () => {
  // An 8x8 ring of part 0 (rows/cols 1..6) around a 2x2 hole at (3..4, 3..4).
  const rows = Array.from(
    { length: 8 },
    (_, y) =>
      Array.from(
        { length: 8 },
        (_, x) => (x >= 1 && x <= 6 && y >= 1 && y <= 6 && !(x >= 3 && x <= 4 && y >= 3 && y <= 4) ? 0 : -1),
      ),
  );
  const parts = fromRows(rows);
  const ink = cleanLines(parts);
  const s = segmentParts(parts, ink, COLORS);
  const at = (x: number, y: number) => s.seg.data[y * 8 + x];
  assertEquals(at(0, 0), 1);
  assertEquals(at(7, 7), 1);
  assertEquals(at(0, 3), 0, "left of the ring: ink");
  const hole = at(3, 3);
  assert(hole >= 2, "the one non-ink hole pixel is a region");
  assertEquals(s.labelOfSeg.get(hole), -1);
  assertEquals(at(4, 3), 0, "hole pixel left of the ring is ink");
  const ring = at(1, 1);
  assertEquals(s.labelOfSeg.get(ring), 0);
  assertEquals(at(5, 5), ring, "the ring is one 4-connected region");
  assertEquals(s.labelOfSeg.size, 3);
  assertEquals(s.labels.data[3 * 8 + 0], 0, "ink on background next to the ring takes label 0");
  assertEquals(s.labels.data[0], -1);
  assertEquals(s.segColors.get(1), [0, 0, 0, 0]);
});

/** Independent reference: 4-connected components of equal part among non-ink pixels, by union-find. */
function components(parts: LabelMap, ink: Uint8Array): Int32Array {
  const { width: w, height: h, data } = parts;
  const parent = Int32Array.from({ length: w * h }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (ink[i]) continue;
      if (x + 1 < w && !ink[i + 1] && data[i + 1] === data[i]) parent[find(i + 1)] = find(i);
      if (y + 1 < h && !ink[i + w] && data[i + w] === data[i]) parent[find(i + w)] = find(i);
    }
  }
  return Int32Array.from({ length: w * h }, (_, i) => (ink[i] ? -1 : find(i)));
}

Deno.test("segments equal an independent union-find on random overlapping shapes", () => {
  const rng = new Rng(11);
  for (let t = 0; t < 5; t++) {
    const parts: LabelMap = { width: 60, height: 50, data: new Int32Array(3000).fill(-1) };
    for (let k = 0; k < 8; k++) {
      fillPolygon(
        parts,
        ellipse(rng.range(0, 60), rng.range(0, 50), rng.range(3, 18), rng.range(2, 12), rng.range(0, 3)),
        rng.int(0, 4),
      );
    }
    const ink = cleanLines(parts);
    const s = segmentParts(parts, ink, COLORS);
    const ref = components(parts, ink);
    const map = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      assertEquals(s.seg.data[i] === 0, ink[i] === 1);
      if (ink[i]) continue;
      const id = s.seg.data[i];
      assert(id >= 1);
      assertEquals(s.labelOfSeg.get(id), parts.data[i] < 0 ? -1 : parts.data[i]);
      // One-to-one between our ids and the reference components (outer background pieces may share id 1).
      const prev = map.get(ref[i]);
      if (prev === undefined) map.set(ref[i], id);
      else assertEquals(prev, id);
    }
    const ids = new Set(map.values());
    const nonBg = [...map].filter(([, id]) => id !== 1).length;
    assertEquals(
      ids.size - (ids.has(1) ? 1 : 0),
      nonBg,
      "no two components share an id (except the outer background)",
    );
  }
});
