/**
 * Geometric verification of point matches by local consistency of motion. A character deforms between two
 * frames (an arm swings, the head turns), so one global homography or affine map rejects correct matches on
 * every moving part; but motion is smooth in space: a correct match moves like the matches around it. A match
 * is kept when enough of its `k` nearest matches (by reference position) have a displacement within
 * `absTol + relTol x distance` of its own, the tolerance growing with distance to allow rotation and bending.
 *
 * @module
 */
import type { PointMatches } from "./keypoints.ts";

/** Options of {@link verifyLocalConsistency}. */
export interface VerifyOptions {
  /** Neighbouring matches consulted. */
  k?: number;
  /** Least number of consistent neighbours for a match to be kept. */
  minSupport?: number;
  /** Displacement tolerance at zero distance, as a fraction of the image's larger side. */
  absTol?: number;
  /** Extra displacement tolerance per unit of distance between the two matches (0.3 ~ a 17-degree turn). */
  relTol?: number;
}

/** Defaults of {@link VerifyOptions}. */
export const VERIFY_DEFAULTS: Required<VerifyOptions> = {
  k: 8, // enough neighbours for a vote, few enough to stay local on a 512-px frame with ~500 matches
  minSupport: 3, // three agreeing neighbours: random wrong matches almost never agree with three others
  absTol: 0.02, // 10 px at 512: keypoint localisation error plus small deformation
  relTol: 0.3, // rotation/bending between neighbours up to ~17 degrees
};

/**
 * Which matches are locally consistent (1) or rejected (0). With fewer than `minSupport + 1` matches none can
 * be verified and all are rejected.
 *
 * @example
 * ```ts
 * const ok = verifyLocalConsistency(matches, { side: 512 });
 * ```
 */
export function verifyLocalConsistency(
  m: Pick<PointMatches, "ax" | "ay" | "bx" | "by">,
  opts: VerifyOptions & { side: number },
): Uint8Array {
  const o = { ...VERIFY_DEFAULTS, ...opts };
  const n = m.ax.length;
  const keep = new Uint8Array(n);
  if (n < o.minSupport + 1) return keep;
  const k = Math.min(o.k, n - 1);
  const abs = o.absTol * o.side;
  const nd = new Float64Array(k), ni = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    // k nearest other matches by reference position (insertion into a sorted list of k).
    let filled = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = m.ax[j] - m.ax[i], dy = m.ay[j] - m.ay[i];
      const d = dx * dx + dy * dy;
      if (filled === k && d >= nd[k - 1]) continue;
      let pos = filled < k ? filled++ : k - 1;
      while (pos > 0 && nd[pos - 1] > d) {
        nd[pos] = nd[pos - 1];
        ni[pos] = ni[pos - 1];
        pos--;
      }
      nd[pos] = d;
      ni[pos] = j;
    }
    const ux = m.bx[i] - m.ax[i], uy = m.by[i] - m.ay[i];
    let support = 0;
    for (let t = 0; t < filled; t++) {
      const j = ni[t];
      const vx = m.bx[j] - m.ax[j], vy = m.by[j] - m.ay[j];
      const tol = abs + o.relTol * Math.sqrt(nd[t]);
      if (Math.hypot(ux - vx, uy - vy) <= tol) support++;
    }
    keep[i] = support >= o.minSupport ? 1 : 0;
  }
  return keep;
}

/** The matches where `keep` is 1. */
export function selectMatches(m: PointMatches, keep: Uint8Array): PointMatches {
  const idx: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) idx.push(i);
  const pick = (a: Float32Array) => Float32Array.from(idx, (i) => a[i]);
  return { ax: pick(m.ax), ay: pick(m.ay), bx: pick(m.bx), by: pick(m.by), distance: pick(m.distance) };
}
