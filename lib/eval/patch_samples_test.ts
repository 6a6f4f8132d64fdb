import { assertArrayAlmostEquals, assertEquals, assertThrows } from "../testing/asserts.ts";
import { crossSamples, crossScores, intraSamples } from "./patch_samples.ts";

// N = 3 patches per image; S[r][c] = 10 r + c over the [6, 6] matrix (rows/cols 0-2: a, 3-5: b).
const n = 3;
const S = new Float32Array(36);
for (let r = 0; r < 6; r++) for (let c = 0; c < 6; c++) S[r * 6 + c] = 10 * r + c;
const labelsA = Int32Array.of(5, 5, -1);
const labelsB = Int32Array.of(5, 7, 5);

Deno.test("intraSamples: ordered pairs of labelled patches, self pairs and ignored patches out (by hand)", () => {
  const a = intraSamples(S, n, labelsA, "a");
  assertEquals(Array.from(a.scores), [1, 10]); // (0,1), (1,0)
  assertEquals(Array.from(a.labels), [1, 1]);
  const b = intraSamples(S, n, labelsB, "b");
  // b's block is rows/cols 3-5: (0,1)=34 (0,2)=35 (1,0)=43 (1,2)=45 (2,0)=53 (2,1)=54
  assertEquals(Array.from(b.scores), [34, 35, 43, 45, 53, 54]);
  assertEquals(Array.from(b.labels), [0, 1, 0, 0, 1, 0]);
});

Deno.test("crossSamples: symmetric cross score (S_ab[i,j] + S_ba[j,i]) / 2 (by hand)", () => {
  // S_ab[i,j] = 10 i + 3 + j, S_ba[j,i] = 30 + 10 j + i -> mean (11 i + 11 j + 33) / 2
  const c = crossScores(S, n);
  assertArrayAlmostEquals(c, [16.5, 22, 27.5, 22, 27.5, 33, 27.5, 33, 38.5], 0);
  const x = crossSamples(S, n, labelsA, labelsB);
  assertArrayAlmostEquals(x.scores, [16.5, 22, 27.5, 22, 27.5, 33], 0); // rows a0, a1; a2 ignored
  assertEquals(Array.from(x.labels), [1, 0, 1, 1, 0, 1]);
});

Deno.test("patch samples: shape errors", () => {
  assertThrows(() => intraSamples(S, 4, Int32Array.of(1, 1, 1, 1), "a"), RangeError, "not (2*4)^2");
  assertThrows(() => crossSamples(S, n, labelsA, Int32Array.of(1)), RangeError, "1 patch labels");
});
