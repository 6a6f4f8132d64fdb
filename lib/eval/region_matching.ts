/**
 * Cross-image region matching metrics (the paper's Table 2, cross rows), as the official release computes
 * them, without its line-pixel quirk:
 *
 * - mapping: a predicted region maps to the ground-truth segment that wins the vote over its valid pixels
 *   (ties: smallest segment id) when that segment holds >= `purity` (0.8) of the region's valid pixels; a region
 *   with no valid pixel, or less pure, maps to nothing;
 * - a predicted match is valid when both its regions map; it is correct when the two segments correspond (same
 *   label index);
 * - precision, two ways: `precision_all` = correct / all predicted matches (a match on an impure or empty
 *   region counts against it: what "precision over predicted matches" means), and `precision_valid` = correct /
 *   valid predicted matches (the release's figure, which leaves matches on impure regions out; 0 when no match
 *   is valid, as the release); `valid_matches` says how many the second one counts;
 * - recall = covered ground-truth groups / groups, where groups are the connected components of the
 *   ground-truth correspondences and a group is covered when a valid predicted match maps into it on both sides
 *   (0 when the pair has no group, as the release);
 * - per direction: matches carry an optional `direction` ("ab": a's region chose b's, "ba", or "both"); the
 *   a->b set is the matches marked "ab" or "both", the b->a set those marked "ba" or "both", and precision and
 *   recall are the means of the two sets' values (the release's bidirectional average). A list with no
 *   directions is one set, scored once.
 *
 * @module
 */
import type { LabelMap } from "../image/types.ts";
import { contingency } from "./contingency.ts";
import { groundTruthMatches, groupMatches, type GtGroups, regionIds, validMask } from "./gt_regions.ts";

/** A predicted correspondence between region `ref_region` of a and `tgt_region` of b (ids of the region maps). */
export interface RegionMatch {
  ref_region: number;
  tgt_region: number;
  score: number;
  /** Which side chose it; absent: the list is not split by direction. */
  direction?: "ab" | "ba" | "both";
}

/** Default purity threshold (the paper's "purity > 0.8"; the release tests >= 0.8). */
export const DEFAULT_PURITY = 0.8;

/** Where each predicted region lands in the ground truth. */
export interface RegionMapping {
  /** Predicted region id -> ground-truth segment id, for regions at least `purity` pure. */
  segOf: Map<number, number>;
  /** Predicted region id -> purity of its vote winner (regions with a valid pixel). */
  purity: Map<number, number>;
}

/**
 * Maps predicted regions (ids > 0) to ground-truth segments by majority vote over valid pixels with a purity
 * threshold.
 *
 * @example
 * ```ts
 * const { segOf } = mapRegions(regionsA, frameA.seg, validMask(frameA.seg, frameA.labelOfSeg).valid);
 * ```
 */
export function mapRegions(
  pred: LabelMap,
  seg: LabelMap,
  valid: Uint8Array,
  purity = DEFAULT_PURITY,
): RegionMapping {
  if (pred.width !== seg.width || pred.height !== seg.height) {
    throw new RangeError(
      `mapRegions: prediction is ${pred.width}x${pred.height}, ground truth ${seg.width}x${seg.height}`,
    );
  }
  const c = contingency(pred.data, seg.data, valid);
  const bestSeg = new Float64Array(c.rowIds.length).fill(-1), bestN = new Float64Array(c.rowIds.length);
  for (let k = 0; k < c.cellCount.length; k++) {
    const r = c.cellRow[k], s = c.colIds[c.cellCol[k]], n = c.cellCount[k];
    if (n > bestN[r] || (n === bestN[r] && s < bestSeg[r])) {
      bestN[r] = n;
      bestSeg[r] = s;
    }
  }
  const segOf = new Map<number, number>(), pur = new Map<number, number>();
  c.rowIds.forEach((id, r) => {
    if (id <= 0) return;
    const p = bestN[r] / c.rowSums[r];
    pur.set(id, p);
    if (p >= purity) segOf.set(id, bestSeg[r]);
  });
  return { segOf, purity: pur };
}

/** Counts of one direction's match set. */
export interface MatchCounts {
  /** Correct / all predicted matches (0 when there is none). */
  precision_all: number;
  /** Correct / valid predicted matches, both regions pure (the release's "precision"; 0 when none is valid). */
  precision_valid: number;
  recall: number;
  pred_matches: number;
  valid_matches: number;
  correct_matches: number;
  covered_groups: number;
  gt_groups: number;
}

/** Cross-image region scores of one pair. */
export interface MatchScores {
  /** Means over the directions present ({@link MatchCounts}). */
  precision_all: number;
  precision_valid: number;
  recall: number;
  /** Per-direction details (one entry "all" when the list carries no directions). */
  sets: Record<string, MatchCounts>;
}

/** What {@link regionMatchMetrics} needs of each image. */
export interface MatchSide {
  regions: LabelMap;
  seg: LabelMap;
  labelOfSeg: Map<number, number> | null;
  /** The frame's valid mask, when already computed. */
  valid?: { valid: Uint8Array; count: number };
}

/** Scores one set of matches against the mappings and ground truth. */
export function scoreMatchSet(
  matches: readonly RegionMatch[],
  mapA: RegionMapping,
  mapB: RegionMapping,
  labelOfSegA: Map<number, number> | null,
  labelOfSegB: Map<number, number> | null,
  groups: GtGroups,
): MatchCounts {
  let valid = 0, correct = 0;
  const covered = new Set<number>();
  for (const m of matches) {
    const sa = mapA.segOf.get(m.ref_region), sb = mapB.segOf.get(m.tgt_region);
    if (sa === undefined || sb === undefined) continue;
    valid++;
    if (labelOfSegA && labelOfSegB && labelOfSegA.get(sa) === labelOfSegB.get(sb)) correct++;
    const ga = groups.groupOfA.get(sa);
    if (ga !== undefined && ga === groups.groupOfB.get(sb)) covered.add(ga);
  }
  return {
    precision_all: matches.length > 0 ? correct / matches.length : 0,
    precision_valid: valid > 0 ? correct / valid : 0,
    recall: groups.count > 0 ? covered.size / groups.count : 0,
    pred_matches: matches.length,
    valid_matches: valid,
    correct_matches: correct,
    covered_groups: covered.size,
    gt_groups: groups.count,
  };
}

/**
 * Region precision and recall of a pair's predicted matches.
 *
 * @example
 * ```ts
 * const m = regionMatchMetrics(
 *   { regions: regionsA, seg: a.seg, labelOfSeg: a.labelOfSeg },
 *   { regions: regionsB, seg: b.seg, labelOfSeg: b.labelOfSeg },
 *   matches,
 * ); // { precision_all, precision_valid, recall, sets: { ab, ba } }
 * ```
 */
export function regionMatchMetrics(
  a: MatchSide,
  b: MatchSide,
  matches: readonly RegionMatch[],
  opts: { purity?: number } = {},
): MatchScores {
  const purity = opts.purity ?? DEFAULT_PURITY;
  const va = a.valid ?? validMask(a.seg, a.labelOfSeg), vb = b.valid ?? validMask(b.seg, b.labelOfSeg);
  const mapA = mapRegions(a.regions, a.seg, va.valid, purity),
    mapB = mapRegions(b.regions, b.seg, vb.valid, purity);
  const gt = groundTruthMatches(
    regionIds(a.seg, va.valid),
    a.labelOfSeg,
    regionIds(b.seg, vb.valid),
    b.labelOfSeg,
  );
  const groups = groupMatches(gt);
  const directed = matches.some((m) => m.direction !== undefined);
  const sets: Record<string, MatchCounts> = {};
  if (!directed) {
    sets.all = scoreMatchSet(matches, mapA, mapB, a.labelOfSeg, b.labelOfSeg, groups);
  } else {
    const ab = matches.filter((m) => m.direction !== "ba"), ba = matches.filter((m) => m.direction !== "ab");
    sets.ab = scoreMatchSet(ab, mapA, mapB, a.labelOfSeg, b.labelOfSeg, groups);
    sets.ba = scoreMatchSet(ba, mapA, mapB, a.labelOfSeg, b.labelOfSeg, groups);
  }
  const vals = Object.values(sets);
  return {
    precision_all: vals.reduce((s, v) => s + v.precision_all, 0) / vals.length,
    precision_valid: vals.reduce((s, v) => s + v.precision_valid, 0) / vals.length,
    recall: vals.reduce((s, v) => s + v.recall, 0) / vals.length,
    sets,
  };
}
