/**
 * Threshold matching of regions in both directions (the paper's "threshold-based greedy matching"): every
 * region of a proposes partners in b from s(a -> b), every region of b proposes partners in a from
 * s(b -> a), and the answer is the union of the two proposal sets.
 *
 * Two rules for what a region proposes:
 * - `argmax` (the official release, our default): its single best partner, if that reaches the threshold.
 *   One region then proposes at most one partner, which keeps matches as precise as the paper reports.
 * - `all` (the paper's text): every partner at or above the threshold.
 *
 * @module
 */

/** One region correspondence (ids are the label-map ids; extra fields beyond the release's three). */
export interface RegionMatch {
  ref_region: number;
  tgt_region: number;
  /** The best score among the directions that proposed this pair. */
  score: number;
  /** s(ref -> tgt) and s(tgt -> ref). */
  score_ab: number;
  score_ba: number;
  /** Which direction(s) proposed it; `context` for matches made by context propagation (`context.ts`). */
  direction: "ab" | "ba" | "both" | "context";
}

/** Options of {@link matchRegions}. */
export interface MatchingOptions {
  /** Minimum directional similarity (sigmoid scale). */
  threshold: number;
  /** What one region proposes. */
  rule: "argmax" | "all";
}

/** Release defaults. */
export const MATCHING_DEFAULTS: MatchingOptions = {
  threshold: 0.6, // release --match-thresh 0.6
  rule: "argmax", // release: np.argmax per region; the paper's text keeps all above the threshold
};

/**
 * Matches regions given both directional similarity matrices.
 *
 * @param simAB [(countA + 1) * (countB + 1)], s(a_i -> b_j) at i * (countB + 1) + j; NaN = no similarity
 * @param simBA [(countB + 1) * (countA + 1)]
 * @param skipA regions of a that take no part (e.g. background), indexed by id; likewise skipB
 * @example
 * ```ts
 * const matches = matchRegions(simAB, simBA, countA, countB, { threshold: 0.6 });
 * ```
 */
export function matchRegions(
  simAB: Float32Array,
  simBA: Float32Array,
  countA: number,
  countB: number,
  opts: Partial<MatchingOptions> & { skipA?: Uint8Array; skipB?: Uint8Array } = {},
): RegionMatch[] {
  const o = { ...MATCHING_DEFAULTS, ...opts };
  const ca = countA + 1, cb = countB + 1;
  if (simAB.length !== ca * cb || simBA.length !== ca * cb) {
    throw new RangeError(
      `matchRegions: similarity sizes ${simAB.length}, ${simBA.length} for ${countA} x ${countB} regions`,
    );
  }
  const skipA = (i: number) => opts.skipA?.[i] === 1, skipB = (j: number) => opts.skipB?.[j] === 1;
  const found = new Map<number, RegionMatch>();
  const propose = (i: number, j: number, dir: "ab" | "ba") => {
    const key = i * cb + j;
    const ab = simAB[i * cb + j], ba = simBA[j * ca + i];
    const prev = found.get(key);
    if (prev) {
      if (prev.direction !== dir) prev.direction = "both";
      prev.score = Math.max(prev.score, dir === "ab" ? ab : ba);
      return;
    }
    found.set(key, {
      ref_region: i,
      tgt_region: j,
      score: dir === "ab" ? ab : ba,
      score_ab: ab,
      score_ba: ba,
      direction: dir,
    });
  };
  // a -> b
  for (let i = 1; i <= countA; i++) {
    if (skipA(i)) continue;
    let best = -1, bestS = -Infinity;
    for (let j = 1; j <= countB; j++) {
      if (skipB(j)) continue;
      const v = simAB[i * cb + j];
      if (!(v >= o.threshold)) continue; // NaN fails too
      if (o.rule === "all") propose(i, j, "ab");
      else if (v > bestS) {
        bestS = v;
        best = j;
      }
    }
    if (o.rule === "argmax" && best > 0) propose(i, best, "ab");
  }
  // b -> a
  for (let j = 1; j <= countB; j++) {
    if (skipB(j)) continue;
    let best = -1, bestS = -Infinity;
    for (let i = 1; i <= countA; i++) {
      if (skipA(i)) continue;
      const v = simBA[j * ca + i];
      if (!(v >= o.threshold)) continue;
      if (o.rule === "all") propose(i, j, "ba");
      else if (v > bestS) {
        bestS = v;
        best = i;
      }
    }
    if (o.rule === "argmax" && best > 0) propose(best, j, "ba");
  }
  return [...found.values()].sort((x, y) => x.ref_region - y.ref_region || x.tgt_region - y.tgt_region);
}

/**
 * For every region of `to`'s side, its best partner by the reverse similarity, threshold or not (0 when it
 * has no similarity at all): what colourisation falls back on for regions no match covers.
 *
 * @param simToFrom [(countTo + 1) * (countFrom + 1)]
 */
export function bestPartners(
  simToFrom: Float32Array,
  countTo: number,
  countFrom: number,
  skipFrom?: Uint8Array,
): Int32Array {
  const cf = countFrom + 1;
  const out = new Int32Array(countTo + 1);
  for (let j = 1; j <= countTo; j++) {
    let best = 0, bestS = -Infinity;
    for (let i = 1; i <= countFrom; i++) {
      if (skipFrom?.[i] === 1) continue;
      const v = simToFrom[j * cf + i];
      if (v > bestS) {
        bestS = v;
        best = i;
      }
    }
    out[j] = best;
  }
  return out;
}
