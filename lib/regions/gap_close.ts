/**
 * Gap closing by stroke ends, before any filling: where a pen stroke stops short of the stroke it was heading
 * for (a broken outline, a hair strand that does not quite reach the face), a straight virtual stroke joins its
 * end to what lies ahead. This is what a colourist's "close gaps" does, and what trapped balls only approximate
 * (they cut at the narrowest passage, which is not always the gap, and cannot tell a gap from a neck).
 *
 * For every stroke endpoint (`skeleton.ts`) with its outward direction:
 * 1. pairs: another endpoint within `maxLength` px, in front of this one (within `maxAngle` of its direction),
 *    whose own direction points back (within `maxAngle` of the way back): two ends of one broken stroke. Each
 *    endpoint takes at most one partner, the nearest such, mutual pairs first;
 * 2. otherwise, in drawings whose strokes are broken (`rayMinEnds`), rays: the end is extended along its direction (and up to `maxAngle` either side, every
 *    `angleStep` degrees) until it meets ink other than the stroke it leaves, within `maxLength` px; the
 *    nearest hit wins, straight ahead preferred (a hit at angle a counts as `1 + a / 90` times its length).
 *
 * A closed outline has no endpoints, so closed art is never touched. A stroke that ends in the middle of a
 * region (a nose, a shading hint, hatching) is only extended if it points at ink within reach; one virtual stroke
 * alone cannot close a region unless it joins two strokes that already nearly enclose it.
 *
 * @module
 */

import { endpointDirections, strokeEndpoints } from "./skeleton.ts";

/** Options of {@link closeGaps}. */
export interface GapCloseOptions {
  /** Longest virtual stroke, px. */
  maxLength: number;
  /** Longest virtual stroke from an end to the side of a stroke (a ray, step 2), px. */
  maxRayLength: number;
  /** Largest angle (degrees) between a stroke's direction at its end and the virtual stroke. */
  maxAngle: number;
  /** Angle between rays, degrees. */
  angleStep: number;
  /** Skeleton pixels traced back from an endpoint to find the stroke's direction. */
  tangentSteps: number;
  /**
   * Rays only in drawings whose strokes are broken: at least this many stroke ends per 1000 px of skeleton. In
   * closed line art the few ends are deliberate (a crease, a strand's tip) and extending them cuts a region.
   */
  rayMinEnds: number;
}

/** Defaults (chosen on data/val-hand and data/val-clean; see the measurements in strokes.ts). */
export const GAP_CLOSE_DEFAULTS: GapCloseOptions = {
  maxLength: 48, // as STROKE_DEFAULTS.gapLength (measured there, on data/val-hand and data/val-clean)
  maxRayLength: 16, // as STROKE_DEFAULTS.gapRayLength: longer rays also cut regions at creases that stop short
  maxAngle: 30, // val-hand colour-region accuracy 20 / 30 / 45 degrees within 0.5 points; wider fans reach the
  // neighbouring strand beside a gap
  angleStep: 10, // 7 rays: at 24 px the fan's rays are 4 px apart at their ends, finer than any stroke
  rayMinEnds: 5, // stroke ends per 1000 skeleton px, 30 frames each: val-clean 0.2-1.3 (median 0.5), val-hand 16-33
  // (24), val-sketchy 16-30 (24): 5 lies between with a wide margin either side
  tangentSteps: 8, // 8 px of skeleton: long enough to average out the pixel staircase, short enough for curves
};

/** What {@link closeGaps} drew. */
export interface GapClosing {
  /** Virtual strokes as [x0, y0, x1, y1] per segment. */
  segments: number[];
  /** Number of endpoints found. */
  endpoints: number;
}

/**
 * Draws virtual strokes into `ink` (1 = ink, modified in place; the pixels drawn are also set to 1 in `drawn`
 * when given) that close the gaps between stroke ends and what they head for.
 *
 * @example
 * ```ts
 * const { segments } = closeGaps(ink, w, h); // ink now has the gaps closed
 * ```
 */
export function closeGaps(
  ink: Uint8Array,
  W: number,
  H: number,
  opts: Partial<GapCloseOptions> = {},
  scratch?: Uint8Array,
  drawn?: Uint8Array,
): GapClosing {
  const o = { ...GAP_CLOSE_DEFAULTS, ...opts };
  const n = W * H;
  const sk = strokeEndpoints(ink, W, H, scratch ?? new Uint8Array(n));
  const pts = sk.points, m = pts.length;
  if (m === 0 || o.maxLength <= 0) return { segments: [], endpoints: m };
  const dir = endpointDirections(sk.skeleton, pts, W, H, o.tangentSteps);
  const cos = Math.cos((o.maxAngle * Math.PI) / 180);
  const L = o.maxLength, L2 = L * L;
  // The stroke each endpoint leaves: its 8-connected ink component, labelled lazily around the endpoints only
  // would be cheaper, but a full pass over the ink is a few ms.
  const comp = inkComponents(ink, W, H);
  // 1. Pairs of facing endpoints (grid buckets of side L).
  const cell = Math.max(1, Math.ceil(L));
  const gw = Math.ceil(W / cell), gh = Math.ceil(H / cell);
  const bucketHead = new Int32Array(gw * gh).fill(-1), bucketNext = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const p = pts[k], y = (p / W) | 0, x = p - y * W;
    const b = ((y / cell) | 0) * gw + ((x / cell) | 0);
    bucketNext[k] = bucketHead[b];
    bucketHead[b] = k;
  }
  const best = new Int32Array(m).fill(-1), bestD = new Float64Array(m).fill(Infinity);
  for (let k = 0; k < m; k++) {
    const p = pts[k], y = (p / W) | 0, x = p - y * W;
    const tx = dir[2 * k], ty = dir[2 * k + 1];
    if (tx === 0 && ty === 0) continue;
    const cx = (x / cell) | 0, cy = (y / cell) | 0;
    for (let by = Math.max(0, cy - 1); by <= Math.min(gh - 1, cy + 1); by++) {
      for (let bx = Math.max(0, cx - 1); bx <= Math.min(gw - 1, cx + 1); bx++) {
        for (let j = bucketHead[by * gw + bx]; j >= 0; j = bucketNext[j]) {
          if (j === k) continue;
          const q = pts[j], qy = (q / W) | 0, qx = q - qy * W;
          const dx = qx - x, dy = qy - y, d2 = dx * dx + dy * dy;
          if (d2 > L2 || d2 === 0) continue;
          const d = Math.sqrt(d2);
          const ux = dir[2 * j], uy = dir[2 * j + 1];
          // j ahead of k, and k ahead of j.
          if (dx * tx + dy * ty < cos * d || -(dx * ux + dy * uy) < cos * d) continue;
          if (comp[p] === comp[q] && d < 3) continue; // the two tips of one blob
          if (d < bestD[k]) {
            bestD[k] = d;
            best[k] = j;
          }
        }
      }
    }
  }
  const segments: number[] = [];
  const done = new Uint8Array(m);
  const draw = (x0: number, y0: number, x1: number, y1: number) => {
    segments.push(x0, y0, x1, y1);
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
    for (let s = 0; s <= steps; s++) {
      const x = Math.round(x0 + ((x1 - x0) * s) / Math.max(1, steps));
      const y = Math.round(y0 + ((y1 - y0) * s) / Math.max(1, steps));
      const q = y * W + x;
      if (!ink[q] && drawn) drawn[q] = 1;
      ink[q] = 1;
    }
  };
  const xy = (k: number): [number, number] => {
    const p = pts[k], y = (p / W) | 0;
    return [p - y * W, y];
  };
  for (let k = 0; k < m; k++) {
    const j = best[k];
    if (j < 0 || done[k] || done[j] || best[j] !== k) continue;
    done[k] = done[j] = 1;
    const [x0, y0] = xy(k), [x1, y1] = xy(j);
    draw(x0, y0, x1, y1);
  }
  // 2. Rays from the ends left over, against the ink as it was plus the pairs just drawn, in drawings whose
  // strokes are broken.
  let skeletonPixels = 0;
  for (let i = 0; i < n; i++) skeletonPixels += sk.skeleton[i];
  const broken = 1000 * m >= o.rayMinEnds * skeletonPixels;
  const rays: number[] = [];
  if (broken && o.maxRayLength > 0) {
    for (let a = -o.maxAngle; a <= o.maxAngle + 1e-9; a += o.angleStep) rays.push(a);
  }
  const hits: number[] = [];
  for (let k = 0; k < m; k++) {
    if (done[k]) continue;
    const tx = dir[2 * k], ty = dir[2 * k + 1];
    if (tx === 0 && ty === 0) continue;
    const [x0, y0] = xy(k);
    const own = comp[pts[k]];
    let bestScore = Infinity, hx = 0, hy = 0;
    for (const a of rays) {
      const r = (a * Math.PI) / 180, c = Math.cos(r), s = Math.sin(r);
      const rx = tx * c - ty * s, ry = tx * s + ty * c;
      // Leave the stroke's own ink first, then march over paper to the first ink.
      let left = false;
      for (let t = 1; t <= o.maxRayLength; t++) {
        const x = Math.round(x0 + rx * t), y = Math.round(y0 + ry * t);
        if (x < 0 || y < 0 || x >= W || y >= H) break;
        const q = y * W + x;
        if (!ink[q]) {
          left = true;
          continue;
        }
        if (!left && comp[q] === own) continue;
        if (!left) break; // touching another stroke already: nothing to close
        const score = t * (1 + Math.abs(a) / 90);
        if (score < bestScore) {
          bestScore = score;
          hx = x;
          hy = y;
        }
        break;
      }
    }
    if (bestScore < Infinity) hits.push(x0, y0, hx, hy);
  }
  for (let i = 0; i < hits.length; i += 4) draw(hits[i], hits[i + 1], hits[i + 2], hits[i + 3]);
  return { segments, endpoints: m };
}

/** 8-connected components of the ink (ids 1..; 0 on paper). */
function inkComponents(ink: Uint8Array, W: number, H: number): Int32Array {
  const n = W * H;
  const lab = new Int32Array(n);
  const stack = new Int32Array(n);
  let id = 0;
  for (let p0 = 0; p0 < n; p0++) {
    if (!ink[p0] || lab[p0]) continue;
    lab[p0] = ++id;
    let top = 0;
    stack[top++] = p0;
    while (top > 0) {
      const p = stack[--top], y = (p / W) | 0, x = p - y * W;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= H) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= W) continue;
          const q = yy * W + xx;
          if (ink[q] && !lab[q]) {
            lab[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
  }
  return lab;
}
