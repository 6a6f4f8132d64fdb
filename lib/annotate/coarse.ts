/**
 * Coarse rule-based matching for regions the keypoints left unmatched (keypoints crowd on the face; large flat
 * regions such as clothes get few). Region centroids are placed in each frame's character box (the bounding box
 * of its non-background pixels, mapped to [0,1]^2, which absorbs translation and zoom); a region matches the
 * other frame's region with the least cost `colour / colorTol + position / posTol + |ln size ratio| / ln sizeTol`
 * among those within all three tolerances.
 *
 * @module
 */
import type { LabelMap } from "../image/types.ts";
import { BACKGROUND_ID, LINE_ID } from "../data/pbc.ts";

/** Options of {@link coarseMatch}. */
export interface CoarseOptions {
  /** Only pairs of still-unmatched regions that choose each other (else each region takes its best anywhere). */
  mutual?: boolean;
  /** Largest mean-colour distance (RGB units). */
  colorTol?: number;
  /** Largest centroid distance in character-box units. */
  posTol?: number;
  /** Largest size ratio (either way). */
  sizeTol?: number;
}

/** Defaults of {@link CoarseOptions}. */
export const COARSE_DEFAULTS: Required<CoarseOptions> = {
  mutual: true, // a one-sided choice among same-paint strands is mostly wrong (measured: 44% correct)
  colorTol: 15, // the same paint (anti-aliasing moves a region's mean by < 10); white and off-white differ by ~25
  posTol: 0.2, // a fifth of the character box: parts move, but rarely across the body between nearby frames
  sizeTol: 3, // a part seen at another angle or partly hidden can shrink to a third
};

/** Per-region geometry of a segmented frame. */
export interface RegionStats {
  /** Pixel count per segment id. */
  size: Float64Array; // [count]
  /** Centroid in character-box units, [count, 2]. */
  centroid: Float64Array; // [count, 2]
}

/**
 * Sizes and box-normalised centroids of the segments of `seg` (ids below `count`).
 *
 * @example
 * ```ts
 * const st = regionStats(seg, count);
 * ```
 */
export function regionStats(seg: LabelMap, count: number): RegionStats {
  const { width, height, data } = seg;
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  const size = new Float64Array(count), sx = new Float64Array(count), sy = new Float64Array(count);
  for (let p = 0; p < data.length; p++) {
    const s = data[p];
    const x = p % width, y = (p - x) / width;
    size[s]++;
    sx[s] += x;
    sy[s] += y;
    if (s !== BACKGROUND_ID) {
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  const bw = Math.max(1, x1 - x0), bh = Math.max(1, y1 - y0);
  const centroid = new Float64Array(count * 2);
  for (let s = 0; s < count; s++) {
    if (size[s] === 0) continue;
    centroid[2 * s] = (sx[s] / size[s] - x0) / bw;
    centroid[2 * s + 1] = (sy[s] / size[s] - y0) / bh;
  }
  return { size, centroid };
}

/** A coarse match and its cost. */
export interface CoarseMatch {
  from: number;
  to: number;
  cost: number;
}

/**
 * For each region id in `unmatched` (of frame "from"), the best region of frame "to" under the rules, if any.
 *
 * @example
 * ```ts
 * const extra = coarseMatch([5, 9], statsA, colorsA, statsB, colorsB);
 * ```
 */
export function coarseMatch(
  unmatched: readonly number[],
  from: RegionStats,
  fromColors: Float32Array,
  to: RegionStats,
  toColors: Float32Array,
  opts: CoarseOptions = {},
  candidates?: readonly number[],
): CoarseMatch[] {
  const o = { ...COARSE_DEFAULTS, ...opts };
  const out: CoarseMatch[] = [];
  const targets = candidates ?? Array.from({ length: Math.max(0, to.size.length - 2) }, (_, i) => i + 2);
  const lnSize = Math.log(o.sizeTol);
  for (const r of unmatched) {
    if (r === LINE_ID || r === BACKGROUND_ID || from.size[r] === 0) continue;
    let best = -1, bestCost = Infinity;
    for (const t of targets) {
      if (t === LINE_ID || t === BACKGROUND_ID || !(to.size[t] > 0)) continue;
      const dc = Math.hypot(
        fromColors[3 * r] - toColors[3 * t],
        fromColors[3 * r + 1] - toColors[3 * t + 1],
        fromColors[3 * r + 2] - toColors[3 * t + 2],
      );
      if (dc > o.colorTol) continue;
      const dp = Math.hypot(
        from.centroid[2 * r] - to.centroid[2 * t],
        from.centroid[2 * r + 1] - to.centroid[2 * t + 1],
      );
      if (dp > o.posTol) continue;
      const ds = Math.abs(Math.log(from.size[r] / to.size[t]));
      if (ds > lnSize) continue;
      const cost = dc / o.colorTol + dp / o.posTol + ds / lnSize;
      if (cost < bestCost) {
        bestCost = cost;
        best = t;
      }
    }
    if (best >= 0) out.push({ from: r, to: best, cost: bestCost });
  }
  return out;
}

/**
 * Coarse matches between the unmatched regions of both frames that choose each other: `a`'s best partner
 * among `leftB` is `b` and `b`'s best among `leftA` is `a`. Mutual choice keeps a region from taking a partner
 * that fits another region better (several hair strands share a paint and a neighbourhood).
 *
 * @example
 * ```ts
 * const pairs = mutualCoarseMatch([4, 7], [5], statsA, colorsA, statsB, colorsB); // [{ from: 4, to: 5, cost }]
 * ```
 */
export function mutualCoarseMatch(
  leftA: readonly number[],
  leftB: readonly number[],
  a: RegionStats,
  colorsA: Float32Array,
  b: RegionStats,
  colorsB: Float32Array,
  opts: CoarseOptions = {},
): CoarseMatch[] {
  const ab = coarseMatch(leftA, a, colorsA, b, colorsB, opts, leftB);
  const ba = new Map(coarseMatch(leftB, b, colorsB, a, colorsA, opts, leftA).map((m) => [m.from, m.to]));
  return ab.filter((m) => ba.get(m.to) === m.from);
}
