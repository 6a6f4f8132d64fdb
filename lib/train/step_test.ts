import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../testing/asserts.ts";
import { initBackend } from "../model/backend.ts";
import { modelConfig, patchDim, tokensOf } from "../model/config.ts";
import { decays, PatchSimilarityModel } from "../model/model.ts";
import { setKernelMode } from "../model/ops.ts";
import { Rng } from "../util/rng.ts";
import { AdamW, ADAMW_DEFAULTS } from "./adamw.ts";
import { sampleBatch } from "./loss.ts";
import { trainStep } from "./step.ts";

await initBackend({ backend: "wasm", blas: "off", log: null });

const tiny = modelConfig("small", { inputSize: 32, patch: 8, dim: 16, heads: 2, vitLayers: 1, mtLayers: 1 });

function batch(rng: Rng, pairs: number) {
  const N = tokensOf(tiny);
  return {
    pairs,
    patches: Float32Array.from({ length: 2 * pairs * N * patchDim(tiny) }, () => rng.float()),
    labels: Int32Array.from({ length: pairs * 2 * N }, () => rng.int(-1, 4)),
  };
}

Deno.test("trainStep: no tensor leaks, loss falls on a fixed batch, both kernel flavours give the same step", () => {
  const losses: Record<string, number[]> = {};
  for (const mode of ["fast", "tf"] as const) {
    setKernelMode(mode);
    const m = PatchSimilarityModel.create(tiny, 1);
    const opt = new AdamW(m.params, ADAMW_DEFAULTS, decays);
    const rng = new Rng(2);
    const b = batch(rng, 2);
    const sample = sampleBatch(b.labels, 2, { positives: 16, negatives: 8, tau: 0.1 }, new Rng(3));
    trainStep(m, opt, b, sample, 1e-3, 1, 0.1); // first step creates nothing that persists beyond m and opt
    const before = tf.memory().numTensors;
    losses[mode] = [];
    for (let s = 0; s < 15; s++) losses[mode].push(trainStep(m, opt, b, sample, 1e-3, 1, 0.1).loss);
    assertEquals(tf.memory().numTensors, before, `tensors leaked in ${mode}`);
    assertEquals(before, 3 * m.params.size); // parameters and both moments, nothing else
    opt.dispose();
    m.dispose();
  }
  setKernelMode("auto");
  const l = losses.fast;
  assert(l[l.length - 1] < l[0] * 0.8, `loss did not fall: ${l[0]} -> ${l[l.length - 1]}`);
  losses.fast.forEach((v, i) =>
    assert(Math.abs(v - losses.tf[i]) < 1e-3 * Math.max(1, Math.abs(v)), `step ${i}: ${v} vs ${losses.tf[i]}`)
  );
});
