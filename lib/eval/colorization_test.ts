import * as path from "node:path";
import { resolvePairs } from "../data/pairs.ts";
import { generateDataset } from "../generate/dataset.ts";
import type { GrayImage } from "../image/types.ts";
import { floodFillRegions } from "../match/baseline_floodfill.ts";
import { colorizationScores } from "../match/colorize_pair.ts";
import { MATCHING_DEFAULTS } from "../match/matching.ts";
import { oracleSimilarity } from "../match/oracle.ts";
import { toyPair } from "../match/toy_pair.ts";
import { assert, assertAlmostEquals, assertEquals, assertRejects, assertThrows } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import {
  COLORIZE_METHODS,
  colorizeMethods,
  copyInPlace,
  evaluateColorization,
  oracleGrid,
  strokeRegions,
  summarizeColorization,
} from "./colorization.ts";
import type { TokenModel } from "./predictors.ts";
import { oracleTokens } from "../match/test_tokens.ts";

/**
 * A stand-in model (no tfjs): the oracle's similarity with each drawing's flood-fill regions as its "labels",
 * so regions with the same id in both drawings are alike, and the same as tokens (`pairTokens`, what the region
 * matcher reads). Wiring only.
 */
const ffLabels = (g: GrayImage) => {
  const r = floodFillRegions(g).labels;
  return { seg: r, labels: new Map([...new Set(r.data)].map((id) => [id, id])) };
};
const standIn: TokenModel = {
  config: { inputSize: 256, patch: 16 },
  pairTokens: (a: GrayImage, b: GrayImage) => {
    const fa = ffLabels(a), fb = ffLabels(b);
    return Promise.resolve(oracleTokens(fa.seg, fa.labels, fb.seg, fb.labels, 256, 16));
  },
  similarity: (a: GrayImage, b: GrayImage) =>
    Promise.resolve(
      oracleSimilarity(
        { seg: floodFillRegions(a).labels, labelOfSeg: null },
        { seg: floodFillRegions(b).labels, labelOfSeg: null },
        { size: 256, patch: 16 },
      ),
    ),
};

Deno.test("colorizeMethods: documented names and order; the oracle paints the toy target right", async () => {
  const { a, b } = toyPair(256, 3);
  const all = await colorizeMethods(a.color, a.line, b.line, {
    model: standIn,
    truth: { a, b },
    baselines: true,
  });
  assertEquals(all.map((m) => m.name), [...COLORIZE_METHODS]);
  for (const m of all) {
    assertEquals([m.fills.width, m.fills.height, m.painted.width, m.regionsB.width], [256, 256, 256, 256]);
    assert(m.seconds >= 0, `${m.name}: ${m.seconds}`);
  }
  const oracle = all.find((m) => m.name === "oracle (patches)")!;
  assert(oracle.matches.length > 0);
  const { pixel } = colorizationScores(oracle.fills, b.color, b.line);
  assert(pixel.accuracy > 0.9, `oracle pixel accuracy ${pixel.accuracy}`);
  // Flood fill has no background regions; the pipeline's methods do.
  const ff = all.find((m) => m.name === "flood fill")!;
  assertEquals([ff.backgroundA, ff.backgroundB], [[], []]);
  // The region matcher colours every target region it has a source for: its pixel accuracy is a fraction.
  const rm = all.find((m) => m.name === "ours (region matcher)")!;
  const rs = colorizationScores(rm.fills, b.color, b.line);
  assert(rs.pixel.accuracy >= 0 && rs.pixel.accuracy <= 1 && rm.matches.length > 0, JSON.stringify(rs.pixel));
  // A model without tokens: the paper's rows only.
  const noTokens = await colorizeMethods(a.color, a.line, b.line, {
    model: { config: standIn.config, similarity: standIn.similarity },
  });
  assertEquals(noTokens.map((m) => m.name), ["ours (patches)", "ours (hybrid)", "flood fill"]);

  // No model: no "ours" rows; no truth: no oracle.
  const noModel = await colorizeMethods(a.color, a.line, b.line, { truth: { a, b } }); // no baselines
  assertEquals(noModel.map((m) => m.name), ["oracle (patches)", "flood fill"]);
  assertEquals(noModel[0].fills, oracle.fills); // the same run as with a model beside it
  assertEquals((await colorizeMethods(a.color, a.line, b.line)).map((m) => m.name), ["flood fill"]);
});

Deno.test("colorizeMethods: paperRegions names the rows; sharedForward runs one forward; paperMatch applies", async () => {
  const { a, b } = toyPair(256, 3);
  const calls = { tokens: 0, similarity: 0 };
  const counting: TokenModel = {
    config: standIn.config,
    pairTokens: (x, y) => (calls.tokens++, standIn.pairTokens(x, y)),
    similarity: (x, y) => (calls.similarity++, standIn.similarity(x, y)),
  };
  const opts = { model: counting, truth: { a, b }, paperRegions: ["patches", "lines"] as const };
  const own = await colorizeMethods(a.color, a.line, b.line, opts);
  assertEquals(own.map((m) => m.name), [
    "ours (region matcher)",
    "ours (patches)",
    "ours (lines)",
    "oracle (patches)",
    "flood fill",
  ]);
  assertEquals(calls, { tokens: 1, similarity: 1 });
  const shared = await colorizeMethods(a.color, a.line, b.line, { ...opts, sharedForward: true });
  assertEquals(calls, { tokens: 2, similarity: 1 }); // no similarity forward of its own
  assertEquals(shared.map((m) => m.name), own.map((m) => m.name));
  // The rows that do not read the model's similarity answer the same either way (compared as bytes: a failing
  // assertEquals on images would print megabytes).
  const same = (x: Uint8Array, y: Uint8Array) => x.length === y.length && x.every((v, i) => v === y[i]);
  for (const i of [0, 3, 4]) assert(same(shared[i].fills.data, own[i].fills.data), own[i].name);
  // Only the paper's rows with `sharedForward`: the tokens' forward still runs once, for them.
  await colorizeMethods(a.color, a.line, b.line, {
    ...opts,
    sharedForward: true,
    methods: ["ours (patches)"],
  });
  assertEquals(calls, { tokens: 3, similarity: 1 });
  // A match threshold no similarity reaches: the paper's rows and the oracle match nothing; the others unchanged.
  const strict = await colorizeMethods(a.color, a.line, b.line, {
    ...opts,
    paperMatch: { matching: { ...MATCHING_DEFAULTS, threshold: 1.01 } },
  });
  for (const m of strict) {
    const before = own.find((x) => x.name === m.name)!;
    if (m.name.startsWith("ours (") && m.name !== "ours (region matcher)" || m.name === "oracle (patches)") {
      assert(before.matches.length > 0, `${m.name}: matches without the threshold`);
      assertEquals(m.matches.length, 0, m.name);
    } else assertEquals(m.matches, before.matches, m.name);
  }
});

Deno.test("copyInPlace: each target region takes the reference's majority colour at its pixels (hand-worked)", () => {
  // 6x1: target strokes at x = 2; regions {0,1} and {3,4,5}. Reference colours R R | G G B, its stroke at x = 4.
  const R = [255, 0, 0], G = [0, 255, 0], B = [0, 0, 255];
  const refColor = { width: 6, height: 1, data: Uint8Array.from([R, R, G, G, B, B].flat()) };
  const refLine = { width: 6, height: 1, data: Uint8Array.of(255, 255, 255, 255, 0, 255) };
  const tgtLine = { width: 6, height: 1, data: Uint8Array.of(255, 255, 0, 255, 255, 255) };
  // Region {3,4,5}: reference G at 3, stroke at 4 (not counted), B at 5: tie, the smaller packed colour (B) wins.
  assertEquals(
    Array.from(copyInPlace(refColor, refLine, tgtLine).data),
    [R, R, [255, 255, 255], B, B, B].flat(),
  );
  const tgt2 = { width: 6, height: 1, data: Uint8Array.of(255, 255, 255, 255, 255, 0) };
  // One region 0..4: R R G G (stroke at 4 not counted): tie R/G, G (0x00ff00) < R (0xff0000).
  assertEquals(
    Array.from(copyInPlace(refColor, refLine, tgt2).data),
    [G, G, G, G, G, [255, 255, 255]].flat(),
  );
  assertEquals(strokeRegions(tgtLine).count, 2);
  assertThrows(
    () => copyInPlace(refColor, refLine, { width: 1, height: 1, data: new Uint8Array(1) }),
    RangeError,
  );
});

Deno.test("oracleGrid: given grid, else the model's, else 256 px / 16 px", () => {
  assertEquals(oracleGrid({}), { size: 256, patch: 16 });
  assertEquals(oracleGrid({ model: { ...standIn, config: { inputSize: 512, patch: 32 } } }), {
    size: 512,
    patch: 32,
  });
  assertEquals(oracleGrid({ model: standIn, grid: { size: 128, patch: 8 } }), { size: 128, patch: 8 });
});

Deno.test("summarizeColorization: means over the pairs each method ran on (hand-worked)", () => {
  const s = (p: number, r: number, t: number) => ({
    pixel_accuracy_fg: p,
    region_accuracy_fg: r,
    pixel_accuracy_with_bg: (1 + p) / 2,
    region_accuracy_with_bg: r,
    seconds: t,
  });
  const rows = summarizeColorization([
    {
      dir: "c",
      reference: "0",
      target: "7",
      methods: { "flood fill": s(0.5, 0.25, 1), "oracle (patches)": s(1, 1, 2) },
    },
    {
      dir: "c",
      reference: "1",
      target: "8",
      methods: { "ours (lines)": s(0, 0, 1), "flood fill": s(0.7, 0.75, 3) },
    },
  ]);
  // COLORIZE_METHODS order, then rows of other region modes (`paperRegions`).
  assertEquals(rows.map((r) => [r.name, r.pairs]), [["oracle (patches)", 1], ["flood fill", 2], [
    "ours (lines)",
    1,
  ]]);
  assertAlmostEquals(rows[1].pixel_accuracy_fg, 0.6, 1e-12);
  assertAlmostEquals(rows[1].pixel_accuracy_with_bg, 0.8, 1e-12);
  assertEquals([rows[1].region_accuracy_fg, rows[1].region_accuracy_with_bg, rows[1].seconds_per_pair], [
    0.5,
    0.5,
    2,
  ]);
  assertEquals(summarizeColorization([]), []);
});

Deno.test("evaluateColorization on a generated dataset: per-pair scores, their means, progress; missing gt/", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-colev-" });
  try {
    const root = path.join(tmp, "data");
    await generateDataset({
      out: root,
      pairs: 2,
      style: "clean",
      seed: 5,
      size: 128,
      gap: 7,
      framesPerCharacter: 9,
      progress: "off",
    });
    const pairs = await resolvePairs(root);
    assertEquals(pairs.length, 2);
    const seen: number[] = [];
    const r = await evaluateColorization(root, pairs, {
      model: standIn,
      onPair: (rec, i, n) => {
        assertEquals([rec.dir, rec.target, n], [pairs[i].dir, pairs[i].target, 2]);
        seen.push(i);
      },
    });
    assertEquals(seen, [0, 1]);
    assertEquals(r.methods.map((m) => m.name), [...COLORIZE_METHODS]);
    assertEquals(r.perPair.length, 2);
    for (const m of r.methods) {
      assertEquals(m.pairs, 2);
      const per = r.perPair.map((p) => p.methods[m.name]!);
      for (const k of ["pixel_accuracy_fg", "region_accuracy_fg", "pixel_accuracy_with_bg"] as const) {
        assertAlmostEquals(m[k], (per[0][k] + per[1][k]) / 2, 1e-12);
      }
      assertAlmostEquals(m.seconds_per_pair, (per[0].seconds + per[1].seconds) / 2, 1e-12);
      for (const x of per) {
        for (const v of Object.values(x)) assert(v >= 0, JSON.stringify(x));
        assert(x.pixel_accuracy_fg <= 1 && x.region_accuracy_fg <= 1 && x.pixel_accuracy_with_bg <= 1);
      }
    }
    const by = Object.fromEntries(r.methods.map((m) => [m.name, m]));
    // 128-px frames on a 256-px grid: coarse patches, so not the toy pair's 0.9.
    assert(by["oracle (patches)"].pixel_accuracy_with_bg > 0.7, JSON.stringify(by["oracle (patches)"]));
    // All white: the background alone is right, so 0 on the foreground and most pixels counted with it.
    assertEquals([by["all white"].pixel_accuracy_fg, by["all white"].region_accuracy_fg], [0, 0]);
    assert(by["all white"].pixel_accuracy_with_bg > 0.5, JSON.stringify(by["all white"]));
    // Copying in place gets some foreground right (the frames overlap).
    assert(by["copy in place"].pixel_accuracy_fg > 0.1, JSON.stringify(by["copy in place"]));

    // No model: no "ours" rows, and the other rows' scores are the same.
    const noModel = await evaluateColorization(root, pairs);
    assertEquals(noModel.methods.map((m) => m.name), COLORIZE_METHODS.slice(3));
    assertEquals(
      noModel.methods.map((m) => [m.pixel_accuracy_fg, m.region_accuracy_fg, m.pixel_accuracy_with_bg]),
      r.methods.slice(3).map((m) => [m.pixel_accuracy_fg, m.region_accuracy_fg, m.pixel_accuracy_with_bg]),
    );

    // A missing true colour frame is one error naming it, before any pair runs.
    const gt = path.join(root, pairs[1].dir, "gt", `${pairs[1].target}.png`);
    await Deno.remove(gt);
    const e = await assertRejects(() => evaluateColorization(root, pairs), UserError, "gt/");
    assert(e.message.startsWith(gt), e.message);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
