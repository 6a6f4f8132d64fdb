import * as path from "node:path";
import { assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { lineToRgba, writeFrame } from "../data/pbc.ts";
import { drawCharacter } from "./fixtures.ts";
import { annotationQuality, dropSmall } from "./report.ts";

/** Writes a one-pair dataset of the test drawing with exact labels; `swap` exchanges two labels in frame b. */
async function dataset(root: string, swap: boolean) {
  const frames = [drawCharacter({ size: 200 }), drawCharacter({ size: 200, dx: 6, dy: 3, headDx: 2 })];
  for (const [i, f] of frames.entries()) {
    // Exact labels: head 10, eye 11, body 12, pocket 13 (in frame b, optionally body and pocket swapped).
    const s = swap && i === 1;
    const labelOfSeg = new Map([[1, -1], [2, 10], [3, 11], [4, s ? 13 : 12], [5, s ? 12 : 13]]);
    await writeFrame(root, "c", `000${i}`, { line: lineToRgba(f.line), seg: f.seg, labelOfSeg, gt: f.color });
  }
  await Deno.writeTextFile(path.join(root, "pairs.csv"), "dir,reference,target\nc,0000,0001\n");
}

Deno.test("annotationQuality: a perfect annotation scores 1 everywhere; swapped exact labels halve precision", async () => {
  const tmp = await Deno.makeTempDir();
  await dataset(path.join(tmp, "ok"), false);
  const good = await annotationQuality(path.join(tmp, "ok"), { progress: "off" });
  const s = good.summary;
  assertEquals([s.pairs, s.ari, s.miou_pg, s.miou_gp, s.cr, s.precision, s.recall], [1, 1, 1, 1, 1, 1, 1]);
  assertEquals(s.gtRegions, 4);
  assertEquals(s.unmatchedShare, 0);
  // The eye (10x10 drawn at 1.25x: ~120 px) is below the 141-px patch threshold: 3 large regions remain.
  assertEquals(s.large.gtRegions, 3);
  assertEquals([s.large.ari, s.large.precision, s.large.recall], [1, 1, 1]);
  // With body and pocket swapped in b's truth, 2 of the 4 pseudo matches are wrong, and 2 of 4 groups found.
  await dataset(path.join(tmp, "swap"), true);
  const bad = await annotationQuality(path.join(tmp, "swap"), { progress: "off" });
  assertAlmostEquals(bad.summary.precision, 0.5);
  assertAlmostEquals(bad.summary.recall, 0.5);
  assertEquals(bad.summary.ari, 1); // segmentation is unaffected by labels
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("dropSmall removes the pixels of small segments from the valid mask", () => {
  const seg = { width: 6, height: 1, data: Int32Array.from([2, 2, 2, 3, 4, 4]) };
  const v = dropSmall(seg, { valid: Uint8Array.from([1, 1, 1, 1, 1, 0]), count: 5 }, 2);
  // Segment 3 has 1 px, segment 4 has 1 valid px: both dropped.
  assertEquals(Array.from(v.valid), [1, 1, 1, 0, 0, 0]);
  assertEquals(v.count, 3);
});
