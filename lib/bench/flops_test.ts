import * as tf from "@tensorflow/tfjs-core";
import { assertEquals } from "../testing/asserts.ts";
import { initBackend } from "../model/backend.ts";
import { modelConfig, patchDim, tokensOf } from "../model/config.ts";
import { modelFlops } from "../model/flops.ts";
import { PatchSimilarityModel } from "../model/model.ts";
import { pairGram, setKernelMode } from "../model/ops.ts";
import { contrastiveLoss, sampleBatch } from "../train/loss.ts";
import { Rng } from "../util/rng.ts";

// The tiny config of lib/model/flops_test.ts (its hand count).
const tiny = modelConfig("small", { inputSize: 8, patch: 4, dim: 8, heads: 2, vitLayers: 1, mtLayers: 1 });

/** Multiply-adds of the matrix-product kernels tfjs ran inside `f` (any transpose flags, batch broadcasting). */
async function profiledMacs(f: () => tf.TensorContainer): Promise<number> {
  const info = await tf.profile(f);
  let macs = 0;
  for (const k of info.kernels) {
    if (k.name !== "BatchMatMul" && k.name !== "_FusedMatMul") continue;
    const a = k.inputShapes[0], out = k.outputShapes[0];
    // out = [..batch, m, n]; A = [..batchA, m, k] or [..batchA, k, m]: A's last two dims hold m * k.
    const outSize = out.reduce((x, y) => x * y, 1), aMat = a[a.length - 1] * a[a.length - 2];
    macs += (outSize * aMat) / out[out.length - 2];
  }
  return macs;
}

Deno.test("modelFlops: equals the products tfjs runs in a forward pass and a training step (tf flavour)", async () => {
  await initBackend({ backend: "wasm", blas: "off", log: null });
  setKernelMode("tf"); // every product through tf.matMul, so the profiler sees them all
  try {
    const pairs = 2, N = tokensOf(tiny), rng = new Rng(5);
    const m = PatchSimilarityModel.create(tiny, 3);
    const x = tf.tensor2d(
      Float32Array.from({ length: 2 * pairs * N * patchDim(tiny) }, () => rng.float()),
      [2 * pairs * N, patchDim(tiny)],
    );
    const fwd = await profiledMacs(() => tf.tidy(() => pairGram(m.features(x, 2 * pairs), pairs)));
    const labels = Int32Array.from({ length: pairs * 2 * N }, () => rng.int(0, 3));
    const sample = sampleBatch(labels, pairs, { positives: 8, negatives: 4, tau: 0.1 }, rng);
    const train = await profiledMacs(() =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => contrastiveLoss(m.features(x, 2 * pairs), sample, pairs, 0.1),
          m.variables(),
        );
        return [value, ...Object.values(grads)];
      })
    );
    const f = modelFlops(tiny);
    assertEquals(2 * fwd, pairs * f.inferPerPair);
    assertEquals(2 * train, pairs * f.trainPerPair);
    x.dispose();
    m.dispose();
  } finally {
    setKernelMode("auto");
  }
});
