import * as path from "node:path";
import type { PairRef } from "../data/pairs.ts";
import { lineToRgba, type PbcFrame, writeFrame } from "../data/pbc.ts";
import { letterbox } from "../image/letterbox.ts";
import { type LabelMap, newGray } from "../image/types.ts";
import { floodFillPredictor } from "../match/baseline_floodfill.ts";
import type { PairSimilarity } from "../model/similarity.ts";
import { assert, assertAlmostEquals, assertEquals, assertRejects } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { patchLabelsForBox } from "./patch_labels.ts";
import { writeReport } from "./report.ts";
import { evaluateDataset, type Prediction } from "./run.ts";

const W = 48, H = 32;

/**
 * Two rooms side by side, shifted by (dx, dy): outline [5, 31] x [5, 17], wall at x = 21. Interiors: left
 * 15 x 11 = 165 px (segment `left`, label 0), right 9 x 11 = 99 px (segment `right`, label 1). With `split`, the
 * left room's lower six rows are another segment (id 8, label 2) with no stroke between: 75 + 90 px.
 */
function frame(dx: number, dy: number, ids: { left: number; right: number }, split = false) {
  const line = newGray(W, H);
  const seg: LabelMap = { width: W, height: H, data: new Int32Array(W * H).fill(1) };
  for (let y = 5; y <= 17; y++) {
    for (let x = 5; x <= 31; x++) {
      const border = x === 5 || x === 31 || y === 5 || y === 17 || x === 21;
      const p = (y + dy) * W + x + dx;
      if (border) {
        line.data[p] = 0;
        seg.data[p] = 0;
      } else seg.data[p] = x < 21 ? (split && y >= 11 ? 8 : ids.left) : ids.right;
    }
  }
  const labelOfSeg = new Map([[1, -1], [ids.left, 0], [ids.right, 1]]);
  if (split) labelOfSeg.set(8, 2);
  return { line, seg, labelOfSeg };
}

async function makeDataset(): Promise<{ root: string; pairs: PairRef[] }> {
  const root = await Deno.makeTempDir({ prefix: "mm-eval-" });
  const frames = [
    frame(0, 0, { left: 2, right: 3 }),
    frame(2, 1, { left: 4, right: 3 }),
    frame(-1, 2, { left: 2, right: 5 }, true),
  ];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    await writeFrame(root, "c1", `000${i}`, {
      line: lineToRgba(f.line),
      seg: f.seg,
      labelOfSeg: f.labelOfSeg,
    });
  }
  return {
    root,
    pairs: [{ dir: "c1", reference: "0000", target: "0001" }, {
      dir: "c1",
      reference: "0000",
      target: "0002",
    }],
  };
}

/** Ground-truth regions (segment ids on region pixels, 0 elsewhere). */
function gtRegions(f: PbcFrame): LabelMap {
  const data = Int32Array.from(f.seg.data, (id) => (id >= 2 && (f.labelOfSeg!.get(id) ?? -1) >= 0 ? id : 0));
  return { width: f.seg.width, height: f.seg.height, data };
}

/** The oracle: ground-truth regions and matches, and a similarity that is +1 within a label, -1 elsewhere. */
async function perfect({ a, b }: { a: PbcFrame; b: PbcFrame }): Promise<Prediction> {
  const matches = [];
  for (const [sa, la] of a.labelOfSeg!) {
    for (const [sb, lb] of b.labelOfSeg!) {
      if (la >= 0 && la === lb) matches.push({ ref_region: sa, tgt_region: sb, score: 1 });
    }
  }
  const size = 32, patch = 4, grid = size / patch, n = grid * grid;
  const boxA = letterbox(a.line, size).box, boxB = letterbox(b.line, size).box;
  const lab = [
    ...patchLabelsForBox(a.seg, a.labelOfSeg, boxA, patch),
    ...patchLabelsForBox(b.seg, b.labelOfSeg, boxB, patch),
  ];
  const cosine = new Float32Array(4 * n * n);
  for (let i = 0; i < 2 * n; i++) {
    for (let j = 0; j < 2 * n; j++) cosine[i * 2 * n + j] = lab[i] >= 0 && lab[i] === lab[j] ? 1 : -1;
  }
  const sim: PairSimilarity = { grid, n, patch, cosine, boxA, boxB };
  return await Promise.resolve({ sim, regionsA: gtRegions(a), regionsB: gtRegions(b), matches });
}

Deno.test("evaluateDataset: the oracle scores 1 everywhere", async () => {
  const { root, pairs } = await makeDataset();
  try {
    const m = await evaluateDataset(root, pairs, perfect, { progress: "off" });
    assertEquals(m.pairs, 2);
    for (const k of ["intra_a", "intra_b"] as const) {
      const s = m.region[k];
      assertEquals([s.ari, s.miou_pg, s.miou_gp, s.cr], [1, 1, 1, 1]);
      assertEquals(m.patch![k].ap, 1);
      assertEquals(m.patch![k].best_f1, 1);
    }
    assertEquals([m.region.cross.precision_all, m.region.cross.precision_valid, m.region.cross.recall], [
      1,
      1,
      1,
    ]);
    assertEquals([m.patch!.cross.ap, m.patch!.cross.best_f1, m.patch!.cross.top1, m.patch!.cross.top5], [
      1,
      1,
      1,
      1,
    ]);
    assert(m.patch!.cross.samples > 0 && m.patch!.cross.queries > 0);
    assertEquals(m.settings.patch_pairs, 2);
    assertEquals(m.per_pair.length, 2);
    assertEquals(m.pr_curves!.cross.precision[0], 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("evaluateDataset: flood-fill baseline, values worked by hand; report files", async () => {
  const { root, pairs } = await makeDataset();
  try {
    const m = await evaluateDataset(root, pairs, floodFillPredictor(), { progress: "off" });
    assertEquals(m.patch, null);
    assertEquals(m.pr_curves, null);
    // Pair 1: the rooms are the segments: everything 1.
    const p1 = m.per_pair[0].region;
    assertEquals([p1.intra_a.ari, p1.intra_b.ari, p1.intra_b.miou_pg, p1.intra_b.cr], [1, 1, 1, 1]);
    assertEquals([p1.cross.precision_all, p1.cross.precision_valid, p1.cross.recall], [1, 1, 1]);
    // Pair 2: b's left room holds two segments (75 + 90 px) without a stroke between; right room 99 px.
    const p2 = m.per_pair[1].region;
    // adjusted_rand_score([0]*75 + [1]*90 + [2]*99, [0]*165 + [1]*99) = 0.6185475800252368 (scikit-learn 1.2.1)
    assertAlmostEquals(p2.intra_b.ari, 0.6185475800252368, 1e-13);
    assertAlmostEquals(p2.intra_b.miou_pg, (90 / 165 + 1) / 2, 1e-15);
    assertAlmostEquals(p2.intra_b.miou_gp, (75 / 165 + 90 / 165 + 1) / 3, 1e-15);
    assertAlmostEquals(p2.intra_b.cr, 2 / 3, 1e-15);
    // Left room of b is 90/165 pure: unmapped. The right-right match is valid and correct: P 1. Groups: labels
    // 0 and 1 (label 2 exists only in b): R 1/2.
    assertEquals([p2.cross.precision_valid, p2.cross.recall], [1, 0.5]);
    // Over all predicted matches: the left-left match (on b's impure room) counts against it: 1 of 2.
    assertEquals([p2.cross.precision_all, p2.cross.sets.ab.pred_matches], [0.5, 2]);
    assertEquals(p2.cross.sets.ab.valid_matches, 1);
    // Dataset means over the two pairs.
    assertAlmostEquals(m.region.intra_b.ari, (1 + 0.6185475800252368) / 2, 1e-13);
    assertEquals(m.region.intra_a.ari, 1);
    assertAlmostEquals(m.region.cross.recall, 0.75, 1e-15);
    // Pooled: 2 + 1 correct of 2 + 1 valid; 2 + 1 covered of 2 + 2 groups.
    assertEquals(m.region.cross.precision_pooled, 1);
    assertEquals(m.region.cross.recall_pooled, 0.75);

    const out = path.join(root, "eval");
    const files = await writeReport(out, m, { name: "flood fill", paper: ["PBC"] });
    assertEquals(files.map((f) => path.basename(f)), ["metrics.json", "table1.md", "table2.md"]);
    const t2 = await Deno.readTextFile(path.join(out, "table2.md"));
    assert(t2.includes("| flood fill | Intra-img (I_a) | 100.00 | 100.00 | 100.00 | 1.00 | – | – |"), t2);
    assert(t2.includes("| PBC (paper) | Intra-img (I_a) | 83.05 | 60.20 | 20.30 | 0.32 | – | – |"), t2);
    const t1 = await Deno.readTextFile(path.join(out, "table1.md"));
    assert(!t1.includes("flood fill") && t1.includes("| PBC (paper) |"), t1);
    const back = JSON.parse(await Deno.readTextFile(files[0]));
    assertEquals(back.region.cross.recall, 0.75);
    await assertRejects(() => writeReport(out, m), UserError, "already exists");
    await writeReport(out, m, { force: true });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("evaluateDataset: wrong-size predictions and unlabelled frames are refused", async () => {
  const { root, pairs } = await makeDataset();
  try {
    const bad = () =>
      Promise.resolve({
        regionsA: { width: 2, height: 2, data: new Int32Array(4) },
        regionsB: { width: 2, height: 2, data: new Int32Array(4) },
        matches: [],
      });
    await assertRejects(
      () => evaluateDataset(root, pairs, bad, { progress: "off" }),
      RangeError,
      "regionsA of 2x2",
    );
    await Deno.remove(path.join(root, "c1", "json_index", "0001.json"));
    await assertRejects(
      () => evaluateDataset(root, pairs, perfect, { progress: "off" }),
      UserError,
      "no json_index",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
