import { assert, assertAlmostEquals, assertEquals, assertThrows } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { ScoreHistogram } from "./histogram.ts";
import { averagePrecision, bestF1, prCurve } from "./pr.ts";

Deno.test("ScoreHistogram: curve over bins (worked by hand)", () => {
  // 4 bins on [0, 1]: 0.1 -> bin 0, 0.3 and 0.45 -> bin 1, 0.9 -> bin 3.
  const h = new ScoreHistogram({ bins: 4 });
  h.add(Float64Array.of(0.1, 0.3, 0.45, 0.9), Uint8Array.of(0, 1, 0, 1));
  const c = h.curve();
  // Points from the top: edge 0.75 (TP 1, FP 0), edge 0.25 (TP 2, FP 1), edge 0 (TP 2, FP 2); bin 2 is empty.
  assertEquals(Array.from(c.thresholds), [0.75, 0.25, 0]);
  assertEquals(Array.from(c.tp), [1, 2, 2]);
  assertEquals(Array.from(c.fp), [0, 1, 2]);
  // AP = 1/2 * 1 + 1/2 * 2/3 = 5/6
  assertAlmostEquals(averagePrecision(c), 5 / 6, 1e-15);
  assertEquals(h.count, 4);
});

Deno.test("ScoreHistogram: scores on bin edges give exactly the exact curve", () => {
  const rng = new Rng(3);
  const bins = 256, n = 5000;
  const s = new Float64Array(n), l = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    l[i] = rng.bool(0.3) ? 1 : 0;
    s[i] = Math.min(bins - 1, Math.max(0, Math.round(rng.normal(l[i] ? 170 : 110, 40)))) / bins;
  }
  const h = new ScoreHistogram({ bins });
  h.add(s, l);
  const exact = prCurve(s, l);
  assertEquals(averagePrecision(h.curve()), averagePrecision(exact));
  assertEquals(bestF1(h.curve()), bestF1(exact));
});

Deno.test("ScoreHistogram: merge equals adding everything to one", () => {
  const a = new ScoreHistogram({ bins: 64 }),
    b = new ScoreHistogram({ bins: 64 }),
    all = new ScoreHistogram({ bins: 64 });
  const s1 = Float64Array.of(0.2, 0.5, 0.7), l1 = Uint8Array.of(0, 1, 1);
  const s2 = Float64Array.of(0.1, 0.55, 0.99), l2 = Uint8Array.of(1, 0, 1);
  a.add(s1, l1);
  b.add(s2, l2);
  all.add(s1, l1);
  all.add(s2, l2);
  a.merge(b);
  assertEquals(a.pos, all.pos);
  assertEquals(a.neg, all.neg);
  assertThrows(() => a.merge(new ScoreHistogram({ bins: 32 })), RangeError, "different bins");
});

Deno.test("ScoreHistogram: log scale clamps zero and out-of-range scores into the end bins", () => {
  const h = new ScoreHistogram({ bins: 10, scale: "log", lo: 1e-6, hi: 1 });
  assertEquals(h.bin(0), 0);
  assertEquals(h.bin(-1), 0);
  assertEquals(h.bin(1e-9), 0);
  assertEquals(h.bin(1), 9);
  assertEquals(h.bin(5), 9);
  assertEquals(h.bin(1e-3), 5); // ln(1e-3) is halfway between ln(1e-6) and ln(1)
  assertThrows(() => new ScoreHistogram({ scale: "log", lo: 0 }), RangeError, "lo > 0");
});

/**
 * Patch-like scores: rows of 512 candidates, ~10% positives; cosine ~ N(0.6, 0.2) for positives and
 * N(0.1, 0.3) for negatives, clipped to [-1, 1]; sigmoid of the cosine, or the row softmax at tau 0.07.
 */
function patchLikeScores(kind: "sigmoid" | "softmax", rows: number, seed: number) {
  const rng = new Rng(seed), cols = 512;
  const s = new Float32Array(rows * cols), l = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let z = 0;
    for (let j = 0; j < cols; j++) {
      const i = r * cols + j;
      const pos = rng.bool(0.1);
      const c = Math.max(-1, Math.min(1, pos ? rng.normal(0.6, 0.2) : rng.normal(0.1, 0.3)));
      s[i] = kind === "sigmoid" ? 1 / (1 + Math.exp(-c)) : Math.exp(c / 0.07);
      z += s[i];
      l[i] = pos ? 1 : 0;
    }
    if (kind === "softmax") { for (let j = 0; j < cols; j++) s[r * cols + j] /= z; }
  }
  return { s, l };
}

Deno.test("ScoreHistogram: binned AP within 1e-4 of exact with the runner's settings", () => {
  // Measured when written (400 rows): sigmoid/linear 2^16 bins 2.0e-5; softmax/log 2^16 bins 8.5e-6; with
  // linear bins the softmax error is 1.7e-2, which is why softmax scores use the log scale.
  for (const kind of ["sigmoid", "softmax"] as const) {
    const { s, l } = patchLikeScores(kind, 100, 5);
    const h = new ScoreHistogram(kind === "sigmoid" ? {} : { scale: "log", lo: 1e-12 });
    h.add(s, l);
    const exact = prCurve(s, l), binned = h.curve();
    const err = Math.abs(averagePrecision(binned) - averagePrecision(exact));
    assert(err < 1e-4, `${kind}: AP error ${err}`);
    assert(Math.abs(bestF1(binned).f1 - bestF1(exact).f1) < 1e-3, `${kind}: F1 error`);
    if (kind === "softmax") {
      const lin = new ScoreHistogram();
      lin.add(s, l);
      assert(
        Math.abs(averagePrecision(lin.curve()) - averagePrecision(exact)) > 1e-3,
        "linear bins should be worse on softmax",
      );
    }
  }
});
