import { assert, assertEquals, assertRejects, assertThrows } from "../testing/asserts.ts";
import {
  headInputSize,
  headParamShapes,
  headScores,
  initHeadParams,
  loadRegionHead,
  REGION_HEAD_DEFAULTS,
  type RegionHead,
  resolveRegionHead,
  saveRegionHead,
} from "./region_head.ts";
import { matchRegionSets } from "./region_matcher.ts";
import { oracleTokens } from "./test_tokens.ts";
import { toyPair } from "./toy_pair.ts";
import { pairRegionSets } from "./pipeline.ts";

const tiny = { ...REGION_HEAD_DEFAULTS, tokenDim: 8, dim: 16, heads: 2, layers: 1 };
const head = (seed = 1): RegionHead => ({
  config: tiny,
  params: initHeadParams(tiny, seed),
  backbone: { name: "toy", sha256: "a".repeat(64) },
});
const inputs = (k: number, seed: number) => {
  const F = headInputSize(tiny), x = new Float32Array(k * F);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(seed * 7.1 + i * 0.37);
  return x;
};

Deno.test("region head: shapes of parameters, inputs and scores; same seed, same parameters", () => {
  const F = headInputSize(tiny);
  assertEquals(F, 2 * 8 + 7 + 4 * 3);
  const shapes = headParamShapes(tiny);
  assertEquals(shapes[0], ["enc.w1", [F, 16]]);
  assertEquals(shapes.at(-2), ["dustbin", [1]]);
  assertEquals(shapes.at(-1), ["prior", [4]]);
  assertEquals(shapes.length, 4 + 2 * 9 + 3);
  assertEquals(headParamShapes({ ...tiny, prior: false }).length, 4 + 2 * 9 + 2);
  const h = head();
  for (const [name, shape] of shapes) {
    assertEquals(
      h.params.get(name)!.length,
      shape.reduce((a, b) => a * b, 1),
      name,
    );
  }
  assertEquals([...initHeadParams(tiny, 1).get("enc.w1")!], [...h.params.get("enc.w1")!]);
  const s = headScores(h, inputs(5, 1), 5, inputs(3, 2), 3);
  assertEquals(s.scores.length, 15);
  assert(s.scores.every(Number.isFinite));
  assertThrows(() => headScores(h, inputs(5, 1), 4, inputs(3, 2), 3), RangeError);
});

Deno.test("region head: permuting the regions of one drawing permutes the scores (no order dependence)", () => {
  const h = head(2), F = headInputSize(tiny);
  const xa = inputs(4, 3), xb = inputs(3, 4);
  const perm = [2, 0, 3, 1], xp = new Float32Array(xa.length);
  perm.forEach((src, dst) => xp.set(xa.subarray(src * F, (src + 1) * F), dst * F));
  const s = headScores(h, xa, 4, xb, 3).scores, sp = headScores(h, xp, 4, xb, 3).scores;
  perm.forEach((src, dst) => {
    for (let q = 0; q < 3; q++) assert(Math.abs(sp[dst * 3 + q] - s[src * 3 + q]) < 1e-5);
  });
});

Deno.test("region head: weights round trip; a head for another backbone or a corrupt file is refused in one line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const h = head(3);
    await saveRegionHead(dir, h, { command: "test" });
    const back = await loadRegionHead(dir, { backboneSha256: "a".repeat(64) });
    for (const [n, v] of h.params) assertEquals([...back.params.get(n)!], [...v], n);
    assertEquals(back.training, { command: "test" });
    const xa = inputs(4, 5), xb = inputs(6, 6);
    assertEquals([...headScores(back, xa, 4, xb, 6).scores], [...headScores(h, xa, 4, xb, 6).scores]);
    const e = await assertRejects(() =>
      loadRegionHead(dir, { backboneSha256: "b".repeat(64), backboneName: "small-v2" })
    );
    assert(/trained for backbone toy .*not small-v2/.test((e as Error).message), (e as Error).message);
    assert(!(e as Error).message.includes("\n"));
    // auto: a model folder whose sha differs gets no head (the hand-set matcher), an explicit folder is refused.
    const model = await Deno.makeTempDir();
    await Deno.writeTextFile(`${model}/model.json`, JSON.stringify({ weightsSha256: "c".repeat(64) }));
    assertEquals(await resolveRegionHead("auto", model, dir), null);
    assertEquals(await resolveRegionHead("none", model, dir), null);
    await assertRejects(() => resolveRegionHead(dir, model, dir), Error, "trained for backbone");
    await Deno.writeTextFile(`${model}/model.json`, JSON.stringify({ weightsSha256: "a".repeat(64) }));
    assert((await resolveRegionHead("auto", model, dir)) !== null);
    await Deno.remove(model, { recursive: true });
    const bytes = await Deno.readFile(`${dir}/weights.bin`);
    bytes[10] ^= 1;
    await Deno.writeFile(`${dir}/weights.bin`, bytes);
    await assertRejects(() => loadRegionHead(dir), Error, "checksum mismatch");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("region head: plugged into the region matcher on a toy pair, every target region still gets a source", () => {
  const { a, b } = toyPair(256, 2);
  const tokens = oracleTokens(a.seg, a.labelOfSeg, b.seg, b.labelOfSeg);
  const cfg = { ...tiny, tokenDim: tokens.dim };
  const h: RegionHead = {
    config: cfg,
    params: initHeadParams(cfg, 0),
    backbone: { name: "toy", sha256: "" },
  };
  const sets = pairRegionSets(a.line, b.line, tokens);
  const r = matchRegionSets(sets.a, sets.b, tokens, { head: h });
  assert(r.timings.head >= 0, "head stage timed");
  let sourced = 0, fg = 0;
  for (let j = 1; j <= sets.b.count; j++) {
    if (sets.b.background[j]) continue;
    fg++;
    if (r.colourSource[j] > 0) sourced++;
  }
  assertEquals(sourced, fg);
  // A head whose token width is not the tokens' is one clear error.
  const wrong: RegionHead = { ...h, config: { ...cfg, tokenDim: cfg.tokenDim + 1 } };
  wrong.params = initHeadParams(wrong.config, 0);
  assertThrows(() => matchRegionSets(sets.a, sets.b, tokens, { head: wrong }), Error, "another backbone");
});
