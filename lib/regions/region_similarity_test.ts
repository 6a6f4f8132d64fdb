import { assert, assertAlmostEquals } from "../testing/asserts.ts";
import { membershipFromPixels, membershipFromVote } from "./vote.ts";
import { squareLayout } from "./patch_layout.ts";
import { regionSimilarity } from "./region_similarity.ts";

// Four patches per image. S_ab (rows: a's patches p0..p3, columns: b's q0..q3):
const SAB = Float32Array.of(
  0.9,
  0.1,
  0.2,
  0.3,
  0.7,
  0.3,
  0.4,
  0.5,
  0.0,
  0.8,
  0.6,
  1.0,
  0.2,
  0.6,
  0.8,
  0.4,
);

Deno.test("eq. 5 on a hand-worked case: mean of S over the two regions' patch pairs", () => {
  // a: region 1 = {p0, p1}, region 2 = {p2, p3}; b: region 1 = {q0}, region 2 = {q1, q2, q3}.
  const ma = membershipFromVote(Int32Array.of(1, 1, 2, 2), 2),
    mb = membershipFromVote(Int32Array.of(1, 2, 2, 2), 2);
  const s = regionSimilarity(SAB, 4, ma, mb); // [(2 + 1) * (2 + 1)]
  const at = (i: number, j: number) => s[i * 3 + j];
  assertAlmostEquals(at(1, 1), (0.9 + 0.7) / 2, 1e-6); // 0.8
  assertAlmostEquals(at(1, 2), (0.1 + 0.2 + 0.3 + 0.3 + 0.4 + 0.5) / 6, 1e-6); // 0.3
  assertAlmostEquals(at(2, 1), (0.0 + 0.2) / 2, 1e-6); // 0.1
  assertAlmostEquals(at(2, 2), (0.8 + 0.6 + 1.0 + 0.6 + 0.8 + 0.4) / 6, 1e-6); // 0.7
  assert(Number.isNaN(at(0, 1)) && Number.isNaN(at(1, 0)));
});

Deno.test("eq. 5 is directional: s(b -> a) reads S_ba", () => {
  const ma = membershipFromVote(Int32Array.of(1, 1, 2, 2), 2),
    mb = membershipFromVote(Int32Array.of(1, 2, 2, 2), 2);
  // S_ba = S_ab^T here, so s(b_j -> a_i) equals s(a_i -> b_j).
  const sba = new Float32Array(16);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) sba[j * 4 + i] = SAB[i * 4 + j];
  const s = regionSimilarity(sba, 4, mb, ma);
  assertAlmostEquals(s[2 * 3 + 1], 0.3, 1e-6); // b's region 2 -> a's region 1
  // A region without patches has no similarity.
  const none = regionSimilarity(SAB, 4, membershipFromVote(Int32Array.of(1, 1, 1, 1), 2), mb);
  assert(Number.isNaN(none[2 * 3 + 1]));
});

Deno.test("pixel-share weights: a region inside one patch takes that patch's row", () => {
  // 4x4 image, 2x2 patches of 2x2 px. a's region 1 is the single pixel (0,0) in patch p0; region 2 the rest.
  const lay = squareLayout(4, 4, 2);
  const la = new Int32Array(16).fill(2);
  la[0] = 1;
  const ma = membershipFromPixels(la, 2, lay);
  const mb = membershipFromVote(Int32Array.of(1, 2, 2, 2), 2);
  const s = regionSimilarity(SAB, 4, ma, mb);
  assertAlmostEquals(s[1 * 3 + 1], 0.9, 1e-6);
  // Region 2: p0 3/15, p1..p3 4/15 each; towards b's region 1 (q0): (3*0.9 + 4*0.7 + 4*0 + 4*0.2) / 15.
  assertAlmostEquals(s[2 * 3 + 1], (3 * 0.9 + 4 * 0.7 + 4 * 0 + 4 * 0.2) / 15, 1e-6);
});
