/**
 * Region matching by keypoint votes (the paper's "Automatic Cross-Image Matching"): each verified point match
 * is expanded to its 5x5 neighbourhood (keypoints sit on boundaries and are sparse on line art; the
 * neighbourhood reaches into the regions beside them), points whose colour is far from their region's mean
 * colour are dropped, and each region of the reference takes the target region that most surviving points
 * land in.
 *
 * The paper filters by the reference pixel's colour against its region's mean. Here the filter is applied on
 * both sides (each pixel against its own region), and a vote also needs the two regions' mean colours to agree
 * within `crossColorTol`: a character keeps its paints from frame to frame, so a vote between differently
 * painted regions is a wrong match. Set `crossColorTol: Infinity` for the paper's filter alone.
 *
 * @module
 */
import type { LabelMap, RgbaImage, RgbImage } from "../image/types.ts";
import { BACKGROUND_ID, LINE_ID } from "../data/pbc.ts";
import type { PointMatches } from "./keypoints.ts";

/** Options of {@link voteRegions}. */
export interface VoteOptions {
  /** Half side of the neighbourhood each point is expanded to (2: 5x5, as in the paper). */
  radius?: number;
  /** A pixel votes only if its colour is within this (RGB units) of its region's mean colour. */
  colorTol?: number;
  /** A vote needs the two regions' mean colours within this (RGB units). */
  crossColorTol?: number;
  /** A region takes a match only with at least this many votes. */
  minVotes?: number;
  /** ... and only when the winner holds at least this share of the region's votes. */
  minShare?: number;
}

/** Defaults of {@link VoteOptions}. */
export const VOTE_DEFAULTS: Required<VoteOptions> = {
  radius: 2, // the paper's 5x5 neighbourhood
  colorTol: 30, // RGB units: a flat paint with anti-aliasing noise passes, a neighbouring paint does not
  crossColorTol: 20, // RGB units: one paint's mean moves < 10 with anti-aliasing; white vs off-white is ~25
  minVotes: 3, // one point's neighbourhood straddling a boundary gives a stray vote or two
  minShare: 0, // off: set e.g. 0.5 to keep only clear winners
};

/** The votes between regions of two frames. */
export interface VoteTable {
  /** Votes keyed by `a * stride + b` (a: reference region id, b: target region id). */
  votes: Map<number, number>;
  stride: number;
  /** Expanded points looked at, and those that survived the colour filters. */
  points: number;
  kept: number;
}

/** A region and its best partner by votes. */
export interface VoteMatch {
  /** Region of the frame that votes. */
  from: number;
  /** Region it matches in the other frame. */
  to: number;
  /** Votes for the winner. */
  votes: number;
  /** All votes cast by `from`. */
  total: number;
}

/** A segmented frame as voting needs it: segment ids, pixel colours, mean colour per segment id. */
export interface VoteFrame {
  seg: LabelMap;
  color: RgbaImage | RgbImage;
  /** Mean colour per segment id, [count, 3]. */
  colors: Float32Array;
}

function colorDist(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number): number {
  const d0 = a[i] - b[j], d1 = a[i + 1] - b[j + 1], d2 = a[i + 2] - b[j + 2];
  return Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2);
}

/**
 * Counts the votes of the expanded point matches between the regions of frames `a` and `b`. Line and
 * background pixels never vote.
 *
 * @example
 * ```ts
 * const table = castVotes(verified, frameA, frameB);
 * const matches = winners(table, "a");
 * ```
 */
export function castVotes(m: PointMatches, a: VoteFrame, b: VoteFrame, opts: VoteOptions = {}): VoteTable {
  const o = { ...VOTE_DEFAULTS, ...opts };
  const wa = a.seg.width, ha = a.seg.height, wb = b.seg.width, hb = b.seg.height;
  const ca = a.color.data.length / (wa * ha), cb = b.color.data.length / (wb * hb);
  const stride = b.colors.length / 3;
  const votes = new Map<number, number>();
  let points = 0, kept = 0;
  for (let i = 0; i < m.ax.length; i++) {
    const x0 = Math.round(m.ax[i]),
      y0 = Math.round(m.ay[i]),
      x1 = Math.round(m.bx[i]),
      y1 = Math.round(m.by[i]);
    for (let dy = -o.radius; dy <= o.radius; dy++) {
      for (let dx = -o.radius; dx <= o.radius; dx++) {
        const xa = x0 + dx, ya = y0 + dy, xb = x1 + dx, yb = y1 + dy;
        if (xa < 0 || ya < 0 || xa >= wa || ya >= ha || xb < 0 || yb < 0 || xb >= wb || yb >= hb) continue;
        points++;
        const pa = ya * wa + xa, pb = yb * wb + xb;
        const ra = a.seg.data[pa], rb = b.seg.data[pb];
        if (ra === LINE_ID || ra === BACKGROUND_ID || rb === LINE_ID || rb === BACKGROUND_ID) continue;
        if (colorDist(a.color.data, pa * ca, a.colors, 3 * ra) > o.colorTol) continue;
        if (colorDist(b.color.data, pb * cb, b.colors, 3 * rb) > o.colorTol) continue;
        if (colorDist(a.colors, 3 * ra, b.colors, 3 * rb) > o.crossColorTol) continue;
        kept++;
        const key = ra * stride + rb;
        votes.set(key, (votes.get(key) ?? 0) + 1);
      }
    }
  }
  return { votes, stride, points, kept };
}

/**
 * Each region's most-voted partner, with at least `minVotes` votes: `from: "a"` gives reference regions their
 * target, `"b"` target regions their reference. Ties go to the smaller region id.
 */
export function winners(t: VoteTable, from: "a" | "b", opts: VoteOptions = {}): VoteMatch[] {
  const o = { ...VOTE_DEFAULTS, ...opts };
  const best = new Map<number, VoteMatch>();
  for (const [key, v] of t.votes) {
    const a = Math.floor(key / t.stride), b = key - a * t.stride;
    const [f, to] = from === "a" ? [a, b] : [b, a];
    const cur = best.get(f);
    if (!cur) best.set(f, { from: f, to, votes: v, total: v });
    else {
      cur.total += v;
      if (v > cur.votes || (v === cur.votes && to < cur.to)) {
        cur.votes = v;
        cur.to = to;
      }
    }
  }
  return [...best.values()].filter((m) => m.votes >= o.minVotes && m.votes >= o.minShare * m.total)
    .sort((x, y) => x.from - y.from);
}
