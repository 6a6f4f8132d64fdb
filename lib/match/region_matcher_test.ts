import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { colorizationScores, colorizePair } from "./colorize_pair.ts";
import { similarityFromTokens } from "./descriptors.ts";
import { matchPair } from "./pipeline.ts";
import { MATCHER_DEFAULTS, matcherOptions, matchRegionSets } from "./region_matcher.ts";
import { oracleTokens } from "./test_tokens.ts";
import { toyPair } from "./toy_pair.ts";

Deno.test("region matcher: with exact tokens it colours nearly every toy region right, small parts included", () => {
  const { a, b } = toyPair(256, 3);
  const tokens = oracleTokens(a.seg, a.labelOfSeg, b.seg, b.labelOfSeg);
  const sim = similarityFromTokens(tokens);
  const region = colorizePair(a.color, a.line, b.line, sim, { match: { tokens, regions: "lines" } });
  assertEquals(region.match.colourSource instanceof Int32Array, true);
  const s = colorizationScores(region.fills, b.color, b.line);
  assert(s.region.accuracy >= 0.9, `region accuracy ${s.region.accuracy}`);
  assert(s.pixelFg.accuracy >= 0.95, `foreground pixel accuracy ${s.pixelFg.accuracy}`);
  // The paper's matcher on the same similarities and regions does worse on regions (small parts lost).
  const paper = colorizePair(a.color, a.line, b.line, sim, { match: { matcher: "paper", regions: "lines" } });
  const sp = colorizationScores(paper.fills, b.color, b.line);
  assert(
    s.region.accuracy >= sp.region.accuracy,
    `region ${s.region.accuracy} vs paper ${sp.region.accuracy}`,
  );
  // Stages are timed.
  for (const k of ["descriptors", "sinkhorn", "alignment"]) assert(region.match.timings.matcher[k] >= 0, k);
});

Deno.test("region matcher: a target region split in two (occlusion) takes the same reference colour twice", () => {
  // Reference: two boxes; target: the same boxes, the left one cut in two by a vertical gap.
  const W = 64, H = 64;
  const la = new Int32Array(W * H), lb = new Int32Array(W * H);
  for (let y = 16; y < 48; y++) {
    for (let x = 4; x < 28; x++) la[y * W + x] = 1, lb[y * W + x] = y < 32 ? 1 : 3;
    for (let x = 36; x < 60; x++) la[y * W + x] = 2, lb[y * W + x] = 2;
  }
  // Tokens: the left half of each image e_0, the right half e_1 (grid 4 over 64 px).
  const n = 16, dim = 2, tokens = new Float32Array(2 * n * dim);
  for (let k = 0; k < 2; k++) {
    for (let t = 0; t < n; t++) tokens[(k * n + t) * dim + ((t % 4) < 2 ? 0 : 1)] = 1;
  }
  const box = { srcWidth: W, srcHeight: H, size: 64, scale: 1, padX: 0, padY: 0 };
  const set = (labels: Int32Array, count: number) => ({
    width: W,
    height: H,
    labels,
    count,
    background: new Uint8Array(count + 1),
  });
  const r = matchRegionSets(set(la, 2), set(lb, 3), {
    tokens,
    dim,
    grid: 4,
    patch: 16,
    boxA: box,
    boxB: box,
    normalized: false,
  });
  assertEquals([...r.colourSource], [0, 1, 2, 1]);
  assert(r.matches.some((m) => m.ref_region === 2 && m.tgt_region === 2), JSON.stringify(r.matches));
});

Deno.test("matchPair: the region matcher needs tokens; auto picks it only when they are given", () => {
  const { a, b } = toyPair(128, 1);
  const tokens = oracleTokens(a.seg, a.labelOfSeg, b.seg, b.labelOfSeg);
  const sim = similarityFromTokens(tokens);
  assertThrows(() => matchPair(a.line, b.line, sim, { matcher: "region" }));
  assertEquals(matchPair(a.line, b.line, sim).colourSource, undefined);
  assert(matchPair(a.line, b.line, sim, { tokens }).colourSource !== undefined);
});

Deno.test("matcherOptions merges nested weights over the defaults", () => {
  const o = matcherOptions({ weights: { position: 0 } as never });
  assertEquals(o.weights.position, 0);
  assertEquals(o.weights.feature, MATCHER_DEFAULTS.weights.feature);
});
