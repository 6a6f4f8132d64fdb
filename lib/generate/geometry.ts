/**
 * 2-D geometry for the procedural characters: affine maps, and closed shapes built as flat point lists
 * (`[x0, y0, x1, y1, ...]`): ellipses, Catmull-Rom splines, tapered capsules, pointed locks, convex hulls,
 * tapered strokes. Shapes are built in a part's own frame and mapped to pixels with one affine map.
 *
 * @module
 */

/** A flat list of points `[x0, y0, x1, y1, ...]`. */
export type Pts = number[];

/** An affine map `x' = a x + c y + e`, `y' = b x + d y + f`. */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/** The identity map. */
export const IDENTITY: Readonly<Affine> = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 };

/**
 * `m ∘ n`: applies `n` first, then `m`.
 *
 * @example
 * ```ts
 * const m = compose(translate(10, 0), rotate(Math.PI / 2)); // rotate, then move right
 * ```
 */
export function compose(m: Affine, n: Affine): Affine {
  return {
    a: m.a * n.a + m.c * n.b,
    b: m.b * n.a + m.d * n.b,
    c: m.a * n.c + m.c * n.d,
    d: m.b * n.c + m.d * n.d,
    e: m.a * n.e + m.c * n.f + m.e,
    f: m.b * n.e + m.d * n.f + m.f,
  };
}

/**
 * Several maps composed, the last applied first: `chain(A, B, C)(p) = A(B(C(p)))`.
 *
 * @example
 * ```ts
 * const m = chain(translate(256, 256), scale(40)); // scale, then move
 * ```
 */
export function chain(...ms: Affine[]): Affine {
  return ms.reduce((acc, m) => compose(acc, m), { ...IDENTITY });
}

/**
 * A translation.
 *
 * @example
 * ```ts
 * applyPt(translate(2, 3), 1, 1); // [3, 4]
 * ```
 */
export function translate(x: number, y: number): Affine {
  return { a: 1, b: 0, c: 0, d: 1, e: x, f: y };
}

/**
 * A rotation by `t` radians (clockwise on screen, where y points down).
 *
 * @example
 * ```ts
 * applyPt(rotate(Math.PI / 2), 1, 0); // [0, 1] (down on screen)
 * ```
 */
export function rotate(t: number): Affine {
  const c = Math.cos(t), s = Math.sin(t);
  return { a: c, b: s, c: -s, d: c, e: 0, f: 0 };
}

/**
 * A scaling about the origin.
 *
 * @example
 * ```ts
 * applyPt(scale(2, 3), 1, 1); // [2, 3]
 * ```
 */
export function scale(sx: number, sy = sx): Affine {
  return { a: sx, b: 0, c: 0, d: sy, e: 0, f: 0 };
}

/**
 * A rotation by `t` about the point `(x, y)`.
 *
 * @example
 * ```ts
 * applyPt(rotateAbout(Math.PI, 1, 1), 2, 1); // [0, 1]
 * ```
 */
export function rotateAbout(t: number, x: number, y: number): Affine {
  return chain(translate(x, y), rotate(t), translate(-x, -y));
}

/**
 * Maps one point.
 *
 * @example
 * ```ts
 * const [x, y] = applyPt(translate(1, 0), 0, 0); // [1, 0]
 * ```
 */
export function applyPt(m: Affine, x: number, y: number): [number, number] {
  return [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
}

/**
 * Maps a point list into a new `Float64Array`.
 *
 * @example
 * ```ts
 * const px = transformPts(scale(10), [0, 0, 1, 0, 1, 1]); // Float64Array [0,0,10,0,10,10]
 * ```
 */
export function transformPts(m: Affine, pts: ArrayLike<number>): Float64Array {
  const out = new Float64Array(pts.length);
  for (let i = 0; i < pts.length; i += 2) {
    const x = pts[i], y = pts[i + 1];
    out[i] = m.a * x + m.c * y + m.e;
    out[i + 1] = m.b * x + m.d * y + m.f;
  }
  return out;
}

/**
 * Mean scale factor of a map (square root of the absolute determinant).
 *
 * @example
 * ```ts
 * mapScale(scale(3)); // 3
 * ```
 */
export function mapScale(m: Affine): number {
  return Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
}

/**
 * An ellipse of `n` points, rotated by `rot`.
 *
 * @example
 * ```ts
 * const iris = ellipse(0, 0, 0.2, 0.25); // 24 points
 * ```
 */
export function ellipse(cx: number, cy: number, rx: number, ry: number, rot = 0, n = 24): Pts {
  const out: Pts = [];
  const c = Math.cos(rot), s = Math.sin(rot);
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    const x = rx * Math.cos(t), y = ry * Math.sin(t);
    out.push(cx + c * x - s * y, cy + s * x + c * y);
  }
  return out;
}

/**
 * Points of an elliptic arc from angle `t0` to `t1` (inclusive), `n` segments.
 *
 * @example
 * ```ts
 * const top = arc(0, 0, 1, 1, Math.PI, 2 * Math.PI); // upper half circle (y down)
 * ```
 */
export function arc(cx: number, cy: number, rx: number, ry: number, t0: number, t1: number, n = 12): Pts {
  const out: Pts = [];
  for (let i = 0; i <= n; i++) {
    const t = t0 + ((t1 - t0) * i) / n;
    out.push(cx + rx * Math.cos(t), cy + ry * Math.sin(t));
  }
  return out;
}

/**
 * A closed uniform Catmull-Rom spline through the control points, `per` samples per span.
 *
 * @example
 * ```ts
 * const blob = closedSpline([0, 0, 1, 0, 1, 1, 0, 1], 6);
 * ```
 */
export function closedSpline(ctrl: Pts, per = 6): Pts {
  const n = ctrl.length / 2;
  const out: Pts = [];
  for (let i = 0; i < n; i++) {
    const i0 = (i - 1 + n) % n, i2 = (i + 1) % n, i3 = (i + 2) % n;
    catmullSpan(ctrl, i0, i, i2, i3, per, out, false);
  }
  return out;
}

/**
 * An open Catmull-Rom spline through the control points (ends duplicated), `per` samples per span.
 *
 * @example
 * ```ts
 * const curve = openSpline([0, 0, 1, 1, 2, 0], 4); // 9 points
 * ```
 */
export function openSpline(ctrl: Pts, per = 6): Pts {
  const n = ctrl.length / 2;
  if (n < 2) return ctrl.slice();
  const out: Pts = [];
  for (let i = 0; i < n - 1; i++) {
    catmullSpan(ctrl, Math.max(0, i - 1), i, i + 1, Math.min(n - 1, i + 2), per, out, i === n - 2);
  }
  return out;
}

function catmullSpan(
  c: Pts,
  i0: number,
  i1: number,
  i2: number,
  i3: number,
  per: number,
  out: Pts,
  last: boolean,
) {
  const x0 = c[2 * i0], y0 = c[2 * i0 + 1], x1 = c[2 * i1], y1 = c[2 * i1 + 1];
  const x2 = c[2 * i2], y2 = c[2 * i2 + 1], x3 = c[2 * i3], y3 = c[2 * i3 + 1];
  const end = last ? per : per - 1;
  for (let k = 0; k <= end; k++) {
    const t = k / per, t2 = t * t, t3 = t2 * t;
    out.push(
      0.5 *
        (2 * x1 + (-x0 + x2) * t + (2 * x0 - 5 * x1 + 4 * x2 - x3) * t2 + (-x0 + 3 * x1 - 3 * x2 + x3) * t3),
      0.5 *
        (2 * y1 + (-y0 + y2) * t + (2 * y0 - 5 * y1 + 4 * y2 - y3) * t2 + (-y0 + 3 * y1 - 3 * y2 + y3) * t3),
    );
  }
}

/**
 * Points of a quadratic Bezier curve from p0 to p2 with control p1 (`n` segments, both ends included).
 *
 * @example
 * ```ts
 * const q = quad(0, 0, 1, 2, 2, 0, 8); // 9 points
 * ```
 */
export function quad(x0: number, y0: number, x1: number, y1: number, x2: number, y2: number, n = 8): Pts {
  const out: Pts = [];
  for (let i = 0; i <= n; i++) {
    const t = i / n, u = 1 - t;
    out.push(u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2);
  }
  return out;
}

/**
 * A tapered capsule from `(x0, y0)` with radius `r0` to `(x1, y1)` with radius `r1` (a limb).
 *
 * @example
 * ```ts
 * const upperArm = capsule(0, 0, 0.3, 0, 2, 0.22);
 * ```
 */
export function capsule(x0: number, y0: number, r0: number, x1: number, y1: number, r1: number, n = 10): Pts {
  const dx = x1 - x0, dy = y1 - y0;
  const len = Math.hypot(dx, dy) || 1e-9;
  const a = Math.atan2(dy, dx);
  // Tangent angle offset for unequal radii (clamped so a tiny capsule stays valid).
  const off = Math.asin(Math.max(-0.9, Math.min(0.9, (r0 - r1) / len)));
  const out: Pts = [];
  const h = Math.PI / 2 + off;
  for (let i = 0; i <= n; i++) {
    const t = a + h + ((2 * Math.PI - 2 * h) * i) / n;
    out.push(x0 + r0 * Math.cos(t), y0 + r0 * Math.sin(t));
  }
  for (let i = 0; i <= n; i++) {
    const t = a - h + ((2 * h) * i) / n;
    out.push(x1 + r1 * Math.cos(t), y1 + r1 * Math.sin(t));
  }
  return out;
}

/**
 * A pointed lock (hair lock, spike, flap): from a root of half-width `w` centred at `(rx, ry)` to the tip
 * `(tx, ty)`; `bend` curves the lock sideways (as a fraction of its length), `bulge` widens its middle.
 *
 * @example
 * ```ts
 * const bang = lock(0, -0.5, 0.2, 0.05, 0.3, 0.2);
 * ```
 */
export function lock(
  rx: number,
  ry: number,
  w: number,
  tx: number,
  ty: number,
  bend = 0,
  bulge = 1,
  n = 8,
): Pts {
  const dx = tx - rx, dy = ty - ry;
  const len = Math.hypot(dx, dy) || 1e-9;
  const nx = -dy / len, ny = dx / len; // left normal
  const mx = rx + dx * 0.45 + nx * bend * len, my = ry + dy * 0.45 + ny * bend * len;
  const lx = rx + nx * w, ly = ry + ny * w, qx = rx - nx * w, qy = ry - ny * w;
  const left = quad(lx, ly, mx + nx * w * bulge, my + ny * w * bulge, tx, ty, n);
  const right = quad(tx, ty, mx - nx * w * bulge, my - ny * w * bulge, qx, qy, n);
  // Root edge: a slight outward round so that the root overlaps what it grows from.
  const back = quad(qx, qy, rx - dx * 0.12, ry - dy * 0.12, lx, ly, 4);
  return [...left, ...right.slice(2), ...back.slice(2, -2)];
}

/**
 * The convex hull of a point list (Andrew's monotone chain), counter-clockwise in maths axes.
 *
 * @example
 * ```ts
 * convexHull([0, 0, 2, 0, 1, 1, 2, 2, 0, 2]); // the square, without (1, 1)
 * ```
 */
export function convexHull(pts: Pts): Pts {
  const n = pts.length / 2;
  const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) =>
    pts[2 * i] - pts[2 * j] || pts[2 * i + 1] - pts[2 * j + 1]
  );
  const cross = (o: number, a: number, b: number) =>
    (pts[2 * a] - pts[2 * o]) * (pts[2 * b + 1] - pts[2 * o + 1]) -
    (pts[2 * a + 1] - pts[2 * o + 1]) * (pts[2 * b] - pts[2 * o]);
  const lower: number[] = [], upper: number[] = [];
  for (const i of idx) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], i) <= 0) lower.pop();
    lower.push(i);
  }
  for (let k = idx.length - 1; k >= 0; k--) {
    const i = idx[k];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], i) <= 0) upper.pop();
    upper.push(i);
  }
  const hull = [...lower.slice(0, -1), ...upper.slice(0, -1)];
  const out: Pts = [];
  for (const i of hull) out.push(pts[2 * i], pts[2 * i + 1]);
  return out;
}

/**
 * A point list moved by `(dx, dy)`.
 *
 * @example
 * ```ts
 * shiftPts([0, 0, 1, 1], 2, 0); // [2, 0, 3, 1]
 * ```
 */
export function shiftPts(pts: Pts, dx: number, dy: number): Pts {
  const out = pts.slice();
  for (let i = 0; i < out.length; i += 2) {
    out[i] += dx;
    out[i + 1] += dy;
  }
  return out;
}

/**
 * The point list in reverse order (flips the winding, for holes).
 *
 * @example
 * ```ts
 * reversePts([1, 2, 3, 4]); // [3, 4, 1, 2]
 * ```
 */
export function reversePts(pts: Pts): Pts {
  const out: Pts = [];
  for (let i = pts.length - 2; i >= 0; i -= 2) out.push(pts[i], pts[i + 1]);
  return out;
}

/**
 * Signed area (positive when counter-clockwise in maths axes).
 *
 * @example
 * ```ts
 * signedArea([0, 0, 1, 0, 1, 1, 0, 1]); // 1
 * ```
 */
export function signedArea(pts: ArrayLike<number>): number {
  let s = 0;
  const n = pts.length;
  for (let i = 0; i < n; i += 2) {
    const j = (i + 2) % n;
    s += pts[i] * pts[j + 1] - pts[j] * pts[i + 1];
  }
  return s / 2;
}

/**
 * A closed tapered stroke along a polyline: width `w` in the middle narrowing to `w * endFrac` at both ends
 * (a pen stroke that starts and ends thin).
 *
 * @example
 * ```ts
 * const strand = taperedStroke([0, 0, 5, 2, 10, 3], 1.5);
 * ```
 */
export function taperedStroke(line: ArrayLike<number>, w: number, endFrac = 0.15): Pts {
  const n = line.length / 2;
  if (n < 2) return [];
  // Arc length per vertex, for the taper profile.
  const s = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    s[i] = s[i - 1] + Math.hypot(line[2 * i] - line[2 * i - 2], line[2 * i + 1] - line[2 * i - 1]);
  }
  const total = s[n - 1] || 1e-9;
  const left: Pts = [], right: Pts = [];
  for (let i = 0; i < n; i++) {
    const i0 = Math.max(0, i - 1), i1 = Math.min(n - 1, i + 1);
    let tx = line[2 * i1] - line[2 * i0], ty = line[2 * i1 + 1] - line[2 * i0 + 1];
    const tl = Math.hypot(tx, ty) || 1e-9;
    tx /= tl;
    ty /= tl;
    const u = s[i] / total;
    const half = 0.5 * w * (endFrac + (1 - endFrac) * Math.sin(Math.PI * u));
    left.push(line[2 * i] - ty * half, line[2 * i + 1] + tx * half);
    right.push(line[2 * i] + ty * half, line[2 * i + 1] - tx * half);
  }
  return [...left, ...reversePts(right)];
}
