import { patchLabels } from "../data/patch_gt.ts";
import { letterbox } from "../image/letterbox.ts";
import type { LabelMap } from "../image/types.ts";
import { newGray } from "../image/types.ts";
import { assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { patchLabelsForBox } from "./patch_labels.ts";

/** A seg map of blocky random segments (ids 0 line, 1 background, 2..6 parts). */
function randomSeg(w: number, h: number, seed: number): LabelMap {
  const rng = new Rng(seed);
  const data = new Int32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = ((x >> 1) + 3 * (y >> 2)) % 7;
  for (let i = 0; i < data.length; i++) if (rng.bool(0.15)) data[i] = rng.int(0, 7);
  return { width: w, height: h, data };
}

/** The seg padded to the letterbox square with background (id 1), as the model sees it. */
function padSeg(seg: LabelMap): LabelMap {
  const side = Math.max(seg.width, seg.height);
  const px = Math.floor((side - seg.width) / 2), py = Math.floor((side - seg.height) / 2);
  const data = new Int32Array(side * side).fill(1);
  for (let y = 0; y < seg.height; y++) {
    data.set(seg.data.subarray(y * seg.width, (y + 1) * seg.width), (y + py) * side + px);
  }
  return { width: side, height: side, data };
}

const labelOf = new Map([[0, -1], [1, -1], [2, 10], [3, 11], [4, 12], [5, 12], [6, 13]]);

Deno.test("patchLabelsForBox equals patchLabels when there is no padding", () => {
  const seg = randomSeg(32, 32, 1);
  const { box } = letterbox(newGray(32, 32), 32);
  assertEquals(patchLabelsForBox(seg, labelOf, box, 4), patchLabels(seg, labelOf, { rows: 8, cols: 8 }));
  assertEquals(patchLabelsForBox(seg, null, box, 8), patchLabels(seg, null, { rows: 4, cols: 4 }));
});

Deno.test("patchLabelsForBox on a letterboxed image equals patchLabels on the padded seg", () => {
  // 16x10 into an 8-px input: scale 1/2, padY 3; each 2-px patch covers 4x4 original pixels, the top and
  // bottom rows partly padding.
  for (const [w, h, size, patch] of [[16, 10, 8, 2], [10, 16, 8, 2], [24, 13, 24, 4], [40, 24, 10, 2]]) {
    const seg = randomSeg(w, h, w * h);
    const { box } = letterbox(newGray(w, h), size);
    const g = size / patch;
    assertEquals(
      patchLabelsForBox(seg, labelOf, box, patch),
      patchLabels(padSeg(seg), labelOf, { rows: g, cols: g }),
      `${w}x${h} -> ${size}, patch ${patch}`,
    );
  }
});

Deno.test("patchLabelsForBox: a patch half in the padding needs 55% of its whole area (by hand)", () => {
  // 4 wide x 3 high, all segment 2 (label 10): letterboxed to 4x4 with padY 0 (floor(1/2)); patch 2.
  // Rows of patches: row 0 covers y 0-1 (full), row 1 covers y 2-3 of which y 3 is padding -> 2 of 4 = 50%.
  const seg = { width: 4, height: 3, data: new Int32Array(12).fill(2) };
  const { box } = letterbox(newGray(4, 3), 4);
  assertEquals(box.padY, 0);
  assertEquals(Array.from(patchLabelsForBox(seg, labelOf, box, 2)), [10, 10, -1, -1]);
  assertEquals(Array.from(patchLabelsForBox(seg, labelOf, box, 2, { minFraction: 0.5 })), [10, 10, 10, 10]);
});
