import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { headInputSize, headScores, initHeadParams, REGION_HEAD_DEFAULTS } from "../match/region_head.ts";
import { oracleTokens } from "../match/test_tokens.ts";
import { toyPair } from "../match/toy_pair.ts";
import { dualSoftmaxLoss, headForward, zeroGrads } from "./region_head_grad.ts";
import {
  evaluateHead,
  type HeadSample,
  headTargets,
  type HeadTrainState,
  IGNORE,
  packSamples,
  pairSample,
  regionPartLabels,
  TRAIN_HEAD_DEFAULTS,
  trainHead,
  unpackSamples,
} from "./region_head.ts";

const tiny = { ...REGION_HEAD_DEFAULTS, tokenDim: 6, dim: 8, heads: 2, layers: 1, mlpRatio: 2 };

function sample(m: number, n: number, seed: number): HeadSample {
  const F = headInputSize(tiny);
  const x = (k: number, s: number) =>
    Float32Array.from({ length: k * F }, (_, i) => Math.sin(s * 3.3 + i * 0.71));
  const la = Int32Array.from({ length: m }, (_, i) => i % 3),
    lb = Int32Array.from({ length: n }, (_, i) => (i + 1) % 4);
  lb[0] = IGNORE;
  return { m, n, xa: x(m, seed), xb: x(n, seed + 1), la, lb };
}

Deno.test("region head grad: the training forward gives headScores' scores, and its gradients match finite differences", () => {
  const P = initHeadParams(tiny, 5);
  const s = sample(4, 5, 1), t = headTargets(s.la, s.lb);
  const lossOf = () => {
    const f = headForward(P, tiny, s.xa, s.m, s.xb, s.n, zeroGrads(P));
    return dualSoftmaxLoss(f.scores, s.m, s.n, f.dustbin, t).loss;
  };
  const G = zeroGrads(P);
  const f = headForward(P, tiny, s.xa, s.m, s.xb, s.n, G);
  const ref = headScores({ config: tiny, params: P, backbone: { name: "", sha256: "" } }, s.xa, 4, s.xb, 5);
  for (let k = 0; k < 20; k++) {
    assert(Math.abs(f.scores[k] - ref.scores[k]) < 1e-5 * Math.max(1, Math.abs(ref.scores[k])), `score ${k}`);
  }
  const l = dualSoftmaxLoss(f.scores, s.m, s.n, f.dustbin, t);
  f.back(l.dS, l.dAlpha);
  let checked = 0;
  for (
    const name of [
      "enc.w1",
      "enc.b1",
      "l0.self.q",
      "l0.self.k",
      "l0.cross.v",
      "l0.cross.o",
      "l0.cross.m1",
      "final.w",
      "dustbin",
      "prior",
    ]
  ) {
    const p = P.get(name)!, g = G.get(name)!;
    for (const i of [0, Math.floor(p.length / 2), p.length - 1]) {
      const old = p[i], h = 1e-2;
      p[i] = old + h;
      const up = lossOf();
      p[i] = old - h;
      const down = lossOf();
      p[i] = old;
      const num = (up - down) / (2 * h);
      assert(
        Math.abs(num - g[i]) <= 2e-3 + 0.05 * Math.abs(num),
        `${name}[${i}]: numeric ${num} vs backward ${g[i]}`,
      );
      checked++;
    }
  }
  assertEquals(checked, 30);
});

Deno.test("region head loss: several positives share the mass; a region with none goes to the dustbin; ignored ones count nothing", () => {
  const la = Int32Array.of(0, 1, 2), lb = Int32Array.of(0, 0, 3, IGNORE);
  const t = headTargets(la, lb);
  // Row 0 (part 0): both target regions of part 0 are positives; rows 1, 2: the dustbin.
  assertEquals([...t.rowPos.subarray(0, 5)], [1, 1, 0, 0, 0]);
  assertEquals([...t.rowPos.subarray(5, 10)], [0, 0, 0, 0, 1]);
  assertEquals([...t.colOn], [1, 1, 1, 0]);
  assertEquals(t.colPos[3 * 4 + 2], 1); // target region 2 (part 3): dustbin
  // Perfect scores give a small loss, reversed ones a large loss.
  const good = new Float32Array(12), bad = new Float32Array(12);
  for (let p = 0; p < 3; p++) {
    for (let q = 0; q < 4; q++) {
      good[p * 4 + q] = la[p] === lb[q] ? 10 : -10;
      bad[p * 4 + q] = la[p] === lb[q] ? -10 : 10;
    }
  }
  assert(dualSoftmaxLoss(good, 3, 4, 0, t).loss < 0.05);
  assert(dualSoftmaxLoss(bad, 3, 4, 0, t).loss > 5);
});

Deno.test("region head training: the loss falls on exact toy tokens, the held-out accuracy rises, same seed same bytes", () => {
  const pairs = [0, 1, 2, 3, 4].map((seed) => toyPair(192, seed));
  const t0 = oracleTokens(pairs[0].a.seg, pairs[0].a.labelOfSeg, pairs[0].b.seg, pairs[0].b.labelOfSeg);
  // Without the hand-set prior: exact tokens would make it right from the start; this checks the network learns.
  const cfg = { ...tiny, tokenDim: t0.dim, dim: 16, prior: false };
  const samples = pairs.map(({ a, b }) =>
    pairSample(a, b, oracleTokens(a.seg, a.labelOfSeg, b.seg, b.labelOfSeg), cfg, 0.5)
  );
  assert(samples.every((s) => s.m > 5 && s.n > 5));
  const o = { ...TRAIN_HEAD_DEFAULTS, epochs: 30, batch: 2, lr: 3e-3, valShare: 0.2 };
  const losses: number[] = [];
  const before = evaluateHead(initHeadParams(cfg, o.seed), cfg, samples.slice(4));
  const P = trainHead(samples, cfg, o, (i) => losses.push(i.loss));
  const after = evaluateHead(P, cfg, samples.slice(4));
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  assert(
    mean(losses.slice(-6)) < 0.6 * mean(losses.slice(0, 6)),
    `loss ${mean(losses.slice(0, 6))} -> ${mean(losses.slice(-6))}`,
  );
  assert(after.accuracy > before.accuracy, `held-out accuracy ${before.accuracy} -> ${after.accuracy}`);
  const again = trainHead(samples, cfg, { ...o, epochs: 2 }),
    again2 = trainHead(samples, cfg, { ...o, epochs: 2 });
  for (const [n, v] of again) assertEquals([...v], [...again2.get(n)!], n);
  // Resuming from an epoch's checkpoint gives the same bytes as the run straight through.
  let ckpt: HeadTrainState | undefined;
  trainHead(samples, cfg, { ...o, epochs: 2 }, () => {}, { checkpoint: (s) => ckpt ??= s });
  const resumed = trainHead(samples, cfg, { ...o, epochs: 2 }, () => {}, { resume: ckpt });
  for (const [n, v] of again) assertEquals([...v], [...resumed.get(n)!], n);
});

Deno.test("region head samples: part labels by majority, the cache round trips, a truncated cache is refused", () => {
  const { a, b } = toyPair(192, 7);
  const tokens = oracleTokens(a.seg, a.labelOfSeg, b.seg, b.labelOfSeg);
  const cfg = { ...tiny, tokenDim: tokens.dim };
  const s = pairSample(a, b, tokens, cfg, 0.5);
  const known = [...s.la, ...s.lb].filter((l) => l !== IGNORE);
  assert(known.length > 0.9 * (s.m + s.n), "most regions are labelled");
  const set = {
    width: 4,
    height: 1,
    labels: Int32Array.of(1, 1, 1, 2),
    count: 2,
    background: new Uint8Array(3),
  };
  const seg = { width: 4, height: 1, data: Int32Array.of(5, 5, 6, 0) }; // region 2 is all stroke
  assertEquals([...regionPartLabels(set, [1, 2], seg, new Map([[5, 3], [6, 4]]), 0.5)], [3, IGNORE]);
  assertEquals([...regionPartLabels(set, [1], seg, new Map([[5, 3], [6, 4]]), 0.7)], [IGNORE]);
  const F = headInputSize(cfg);
  const bytes = packSamples([s, s], F);
  const back = unpackSamples(bytes, F);
  assertEquals(back.length, 2);
  assertEquals([...back[1].xb], [...s.xb]);
  assertEquals([...back[0].lb], [...s.lb]);
  assertThrows(() => unpackSamples(bytes.subarray(0, bytes.length - 4), F), RangeError);
});
