import { assert, assertEquals } from "../testing/asserts.ts";
import { PAPER_RESULTS } from "./paper.ts";
import { pct, raw, table1, table2, type TableEntry } from "./tables.ts";

const ours: TableEntry = {
  name: "ours",
  patch: {
    intra_a: { ap: 0.99923, best_f1: 0.5, precision: 0.25, recall: 1 },
    intra_b: { ap: 0.1, best_f1: null, precision: NaN, recall: 0 },
    cross: { ap: 0.98765, best_f1: 0.9, precision: 0.8, recall: 1, top1: 0.85444, top5: 0.91349 },
  },
  region: {
    intra_a: { ari: 0.8305, miou_pg: 0.602, miou_gp: 0.203, cr: 0.3249 },
    intra_b: { ari: 0.5, miou_pg: 0.5, miou_gp: 0.5, cr: 1.375 },
    cross: {
      precision_all: 0.5,
      precision_valid: 0.5992,
      recall: 0.2137,
      valid_matches: 12,
      pred_matches: 14.36,
    },
  },
};

Deno.test("pct and raw: two decimals, dash for missing", () => {
  assertEquals(pct(0.98857), "98.86");
  assertEquals(pct(1), "100.00");
  assertEquals([pct(null), pct(undefined), pct(NaN)], ["–", "–", "–"]);
  assertEquals(raw(0.3249), "0.32");
  assertEquals(raw(1.375), "1.38");
});

Deno.test("table1: the paper's layout, top-K only on the cross row, paper rows appended", () => {
  const md = table1([ours, { name: "baseline", patch: null, region: ours.region }], { paper: ["PBC"] });
  const lines = md.trim().split("\n");
  assertEquals(
    lines[0],
    "| Dataset | Matching type | AP | Best F1 | Precision | Recall | Top-1 Acc. | Top-5 Acc. |",
  );
  assertEquals(lines[2], "| ours | Intra-img (I_a) | 99.92 | 50.00 | 25.00 | 100.00 | – | – |");
  assertEquals(lines[3], "|  | Intra-img (I_b) | 10.00 | – | – | 0.00 | – | – |");
  assertEquals(lines[4], "|  | Cross-img | 98.77 | 90.00 | 80.00 | 100.00 | 85.44 | 91.35 |");
  assertEquals(lines[5], "| PBC (paper) | Intra-img (I_a) | 99.92 | 98.57 | 99.06 | 98.08 | – | – |");
  assertEquals(lines[7], "|  | Cross-img | 98.86 | 95.23 | 96.34 | 94.15 | 85.44 | 91.35 |");
  assert(!md.includes("baseline"), "entries without patch scores have no Table 1 rows");
});

Deno.test("table2: CR raw, region precision/recall only on the cross row; all paper rows", () => {
  const md = table2([ours], { paper: true });
  const lines = md.trim().split("\n");
  assertEquals(
    lines[0],
    "| Dataset | Matching type | ARI | mIoU (P→G) | mIoU (G→P) | CR | Region Precision (all) | Region Precision (valid) | Valid / predicted matches | Region Recall |",
  );
  assertEquals(lines[2], "| ours | Intra-img (I_a) | 83.05 | 60.20 | 20.30 | 0.32 | – | – | – | – |");
  assertEquals(lines[3], "|  | Intra-img (I_b) | 50.00 | 50.00 | 50.00 | 1.38 | – | – | – | – |");
  assertEquals(lines[4], "|  | Cross-img | – | – | – | – | 50.00 | 59.92 | 12.0 / 14.4 | 21.37 |");
  // The paper gives the release's valid-only precision alone.
  assertEquals(lines[10], "|  | Cross-img | – | – | – | – | – | 72.41 | – | 32.93 |"); // ATD
  assertEquals(
    lines[11],
    "| GenAI (paper) | Intra-img (I_a) | 46.82 | 37.07 | 31.59 | 1.04 | – | – | – | – |",
  );
});

Deno.test("paper numbers match the notes (spot checks)", () => {
  assertEquals(pct(PAPER_RESULTS.PBC.patch!.cross.ap), "98.86");
  assertEquals(pct(PAPER_RESULTS.GenAI.patch!.cross.ap), "84.48");
  assertEquals(pct(PAPER_RESULTS.ATD.region!.cross.precision_valid), "72.41");
  assertEquals(pct(PAPER_RESULTS.GenAI.region!.cross.recall), "22.05");
});
