import { assert, assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import {
  applyPt,
  capsule,
  chain,
  closedSpline,
  compose,
  convexHull,
  ellipse,
  lock,
  openSpline,
  reversePts,
  rotate,
  rotateAbout,
  scale,
  signedArea,
  taperedStroke,
  transformPts,
  translate,
} from "./geometry.ts";

Deno.test("compose applies the right map first", () => {
  const m = compose(translate(10, 0), rotate(Math.PI / 2));
  const [x, y] = applyPt(m, 1, 0);
  assertAlmostEquals(x, 10);
  assertAlmostEquals(y, 1);
  const c = chain(translate(1, 2), scale(3), translate(-1, 0));
  const [cx, cy] = applyPt(c, 2, 1); // (2-1)*3+1, 1*3+2
  assertAlmostEquals(cx, 4);
  assertAlmostEquals(cy, 5);
  const r = rotateAbout(Math.PI, 1, 1);
  const [rx, ry] = applyPt(r, 2, 1);
  assertAlmostEquals(rx, 0);
  assertAlmostEquals(ry, 1);
});

Deno.test("ellipse area approaches pi*a*b", () => {
  const e = ellipse(0, 0, 3, 2, 0.3, 200);
  assertAlmostEquals(Math.abs(signedArea(e)), Math.PI * 6, 0.01);
  const t = transformPts(scale(2), e);
  assertAlmostEquals(Math.abs(signedArea(t)), Math.PI * 24, 0.04);
});

Deno.test("splines pass through their control points", () => {
  const ctrl = [0, 0, 4, 0, 4, 3, 0, 3];
  const c = closedSpline(ctrl, 5);
  assertEquals(c.length, 4 * 5 * 2);
  for (let k = 0; k < 4; k++) {
    assertAlmostEquals(c[10 * k], ctrl[2 * k]);
    assertAlmostEquals(c[10 * k + 1], ctrl[2 * k + 1]);
  }
  const o = openSpline([0, 0, 1, 1, 2, 0], 4);
  assertEquals(o.length, (2 * 4 + 1) * 2);
  assertAlmostEquals(o[o.length - 2], 2);
  assertAlmostEquals(o[8], 1);
  assertAlmostEquals(o[9], 1);
});

Deno.test("convex hull of a square with inner points is the square", () => {
  const h = convexHull([0, 0, 2, 0, 1, 1, 2, 2, 0, 2, 0.5, 1.5]);
  assertEquals(h.length, 8);
  assertAlmostEquals(Math.abs(signedArea(h)), 4);
});

Deno.test("capsule, lock and tapered stroke have the expected extents", () => {
  const c = capsule(0, 0, 1, 10, 0, 1, 16);
  // A stadium of length 10 and radius 1: area 20 + pi.
  assertAlmostEquals(Math.abs(signedArea(c)), 20 + Math.PI, 0.1);
  const l = lock(0, 0, 1, 0, 10, 0, 1);
  let maxY = -Infinity;
  for (let i = 1; i < l.length; i += 2) maxY = Math.max(maxY, l[i]);
  assertAlmostEquals(maxY, 10);
  const s = taperedStroke([0, 0, 5, 0, 10, 0], 2, 0.5);
  assertEquals(s.length, 12);
  assertAlmostEquals(s[3], 1); // middle of the left edge: half width 1
  assertAlmostEquals(s[1], 0.5); // end: half width 0.5
  assertEquals(reversePts([1, 2, 3, 4]), [3, 4, 1, 2]);
  assert(signedArea(reversePts(c)) === -signedArea(c));
});
