import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { colorizationScores, colorizePair, lineFromColor } from "./colorize_pair.ts";
import { oracleSimilarity } from "./oracle.ts";
import { toyPair } from "./toy_pair.ts";

Deno.test("colorizePair paints the toy target from its reference with the oracle similarity", () => {
  const { a, b } = toyPair(256, 3);
  const sim = oracleSimilarity(a, b);
  const regionAcc: Record<string, number> = {};
  for (const mode of ["lines", "patches"] as const) {
    const { painted, fills, match } = colorizePair(a.color, a.line, b.line, sim, {
      match: { regions: mode },
    });
    assertEquals([painted.width, painted.height], [256, 256]);
    assert(match.matches.length > 0, `${mode}: no matches`);
    const { pixel, region } = colorizationScores(fills, b.color, b.line);
    // The oracle knows every correspondence: nearly every non-stroke pixel gets its true colour.
    assert(pixel.accuracy > 0.9, `${mode}: pixel accuracy ${pixel.accuracy}`);
    regionAcc[mode] = region.accuracy;
    // Strokes are kept in the painted picture, not in the fills.
    let inkKept = 0, ink = 0;
    for (let i = 0; i < b.line.data.length; i++) {
      if (b.line.data[i] === 0) {
        ink++;
        if (painted.data[3 * i] === 0 && painted.data[3 * i + 1] === 0 && painted.data[3 * i + 2] === 0) {
          inkKept++;
        }
      }
    }
    assertEquals(inkKept, ink);
  }
  // Line-enclosed regions keep the small parts (eyes, pupils) that the paper's patch pipeline merges away.
  assert(regionAcc.lines > 0.6, `lines: region accuracy ${regionAcc.lines}`);
  assert(regionAcc.lines > regionAcc.patches, JSON.stringify(regionAcc));
});

Deno.test("colorizationScores: all-correct fills score 1; a wrong colour lowers the pixel score (hand-worked)", () => {
  const line = { width: 2, height: 2, data: Uint8Array.from([255, 255, 255, 0]) };
  const gt = { width: 2, height: 2, data: Uint8Array.from([9, 9, 9, 9, 9, 9, 7, 7, 7, 0, 0, 0]) };
  assertEquals(colorizationScores(gt, gt, line).pixel.accuracy, 1);
  const wrong = { width: 2, height: 2, data: Uint8Array.from([9, 9, 9, 1, 1, 1, 7, 7, 7, 0, 0, 0]) };
  // Three non-stroke pixels, one wrong.
  const s = colorizationScores(wrong, gt, line);
  assertEquals([s.pixel.correct, s.pixel.total], [2, 3]);
});

Deno.test("lineFromColor takes near-black pixels as strokes; mismatched sizes are refused", () => {
  const c = { width: 3, height: 1, data: Uint8Array.from([0, 0, 0, 200, 10, 10, 30, 30, 30]) };
  assertEquals(Array.from(lineFromColor(c, 60).data), [0, 255, 0]);
  const { a, b } = toyPair(64, 1);
  assertThrows(
    () =>
      colorizePair(
        b.color,
        { ...a.line, width: 10, height: 10, data: new Uint8Array(100) },
        b.line,
        oracleSimilarity(a, b),
      ),
    RangeError,
  );
});
