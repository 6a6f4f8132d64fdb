import { assert, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { buildJsonIndex, segmentSizes } from "../data/pbc.ts";
import { makeCharacter } from "./character.ts";
import { makeSequence } from "./pose.ts";
import { type LineStyle, type RenderedFrame, renderFrame } from "./frame.ts";

/** PBC invariants of one frame. */
function checkFrame(f: RenderedFrame, numLabels: number): void {
  const n = f.seg.width * f.seg.height;
  for (let i = 0; i < n; i++) {
    assertEquals(
      f.seg.data[i] === 0,
      f.line.data[i] === 0,
      `pixel ${i}: seg 0 exactly where the line has ink`,
    );
    assert(f.seg.data[i] >= 0, "every pixel in a segment");
    if (f.seg.data[i] > 0) {
      const lab = f.labelOfSeg.get(f.seg.data[i])!;
      assertEquals(lab, f.parts.data[i] < 0 ? -1 : f.parts.data[i], "segment label = part under it");
      assertEquals(f.labels.data[i], lab, "label map agrees off the lines");
    }
  }
  const idx = buildJsonIndex(f.seg, f.labelOfSeg);
  const sizes = segmentSizes(f.seg);
  for (const [id, [count, lab]] of Object.entries(idx)) {
    assertEquals(count, sizes.get(Number(id)));
    assert(lab === -1 || (lab >= 0 && lab < numLabels));
  }
  // Ids are 1 (when the outer background shows) then 2..k without holes.
  const ids = [...f.labelOfSeg.keys()].filter((k) => k > 1).sort((a, b) => a - b);
  ids.forEach((id, k) => assertEquals(id, k + 2));
}

for (const style of ["clean", "hand-drawn"] as LineStyle[]) {
  Deno.test(`${style} frames satisfy the PBC invariants`, () => {
    for (let s = 0; s < 3; s++) {
      const rng = new Rng(s);
      const spec = makeCharacter(rng.fork("spec"), "c");
      const seq = makeSequence(rng.fork("seq"), 4, 128);
      for (let f = 0; f < 4; f++) {
        checkFrame(
          renderFrame(spec, seq.poses[f], seq.cameras[f], { style, size: 128, rng: rng.fork(f) }),
          spec.labels.length,
        );
      }
    }
  });
}

Deno.test("clean lines are closed: 4-connected regions never mix parts", () => {
  const rng = new Rng(9);
  const spec = makeCharacter(rng.fork("spec"), "c");
  const seq = makeSequence(rng.fork("seq"), 2, 160);
  const f = renderFrame(spec, seq.poses[1], seq.cameras[1], { style: "clean", size: 160, rng });
  const w = 160;
  for (let i = 0; i < w * w; i++) {
    if (f.seg.data[i] === 0) continue;
    if ((i + 1) % w !== 0 && f.seg.data[i + 1] !== 0) assertEquals(f.parts.data[i + 1], f.parts.data[i]);
    if (i + w < w * w && f.seg.data[i + w] !== 0) assertEquals(f.parts.data[i + w], f.parts.data[i]);
  }
});

Deno.test("512x512 frames are about as rich as PBC frames (tens of segments and labels)", () => {
  const segs: number[] = [], labs: number[] = [];
  for (let s = 0; s < 3; s++) {
    const rng = new Rng(100 + s);
    const spec = makeCharacter(rng.fork("spec"), "c");
    const seq = makeSequence(rng.fork("seq"), 1, 512, {
      shotWeights: { close: 0, bust: 1, upper: 1, full: 0 },
    });
    const f = renderFrame(spec, seq.poses[0], seq.cameras[0], { style: "clean", size: 512, rng });
    segs.push(f.labelOfSeg.size);
    labs.push(new Set([...f.labelOfSeg.values()].filter((v) => v >= 0)).size);
  }
  assert(Math.min(...segs) >= 40 && Math.max(...segs) <= 300, `segments ${segs}`);
  assert(Math.min(...labs) >= 25 && Math.max(...labs) <= 90, `labels ${labs}`);
});
