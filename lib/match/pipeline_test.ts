import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { newGray } from "../image/types.ts";
import { UserError } from "../util/errors.ts";
import { oracleSimilarity } from "./oracle.ts";
import { matchPair } from "./pipeline.ts";
import { renderToyFrame } from "./toy_pair.ts";

// The figure and the same figure moved and shrunk (eyes fully open in both).
const a = renderToyFrame(256), b = renderToyFrame(256, { dx: 0.04, dy: -0.02, s: 0.93, tilt: 0, blink: 1 });
const sim = oracleSimilarity(a, b, { size: 256, patch: 16 });
/** Region at a unit position of a toy frame, found through its ground truth: the pixel of `part` nearest (u,v). */
function regionOfPart(regions: Int32Array, seg: Int32Array, part: number): number {
  const votes = new Map<number, number>();
  for (let i = 0; i < seg.length; i++) {
    if (seg[i] === part + 2) votes.set(regions[i], (votes.get(regions[i]) ?? 0) + 1);
  }
  return [...votes].sort((x, y) => y[1] - x[1])[0][0];
}
const FACE = 2, HAIR = 3, EYE_L = 4;
/** Share of a region's non-line pixels that belong to `part`. */
function purity(regions: Int32Array, seg: Int32Array, region: number, part: number): number {
  let n = 0, hit = 0;
  for (let i = 0; i < seg.length; i++) {
    if (regions[i] !== region || seg[i] === 0) continue;
    n++;
    if (seg[i] === part + 2) hit++;
  }
  return hit / n;
}
/** Whether the regions standing for `part` on both sides (holding most of it, and mostly it) are matched. */
const matched = (r: ReturnType<typeof matchPair>, part: number) => {
  const ra = regionOfPart(r.regionsA.data, a.seg.data, part),
    rb = regionOfPart(r.regionsB.data, b.seg.data, part);
  return purity(r.regionsA.data, a.seg.data, ra, part) > 0.5 &&
    purity(r.regionsB.data, b.seg.data, rb, part) > 0.5 &&
    r.matches.some((m) => m.ref_region === ra && m.tgt_region === rb);
};

Deno.test("matchPair (paper pipeline): face and hair match, maps at the input size with ids 1..count", () => {
  const r = matchPair(a.line, b.line, sim, { regions: "patches" });
  for (const [m, n, count] of [[r.regionsA, a.line, r.countA], [r.regionsB, b.line, r.countB]] as const) {
    assertEquals([m.width, m.height], [n.width, n.height]);
    const ids = new Set(m.data);
    assertEquals(ids.size, count);
    for (let k = 1; k <= count; k++) assert(ids.has(k));
  }
  assert(matched(r, FACE) && matched(r, HAIR));
  assertEquals(r.warnings, []);
  assert(r.matches.every((m) => m.score >= 0.6 && m.direction !== "context"));
  assert(!r.matches.some((m) => r.backgroundA.includes(m.ref_region)));
});

Deno.test("matchPair (lines): context propagation matches the eye the paper's pipeline loses", () => {
  const p = matchPair(a.line, b.line, sim, { regions: "patches" });
  const l = matchPair(a.line, b.line, sim, { regions: "lines" });
  assert(!matched(p, EYE_L));
  assert(matched(l, EYE_L));
  assert(matched(l, FACE));
  const off = matchPair(a.line, b.line, sim, { regions: "lines", context: false });
  assert(!off.matches.some((m) => m.direction === "context"));
});

Deno.test("matchPair on a reduced working copy returns full-size maps with the same regions", () => {
  const r = matchPair(a.line, b.line, sim, { maxWorkingSide: 128, regions: "lines" });
  assertEquals([r.regionsA.width, r.regionsA.height], [256, 256]);
  const ids = new Set(r.regionsA.data);
  assertEquals(ids.size, r.countA);
  assert(!ids.has(0));
  assert(matched(r, FACE));
});

Deno.test("matchPair: a blank drawing is one background region, reported, nothing matched", () => {
  const blank = newGray(256, 256);
  const r = matchPair(blank, b.line, sim);
  assertEquals(r.countA, 1);
  assertEquals(r.backgroundA, [1]);
  assertEquals(r.matches.length, 0);
  assertEquals(r.warnings.length, 1);
  assert(r.warnings[0].includes("reference drawing has no strokes"));
});

Deno.test("matchPair: a drawing and a similarity of different sizes are one-line user errors", () => {
  assertThrows(
    () => matchPair(newGray(200, 256), b.line, sim),
    UserError,
    "reference drawing is 200x256 but the similarity was computed for 256x256",
  );
  assertThrows(
    () => matchPair(a.line, b.line, { ...sim, cosine: new Float32Array(10) }),
    UserError,
    "similarity matrix holds 10 values",
  );
  assertThrows(
    () => matchPair(a.line, b.line, sim, { regionsB: { width: 2, height: 2, data: new Int32Array(4) } }),
    UserError,
    "target regions are 2x2",
  );
});

Deno.test("matchPair: ready-made regions are used as given", () => {
  const given = { width: 256, height: 256, data: new Int32Array(256 * 256) };
  for (let i = 0; i < given.data.length; i++) given.data[i] = a.seg.data[i] <= 1 ? 1 : a.seg.data[i];
  const r = matchPair(a.line, b.line, sim, { regionsA: given });
  assertEquals(r.regionsA.data, given.data);
  assert(r.matches.some((m) => m.ref_region === FACE + 2));
});

Deno.test("matchPair passes the ablation switches through (shorthand and region options)", () => {
  const base = matchPair(a.line, b.line, sim);
  const viaRegion = matchPair(a.line, b.line, sim, { region: { watershed: false } });
  const shorthand = matchPair(a.line, b.line, sim, { watershed: false });
  assertEquals(Array.from(shorthand.regionsA.data), Array.from(viaRegion.regionsA.data));
  assert(
    Array.from(viaRegion.regionsA.data).some((v, i) => v !== base.regionsA.data[i]),
    "blocky regions differ",
  );
  // The shorthand wins over the region option.
  const both = matchPair(a.line, b.line, sim, { watershed: true, region: { watershed: false } });
  assertEquals(Array.from(both.regionsA.data), Array.from(base.regionsA.data));
  const noEdge = matchPair(a.line, b.line, sim, { edgeAwareMerge: false });
  const noEdge2 = matchPair(a.line, b.line, sim, { region: { edgeAwareMerge: false } });
  assertEquals(Array.from(noEdge.regionsA.data), Array.from(noEdge2.regionsA.data));
  assertEquals(noEdge.matches, noEdge2.matches);
});
