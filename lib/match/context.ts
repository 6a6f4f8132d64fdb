/**
 * Context propagation: matching the regions that patch similarities cannot see. A region smaller than a patch
 * (an eye, a pupil, a highlight) wins no patch in the majority vote, so eq. 5 gives it no similarity, and the
 * paper leaves it unmatched (its stated limitation). But such a region sits inside or against a larger
 * one (its parent: the eye in the face, the pupil in the eye), and parents are matched. So: a still-unmatched
 * region of a and one of b whose parents correspond are paired when they sit at the same place within their
 * parents and take the same share of them, and each is the other's best such candidate. Repeated a few rounds,
 * so that pupils follow eyes and highlights follow pupils.
 *
 * Parents correspond when they are matched, or when either directional similarity reaches the matching
 * threshold (the paper's "all partners above the threshold"): argmax matching pairs a face with one of the
 * other face's fragments, while the eyes sit in the other fragment.
 *
 * The cost of a candidate pair is `|position difference| / positionScale + |log area-share ratio| / areaScale`,
 * positions being region centroids in parent-bounding-box coordinates (0..1).
 *
 * @module
 */
import { regionAdjacency } from "../regions/adjacency.ts";
import type { RegionMatch } from "./matching.ts";

/** Where each region lies (index = region id). */
export interface RegionGeometry {
  count: number;
  area: Float64Array;
  cx: Float64Array;
  cy: Float64Array;
  x0: Float64Array;
  y0: Float64Array;
  x1: Float64Array;
  y1: Float64Array;
  /** The parent: among the larger neighbours, the one sharing the longest border (0 = none). */
  parent: Int32Array;
}

/**
 * Area, centroid, bounding box and parent of every region of a label map (ids 1..count).
 *
 * @example
 * ```ts
 * const g = regionGeometry(labels, w, h, count);
 * g.parent[eyeId]; // the face
 * ```
 */
export function regionGeometry(
  labels: Int32Array,
  width: number,
  height: number,
  count: number,
): RegionGeometry {
  const area = new Float64Array(count + 1),
    cx = new Float64Array(count + 1),
    cy = new Float64Array(count + 1);
  const x0 = new Float64Array(count + 1).fill(Infinity), y0 = new Float64Array(count + 1).fill(Infinity);
  const x1 = new Float64Array(count + 1).fill(-Infinity), y1 = new Float64Array(count + 1).fill(-Infinity);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = labels[y * width + x];
      if (r <= 0) continue;
      area[r]++;
      cx[r] += x;
      cy[r] += y;
      if (x < x0[r]) x0[r] = x;
      if (x + 1 > x1[r]) x1[r] = x + 1;
      if (y < y0[r]) y0[r] = y;
      if (y + 1 > y1[r]) y1[r] = y + 1;
    }
  }
  for (let r = 1; r <= count; r++) {
    if (area[r] > 0) {
      cx[r] = (cx[r] + 0.5 * area[r]) / area[r];
      cy[r] = (cy[r] + 0.5 * area[r]) / area[r];
    }
  }
  const adj = regionAdjacency(labels, width, height, count, null, 1);
  const parent = new Int32Array(count + 1);
  const bestLen = new Float64Array(count + 1);
  for (let k = 0; k < adj.a.length; k++) {
    const a = adj.a[k], b = adj.b[k], len = adj.length[k];
    const [small, big] = area[a] < area[b] || (area[a] === area[b] && a > b) ? [a, b] : [b, a];
    if (len > bestLen[small]) {
      bestLen[small] = len;
      parent[small] = big;
    }
  }
  return { count, area, cx, cy, x0, y0, x1, y1, parent };
}

/** Options of {@link propagateMatches}. */
export interface ContextOptions {
  /** Position difference (parent-box units) that costs 1. */
  positionScale: number;
  /** Log area-share ratio that costs 1. */
  areaScale: number;
  /** Pairs costing more are not matched. */
  maxCost: number;
  /** Rounds of propagation (depth of nesting reached). */
  rounds: number;
}

/** Defaults (ours). */
export const CONTEXT_DEFAULTS: ContextOptions = {
  positionScale: 0.15, // 15% of the parent's box: a pose change moves parts less than that within their parent
  areaScale: Math.log(2), // half or twice the share of the parent costs 1
  maxCost: 1.5, // both off by ~75% of a scale, or one off by 1.5 scales
  rounds: 3, // face -> eye -> iris -> highlight
};

/**
 * New matches (direction `context`, score = exp(-cost)) between regions left unmatched by `matches`, whose
 * parents are matched to each other. `skipA` / `skipB` (by id, 1 = skip) take no part, e.g. backgrounds.
 */
export function propagateMatches(
  matches: readonly RegionMatch[],
  ga: RegionGeometry,
  gb: RegionGeometry,
  opts: Partial<ContextOptions> & {
    skipA?: Uint8Array;
    skipB?: Uint8Array;
    /** Region similarities (as `matchRegions` takes them) and the threshold at which parents correspond. */
    simAB?: Float32Array;
    simBA?: Float32Array;
    threshold?: number;
  } = {},
): RegionMatch[] {
  const o = { ...CONTEXT_DEFAULTS, ...opts };
  const matchedA = new Uint8Array(ga.count + 1), matchedB = new Uint8Array(gb.count + 1);
  const key = (i: number, j: number) => i * (gb.count + 1) + j;
  const partners = new Map<number, number[]>(); // a's region -> its partners in b
  const pair = (i: number, j: number) => {
    matchedA[i] = matchedB[j] = 1;
    const l = partners.get(i);
    if (l) {
      if (!l.includes(j)) l.push(j);
    } else partners.set(i, [j]);
  };
  for (const m of matches) pair(m.ref_region, m.tgt_region);
  // Parent correspondences beyond the matches: similar enough in either direction (matched flags untouched).
  if (opts.simAB && opts.simBA && opts.threshold !== undefined) {
    const ca1 = ga.count + 1, cb1 = gb.count + 1;
    for (let i = 1; i <= ga.count; i++) {
      if (opts.skipA?.[i] === 1) continue;
      for (let j = 1; j <= gb.count; j++) {
        if (opts.skipB?.[j] === 1) continue;
        if (opts.simAB[i * cb1 + j] >= opts.threshold || opts.simBA[j * ca1 + i] >= opts.threshold) {
          const l = partners.get(i);
          if (!l) partners.set(i, [j]);
          else if (!l.includes(j)) l.push(j);
        }
      }
    }
  }
  // Children of each region.
  const children = (g: RegionGeometry) => {
    const c: number[][] = Array.from({ length: g.count + 1 }, () => []);
    for (let r = 1; r <= g.count; r++) if (g.parent[r] > 0) c[g.parent[r]].push(r);
    return c;
  };
  const ca = children(ga), cb = children(gb);
  const rel = (g: RegionGeometry, r: number) => {
    const p = g.parent[r];
    const w = Math.max(1, g.x1[p] - g.x0[p]), h = Math.max(1, g.y1[p] - g.y0[p]);
    return { u: (g.cx[r] - g.x0[p]) / w, v: (g.cy[r] - g.y0[p]) / h, share: Math.log(g.area[r] / g.area[p]) };
  };
  const out: RegionMatch[] = [];
  let added = 1; // the first round always runs (parents may correspond by similarity alone)
  for (let round = 0; round < o.rounds && added > 0; round++) {
    // Candidates: children of matched parent pairs (only parents matched so far, by any round).
    const cand = new Map<number, { i: number; j: number; cost: number }[]>(); // by i
    const candB = new Map<number, { i: number; j: number; cost: number }[]>();
    const seen = new Set<number>();
    for (let pi = 1; pi <= ga.count; pi++) {
      for (const i of ca[pi]) {
        if (matchedA[i] || opts.skipA?.[i] === 1) continue;
        const ri = rel(ga, i);
        for (const pj of partners.get(pi) ?? []) {
          for (const j of cb[pj]) {
            if (matchedB[j] || opts.skipB?.[j] === 1 || seen.has(key(i, j))) continue;
            seen.add(key(i, j));
            const rj = rel(gb, j);
            const cost = Math.hypot(ri.u - rj.u, ri.v - rj.v) / o.positionScale +
              Math.abs(ri.share - rj.share) / o.areaScale;
            if (cost > o.maxCost) continue;
            const c = { i, j, cost };
            (cand.get(i) ?? cand.set(i, []).get(i)!).push(c);
            (candB.get(j) ?? candB.set(j, []).get(j)!).push(c);
          }
        }
      }
    }
    added = 0;
    const chosen: [number, number, number][] = [];
    for (const [i, list] of cand) {
      const best = list.reduce((x, y) => (y.cost < x.cost || (y.cost === x.cost && y.j < x.j) ? y : x));
      const back = candB.get(best.j)!.reduce((
        x,
        y,
      ) => (y.cost < x.cost || (y.cost === x.cost && y.i < x.i) ? y : x));
      if (back.i !== i) continue;
      chosen.push([i, best.j, best.cost]);
    }
    // Mutual best pairs are disjoint; record them after the round so one round sees one nesting level.
    for (const [i, j, cost] of chosen) {
      pair(i, j);
      added++;
      out.push({
        ref_region: i,
        tgt_region: j,
        score: Math.exp(-cost),
        score_ab: NaN,
        score_ba: NaN,
        direction: "context",
      });
    }
  }
  return out.sort((x, y) => x.ref_region - y.ref_region || x.tgt_region - y.tgt_region);
}
