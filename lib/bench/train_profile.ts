/**
 * Where the time of one training step goes, kernel by kernel (`profileKernels` of `lib/native`), on the backend
 * `initBackend` picks (the native path when OpenBLAS loads). The benchmark batch and model of `bench:train`.
 *
 * ```sh
 * deno run -A lib/bench/train_profile.ts [--batch 4] [--shapes] [--top 30] [--blas off]
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../model/backend.ts";
import { modelConfig, patchDim, tokensOf } from "../model/config.ts";
import { decays, PatchSimilarityModel } from "../model/model.ts";
import { formatProfile, profileKernels } from "../native/mod.ts";
import { AdamW, ADAMW_DEFAULTS } from "../train/adamw.ts";
import { contrastiveLoss, LOSS_DEFAULTS, sampleBatch } from "../train/loss.ts";
import { Rng } from "../util/rng.ts";

/**
 * Profiles `steps` training steps (forward, loss, backward; no optimizer update) after one warm-up and returns the
 * formatted table.
 *
 * @example
 * ```ts
 * console.log(await profileTrainStep({ batch: 4, shapes: false, top: 30 }));
 * ```
 */
export async function profileTrainStep(
  o: { batch: number; shapes: boolean; top: number; blas?: "auto" | "off"; preset?: string },
): Promise<string> {
  const info = await initBackend({ backend: "wasm", blas: o.blas ?? "auto", log: null });
  const cfg = modelConfig((o.preset ?? "small") as "small");
  const model = PatchSimilarityModel.create(cfg, 1);
  const opt = new AdamW(model.params, ADAMW_DEFAULTS, decays);
  const N = tokensOf(cfg), rng = new Rng(1).fork("bench-train");
  const patches = new Float32Array(2 * o.batch * N * patchDim(cfg)).map(() => rng.float());
  const labels = Int32Array.from({ length: o.batch * 2 * N }, () => rng.int(0, 24));
  const x = tf.tensor2d(patches, [2 * o.batch * N, patchDim(cfg)]);
  const sample = sampleBatch(labels, o.batch, LOSS_DEFAULTS, rng);
  const step = () => {
    const { value, grads } = tf.variableGrads(
      () => contrastiveLoss(model.features(x, 2 * o.batch), sample, o.batch, LOSS_DEFAULTS.tau),
      model.variables(),
    );
    value.dataSync();
    value.dispose();
    for (const g of Object.values(grads)) g.dispose();
  };
  step();
  const p = await profileKernels(step, { byShape: o.shapes });
  const t0 = performance.now();
  step();
  const plain = performance.now() - t0;
  x.dispose();
  opt.dispose();
  model.dispose();
  return `${info.line}\nunprofiled step: ${plain.toFixed(1)} ms\n${formatProfile(p, o.top)}`;
}

if (import.meta.main) {
  const a = Deno.args;
  const val = (k: string, d: string) => (a.includes(k) ? a[a.indexOf(k) + 1] : d);
  console.log(
    await profileTrainStep({
      batch: Number(val("--batch", "4")),
      shapes: a.includes("--shapes"),
      top: Number(val("--top", "30")),
      blas: val("--blas", "auto") as "auto" | "off",
    }),
  );
}
