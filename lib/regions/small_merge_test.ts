import { assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { PairTable, percentile, regionAdjacency } from "./adjacency.ts";
import { labelSizes, relabelSequential } from "./relabel.ts";
import { mergeSmallRegions, SMALL_MERGE_DEFAULTS, type SmallMergeOptions } from "./small_merge.ts";
import { UnionFind } from "./union_find.ts";

Deno.test("percentile interpolates like numpy", () => {
  assertAlmostEquals(percentile([1, 2, 3, 4], 85), 3.55, 1e-12);
  assertAlmostEquals(percentile([5], 85), 5, 0);
  assertEquals(percentile([], 50), 0);
});

Deno.test("regionAdjacency counts contact and mean edge", () => {
  // 1 1 2
  // 1 3 2
  const lab = Int32Array.of(1, 1, 2, 1, 3, 2);
  const edge = Float32Array.of(0, 0.2, 0.4, 0, 1, 0.6);
  const adj = regionAdjacency(lab, 3, 2, 3, edge, 1);
  const get = (a: number, b: number) => {
    for (let k = 0; k < adj.a.length; k++) {
      if (adj.a[k] === a && adj.b[k] === b) return [adj.length[k], adj.meanEdge[k]];
    }
    return null;
  };
  assertEquals(get(1, 2)![0], 1); // (1,0)-(2,0)
  assertAlmostEquals(get(1, 2)![1], 0.3, 1e-7);
  assertEquals(get(1, 3)![0], 2); // (0,1)-(1,1) and (1,0)-(1,1)
  assertAlmostEquals(get(1, 3)![1], (0.5 + 0.6) / 2, 1e-7);
  assertEquals(get(2, 3)![0], 1);
  assertAlmostEquals(get(2, 3)![1], 0.8, 1e-7);
});

Deno.test("a small region joins the neighbour with the best contact * (1 - edge)", () => {
  // 10x10: left half region 1, right half region 2, a 2x3 region 3 straddling, touching 1 along 3 px
  // (pairs across x=3|4) and 2 along 3 px (x=5|6). Edge is high on the 3|2 border: 3 joins 1.
  const W = 10, H = 10;
  const lab = new Int32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) lab[y * W + x] = x < 5 ? 1 : 2;
  for (let y = 4; y < 7; y++) for (let x = 4; x < 6; x++) lab[y * W + x] = 3;
  const edge = new Float32Array(W * H);
  for (let y = 0; y < H; y++) edge[y * W + 6] = 0.8;
  const r = mergeSmallRegions(lab, W, H, edge, { minFraction: 0.07, connectivity: 1 }); // 7 px: region 3 (6 px)
  assertEquals(r.count, 2);
  assertEquals(r.labels[5 * W + 5], r.labels[0]);
  // With the edge on the other side, it joins region 2.
  edge.fill(0);
  for (let y = 0; y < H; y++) edge[y * W + 3] = 0.8;
  const r2 = mergeSmallRegions(lab, W, H, edge, { minFraction: 0.07, connectivity: 1 });
  assertEquals(r2.labels[5 * W + 5], r2.labels[9]);
});

Deno.test("mergeSmallRegions: the gate penalty beats a longer contact across a stroke", () => {
  // Region 3 (a 1x4 strip, 4 px) touches region 1 along 4 px through a strong stroke, region 2 along 1 px
  // with no stroke; the 85th-percentile gate penalises the stroke border tenfold: 4 * 0.1 * 0.1 < 1 * 1.
  const W = 6, H = 4;
  const lab = new Int32Array(W * H).fill(1);
  for (let y = 0; y < 4; y++) lab[y * W + 2] = 3;
  for (let x = 2; x < W; x++) lab[3 * W + x] = 2;
  lab[3 * W + 2] = 3;
  for (let y = 0; y < 3; y++) for (let x = 3; x < W; x++) lab[y * W + x] = 2;
  // 1 1 3 2 2 2 / 1 1 3 2 2 2 / 1 1 3 2 2 2 / 1 1 3 2 2 2 : region 3 is a column, 2 on the right.
  const edge = new Float32Array(W * H);
  for (let y = 0; y < 4; y++) edge[y * W + 1] = edge[y * W + 2] = 0.9; // stroke between 1 and 3
  const r = mergeSmallRegions(lab, W, H, edge, { minFraction: 0.2, connectivity: 1 });
  assertEquals(r.labels[2], r.labels[3]);
});

Deno.test("mergeSmallRegions leaves a single region alone and stops after maxPasses", () => {
  const one = mergeSmallRegions(new Int32Array(9).fill(4), 3, 3, new Float32Array(9));
  assertEquals(one.count, 1);
  assertEquals(Array.from(one.labels), new Array(9).fill(1));
  // A chain 1-2-3-4 of single pixels, all small: with one pass each joins a neighbour but may stay small.
  const lab = Int32Array.of(1, 2, 3, 4);
  const r = mergeSmallRegions(lab, 4, 1, new Float32Array(4), {
    minFraction: 1,
    maxPasses: 1,
    connectivity: 1,
  });
  assertEquals(r.count, 1);
});

// ---- Regression: merging on the contracted region graph against re-measuring the pixels every pass. ----

/** The previous adjacency (a Map of pairs in first-seen order), kept as the reference. */
function referenceAdjacency(
  labels: Int32Array,
  W: number,
  H: number,
  edge: Float32Array | null,
  conn: 1 | 2,
) {
  const index = new Map<string, number>();
  const A: number[] = [], B: number[] = [], L: number[] = [], E: number[] = [];
  const add = (p: number, q: number) => {
    let u = labels[p], v = labels[q];
    if (u === v || u <= 0 || v <= 0) return;
    if (u > v) [u, v] = [v, u];
    let k = index.get(`${u},${v}`);
    if (k === undefined) index.set(`${u},${v}`, k = A.length), A.push(u), B.push(v), L.push(0), E.push(0);
    L[k] += 1;
    if (edge) E[k] += 0.5 * (edge[p] + edge[q]);
  };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      if (x + 1 < W) add(p, p + 1);
      if (y + 1 === H) continue;
      add(p, p + W);
      if (conn === 2) {
        if (x + 1 < W) add(p, p + W + 1);
        if (x > 0) add(p, p + W - 1);
      }
    }
  }
  return { a: A, b: B, length: L, meanEdge: E.map((e, k) => e / L[k]) };
}

/** The previous implementation, kept as the reference: every pass relabels, re-measures sizes and the
 * adjacency from the pixels, merges, and relabels again. */
function referenceMerge(
  labels: Int32Array,
  W: number,
  H: number,
  edge: Float32Array,
  o: SmallMergeOptions,
): { labels: Int32Array; count: number } {
  let cur = relabelSequential(labels);
  const minPx = Math.max(o.minPixels, Math.round(o.minFraction * W * H));
  for (let pass = 0; pass < o.maxPasses; pass++) {
    const count = cur.count;
    const sizes = labelSizes(cur.labels, count);
    const small: number[] = [];
    for (let r = 1; r <= count; r++) if (sizes[r] < minPx) small.push(r);
    if (small.length === 0 || count <= 1) break;
    const ref = referenceAdjacency(cur.labels, W, H, edge, o.connectivity);
    const gate = percentile(ref.meanEdge, o.gatePercentile);
    const adj = { ...ref, items: [] as number[], offsets: new Int32Array(count + 2) };
    const lists: number[][] = Array.from({ length: count + 1 }, () => []);
    ref.a.forEach((u, k) => (lists[u].push(k), lists[ref.b[k]].push(k)));
    for (let r = 1; r <= count; r++) {
      adj.offsets[r + 1] = adj.offsets[r] + lists[r].length, adj.items.push(...lists[r]);
    }
    const uf = new UnionFind(count + 1);
    let changed = false;
    for (const r of small) {
      let best = -1, bestScore = -Infinity;
      for (let t = adj.offsets[r]; t < adj.offsets[r + 1]; t++) {
        const k = adj.items[t];
        const other = adj.a[k] === r ? adj.b[k] : adj.a[k];
        const e = adj.meanEdge[k];
        let score = adj.length[k] * Math.pow(Math.max(0, 1 - e), o.alpha);
        if (e > gate) score *= o.gatePenalty;
        if (score > bestScore || (score === bestScore && other < best)) {
          bestScore = score;
          best = other;
        }
      }
      if (best > 0 && uf.union(r, best)) changed = true;
    }
    if (!changed) break;
    const merged = new Int32Array(cur.labels.length);
    for (let i = 0; i < merged.length; i++) merged[i] = cur.labels[i] > 0 ? uf.find(cur.labels[i]) : 0;
    cur = relabelSequential(merged);
  }
  return cur;
}

Deno.test("mergeSmallRegions equals re-measuring the pixels every pass, on random label maps", () => {
  const rng = new Rng(23);
  for (let t = 0; t < 400; t++) {
    const W = rng.int(1, 25), H = rng.int(1, 25), n = W * H, K = rng.int(1, 30);
    const lab = new Int32Array(n);
    for (let i = 0; i < n; i++) lab[i] = rng.float() < 0.3 ? rng.int(0, K) : i > 0 ? lab[i - 1] : 1;
    for (let i = W; i < n; i++) if (rng.float() < 0.5) lab[i] = lab[i - W];
    const edge = new Float32Array(n).map(() => (rng.float() < 0.3 ? 0 : Math.fround(rng.float())));
    const o: SmallMergeOptions = {
      ...SMALL_MERGE_DEFAULTS,
      minFraction: rng.float() * 0.2,
      connectivity: rng.float() < 0.5 ? 1 : 2,
      maxPasses: rng.int(1, 5),
      gatePercentile: rng.pick([50, 85]),
    };
    const ours = mergeSmallRegions(lab, W, H, edge, o), ref = referenceMerge(lab, W, H, edge, o);
    assertEquals(ours.count, ref.count, `map ${t}: count`);
    assertEquals(Array.from(ours.labels), Array.from(ref.labels), `map ${t}: labels`);
  }
});

Deno.test("regionAdjacency equals the Map-based reference, pair order included", () => {
  const rng = new Rng(29);
  for (let t = 0; t < 200; t++) {
    const W = rng.int(1, 20), H = rng.int(1, 20), n = W * H;
    const lab = new Int32Array(n).map(() => rng.int(0, 12));
    const edge = new Float32Array(n).map(() => Math.fround(rng.float()));
    const conn = rng.float() < 0.5 ? 1 : 2;
    const ours = regionAdjacency(lab, W, H, 12, edge, conn), ref = referenceAdjacency(lab, W, H, edge, conn);
    assertEquals(Array.from(ours.a), ref.a);
    assertEquals(Array.from(ours.b), ref.b);
    assertEquals(Array.from(ours.length), ref.length);
    assertEquals(Array.from(ours.meanEdge), ref.meanEdge);
  }
});

Deno.test("PairTable keeps pairs in first-seen order through growth and rehashing", () => {
  const t = new PairTable(2);
  const pairs: [number, number][] = [];
  for (let i = 1; i <= 300; i++) pairs.push([i, (i * 7) % 301 + 1]);
  for (const [u, v] of pairs) if (u !== v) t.add(v, u, 1, 0.5);
  for (const [u, v] of pairs) if (u !== v) t.add(u, v, 2, 0.25);
  const distinct = new Map<string, number>();
  for (const [u, v] of pairs) {
    if (u === v) continue;
    const key = `${Math.min(u, v)},${Math.max(u, v)}`;
    distinct.set(key, (distinct.get(key) ?? 0) + 1);
  }
  assertEquals(t.size, distinct.size);
  let k = 0;
  for (const [key, times] of distinct) {
    assertEquals(`${t.a[k]},${t.b[k]}`, key);
    assertEquals(t.length[k], 3 * times);
    assertAlmostEquals(t.edgeSum[k], 0.75 * times, 1e-12);
    k++;
  }
});
