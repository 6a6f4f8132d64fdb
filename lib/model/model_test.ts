import * as tf from "@tensorflow/tfjs-core";
import { assert, assertAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { initBackend } from "./backend.ts";
import { modelConfig, tokensOf } from "./config.ts";
import { initialValues, paramCount, patchify, PatchSimilarityModel } from "./model.ts";
import { setKernelMode } from "./ops.ts";
import { block } from "./similarity.ts";

await initBackend({ backend: "wasm", blas: "off", log: null });

const tiny = modelConfig("small", { inputSize: 32, patch: 16, dim: 8, heads: 2, vitLayers: 1, mtLayers: 1 });

function randomLine(rng: Rng, w: number, h: number) {
  const data = new Uint8Array(w * h).fill(255);
  for (let i = 0; i < data.length; i++) if (rng.bool(0.2)) data[i] = 0;
  return { width: w, height: h, data };
}

Deno.test("patchify: grayscale patches in (y, x) order, ink = 1", () => {
  const c = modelConfig("small", { inputSize: 4, patch: 2, dim: 4, heads: 1 });
  // 4x4 image, pixel value = index * 17 (0..255)
  const img = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
  const p = patchify([img], c);
  assertEquals(p.length, 4 * 4);
  // patch (0, 1) = pixels (0,2), (0,3), (1,2), (1,3) = indices 2, 3, 6, 7
  const expect = [2, 3, 6, 7].map((i) => 1 - (i * 17) / 255);
  expect.forEach((v, k) => assertAlmostEquals(p[4 + k], v, 1e-6));
});

Deno.test("patchify: RGB mode repeats gray in three ImageNet-normalised channels", () => {
  const c = modelConfig("small", { inputSize: 2, patch: 2, dim: 4, heads: 1, channels: 3 });
  const p = patchify([new Uint8Array([255, 255, 0, 0])], c);
  assertEquals(p.length, 12);
  assertAlmostEquals(p[0], (1 - 0.485) / 0.229, 1e-5); // R, white pixel
  assertAlmostEquals(p[4 + 2], (0 - 0.456) / 0.224, 1e-5); // G, black pixel (2, in row 1)
  assertAlmostEquals(p[8 + 3], (0 - 0.406) / 0.225, 1e-5); // B
});

Deno.test("paramCount: the small preset has ~1.66 M parameters (peer's shape)", () => {
  // 8 blocks x (12 d^2 + 13 d) + embed (256 d + d) + pos (256 d) + final norm (2 d), d = 128
  const d = 128;
  assertEquals(paramCount(modelConfig("small")), 8 * (12 * d * d + 13 * d) + 257 * d + 256 * d + 2 * d);
});

Deno.test("initialValues: deterministic by seed, truncated at 2 std", () => {
  const a = initialValues(tiny, 3), b = initialValues(tiny, 3), c = initialValues(tiny, 4);
  assertEquals(Array.from(a.get("vit.0.qkv.w")!), Array.from(b.get("vit.0.qkv.w")!));
  assert(Array.from(a.get("vit.0.qkv.w")!).some((v, i) => v !== c.get("vit.0.qkv.w")![i]));
  assert(Array.from(a.get("pos")!).every((v) => Math.abs(v) <= 2 * tiny.initStd + 1e-9));
  assertEquals(Array.from(a.get("vit.0.ln1.g")!), new Array(8).fill(1));
});

Deno.test("similarity: [2N, 2N] cosine, unit diagonal, symmetric; letterboxes any size; no tensor leaks", async () => {
  const m = PatchSimilarityModel.create(tiny, 1);
  const rng = new Rng(5);
  const before = tf.memory().numTensors;
  const sim = await m.similarity(randomLine(rng, 50, 30), randomLine(rng, 20, 20));
  assertEquals(tf.memory().numTensors, before);
  assertEquals(sim.n, 4);
  assertEquals(sim.grid, 2);
  assertEquals(sim.cosine.length, 64);
  for (let i = 0; i < 8; i++) {
    assertAlmostEquals(sim.cosine[i * 8 + i], 1, 1e-5);
    for (let j = 0; j < 8; j++) assertAlmostEquals(sim.cosine[i * 8 + j], sim.cosine[j * 8 + i], 1e-5);
  }
  assertEquals(sim.boxA.srcWidth, 50);
  assertEquals(sim.boxA.size, 32);
  m.dispose();
});

Deno.test("pairTokens: unnormalised tokens whose normalised Gram is the similarity; no tensor leaks", async () => {
  const m = PatchSimilarityModel.create(tiny, 2);
  const rng = new Rng(9);
  const a = randomLine(rng, 40, 40), b = randomLine(rng, 32, 24);
  const before = tf.memory().numTensors;
  const t = await m.pairTokens(a, b);
  assertEquals(tf.memory().numTensors, before);
  assertEquals([t.dim, t.grid, t.normalized, t.tokens.length], [8, 2, false, 8 * 8]);
  const sim = await m.similarity(a, b);
  const norm = (i: number) => Math.hypot(...t.tokens.subarray(i * 8, i * 8 + 8));
  let unit = true;
  for (let i = 0; i < 8; i++) {
    if (Math.abs(norm(i) - 1) > 1e-3) unit = false;
    for (let j = 0; j < 8; j++) {
      let dot = 0;
      for (let k = 0; k < 8; k++) dot += t.tokens[i * 8 + k] * t.tokens[j * 8 + k];
      assertAlmostEquals(dot / (norm(i) * norm(j)), sim.cosine[i * 8 + j], 1e-4);
    }
  }
  assert(!unit, "tokens are returned before L2 normalisation");
  m.dispose();
});

Deno.test("similarity: swapping the two images swaps the blocks (shared weights in both directions)", async () => {
  const m = PatchSimilarityModel.create(tiny, 2);
  const rng = new Rng(6);
  const a = randomLine(rng, 32, 32), b = randomLine(rng, 32, 32);
  const ab = await m.similarity(a, b), ba = await m.similarity(b, a);
  const n = ab.n;
  const close = (x: Float32Array, y: Float32Array) => x.every((v, i) => Math.abs(v - y[i]) < 1e-5);
  assert(close(block(ab.cosine, n, "ab"), block(ba.cosine, n, "ba")));
  assert(close(block(ab.cosine, n, "aa"), block(ba.cosine, n, "bb")));
  m.dispose();
});

Deno.test("features: fast and tf kernel flavours agree on a forward pass", () => {
  const m = PatchSimilarityModel.create(tiny, 3);
  const rng = new Rng(7);
  const imgs = [0, 1, 2, 3].map(() => randomLine(rng, 32, 32).data);
  const x = patchify(imgs, tiny);
  const run = () => tf.tidy(() => m.features(tf.tensor2d(x, [4 * tokensOf(tiny), 256]), 4).dataSync());
  setKernelMode("fast");
  const f1 = run();
  setKernelMode("tf");
  const f2 = run();
  setKernelMode("auto");
  f1.forEach((v, i) => assertAlmostEquals(v, f2[i], 1e-5));
  m.dispose();
});
