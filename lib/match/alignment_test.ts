import { assert, assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import {
  type Affine,
  applyAffine,
  fitAffine,
  fitAffineRansac,
  localWarp,
  type PointPair,
} from "./alignment.ts";

const TRUE: Affine = [0.9, -0.1, 0.05, 0.12, 0.95, -0.03];

function pairsWithOutliers(n: number, outliers: number): PointPair[] {
  const rng = new Rng(5);
  const out: PointPair[] = [];
  for (let k = 0; k < n; k++) {
    const x = rng.float(), y = rng.float();
    let [u, v] = applyAffine(TRUE, x, y);
    if (k < outliers) [u, v] = [rng.float(), rng.float()];
    out.push({ x, y, u, v, w: 1 + rng.float() });
  }
  return out;
}

Deno.test("fitAffine: exact on clean points; null on collinear ones", () => {
  const t = fitAffine(pairsWithOutliers(10, 0))!;
  for (let k = 0; k < 6; k++) assertAlmostEquals(t[k], TRUE[k], 1e-9);
  const line = [0, 1, 2, 3].map((k) => ({ x: k, y: 2 * k, u: k, v: k, w: 1 }));
  assertEquals(fitAffine(line), null);
});

Deno.test("fitAffineRansac: recovers the map with 30% outliers and flags them", () => {
  const pairs = pairsWithOutliers(40, 12);
  const fit = fitAffineRansac(pairs);
  assert(fit.fitted);
  for (let k = 0; k < 6; k++) assertAlmostEquals(fit.transform[k], TRUE[k], 1e-6);
  for (let k = 12; k < 40; k++) assertEquals(fit.inliers[k], 1);
  assert(fit.support > 0.6 && fit.support < 0.8, `support ${fit.support}`);
  assertEquals(fitAffineRansac(pairs.slice(0, 2)).fitted, false);
});

Deno.test("localWarp: the affine where residuals are zero, pulled toward a moved part nearby", () => {
  const pairs = pairsWithOutliers(20, 0);
  const w = localWarp(pairs, TRUE);
  const [u, v] = w(0.4, 0.6), [eu, ev] = applyAffine(TRUE, 0.4, 0.6);
  assertAlmostEquals(u, eu, 1e-9);
  assertAlmostEquals(v, ev, 1e-9);
  const moved = [...pairs, { x: 0.5, y: 0.5, u: 2, v: 2, w: 100 }];
  const [mu] = localWarp(moved, TRUE, { sigma: 0.05 })(0.5, 0.5);
  assert(mu > applyAffine(TRUE, 0.5, 0.5)[0] + 0.5, `moved: ${mu}`);
});
