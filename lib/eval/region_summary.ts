/**
 * Dataset-level region metrics: per-image segmentation scores and per-pair matching scores, averaged over
 * images / pairs (the official release's aggregation; the tables use these means), with the matching counts
 * pooled beside (correct / valid and covered / groups over the whole dataset, per direction then averaged).
 *
 * @module
 */
import { finiteMean } from "./patch_metrics.ts";
import type { MatchCounts, MatchScores } from "./region_matching.ts";
import type { SegmentationScores } from "./segmentation.ts";

/** Dataset-level intra-image region scores of one side (a or b). */
export interface SegmentationSummary {
  ari: number;
  miou_pg: number;
  miou_gp: number;
  cr: number;
  /** Images with at least one valid pixel (those averaged). */
  images: number;
  /** Mean predicted and ground-truth region counts per image. */
  pred_regions: number;
  gt_regions: number;
}

/** Dataset-level cross-image region scores. */
export interface MatchSummary {
  /** Means over pairs of the per-pair values: correct / all predicted matches, and / valid ones (the release's). */
  precision_all: number;
  precision_valid: number;
  recall: number;
  /** Pooled over pairs: sum correct / sum valid (valid-only) and sum covered / sum groups, per direction, then averaged. */
  precision_pooled: number;
  recall_pooled: number;
  /** Mean per pair over directions. */
  pred_matches: number;
  valid_matches: number;
  gt_groups: number;
}

/**
 * Accumulates region metrics.
 *
 * @example
 * ```ts
 * const acc = new RegionAccumulator();
 * acc.add(segA, segB, match);
 * const { intra_a, intra_b, cross } = acc.summary();
 * ```
 */
export class RegionAccumulator {
  readonly a: SegmentationScores[] = [];
  readonly b: SegmentationScores[] = [];
  readonly cross: MatchScores[] = [];

  /** Adds one pair's scores. */
  add(a: SegmentationScores, b: SegmentationScores, cross: MatchScores): void {
    this.a.push(a);
    this.b.push(b);
    this.cross.push(cross);
  }

  /** Dataset-level scores. */
  summary(): { intra_a: SegmentationSummary; intra_b: SegmentationSummary; cross: MatchSummary } {
    const seg = (list: SegmentationScores[]): SegmentationSummary => {
      const ok = list.filter((s) => s.valid_pixels > 0);
      return {
        ari: finiteMean(ok.map((s) => s.ari)),
        miou_pg: finiteMean(ok.map((s) => s.miou_pg)),
        miou_gp: finiteMean(ok.map((s) => s.miou_gp)),
        cr: finiteMean(ok.map((s) => s.cr)),
        images: ok.length,
        pred_regions: finiteMean(ok.map((s) => s.pred_regions)),
        gt_regions: finiteMean(ok.map((s) => s.gt_regions)),
      };
    };
    // Pooled per direction ("all" counts as both).
    const dirs = new Map<string, { correct: number; valid: number; covered: number; groups: number }>();
    const mean = (sets: MatchCounts[], f: (m: MatchCounts) => number) =>
      sets.reduce((s, m) => s + f(m), 0) / sets.length;
    for (const m of this.cross) {
      for (const [k, c] of Object.entries(m.sets)) {
        const d = dirs.get(k) ?? { correct: 0, valid: 0, covered: 0, groups: 0 };
        d.correct += c.correct_matches;
        d.valid += c.valid_matches;
        d.covered += c.covered_groups;
        d.groups += c.gt_groups;
        dirs.set(k, d);
      }
    }
    const pooled = [...dirs.values()];
    return {
      intra_a: seg(this.a),
      intra_b: seg(this.b),
      cross: {
        precision_all: finiteMean(this.cross.map((m) => m.precision_all)),
        precision_valid: finiteMean(this.cross.map((m) => m.precision_valid)),
        recall: finiteMean(this.cross.map((m) => m.recall)),
        precision_pooled: finiteMean(pooled.map((d) => (d.valid > 0 ? d.correct / d.valid : 0))),
        recall_pooled: finiteMean(pooled.map((d) => (d.groups > 0 ? d.covered / d.groups : 0))),
        pred_matches: finiteMean(this.cross.map((m) => mean(Object.values(m.sets), (c) => c.pred_matches))),
        valid_matches: finiteMean(this.cross.map((m) => mean(Object.values(m.sets), (c) => c.valid_matches))),
        gt_groups: finiteMean(this.cross.map((m) => mean(Object.values(m.sets), (c) => c.gt_groups))),
      },
    };
  }
}
