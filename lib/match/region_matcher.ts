/**
 * Region-level matching (issue 10), read top to bottom:
 * 1. describe every region of both drawings (`descriptors.ts`): the model's tokens pooled bilinearly inside its
 *    mask, its neighbours' pooled tokens, and its geometry;
 * 2. score every (reference, target) pair: descriptor and neighbourhood cosines minus position, area and shape
 *    differences, or (with a `head`) the learned self + cross attention head's logits (`region_head.ts`);
 * 3. assign globally with a dustbin (`sinkhorn.ts`), so a region may have no counterpart;
 * 4. fit a coarse affine alignment to the confident matches (`alignment.ts`) and score again with the aligned
 *    positions (a few rounds);
 * 5. read the matches off the plan: every target region's best reference region (several target regions may
 *    share one: occlusion splits parts), every reference region's best target region, kept when their
 *    probability reaches the threshold.
 *
 * Options follow LightGlue's `default_conf`: {@link MATCHER_DEFAULTS} merged with what the caller passes.
 * Background regions (paper outside the figure) take no part: the caller paints them with the reference's
 * background.
 *
 * @module
 */
import type { PairTokens } from "../model/similarity.ts";
import { type Adjacency, regionAdjacency } from "../regions/adjacency.ts";
import {
  type AlignmentFit,
  type AlignmentOptions,
  applyAffine,
  fitAffineRansac,
  localWarp,
  type LocalWarpOptions,
  type PointPair,
} from "./alignment.ts";
import {
  descriptorCosine,
  neighbourDescriptors,
  poolRegionTokens,
  type RegionGeometryFeatures,
  regionGeometryFeatures,
  type RegionSet,
} from "./descriptors.ts";
import type { RegionMatch } from "./matching.ts";
import { headScores, type RegionHead, regionHeadFeatures } from "./region_head.ts";
import { sinkhorn } from "./sinkhorn.ts";

/** Options of {@link matchRegionSets}. */
export interface RegionMatcherOptions {
  /** Weights of the score terms (score = feature + neighbour cosines - differences). */
  weights: {
    /** Cosine of the pooled token descriptors. */
    feature: number;
    /** Cosine of the neighbourhood descriptors. */
    neighbour: number;
    /** Distance between centroids in drawing-box units (after alignment: between predicted and actual). */
    position: number;
    /** |log area ratio|. */
    area: number;
    /** Mean |log ratio| of the two second-moment spreads. */
    shape: number;
    /**
     * From the second assignment on: the share of a reference region's border whose neighbours the previous
     * plan matched to neighbours of the target region (adjacency consistency, a second-order term).
     */
    structure: number;
    /** The learned head's logits relative to its dustbin (only with `head`), added on the Sinkhorn input scale. */
    head: number;
  };
  /**
   * The learned region head (`region_head.ts`; null: the hand-set score alone). With a head, the weights and
   * dustbin of {@link HEAD_MATCHER_DEFAULTS} replace the hand-set ones unless the caller sets them.
   */
  head: RegionHead | null;
  /** Scores are divided by this before the assignment (lower: sharper). */
  temperature: number;
  /** Dustbin score, on the score scale: a pair must score above it to beat "no counterpart". */
  dustbin: number;
  /** Sinkhorn iterations. */
  iterations: number;
  /** A pair is a match when its plan probability reaches this. */
  threshold: number;
  /** Alignment rounds after the first assignment (0: no alignment). */
  alignRounds: number;
  /** Matches used to fit the alignment: mutual best with probability at least this. */
  alignMinProbability: number;
  alignment: Partial<AlignmentOptions>;
  /** Refine the affine alignment with a smooth residual field from the confident matches (non-rigid poses). */
  localWarp: boolean;
  warp: Partial<LocalWarpOptions>;
  /** Pool L2-normalised tokens (each patch's direction) rather than the raw ones. */
  normalizeTokens: boolean;
}

/**
 * Defaults of the hand-set matcher, chosen on the validation splits data/val-clean and data/val-hand (20 pairs
 * each, shipped model small-v1, stroke regions): colour-region accuracy 81.0% / 38.5% and foreground pixel
 * accuracy 94.3% / 72.7% (val-clean / val-hand); the sweeps behind each value are in the comments.
 */
export const MATCHER_DEFAULTS: RegionMatcherOptions = {
  weights: {
    feature: 1, // the learned descriptor leads
    neighbour: 1.5, // context separates look-alikes (left vs right eye); 0 -> 1.5 took val-clean colour-region
    // accuracy from 57 to 74%
    position: 3, // 0.1 of the drawing off (after alignment) costs 0.3: parts rarely move that far between frames
    area: 0.15, // a 2x area change costs 0.1
    shape: 0.15,
    structure: 0.5, // val-clean colour-region accuracy 79.2 -> 81.0%, val-hand 39.3 -> 38.5% (20 pairs each)
    head: 1, // unused without a head
  },
  head: null, // the hand-set matcher unless a caller passes a head (the CLIs load the default backbone's)
  temperature: 0.05, // sharper than 0.1 (val-clean region accuracy 68 -> 72%); 0.03 no better
  dustbin: 0.6, // a pair needs a combined score above ~0.6 to be preferred over "no counterpart"
  iterations: 30,
  threshold: 0.4, // best match F1 on val-clean among 0.2 / 0.4 / 0.6 (P 77 / R 80); colours do not depend on it
  alignRounds: 2, // the second round refits on the matches the first alignment found (val-clean +1 point)
  alignMinProbability: 0.5,
  alignment: {},
  localWarp: true,
  warp: {},
  normalizeTokens: true,
};

/**
 * What a head changes in {@link MATCHER_DEFAULTS}: its logits replace the hand-set appearance terms (feature,
 * neighbour, area, shape); position after alignment and adjacency consistency stay. Measured on the validation
 * splits (20 pairs each, experiments/region-head-v1): colour-region accuracy 49.6% / 26.1% (val-clean / val-hand)
 * against 81.1% / 46.1% for the hand-set matcher, which is why the tools default to no head.
 */
export const HEAD_MATCHER_DEFAULTS: Partial<RegionMatcherOptions> = {
  weights: { feature: 0, neighbour: 0, area: 0, shape: 0, position: 3, structure: 0.5, head: 1 },
  dustbin: 0, // the head's own learned dustbin decides "no counterpart"
};

/** Merges options over {@link MATCHER_DEFAULTS} (and {@link HEAD_MATCHER_DEFAULTS} when a head is given). */
export function matcherOptions(opts: Partial<RegionMatcherOptions> = {}): RegionMatcherOptions {
  const d: RegionMatcherOptions = opts.head
    ? {
      ...MATCHER_DEFAULTS,
      ...HEAD_MATCHER_DEFAULTS,
      weights: { ...MATCHER_DEFAULTS.weights, ...HEAD_MATCHER_DEFAULTS.weights },
    }
    : MATCHER_DEFAULTS;
  return {
    ...d,
    ...opts,
    weights: { ...d.weights, ...opts.weights },
    alignment: { ...MATCHER_DEFAULTS.alignment, ...opts.alignment },
    warp: { ...MATCHER_DEFAULTS.warp, ...opts.warp },
  };
}

/** What {@link matchRegionSets} returns. */
export interface RegionMatcherResult {
  /** Matches (direction `ba`: the target region chose it, `ab`: the reference region did, `both`). */
  matches: RegionMatch[];
  /** For every target region, the reference region whose colour it takes (0: background or none). */
  colourSource: Int32Array;
  /** Plan probabilities in the pipeline's layout: simAB[i * (countB + 1) + j], simBA[j * (countA + 1) + i]. */
  simAB: Float32Array;
  simBA: Float32Array;
  /** The last alignment (identity when none was fitted). */
  alignment: AlignmentFit;
  /** Milliseconds per stage. */
  timings: Record<string, number>;
}

/** The regions that take part: non-background, non-empty. */
function participants(set: RegionSet, g: RegionGeometryFeatures): number[] {
  const ids: number[] = [];
  for (let r = 1; r <= set.count; r++) if (set.background[r] !== 1 && g.area[r] > 0) ids.push(r);
  return ids;
}

/** One drawing described: pooled tokens, neighbourhood, geometry, adjacency, and the regions that take part. */
export interface DescribedRegions {
  set: RegionSet;
  /** [(count + 1) * dim] pooled token descriptors. */
  desc: Float32Array;
  /** [(count + 1) * dim] neighbourhood descriptors. */
  nbr: Float32Array;
  geom: RegionGeometryFeatures;
  adj: Adjacency;
  /** Participating region ids (non-background, non-empty), in id order. */
  ids: number[];
}

/** Milliseconds per named stage, summed. */
type Lap = (name: string) => void;

/**
 * Describes one drawing's regions from its half of the pair's tokens (`which` 0: reference, 1: target): what the
 * matcher and the region head's training (`lib/train/region_head.ts`) both start from.
 *
 * @example
 * ```ts
 * const d = describeRegions(refSet, tokens, 0);
 * d.ids; // regions that take part
 * ```
 */
export function describeRegions(
  set: RegionSet,
  tokens: PairTokens,
  which: 0 | 1,
  normalizeTokens = MATCHER_DEFAULTS.normalizeTokens,
  lap: Lap = () => {},
): DescribedRegions {
  const { dim, grid, patch } = tokens, N = grid * grid;
  if (tokens.tokens.length !== 2 * N * dim) {
    throw new RangeError(`matchRegionSets: ${tokens.tokens.length} token values for 2 x ${N} x ${dim}`);
  }
  const own = tokens.tokens.subarray(which * N * dim, (which + 1) * N * dim);
  const desc = poolRegionTokens(
    set,
    own,
    dim,
    grid,
    patch,
    which ? tokens.boxB : tokens.boxA,
    normalizeTokens,
  );
  lap("descriptors");
  const geom = regionGeometryFeatures(set);
  lap("geometry");
  const adj = regionAdjacency(set.labels, set.width, set.height, set.count, null, 1);
  const nbr = neighbourDescriptors(set, desc, dim, adj);
  lap("neighbours");
  return { set, desc, nbr, geom, adj, ids: participants(set, geom) };
}

/**
 * Region correspondences between a reference and a target region map, from the model's tokens of the pair.
 *
 * @param tokens `pairTokens` of the two drawings (a = reference, b = target)
 * @example
 * ```ts
 * const t = await model.pairTokens(refLine, tgtLine);
 * const r = matchRegionSets(refRegions, tgtRegions, t);
 * r.colourSource[j]; // reference region that target region j takes its colour from
 * ```
 */
export function matchRegionSets(
  a: RegionSet,
  b: RegionSet,
  tokens: PairTokens,
  opts: Partial<RegionMatcherOptions> = {},
): RegionMatcherResult {
  const o = matcherOptions(opts);
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap: Lap = (name) => {
    const now = performance.now();
    timings[name] = (timings[name] ?? 0) + now - t;
    t = now;
  };
  // 1. Descriptors.
  const da = describeRegions(a, tokens, 0, o.normalizeTokens, lap);
  const db = describeRegions(b, tokens, 1, o.normalizeTokens, lap);
  // 2. Pair scores without position (hand-set terms, the learned head's).
  const base = baseScores(da, db, tokens.dim, o, lap);
  // 3-4. Assign, align, repeat.
  const { P, alignment } = assignAndAlign(da, db, base, o, lap);
  // 5. Matches and colour sources.
  const out = readout(da, db, P, o.threshold);
  lap("readout");
  return { ...out, alignment, timings };
}

/**
 * Everything but position, on the Sinkhorn input's scale ([m * n], participants only): the hand-set terms
 * (feature and neighbour cosines minus area and shape differences, minus the dustbin score, over the
 * temperature) plus the head's logits relative to its dustbin, times `weights.head`.
 */
function baseScores(
  da: DescribedRegions,
  db: DescribedRegions,
  dim: number,
  o: RegionMatcherOptions,
  lap: Lap,
): Float64Array {
  const ia = da.ids, ib = db.ids, m = ia.length, n = ib.length, cb = db.set.count + 1;
  const w = o.weights, ga = da.geom, gb = db.geom;
  const hand = w.feature !== 0 || w.neighbour !== 0;
  const cosF = hand ? descriptorCosine(da.desc, da.set.count, db.desc, db.set.count, dim) : null;
  const cosN = hand ? descriptorCosine(da.nbr, da.set.count, db.nbr, db.set.count, dim) : null;
  lap("cosines");
  const base = new Float64Array(m * n);
  for (let p = 0; p < m; p++) {
    const i = ia[p];
    for (let q = 0; q < n; q++) {
      const j = ib[q];
      const s = (cosF ? w.feature * cosF[i * cb + j] + w.neighbour * cosN![i * cb + j] : 0) -
        w.area * Math.abs(ga.logArea[i] - gb.logArea[j]) -
        w.shape * 0.5 *
          (Math.abs(Math.log(ga.major[i] / gb.major[j])) + Math.abs(Math.log(ga.minor[i] / gb.minor[j])));
      base[p * n + q] = (s - o.dustbin) / o.temperature;
    }
  }
  lap("scores");
  if (o.head && w.head !== 0 && m > 0 && n > 0) {
    const c = o.head.config;
    const xa = regionHeadFeatures(ia, da.desc, da.nbr, ga, c),
      xb = regionHeadFeatures(ib, db.desc, db.nbr, gb, c);
    const h = headScores(o.head, xa, m, xb, n);
    for (let k = 0; k < m * n; k++) base[k] += w.head * (h.scores[k] - h.dustbin);
    lap("head");
  }
  return base;
}

/** Sinkhorn on base scores plus position (and adjacency support), refitting the alignment between rounds. */
function assignAndAlign(
  da: DescribedRegions,
  db: DescribedRegions,
  base: Float64Array,
  o: RegionMatcherOptions,
  lap: Lap,
): { P: Float64Array; alignment: AlignmentFit } {
  const ia = da.ids, ib = db.ids, m = ia.length, n = ib.length, ga = da.geom, gb = db.geom, w = o.weights;
  let alignment: AlignmentFit = {
    transform: [1, 0, 0, 0, 1, 0],
    inliers: new Uint8Array(0),
    support: 0,
    fitted: false,
  };
  let P = new Float64Array((m + 1) * (n + 1));
  const S = new Float64Array(m * n);
  let predict = (x: number, y: number) => applyAffine(alignment.transform, x, y);
  let support: Float64Array | null = null;
  const posW = w.position / o.temperature, strW = w.structure / o.temperature;
  for (let round = 0; round <= o.alignRounds; round++) {
    for (let q = 0; q < n; q++) {
      const j = ib[q];
      const [u, v] = predict(gb.cx[j], gb.cy[j]);
      for (let p = 0; p < m; p++) {
        const i = ia[p];
        S[p * n + q] = base[p * n + q] - posW * Math.hypot(ga.cx[i] - u, ga.cy[i] - v) +
          (support ? strW * support[p * n + q] : 0);
      }
    }
    lap("scores");
    P = m > 0 && n > 0 ? sinkhorn(S, m, n, { alpha: 0, iterations: o.iterations }) : P;
    lap("sinkhorn");
    if (round === o.alignRounds || m === 0 || n === 0) break;
    if (w.structure !== 0) {
      support = structureSupport(P, ia, ib, da.adj, db.adj);
      lap("structure");
    }
    // Confident mutual matches fix the alignment (target box coords -> reference box coords).
    const pairs: PointPair[] = [];
    const { rowBest, colBest } = bests(P, m, n);
    for (let p = 0; p < m; p++) {
      const q = rowBest[p];
      if (q < 0 || colBest[q] !== p || P[p * (n + 1) + q] < o.alignMinProbability) continue;
      const i = ia[p], j = ib[q];
      pairs.push({
        x: gb.cx[j],
        y: gb.cy[j],
        u: ga.cx[i],
        v: ga.cy[i],
        w: Math.sqrt(ga.area[i] * gb.area[j]),
      });
    }
    const fit = fitAffineRansac(pairs, o.alignment);
    lap("alignment");
    if (!fit.fitted) break;
    alignment = fit;
    const tr = fit.transform;
    predict = o.localWarp ? localWarp(pairs, tr, o.warp) : (x, y) => applyAffine(tr, x, y);
    lap("alignment");
  }
  return { P, alignment };
}

/** Matches (probability at least `threshold`, both directions) and every target region's colour source. */
function readout(
  da: DescribedRegions,
  db: DescribedRegions,
  P: Float64Array,
  threshold: number,
): Omit<RegionMatcherResult, "alignment" | "timings"> {
  const ia = da.ids, ib = db.ids, m = ia.length, n = ib.length;
  const { rowBest, colBest } = bests(P, m, n);
  const ca = da.set.count + 1, cb = db.set.count + 1;
  const simAB = new Float32Array(ca * cb).fill(NaN), simBA = new Float32Array(cb * ca).fill(NaN);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < n; q++) {
      const v = P[p * (n + 1) + q];
      simAB[ia[p] * cb + ib[q]] = v;
      simBA[ib[q] * ca + ia[p]] = v;
    }
  }
  const found = new Map<number, RegionMatch>();
  const add = (p: number, q: number, dir: "ab" | "ba") => {
    const i = ia[p], j = ib[q], key = i * cb + j, v = P[p * (n + 1) + q];
    const prev = found.get(key);
    if (prev) {
      if (prev.direction !== dir) prev.direction = "both";
      return;
    }
    found.set(key, { ref_region: i, tgt_region: j, score: v, score_ab: v, score_ba: v, direction: dir });
  };
  for (let p = 0; p < m; p++) {
    const q = rowBest[p];
    if (q >= 0 && P[p * (n + 1) + q] >= threshold) add(p, q, "ab");
  }
  const colourSource = new Int32Array(db.set.count + 1);
  for (let q = 0; q < n; q++) {
    const p = colBest[q];
    if (p < 0) continue;
    colourSource[ib[q]] = ia[p];
    if (P[p * (n + 1) + q] >= threshold) add(p, q, "ba");
  }
  const matches = [...found.values()].sort((x, y) =>
    x.ref_region - y.ref_region || x.tgt_region - y.tgt_region
  );
  return { matches, colourSource, simAB, simBA };
}

/**
 * For every participating pair (p, q): the border-length share of reference region ia[p]'s neighbours k for
 * which max over target region ib[q]'s neighbours l of P(k, l) is high (the sum of those maxima, weighted by
 * border length, over the total border length).
 */
function structureSupport(
  P: Float64Array,
  ia: readonly number[],
  ib: readonly number[],
  adjA: Adjacency,
  adjB: Adjacency,
): Float64Array {
  const m = ia.length, n = ib.length;
  const pOf = new Map(ia.map((r, p) => [r, p])), qOf = new Map(ib.map((r, q) => [r, q]));
  const nbrs = (adj: Adjacency, r: number, idx: Map<number, number>) => {
    const out: { k: number; w: number }[] = [];
    for (let e = adj.offsets[r]; e < adj.offsets[r + 1]; e++) {
      const pair = adj.items[e], other = adj.a[pair] === r ? adj.b[pair] : adj.a[pair];
      const k = idx.get(other);
      if (k !== undefined) out.push({ k, w: adj.length[pair] });
    }
    return out;
  };
  const NA = ia.map((r) => nbrs(adjA, r, pOf)), NB = ib.map((r) => nbrs(adjB, r, qOf));
  const out = new Float64Array(m * n);
  for (let p = 0; p < m; p++) {
    const na = NA[p];
    const tot = na.reduce((s, x) => s + x.w, 0);
    if (tot === 0) continue;
    for (let q = 0; q < n; q++) {
      const nb = NB[q];
      if (nb.length === 0) continue;
      let s = 0;
      for (const { k, w } of na) {
        let best = 0;
        for (const { k: l } of nb) best = Math.max(best, P[k * (n + 1) + l]);
        s += w * best;
      }
      out[p * n + q] = s / tot;
    }
  }
  return out;
}

/** Best column of each row and best row of each column of the plan's real part (-1: none). */
function bests(P: Float64Array, m: number, n: number): { rowBest: Int32Array; colBest: Int32Array } {
  const rowBest = new Int32Array(m).fill(-1), colBest = new Int32Array(n).fill(-1);
  const colV = new Float64Array(n).fill(-1);
  for (let p = 0; p < m; p++) {
    let bv = -1;
    for (let q = 0; q < n; q++) {
      const v = P[p * (n + 1) + q];
      if (v > bv) {
        bv = v;
        rowBest[p] = q;
      }
      if (v > colV[q]) {
        colV[q] = v;
        colBest[q] = p;
      }
    }
  }
  return { rowBest, colBest };
}
