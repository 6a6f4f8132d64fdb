/**
 * Coarse alignment of two drawings from confident region matches: an affine map from target positions to
 * reference positions, fitted by weighted least squares (`ml-matrix`'s SVD solve) inside a RANSAC loop over
 * matched centroids (weights: the regions' areas, so a face counts more than a speck). Animation frames move
 * smoothly, so one affine explains most confident matches; the predicted position of every other target region
 * then becomes a prior for matching it.
 *
 * @module
 */
import { Matrix, solve } from "ml-matrix";
import { Rng } from "../util/rng.ts";

/** x' = a x + b y + c, y' = d x + e y + f. */
export type Affine = [number, number, number, number, number, number];

/** The identity map. */
export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

/** A correspondence between a target point (x, y) and a reference point (u, v), with a weight. */
export interface PointPair {
  x: number;
  y: number;
  u: number;
  v: number;
  w: number;
}

/** Options of {@link fitAffineRansac}. */
export interface AlignmentOptions {
  /** RANSAC hypotheses (3 pairs each). */
  iterations: number;
  /** A pair is an inlier when the map sends its target point within this distance of its reference point. */
  inlierDistance: number;
  /** Fewer pairs than this: no fit (identity). */
  minPairs: number;
  /** Seed of the sampler (same input, same answer). */
  seed: number;
}

/** Defaults. */
export const ALIGNMENT_DEFAULTS: AlignmentOptions = {
  iterations: 200, // 3-point samples: with half the pairs inliers, 200 draws miss a clean sample with p < 1e-11
  inlierDistance: 0.06, // in drawing-box units: ~6% of the drawing, what a limb moves between close frames
  minPairs: 4, // 3 determine an affine exactly; at least one more to check it
  seed: 1,
};

/** Applies an affine map. */
export function applyAffine(t: Affine, x: number, y: number): [number, number] {
  return [t[0] * x + t[1] * y + t[2], t[3] * x + t[4] * y + t[5]];
}

/**
 * Weighted least-squares affine map from the pairs' target points to their reference points, or null when the
 * points are degenerate (collinear, fewer than 3).
 *
 * @example
 * ```ts
 * fitAffine([{ x: 0, y: 0, u: 1, v: 0, w: 1 }, { x: 1, y: 0, u: 2, v: 0, w: 1 }, { x: 0, y: 1, u: 1, v: 1, w: 1 }]);
 * // [1, 0, 1, 0, 1, 0]
 * ```
 */
export function fitAffine(pairs: readonly PointPair[]): Affine | null {
  if (pairs.length < 3) return null;
  const A = new Matrix(pairs.length, 3), B = new Matrix(pairs.length, 2);
  for (let k = 0; k < pairs.length; k++) {
    const p = pairs[k], s = Math.sqrt(Math.max(p.w, 0));
    A.set(k, 0, s * p.x);
    A.set(k, 1, s * p.y);
    A.set(k, 2, s);
    B.set(k, 0, s * p.u);
    B.set(k, 1, s * p.v);
  }
  // Degenerate when the weighted points span less than a plane.
  const g = A.transpose().mmul(A);
  const det = g.get(0, 0) * (g.get(1, 1) * g.get(2, 2) - g.get(1, 2) * g.get(2, 1)) -
    g.get(0, 1) * (g.get(1, 0) * g.get(2, 2) - g.get(1, 2) * g.get(2, 0)) +
    g.get(0, 2) * (g.get(1, 0) * g.get(2, 1) - g.get(1, 1) * g.get(2, 0));
  const scale = g.get(2, 2) ** 3;
  if (!(Math.abs(det) > 1e-9 * Math.max(scale, 1e-30))) return null;
  const X = solve(A, B, true); // [3, 2]
  const t: Affine = [X.get(0, 0), X.get(1, 0), X.get(2, 0), X.get(0, 1), X.get(1, 1), X.get(2, 1)];
  return t.every(Number.isFinite) ? t : null;
}

/** What {@link fitAffineRansac} returns. */
export interface AlignmentFit {
  transform: Affine;
  /** Which pairs are inliers of the final fit. */
  inliers: Uint8Array;
  /** Sum of inlier weights over the sum of all weights. */
  support: number;
  /** Whether a fit was made (false: identity, too few or degenerate pairs). */
  fitted: boolean;
}

/**
 * RANSAC over 3-pair samples, scored by inlier weight, then a weighted least-squares refit on the inliers.
 *
 * @example
 * ```ts
 * const { transform, support } = fitAffineRansac(pairs);
 * const [u, v] = applyAffine(transform, x, y); // where target point (x, y) lies in the reference
 * ```
 */
export function fitAffineRansac(
  pairs: readonly PointPair[],
  opts: Partial<AlignmentOptions> = {},
): AlignmentFit {
  const o = { ...ALIGNMENT_DEFAULTS, ...opts };
  const n = pairs.length;
  const totalW = pairs.reduce((s, p) => s + p.w, 0);
  const none: AlignmentFit = { transform: IDENTITY, inliers: new Uint8Array(n), support: 0, fitted: false };
  if (n < Math.max(3, o.minPairs) || !(totalW > 0)) return none;
  const rng = new Rng(o.seed);
  const inliersOf = (t: Affine) => {
    const inl = new Uint8Array(n);
    let w = 0;
    for (let k = 0; k < n; k++) {
      const p = pairs[k], [u, v] = applyAffine(t, p.x, p.y);
      if (Math.hypot(u - p.u, v - p.v) <= o.inlierDistance) {
        inl[k] = 1;
        w += p.w;
      }
    }
    return { inl, w };
  };
  let best: { inl: Uint8Array; w: number } | null = null;
  for (let it = 0; it < o.iterations; it++) {
    const a = rng.int(0, n), b = rng.int(0, n), c = rng.int(0, n);
    if (a === b || b === c || a === c) continue;
    const t = fitAffine([pairs[a], pairs[b], pairs[c]].map((p) => ({ ...p, w: 1 })));
    if (!t) continue;
    const r = inliersOf(t);
    if (!best || r.w > best.w) best = r;
  }
  if (!best) return none;
  let t = fitAffine(pairs.filter((_, k) => best!.inl[k]));
  if (!t) return none;
  // One more round: refit on the inliers of the refit.
  const r2 = inliersOf(t);
  const t2 = fitAffine(pairs.filter((_, k) => r2.inl[k]));
  if (t2) t = t2;
  const fin = inliersOf(t);
  return { transform: t, inliers: fin.inl, support: fin.w / totalW, fitted: true };
}

/** Options of {@link localWarp}. */
export interface LocalWarpOptions {
  /** Gaussian radius of the residual field (drawing-box units). */
  sigma: number;
  /** Weight of a zero residual added at every query point (pulls sparse areas back to the affine map). */
  prior: number;
}

/** Defaults. */
export const LOCAL_WARP_DEFAULTS: LocalWarpOptions = {
  sigma: 0.08, // about a forearm: parts this far apart move independently between frames
  prior: 0.5, // half a match's weight: one nearby match moves a prediction two thirds of its residual
};

/**
 * A smooth non-rigid refinement of an affine map: the affine's residuals at the matched points, interpolated with
 * a Gaussian kernel (Nadaraya-Watson, weights relative to the largest pair weight, plus a zero-residual prior).
 * Returns the map target point -> predicted reference point.
 *
 * @example
 * ```ts
 * const warp = localWarp(pairs, fit.transform);
 * const [u, v] = warp(x, y);
 * ```
 */
export function localWarp(
  pairs: readonly PointPair[],
  t: Affine,
  opts: Partial<LocalWarpOptions> = {},
): (x: number, y: number) => [number, number] {
  const o = { ...LOCAL_WARP_DEFAULTS, ...opts };
  const maxW = pairs.reduce((m, p) => Math.max(m, p.w), 0) || 1;
  const res = pairs.map((p) => {
    const [u, v] = applyAffine(t, p.x, p.y);
    return { x: p.x, y: p.y, du: p.u - u, dv: p.v - v, w: p.w / maxW };
  });
  const k = -1 / (2 * o.sigma * o.sigma);
  return (x, y) => {
    const [u, v] = applyAffine(t, x, y);
    let sw = o.prior, su = 0, sv = 0;
    for (const r of res) {
      const d2 = (r.x - x) ** 2 + (r.y - y) ** 2;
      const w = Math.sqrt(r.w) * Math.exp(k * d2);
      sw += w;
      su += w * r.du;
      sv += w * r.dv;
    }
    return [u + su / sw, v + sv / sw];
  };
}
