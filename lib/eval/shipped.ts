/**
 * The shipped model: where it lives (`DEFAULT_WEIGHTS`, the default of `--weights` in `evaluate` and `ablate`
 * and the model the notebooks show) and how the evaluation loads a weights folder. lib/model (and tfjs) is
 * imported only when a model is loaded, so runs without one never load it.
 *
 * @module
 */
import * as path from "node:path";
import type { ModelConfig } from "../model/config.ts";
import { UserError } from "../util/errors.ts";
import { existsSync } from "../util/fs.ts";
import { repoPath } from "../util/paths.ts";
import type { SimilarityModel } from "./predictors.ts";

/** The shipped model's folder, relative to the repository root. */
export const DEFAULT_WEIGHTS = "experiments/small-v1";

/**
 * The shipped model's folder (absolute) when it holds a model.json, else null. `MANGAMATCH_WEIGHTS=DIR` points
 * elsewhere; `MANGAMATCH_WEIGHTS=none` acts as if no model shipped (how the notebooks' no-model path is run).
 *
 * @example
 * ```ts
 * const w = defaultWeights(); // "/…/experiments/small-v1" or null before a model ships
 * ```
 */
export function defaultWeights(): string | null {
  const env = Deno.env.get("MANGAMATCH_WEIGHTS");
  if (env === "none") return null;
  const dir = env ? path.resolve(env) : repoPath(DEFAULT_WEIGHTS);
  return existsSync(path.join(dir, "model.json")) ? dir : null;
}

/** A loaded model and where it came from. */
export interface LoadedModel {
  model: SimilarityModel & { dispose(): void; config: ModelConfig };
  dir: string;
}

/**
 * Loads the model of a weights folder on a tfjs backend (`auto`, `webgpu`, `tensorflow`, `wasm`, `cpu`). The folder is
 * verified (config, shapes, checksum) before the backend starts, so a bad folder is one fast error line.
 *
 * @example
 * ```ts
 * const { model } = await loadEvalModel("experiments/small-v1");
 * const sim = await model.similarity(lineA, lineB);
 * model.dispose();
 * ```
 */
export async function loadEvalModel(
  dir: string,
  backend = "auto",
  opts: { log?: ((line: string) => void) | null } = {},
): Promise<LoadedModel> {
  if (!existsSync(dir)) throw new UserError("weights folder not found", dir);
  const m = await import("../model/mod.ts");
  await m.loadWeights(dir);
  const kind = m.BACKEND_KINDS.find((k) => k === backend);
  if (!kind) {
    throw new UserError(
      `--backend must be one of ${m.BACKEND_KINDS.join("|")}, got ${JSON.stringify(backend)}`,
    );
  }
  await m.initBackend({ backend: kind, ...(opts.log !== undefined ? { log: opts.log } : {}) });
  return { model: await m.loadModel(dir), dir };
}
