import { assert, assertEquals } from "../testing/asserts.ts";
import { annotatePair, labelMapOf } from "./pipeline.ts";
import { drawCharacter } from "./fixtures.ts";

Deno.test("annotatePair matches every part of a drawing to the same part of its moved copy", async () => {
  const fa = drawCharacter({ size: 240 }), fb = drawCharacter({ size: 240, dx: 8, dy: 5, headDx: 3 });
  const ann = await annotatePair(fa, fb, { seed: 2 });
  assertEquals(Array.from(ann.a.seg.data), Array.from(fa.seg.data));
  assertEquals(Array.from(ann.b.seg.data), Array.from(fb.seg.data));
  // Each part's segment in a shares its label with the same part's segment in b, and parts differ.
  const seen = new Set<number>();
  for (const [part, sa] of fa.segOfPart) {
    const la = ann.labelsA.get(sa)!, lb = ann.labelsB.get(fb.segOfPart.get(part)!)!;
    assertEquals(la, lb, `part ${part}`);
    assert(la >= 0 && !seen.has(la));
    seen.add(la);
  }
  assertEquals(ann.labelsA.get(1), -1);
  assert(ann.stats.byVotes >= 2, `votes matched ${ann.stats.byVotes}`);
  assertEquals(ann.stats.unmatchedA + ann.stats.unmatchedB, 0);
  // The per-pixel label map gives line pixels their neighbour's label and the background -1.
  const lm = labelMapOf(ann.a, ann.labelsA);
  assertEquals(lm.data[0], -1);
  assert(lm.data.every((v) => v >= -1 && v < ann.stats.labels));
});

Deno.test("annotatePair with the coarse pass off leaves keypoint-less regions unmatched", async () => {
  // One ORB feature per image: too few to verify, so no region gets keypoint votes.
  const fa = drawCharacter({ size: 240 }), fb = drawCharacter({ size: 240, dx: 40, dy: 0 });
  const none = await annotatePair(fa, fb, { coarse: false, keypoints: { maxFeatures: 1 } });
  const withCoarse = await annotatePair(fa, fb, { keypoints: { maxFeatures: 1 } });
  assert(none.stats.unmatchedA > 0);
  assertEquals(withCoarse.stats.unmatchedA, 0);
  assertEquals(withCoarse.stats.byCoarse, 4);
  for (const [part, sa] of fa.segOfPart) {
    assertEquals(withCoarse.labelsA.get(sa), withCoarse.labelsB.get(fb.segOfPart.get(part)!), part);
  }
});
