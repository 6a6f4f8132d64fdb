/**
 * Automatic annotation of one pair of coloured frames: colour segmentation of each frame, keypoint matches
 * verified by local consistency, 5x5 voting with colour filters (reference -> target, then target -> reference
 * for the target regions still unmatched), a coarse position-and-colour pass for what is left, and pseudo label
 * indices shared by the two frames.
 *
 * @module
 */
import type { GrayImage, LabelMap, RgbaImage, RgbImage } from "../image/types.ts";
import { BACKGROUND_ID, LINE_ID } from "../data/pbc.ts";
import {
  type ColorSegmentation,
  SEGMENT_DEFAULTS,
  segmentColorFrame,
  type SegmentOptions,
} from "./segment.ts";
import { type KeypointOptions, matchKeypoints, type PointMatches } from "./keypoints.ts";
import { selectMatches, verifyLocalConsistency, type VerifyOptions } from "./verify.ts";
import { castVotes, type VoteOptions, winners } from "./vote.ts";
import {
  COARSE_DEFAULTS,
  coarseMatch,
  type CoarseOptions,
  mutualCoarseMatch,
  regionStats,
} from "./coarse.ts";
import { pairLabels } from "./labels.ts";

/** One coloured frame and its line art (same size). */
export interface ColoredFrame {
  color: RgbaImage | RgbImage;
  line: GrayImage;
}

/** Options of {@link annotatePair}. */
export interface AnnotateOptions {
  /** Seed of the colour clustering. */
  seed?: number;
  segment?: SegmentOptions;
  keypoints?: KeypointOptions;
  verify?: VerifyOptions;
  vote?: VoteOptions;
  /** The coarse pass's tolerances, or false to skip it. */
  coarse?: CoarseOptions | false;
  /** Also let unmatched target regions vote for a reference region. */
  reverseVotes?: boolean;
  /** Image the keypoints are found on: the coloured frame with its strokes ("color") or the line art alone. */
  matchOn?: "color" | "line";
}

/** Defaults of {@link AnnotateOptions}. */
export const ANNOTATE_DEFAULTS = {
  seed: 0, // any fixed value
  coarse: {} as CoarseOptions | false, // on, with its own defaults
  reverseVotes: true, // the paper votes one way; the other way recovers target regions no reference point hit
  matchOn: "color" as "color" | "line", // paint edges give ORB corners that bare line art lacks
};

/** How a region correspondence was found. */
export type MatchSource = "votes" | "reverse-votes" | "coarse";

/** A region correspondence of the pair. */
export interface PseudoMatch {
  /** Reference region id. */
  a: number;
  /** Target region id. */
  b: number;
  source: MatchSource;
  /** Winning votes (0 for coarse matches). */
  votes: number;
}

/** Counts describing one annotated pair. */
export interface PairStats {
  segmentsA: number;
  segmentsB: number;
  keypointsA: number;
  keypointsB: number;
  /** Mutual-nearest-neighbour matches, and those kept by the verification. */
  pointMatches: number;
  verifiedMatches: number;
  /** Expanded points, and those that passed the colour filters. */
  votePoints: number;
  votesKept: number;
  byVotes: number;
  byReverseVotes: number;
  byCoarse: number;
  /** Regions (not background) left without a partner, in each frame. */
  unmatchedA: number;
  unmatchedB: number;
  /** Pseudo labels used by the pair. */
  labels: number;
}

/** An annotated pair. */
export interface PairAnnotation {
  a: ColorSegmentation;
  b: ColorSegmentation;
  matches: PseudoMatch[];
  /** Segment id -> pseudo label index (shared across the pair; -1 background). */
  labelsA: Map<number, number>;
  labelsB: Map<number, number>;
  /** Verified point matches. */
  points: PointMatches;
  stats: PairStats;
}

/** Grey image for keypoints: the coloured frame's luma over white, with the line art's strokes drawn on it. */
export function keypointImage(f: ColoredFrame, on: "color" | "line"): GrayImage {
  const { width, height } = f.line;
  const n = width * height;
  if (on === "line") return f.line;
  const c = f.color.data.length / n;
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += c) {
    const a = c === 4 ? f.color.data[j + 3] / 255 : 1;
    const luma = 0.299 * f.color.data[j] + 0.587 * f.color.data[j + 1] + 0.114 * f.color.data[j + 2];
    const v = Math.round(a * luma + (1 - a) * 255);
    out[i] = Math.min(v, f.line.data[i]);
  }
  return { width, height, data: out };
}

/** Pseudo label per pixel (line pixels take the label of the segment they border), -1 for background. */
export function labelMapOf(s: ColorSegmentation, labels: Map<number, number>): LabelMap {
  const d = s.filled.data;
  const out = new Int32Array(d.length);
  for (let p = 0; p < d.length; p++) out[p] = labels.get(d[p]) ?? -1;
  return { width: s.filled.width, height: s.filled.height, data: out };
}

/**
 * Annotates a pair of coloured frames.
 *
 * @example
 * ```ts
 * const ann = await annotatePair({ color: gtA, line: lineA }, { color: gtB, line: lineB }, { seed: 1 });
 * console.log(ann.stats.byVotes, "regions matched by votes");
 * ```
 */
export async function annotatePair(
  fa: ColoredFrame,
  fb: ColoredFrame,
  opts: AnnotateOptions = {},
): Promise<PairAnnotation> {
  const o = { ...ANNOTATE_DEFAULTS, ...opts };
  const segOpts = { ...SEGMENT_DEFAULTS, ...o.segment, seed: o.seed };
  const a = segmentColorFrame(fa.color, fa.line, segOpts);
  const b = segmentColorFrame(fb.color, fb.line, segOpts);

  const raw = await matchKeypoints(keypointImage(fa, o.matchOn), keypointImage(fb, o.matchOn), o.keypoints);
  const side = Math.max(fa.line.width, fa.line.height, fb.line.width, fb.line.height);
  const points = selectMatches(raw, verifyLocalConsistency(raw, { ...o.verify, side }));
  const table = castVotes(points, { seg: a.seg, color: fa.color, colors: a.colors }, {
    seg: b.seg,
    color: fb.color,
    colors: b.colors,
  }, o.vote);

  const matches: PseudoMatch[] = [];
  const matchedA = new Uint8Array(a.count), matchedB = new Uint8Array(b.count);
  const add = (ra: number, rb: number, source: MatchSource, votes: number) => {
    matches.push({ a: ra, b: rb, source, votes });
    matchedA[ra] = 1;
    matchedB[rb] = 1;
  };
  for (const w of winners(table, "a", o.vote)) add(w.from, w.to, "votes", w.votes);
  if (o.reverseVotes) {
    for (const w of winners(table, "b", o.vote)) {
      if (!matchedB[w.from]) add(w.to, w.from, "reverse-votes", w.votes);
    }
  }
  const real = (id: number, s: ColorSegmentation) =>
    id !== LINE_ID && id !== BACKGROUND_ID && s.sizes[id] > 0;
  if (o.coarse !== false) {
    const sa = regionStats(a.seg, a.count), sb = regionStats(b.seg, b.count);
    const leftA: number[] = [], leftB: number[] = [];
    for (let r = 2; r < a.count; r++) if (!matchedA[r] && real(r, a)) leftA.push(r);
    for (let r = 2; r < b.count; r++) if (!matchedB[r] && real(r, b)) leftB.push(r);
    if (o.coarse.mutual ?? COARSE_DEFAULTS.mutual) {
      for (const m of mutualCoarseMatch(leftA, leftB, sa, a.colors, sb, b.colors, o.coarse)) {
        add(m.from, m.to, "coarse", 0);
      }
    } else {
      for (const m of coarseMatch(leftA, sa, a.colors, sb, b.colors, o.coarse)) {
        add(m.from, m.to, "coarse", 0);
      }
      for (const m of coarseMatch(leftB, sb, b.colors, sa, a.colors, o.coarse)) {
        if (!matchedB[m.from]) add(m.to, m.from, "coarse", 0);
      }
    }
  }
  const { labelsA, labelsB, groups } = pairLabels(a.count, b.count, matches, { a: a.sizes, b: b.sizes });
  let unmatchedA = 0, unmatchedB = 0;
  for (let r = 2; r < a.count; r++) if (!matchedA[r] && real(r, a)) unmatchedA++;
  for (let r = 2; r < b.count; r++) if (!matchedB[r] && real(r, b)) unmatchedB++;
  const count = (s: MatchSource) => matches.filter((m) => m.source === s).length;
  return {
    a,
    b,
    matches,
    labelsA,
    labelsB,
    points,
    stats: {
      segmentsA: a.count - 2,
      segmentsB: b.count - 2,
      keypointsA: raw.keypointsA,
      keypointsB: raw.keypointsB,
      pointMatches: raw.ax.length,
      verifiedMatches: points.ax.length,
      votePoints: table.points,
      votesKept: table.kept,
      byVotes: count("votes"),
      byReverseVotes: count("reverse-votes"),
      byCoarse: count("coarse"),
      unmatchedA,
      unmatchedB,
      labels: groups,
    },
  };
}
