import * as path from "node:path";
import { assert, assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import type { PbcFrame } from "./pbc.ts";
import { writeFrame } from "./pbc.ts";
import {
  collectFrameStats,
  frameStats,
  sizeHistogram,
  statsTable,
  summarize,
  summarizeFrames,
} from "./stats.ts";

function frame(character: string, rows: number[][], labels: [number, number][]): PbcFrame {
  const w = rows[0].length, h = rows.length;
  return {
    character,
    frame: "0000",
    line: { width: w, height: h, data: new Uint8Array(w * h) },
    seg: { width: w, height: h, data: Int32Array.from(rows.flat()) },
    labelOfSeg: new Map(labels),
    labelSource: "json_index",
    paths: { line: "", seg: "", gt: null, jsonIndex: null, segJson: null },
  };
}

// 4x4: two line pixels, background 1 (5 px), segments 2 and 3 with label 7 (a split part), segment 4 label 9.
const F1 = frame("a", [
  [1, 1, 1, 1],
  [1, 0, 2, 2],
  [3, 0, 2, 2],
  [3, 4, 4, 4],
], [[1, -1], [2, 7], [3, 7], [4, 9]]);

Deno.test("frame statistics by hand", () => {
  const s = frameStats(F1);
  assertEquals(s.segments, 4);
  assertEquals(s.labelledSegments, 3);
  assertEquals(s.labels, [7, 9]);
  assertEquals(s.sizes, [2, 3, 4, 5]);
  assertEquals(s.largeSegments, 4);
  assertAlmostEquals(s.lineFraction, 2 / 16);
});

Deno.test("summary matches numpy percentiles (linear interpolation)", () => {
  const s = summarize([7, 1, 4, 9, 2, 8, 3]);
  // numpy.percentile([7,1,4,9,2,8,3], [10, 50, 90]) = [1.6, 4.0, 8.4]; mean 4.857142857142857
  assertAlmostEquals(s.p10, 1.6);
  assertEquals(s.median, 4);
  assertAlmostEquals(s.p90, 8.4);
  assertAlmostEquals(s.mean, 4.857142857142857);
  assertEquals([s.min, s.max], [1, 9]);
  assertEquals(summarize([]).mean, 0);
});

Deno.test("size histogram and dataset summary", () => {
  const s1 = frameStats(F1);
  // Areas 2,3,4,5 of 16: log10 = -0.90, -0.73, -0.60, -0.51 -> bins [-1,-0.5) with edges -7..0 step 0.5.
  const h = sizeHistogram([s1]);
  assertEquals(h.counts.reduce((a, b) => a + b, 0), 4);
  assertEquals(h.counts[12], 4);
  const F2 = frame("b", [[1, 2], [5, 2]], [[1, -1], [2, 3], [5, 4]]);
  const F3 = frame("a", [[1, 6], [6, 6]], [[1, -1], [6, 11]]);
  const d = summarizeFrames("x", "/x", [s1, frameStats(F2), frameStats(F3)]);
  assertEquals(d.characters, 2);
  assertEquals(d.frames, 3);
  // Character a: labels {7, 9, 11}; character b: {3, 4}.
  assertEquals([d.labelsPerCharacter.min, d.labelsPerCharacter.max], [2, 3]);
  // Segments per label: 3/2, 2/2, 1/1.
  assertAlmostEquals(d.segmentsPerLabel.mean, (1.5 + 1 + 1) / 3);
  const t = statsTable([d]);
  assert(t.includes("labels / character") && t.includes("segment size histogram"));
});

Deno.test("collectFrameStats reads a PBC-layout folder", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-stats-" });
  try {
    for (const [c, f] of [["a", F1], ["b", F1]] as const) {
      await writeFrame(tmp, c, "0000", {
        line: { width: 4, height: 4, data: Uint8Array.from(f.seg.data, (v) => (v === 0 ? 0 : 255)) },
        seg: f.seg,
        labelOfSeg: f.labelOfSeg!,
      });
    }
    const all = await collectFrameStats(tmp);
    assertEquals(all.length, 2);
    assertEquals(all[0].labels, [7, 9]);
    assertEquals((await collectFrameStats(tmp, { maxFrames: 1 })).length, 1);
    assert(path.isAbsolute(tmp));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
