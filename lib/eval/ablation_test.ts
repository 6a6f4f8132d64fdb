import { lineToRgba, writeFrame } from "../data/pbc.ts";
import type { GrayImage } from "../image/types.ts";
import { oracleSimilarity } from "../match/oracle.ts";
import { type ToyFrame, toyPair } from "../match/toy_pair.ts";
import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import {
  ABLATION_IDS,
  ABLATION_ROWS,
  type AblationResult,
  ablationTable,
  runAblation,
  selectRows,
} from "./ablation.ts";
import type { SimilarityModel } from "./predictors.ts";
import { oracleTokenModel } from "./test_models.ts";

Deno.test("ABLATION_ROWS: every baseline and ablation of issue 5, unique ids, an oracle twin per pipeline knob", () => {
  assertEquals(new Set(ABLATION_IDS).size, ABLATION_IDS.length);
  for (
    const id of [
      "floodfill",
      "paper",
      "lines",
      "hybrid",
      "no-edge-merge",
      "no-watershed",
      "patch32",
      "softmax",
      "m0",
      "auto-labels",
      "budget-exact",
      "oracle",
      "region",
    ]
  ) assert(ABLATION_IDS.includes(id), id);
  // Every paper-pipeline knob has an oracle twin; the region matcher's rows (its default first) change one knob
  // of its own each.
  const regionRows = ABLATION_ROWS.filter((r) => r.match?.matcher === "region");
  assertEquals(regionRows.map((r) => r.id), [
    "region",
    "region-lines",
    "region-no-align",
    "region-no-warp",
    "region-no-neighbour",
    "region-no-structure",
  ]);
  for (const r of regionRows) assertEquals(r.source, "model");
  assertEquals(regionRows[0].match, { matcher: "region" });
  assertEquals(regionRows[2].match, { regionMatcher: { alignRounds: 0 }, matcher: "region" });
  const model = ABLATION_ROWS.filter((r) => r.source === "model" && r.match?.matcher !== "region");
  for (const r of model) {
    const twin = ABLATION_ROWS.find((o) => o.id === (r.id === "paper" ? "oracle" : `oracle-${r.id}`));
    assert(twin && twin.source === "oracle", r.id);
    assertEquals(
      JSON.stringify([twin.match, twin.score, twin.patchFactor]),
      JSON.stringify([r.match, r.score, r.patchFactor]),
    );
  }
  const byId = Object.fromEntries(ABLATION_ROWS.map((r) => [r.id, r]));
  assertEquals(byId["no-edge-merge"].match, { edgeAwareMerge: false });
  assertEquals(byId["no-watershed"].match, { watershed: false });
  assertEquals(byId["patch32"].patchFactor, 2);
  assertEquals(byId["softmax"].score, "softmax");
  assertEquals([byId["m0"].source, byId["auto-labels"].source, byId["floodfill"].source], [
    "m0",
    "auto",
    "none",
  ]);
});

Deno.test("selectRows: table order, all when empty, unknown ids name the known ones", () => {
  assertEquals(selectRows("oracle, floodfill").map((r) => r.id), ["floodfill", "oracle"]);
  assertEquals(selectRows("").length, ABLATION_ROWS.length);
  assertThrows(
    () => selectRows("paper,nope"),
    UserError,
    "unknown row(s) nope (known: floodfill, region, region-lines,",
  );
});

/** A frame's key for the stand-in model: the sum of its line pixels. */
const keyOf = (g: GrayImage) => g.data.reduce((s, v) => s + v, 0);

/** A stand-in "model" that answers with the oracle's similarity on the same grid (it knows the frames). */
function oracleModel(frames: ToyFrame[], inputSize: number, patch: number): SimilarityModel {
  const byKey = new Map(frames.map((f) => [keyOf(f.line), f]));
  return {
    config: { inputSize, patch },
    similarity: (a, b) =>
      Promise.resolve(
        oracleSimilarity(byKey.get(keyOf(a))!, byKey.get(keyOf(b))!, { size: inputSize, patch }),
      ),
  };
}

Deno.test("runAblation: model rows through modelSource equal the oracle rows when the model is the oracle; missing models skip", async () => {
  const root = await Deno.makeTempDir({ prefix: "mm-abl-" });
  try {
    const { a, b } = toyPair(128, 4);
    for (const [name, f] of [["0000", a], ["0001", b]] as const) {
      await writeFrame(root, "toy", name, { line: lineToRgba(f.line), seg: f.seg, labelOfSeg: f.labelOfSeg });
    }
    const pairs = [{ dir: "toy", reference: "0000", target: "0001" }];
    const seen: string[] = [];
    const res = await runAblation(
      root,
      pairs,
      selectRows("floodfill,paper,lines,oracle,oracle-lines,m0,budget-exact"),
      { model: oracleModel([a, b], 128, 16), exact: oracleModel([a, b], 128, 16) },
      { oracleInputSize: 128, oraclePatch: 16, progress: "off", onRow: (r) => seen.push(r.id) },
    );
    assertEquals(seen, ["floodfill", "paper", "lines", "m0", "budget-exact", "oracle", "oracle-lines"]);
    const by = Object.fromEntries(res.map((r) => [r.id, r]));
    assertEquals(by.paper.patch, by.oracle.patch);
    assertEquals(by.paper.region, by.oracle.region);
    assertEquals(by.lines.region, by["oracle-lines"].region);
    assertEquals(by.paper.patch!.ap, 1);
    assertEquals(by.floodfill.patch, null);
    assert(by.floodfill.region!.ari > 0.5);
    assertEquals([by.m0.status, by.m0.pairs, by.m0.region], ["skipped", 0, null]);
    assert(by.m0.note!.includes("--weights-m0"));
    // The equal-budget baseline runs the paper's pipeline on its own model (here the same similarities).
    assertEquals(by["budget-exact"].region, by.paper.region);
    // Region columns are the means of the two images.
    for (const r of res.filter((r) => r.status === "ok")) {
      assert(r.region!.ari >= -1 && r.region!.ari <= 1 && r.region!.cr > 0, r.id);
      assertEquals(r.pairs, 1);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("ablationTable: percentages, raw CR, dashes for no similarity, skipped rows keep their place", () => {
  const region = {
    ari: 0.5,
    miou_pg: 0.25,
    miou_gp: 0.125,
    cr: 0.4,
    precision_all: 0.6,
    precision_valid: 0.75,
    valid_matches: 8,
    pred_matches: 10,
    recall: 0.2,
    pred_regions: 10,
    gt_regions: 25,
  };
  const rows: AblationResult[] = [
    {
      id: "floodfill",
      label: "Flood fill",
      change: "baseline",
      source: "none",
      status: "ok",
      pairs: 4,
      seconds: 2,
      patch: null,
      region,
      pr_cross: null,
    },
    {
      id: "paper",
      label: "Ours",
      change: "a|b",
      source: "model",
      status: "ok",
      pairs: 4,
      seconds: 1,
      patch: { ap: 0.98765, best_f1: 0.9, precision: 0.9, recall: 0.9, top1: 0.5, top5: 0.75, intra_ap: 1 },
      region,
      pr_cross: null,
    },
    {
      id: "m0",
      label: "M=0",
      change: "no cross",
      source: "m0",
      status: "skipped",
      note: "needs --weights-m0",
      pairs: 0,
      seconds: 0,
      patch: null,
      region: null,
      pr_cross: null,
    },
  ];
  const md = ablationTable(rows, { caption: "cap" }).split("\n");
  assertEquals(
    md[2],
    "| Flood fill | baseline | – | – | – | 50.00 | 25.00 | 12.50 | 0.40 | 60.00 | 75.00 | 8.0 / 10.0 | 20.00 | 0.50 |",
  );
  assertEquals(
    md[3],
    "| Ours | a\\|b | 98.77 | 90.00 | 50.00 | 50.00 | 25.00 | 12.50 | 0.40 | 60.00 | 75.00 | 8.0 / 10.0 | 20.00 | 0.25 |",
  );
  assertEquals(
    md[4],
    "| M=0 | no cross — skipped: needs --weights-m0 | – | – | – | – | – | – | – | – | – | – | – | – |",
  );
  assertEquals(md.slice(5), ["", "cap", ""]);
});

Deno.test("runAblation: the region matcher's rows run on the model's tokens, scores in [0, 1]; it beats the paper's row on exact tokens", async () => {
  const root = await Deno.makeTempDir({ prefix: "mm-abl-rm-" });
  try {
    const { a, b } = toyPair(256, 4);
    for (const [name, f] of [["0000", a], ["0001", b]] as const) {
      await writeFrame(root, "toy", name, { line: lineToRgba(f.line), seg: f.seg, labelOfSeg: f.labelOfSeg });
    }
    const pairs = [{ dir: "toy", reference: "0000", target: "0001" }];
    const model = oracleTokenModel([a, b], 256, 16);
    const rows = selectRows("paper,region,region-lines,region-no-align,region-no-neighbour");
    const res = await runAblation(root, pairs, rows, { model }, {
      oracleInputSize: 256,
      oraclePatch: 16,
      progress: "off",
    });
    assertEquals(res.map((r) => [r.id, r.status]), rows.map((r) => [r.id, "ok"]));
    // One forward per pair for every region row (the cache), one for the paper row's similarity.
    assertEquals(model.calls, 2);
    const by = Object.fromEntries(res.map((r) => [r.id, r]));
    for (const r of res) {
      const g = r.region!;
      for (const v of [g.ari, g.miou_pg, g.miou_gp, g.precision_all, g.precision_valid, g.recall]) {
        assert(v >= 0 && v <= 1, `${r.id}: ${JSON.stringify(g)}`);
      }
      // The same similarity: the patch columns agree.
      assertEquals(r.patch!.ap, by.paper.patch!.ap, r.id);
    }
    // The toy pair's parts are closed outlines: stroke regions are its segments.
    assert(by.region.region!.ari > 0.9, JSON.stringify(by.region.region));
    assert(
      by.region.region!.recall > by.paper.region!.recall,
      `region ${by.region.region!.recall} vs paper ${by.paper.region!.recall}`,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
