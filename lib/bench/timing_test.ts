import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../testing/asserts.ts";
import { initBackend } from "../model/backend.ts";
import { modelConfig } from "../model/config.ts";
import { PatchSimilarityModel } from "../model/model.ts";
import { meanRun, median, timeInfer, timeTrain } from "./timing.ts";

// A tiny config: 8x8 input, 4 px patches -> N = 4 tokens, d = 8, 2 heads, 1 ViT + 1 Multiplex layer.
const tiny = modelConfig("small", { inputSize: 8, patch: 4, dim: 8, heads: 2, vitLayers: 1, mtLayers: 1 });

Deno.test("meanRun, timeTrain and timeInfer measure a tiny model", async () => {
  await initBackend({ backend: "wasm", blas: "off", log: null });
  const m = meanRun({ pairsPerS: 4, wallSPerStep: 1, cpuSPerStep: 1 }, {
    pairsPerS: 2,
    wallSPerStep: 2,
    cpuSPerStep: null,
  });
  assertEquals([m.pairsPerS, m.wallSPerStep, m.cpuSPerStep], [4 / 1.5, 1.5, null]);
  const before = tf.memory().numTensors;
  const t = await timeTrain(tiny, 2, 2);
  const model = PatchSimilarityModel.create(tiny, 1);
  const i = await timeInfer(model, 2, 2);
  model.dispose();
  assertEquals(tf.memory().numTensors, before, "tensors leaked");
  for (const r of [t, i]) {
    assert(r.pairsPerS > 0 && Math.abs(r.pairsPerS * r.wallSPerStep - 2) < 1e-9, JSON.stringify(r));
    assert(r.cpuSPerStep === null || r.cpuSPerStep >= 0);
  }
});

Deno.test("median: odd, even, none", () => {
  assertEquals(median([3, 1, 2]), 2);
  assertEquals(median([4, 1, 2, 3]), 2.5);
  assert(Number.isNaN(median([])));
});
