import { assert, assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import {
  finiteMean,
  histogramFor,
  pairPatchMetrics,
  pairSamples,
  PatchAccumulator,
} from "./patch_metrics.ts";
import { averagePrecision, prCurve } from "./pr.ts";
import { topKCounts } from "./topk.ts";

/** A random pair: labels in 0..3 or ignored, sigmoid-like scores higher within a label. */
function randomPair(rng: Rng, n: number) {
  const la = Int32Array.from({ length: n }, () => (rng.bool(0.2) ? -1 : rng.int(0, 4)));
  const lb = Int32Array.from({ length: n }, () => (rng.bool(0.2) ? -1 : rng.int(0, 4)));
  const all = [...la, ...lb], size = 2 * n;
  const s = new Float32Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const same = all[i] >= 0 && all[i] === all[j];
      s[i * size + j] = 1 / (1 + Math.exp(-Math.max(-1, Math.min(1, rng.normal(same ? 0.5 : 0, 0.3)))));
    }
  }
  return { s, la, lb };
}

Deno.test("pairPatchMetrics: a score matrix equal to the ground truth is perfect", () => {
  const la = Int32Array.of(0, 0, 1, -1), lb = Int32Array.of(1, 0, -1, 2), n = 4;
  const all = [...la, ...lb];
  const s = new Float32Array(64);
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 8; j++) {
      s[i * 8 + j] = all[i] >= 0 && all[i] === all[j] ? 0.9 : 0.1;
    }
  }
  const m = pairPatchMetrics(s, n, la, lb);
  for (const k of ["intra_a", "intra_b", "cross"] as const) {
    assertEquals([m[k].ap, m[k].best_f1], k === "intra_b" ? [NaN, NaN] : [1, 1]);
  }
  // b has no two patches of one label: no intra positives, AP undefined.
  assertEquals(m.intra_b.positives, 0);
  assertEquals([m.cross.top1, m.cross.top5, m.cross.queries], [1, 1, 5]); // a0, a1, a2 and b0, b1
  assertEquals(m.cross.threshold, 0.8999999761581421); // float32 0.9
});

Deno.test("PatchAccumulator: pooled curve, per-pair means and top-K aggregation", () => {
  const rng = new Rng(12);
  const acc = new PatchAccumulator(histogramFor("sigmoid"));
  const pooledScores: number[] = [], pooledLabels: number[] = [];
  let hits = 0, queries = 0;
  const aps: number[] = [], top1s: number[] = [];
  for (const n of [16, 25, 9]) {
    const { s, la, lb } = randomPair(rng, n);
    const m = acc.add(s, n, la, lb);
    const x = pairSamples(s, n, la, lb);
    pooledScores.push(...x.cross.scores);
    pooledLabels.push(...x.cross.labels);
    const t = topKCounts(x.crossScore, n, la, lb, [1]);
    hits += t.hits[0];
    queries += t.queries;
    top1s.push(t.hits[0] / t.queries);
    aps.push(averagePrecision(prCurve(x.cross.scores, x.cross.labels)));
    assertEquals(m.cross.ap, aps[aps.length - 1]);
  }
  const sum = acc.summary();
  const exact = averagePrecision(prCurve(Float32Array.from(pooledScores), Uint8Array.from(pooledLabels)));
  assert(Math.abs(sum.cross.ap - exact) < 1e-4, `pooled AP ${sum.cross.ap} vs exact ${exact}`);
  assert(Math.abs(sum.cross.ap - finiteMean(aps)) > 1e-6, "pooled and per-pair mean should differ here");
  assertAlmostEquals(sum.cross.pair_mean.ap, finiteMean(aps), 1e-15);
  assertAlmostEquals(sum.cross.top1, finiteMean(top1s), 1e-15);
  assertAlmostEquals(sum.cross.top1_pooled, hits / queries, 1e-15);
  assertEquals(sum.cross.queries, queries);
  assertEquals(sum.cross.samples, pooledScores.length);
  assertEquals(acc.pairs, 3);
  const curves = acc.curves(51);
  assert(curves.cross.recall.length <= 51 && curves.intra_a.recall.length > 5);
});

Deno.test("finiteMean skips NaN", () => {
  assertEquals(finiteMean([1, NaN, 3]), 2);
  assert(Number.isNaN(finiteMean([NaN])));
});
