import { assert, assertEquals } from "../testing/asserts.ts";
import { letterbox } from "../image/letterbox.ts";
import { newGray } from "../image/types.ts";
import { IGNORE } from "../data/patch_gt.ts";
import { letterboxOf, ORACLE_BACKGROUND_LABEL, oraclePatchLabels, oracleSimilarity } from "./oracle.ts";

/** 8x8 seg from a 2x2 block pattern of segment ids (each block 4x4). */
function frame(blocks: [number, number, number, number], labels: [number, number][]) {
  const data = new Int32Array(64);
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) data[y * 8 + x] = blocks[(y >> 2) * 2 + (x >> 2)];
  return {
    seg: { width: 8, height: 8, data },
    labelOfSeg: new Map<number, number>([[0, -1], [1, -1], ...labels]),
  };
}

// a: [seg 2 (label 10), seg 3 (label 11) / background, line]; b: [seg 5 (label 11), background / seg 4 (label 10), seg 4]
const A = frame([2, 3, 1, 0], [[2, 10], [3, 11]]);
const B = frame([5, 1, 4, 4], [[4, 10], [5, 11]]);

Deno.test("oracle patch labels: the 55% rule, background as its own label, line patches ignored", () => {
  assertEquals(Array.from(oraclePatchLabels(A, { size: 8, patch: 4 })), [
    10,
    11,
    ORACLE_BACKGROUND_LABEL,
    IGNORE,
  ]);
  assertEquals(Array.from(oraclePatchLabels(A, { size: 8, patch: 4, backgroundAsLabel: false })), [
    10,
    11,
    IGNORE,
    IGNORE,
  ]);
});

Deno.test("oracle cosine: +1 same label, -1 different, 0 with unlabelled patches, 1 on the diagonal", () => {
  const sim = oracleSimilarity(A, B, { size: 8, patch: 4 });
  assertEquals([sim.grid, sim.n, sim.patch], [2, 4, 4]);
  const c = (i: number, j: number) => sim.cosine[i * 8 + j];
  // a's patches 0..3 = [10, 11, BG, ignore]; b's 4..7 = [11, BG, 10, 10].
  assertEquals(c(0, 6), 1); // a 10 ~ b 10
  assertEquals(c(0, 7), 1);
  assertEquals(c(1, 4), 1); // 11 ~ 11
  assertEquals(c(2, 5), 1); // background ~ background
  assertEquals(c(0, 4), -1);
  assertEquals(c(3, 5), 0); // ignored
  assertEquals(c(3, 3), 1);
  assertEquals(c(6, 7), 1); // intra b
  for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) assertEquals(c(i, j), c(j, i));
});

Deno.test("oracle noise: seeded, symmetric, clamped", () => {
  const s1 = oracleSimilarity(A, B, { size: 8, patch: 4, noise: 0.5, seed: 3 });
  const s2 = oracleSimilarity(A, B, { size: 8, patch: 4, noise: 0.5, seed: 3 });
  const s3 = oracleSimilarity(A, B, { size: 8, patch: 4, noise: 0.5, seed: 4 });
  assertEquals(s1.cosine, s2.cosine);
  assert(s1.cosine.some((v, i) => v !== s3.cosine[i]));
  for (let i = 0; i < 8; i++) {
    assertEquals(s1.cosine[i * 8 + i], 1);
    for (let j = 0; j < 8; j++) {
      assertEquals(s1.cosine[i * 8 + j], s1.cosine[j * 8 + i]);
      assert(Math.abs(s1.cosine[i * 8 + j]) <= 1);
    }
  }
});

Deno.test("letterboxOf is the letterbox the model input uses", () => {
  for (const [w, h] of [[40, 24], [24, 41], [16, 16]]) {
    assertEquals(letterboxOf(w, h, 32), letterbox(newGray(w, h), 32).box);
  }
});
