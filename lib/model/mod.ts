/**
 * The patch-similarity model: presets, backend selection, the model, weights I/O and the similarity contract.
 *
 * @example
 * ```ts
 * import { initBackend, loadModel } from "./lib/model/mod.ts";
 * await initBackend();
 * const model = await loadModel("experiments/small-v1");
 * const sim = await model.similarity(lineA, lineB); // PairSimilarity: cosine [2N, 2N]
 * model.dispose();
 * ```
 *
 * @module
 */
import { gridOf, type ModelConfig, validateConfig } from "./config.ts";
import { PatchSimilarityModel } from "./model.ts";
import { resizePosEmbed } from "./pos_embed.ts";
import { loadWeights, type LoadWeightsOptions } from "./weights.ts";

export * from "./config.ts";
export * from "./backend.ts";
export * from "./flops.ts";
export {
  decays,
  IMAGENET_MEAN,
  IMAGENET_STD,
  initialValues,
  paramCount,
  paramShapes,
  patchify,
  PatchSimilarityModel,
} from "./model.ts";
export { type KernelMode, kernelMode, setKernelMode } from "./ops.ts";
export { resizePosEmbed } from "./pos_embed.ts";
export * from "./similarity.ts";
export * from "./weights.ts";
export {
  type AdapterProbe,
  GpuError,
  gpuGuard,
  onWebgpu,
  probeAdapter,
  SOFTWARE_ENV,
  webgpuMatmulPeak,
} from "./webgpu.ts";

/** The model type that `loadModel` returns. */
export type Model = PatchSimilarityModel;

/** Options of {@link loadModel}. */
export interface LoadModelOptions extends LoadWeightsOptions {
  /**
   * Run at another input size than the weights were trained at: the position embeddings are resized
   * bicubically to the new patch grid.
   */
  inputSize?: number;
}

/**
 * Loads a model from a folder holding `model.json` + `weights.bin`, verifying config and checksum. Call
 * {@link initBackend} first (otherwise tfjs's default backend runs).
 *
 * @example
 * ```ts
 * const model = await loadModel("experiments/small-v1", { inputSize: 512 });
 * ```
 */
export async function loadModel(dir: string, opts: LoadModelOptions = {}): Promise<Model> {
  const { config, values } = await loadWeights(dir, opts);
  let cfg: ModelConfig = config;
  if (opts.inputSize !== undefined && opts.inputSize !== config.inputSize) {
    cfg = validateConfig({ ...config, inputSize: opts.inputSize });
    const g = gridOf(config), g2 = gridOf(cfg);
    values.set("pos", resizePosEmbed(values.get("pos")!, g, g2, config.dim));
  }
  return new PatchSimilarityModel(cfg, values);
}
