import { assert, assertAlmostEquals, assertArrayAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { scoresLabels } from "./fixtures.ts";
import { averagePrecision, bestF1, curvePoints, prCurve, sklearnCurve } from "./pr.ts";

Deno.test("prCurve/averagePrecision: scikit-learn's documented example", () => {
  // average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333... (sklearn docs)
  const c = prCurve(Float64Array.of(0.1, 0.4, 0.35, 0.8), Uint8Array.of(0, 0, 1, 1));
  assertAlmostEquals(averagePrecision(c), 0.8333333333333333, 1e-15);
  // precision_recall_curve -> p [0.5, 0.6667, 0.5, 1, 1], r [1, 1, 0.5, 0.5, 0], t [0.1, 0.35, 0.4, 0.8]
  const s = sklearnCurve(c);
  assertArrayAlmostEquals(s.precision, [0.5, 2 / 3, 0.5, 1, 1], 1e-12);
  assertArrayAlmostEquals(s.recall, [1, 1, 0.5, 0.5, 0], 1e-12);
  assertArrayAlmostEquals(s.thresholds, [0.1, 0.35, 0.4, 0.8], 1e-12);
});

Deno.test("prCurve: tied scores form one step (worked by hand)", () => {
  // scores 0.9 (pos), 0.9 (neg), 0.5 (pos), 0.1 (neg); points:
  //   t=0.9: TP 1 FP 1 -> P 1/2 R 1/2;  t=0.5: TP 2 FP 1 -> P 2/3 R 1;  t=0.1: TP 2 FP 2 -> P 1/2 R 1
  // AP = 1/2 * 1/2 + 1/2 * 2/3 = 7/12; best F1 at t=0.5: 2 * (2/3) * 1 / (5/3) = 0.8
  const c = prCurve(Float64Array.of(0.9, 0.9, 0.5, 0.1), Uint8Array.of(1, 0, 1, 0));
  assertEquals(Array.from(c.thresholds), [0.9, 0.5, 0.1]);
  assertEquals(Array.from(c.tp), [1, 2, 2]);
  assertEquals(Array.from(c.fp), [1, 1, 2]);
  assertAlmostEquals(averagePrecision(c), 7 / 12, 1e-15);
  const b = bestF1(c);
  assertAlmostEquals(b.f1, 0.8, 1e-15);
  assertAlmostEquals(b.precision, 2 / 3, 1e-15);
  assertEquals(b.recall, 1);
  assertEquals(b.threshold, 0.5);
});

Deno.test("prCurve: perfect and constant scores, no positives", () => {
  const perfect = prCurve(Float64Array.of(0.9, 0.8, 0.2, 0.1), Uint8Array.of(1, 1, 0, 0));
  assertEquals(averagePrecision(perfect), 1);
  assertEquals(bestF1(perfect).f1, 1);
  // One threshold: everything positive, precision = prevalence, AP = prevalence.
  const flat = prCurve(Float64Array.of(0.5, 0.5, 0.5, 0.5), Uint8Array.of(1, 0, 0, 0));
  assertEquals(averagePrecision(flat), 0.25);
  const none = prCurve(Float64Array.of(0.1, 0.2), Uint8Array.of(0, 0));
  assert(Number.isNaN(averagePrecision(none)));
  assert(Number.isNaN(bestF1(none).f1));
});

// Reference values: /usr/bin/python3, scikit-learn 1.2.1, inputs from fixtures.ts (scores_labels):
//   p, r, t = precision_recall_curve(y, s); ap = average_precision_score(y, s)
//   f1 = 2 * p * r / (p + r + 1e-8); i = int(np.argmax(f1))   # the release's best-F1 rule
//   print(ap, f1[i], p[i], r[i], t[i], len(p))
Deno.test("prCurve: scikit-learn reference, 60 scores with one decimal (many ties), full curve", () => {
  const { scores, labels } = scoresLabels(7, 60, 1);
  assertEquals(labels.reduce((a, b) => a + b, 0), 29);
  const c = prCurve(scores, labels);
  const s = sklearnCurve(c);
  assertArrayAlmostEquals(s.precision, [
    0.48333333333333334,
    0.56,
    0.6341463414634146,
    0.6388888888888888,
    0.6785714285714286,
    0.6538461538461539,
    0.5789473684210527,
    0.6666666666666666,
    0.75,
    1.0,
    1.0,
  ], 1e-15);
  assertArrayAlmostEquals(s.recall, [
    1.0,
    0.9655172413793104,
    0.896551724137931,
    0.7931034482758621,
    0.6551724137931034,
    0.5862068965517241,
    0.3793103448275862,
    0.3448275862068966,
    0.20689655172413793,
    0.034482758620689655,
    0.0,
  ], 1e-15);
  assertArrayAlmostEquals(s.thresholds, [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], 1e-15);
  assertAlmostEquals(averagePrecision(c), 0.6667986802960907, 1e-12);
  const b = bestF1(c);
  assertAlmostEquals(b.f1, 0.7428571380040817, 1e-7); // sklearn-side value carries the release's 1e-8 epsilon
  assertAlmostEquals(b.precision, 0.6341463414634146, 1e-12);
  assertAlmostEquals(b.recall, 0.896551724137931, 1e-12);
  assertEquals(b.threshold, 0.2);
});

Deno.test("prCurve: scikit-learn reference, 300 scores with two decimals and 500 continuous scores", () => {
  const cases = [
    // seed, n, decimals, AP, best F1, P, R, threshold, curve length
    [11, 300, 2, 0.7059290438645891, 0.7058823482536766, 0.5647058823529412, 0.9411764705882353, 0.15, 97],
    [
      13,
      500,
      0,
      0.6853653188905751,
      0.713128034053939,
      0.6060606060606061,
      0.8661417322834646,
      0.26743316616277824,
      501,
    ],
  ];
  for (const [seed, n, dec, ap, f1, p, r, t, len] of cases) {
    const { scores, labels } = scoresLabels(seed, n, dec);
    const c = prCurve(scores, labels);
    assertAlmostEquals(averagePrecision(c), ap, 1e-12, `AP seed ${seed}`);
    const b = bestF1(c);
    assertAlmostEquals(b.f1, f1, 1e-7, `F1 seed ${seed}`);
    assertAlmostEquals(b.precision, p, 1e-12);
    assertAlmostEquals(b.recall, r, 1e-12);
    assertAlmostEquals(b.threshold, t, 1e-15);
    assertEquals(sklearnCurve(c).precision.length, len);
  }
});

Deno.test("prCurve: Float32 scores give the same AP as their Float64 values", () => {
  const { scores, labels } = scoresLabels(13, 500, 0);
  const f32 = Float32Array.from(scores);
  assertAlmostEquals(
    averagePrecision(prCurve(f32, labels)),
    averagePrecision(prCurve(Float64Array.from(f32), labels)),
    0,
  );
});

Deno.test("curvePoints: bounded, keeps both ends, recall non-decreasing", () => {
  const { scores, labels } = scoresLabels(13, 500, 0);
  const c = prCurve(scores, labels);
  const pts = curvePoints(c, 21);
  assert(pts.recall.length <= 21 && pts.recall.length >= 10, `got ${pts.recall.length} points`);
  assertEquals(pts.recall[pts.recall.length - 1], 1);
  assertEquals(
    pts.precision[pts.precision.length - 1],
    Math.round((labels.reduce((a, b) => a + b, 0) / 500) * 1e6) / 1e6,
  );
  for (let i = 1; i < pts.recall.length; i++) assert(pts.recall[i] >= pts.recall[i - 1]);
  for (let i = 1; i < pts.threshold.length; i++) assert(pts.threshold[i] < pts.threshold[i - 1]);
});
