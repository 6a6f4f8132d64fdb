/**
 * Weights on disk as a tfjs weights manifest: `model.json` (format, the model config, a `weightsManifest` in
 * tfjs's layout, the byte length and sha256 of the weights file, optional training metadata) beside
 * `weights.bin` (float32 little-endian, parameters in the canonical order of `paramShapes`).
 *
 * Loading verifies the config, that the manifest holds exactly the parameters the config implies with their
 * shapes, the byte length and the checksum; any mismatch is a one-line {@link UserError} naming the file.
 * The round trip is bit-exact.
 *
 * @module
 */
import * as path from "node:path";
import { UserError } from "../util/errors.ts";
import { atomicWrite, atomicWriteJson, exists, readJson } from "../util/fs.ts";
import { type ModelConfig, validateConfig } from "./config.ts";
import { paramShapes } from "./model.ts";
import { readSafetensors, SAFETENSORS_FILE } from "./safetensors.ts";

/** The format tag written in model.json. */
export const WEIGHTS_FORMAT = "mangamatch/patch-similarity";
/** File names inside a weights folder. */
export const MODEL_JSON = "model.json", WEIGHTS_BIN = "weights.bin";

/** One entry of a tfjs weights manifest. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: "float32";
}

/** What model.json holds. */
export interface ModelJson {
  format: string;
  formatVersion: number;
  modelConfig: ModelConfig;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  weightsBytes: number;
  weightsSha256: string;
  /** Free-form metadata (training run, step, validation figures). */
  training?: Record<string, unknown>;
}

/** Hex sha256 of bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Concatenates parameter values in canonical order into one little-endian float32 buffer. */
export function packWeights(
  config: ModelConfig,
  values: Map<string, Float32Array>,
): { bytes: Uint8Array; specs: WeightSpec[] } {
  const shapes = paramShapes(config);
  const total = shapes.reduce((s, [, sh]) => s + sh.reduce((a, b) => a * b, 1), 0);
  const all = new Float32Array(total);
  const specs: WeightSpec[] = [];
  let o = 0;
  for (const [name, shape] of shapes) {
    const v = values.get(name);
    const n = shape.reduce((a, b) => a * b, 1);
    if (!v || v.length !== n) throw new Error(`packWeights: ${name} needs ${n} values, got ${v?.length}`);
    all.set(v, o);
    o += n;
    specs.push({ name, shape, dtype: "float32" });
  }
  return { bytes: new Uint8Array(all.buffer), specs };
}

/**
 * Writes `model.json` and `weights.bin` into `dir` (each atomically; the weights first, so a model.json on
 * disk never names weights that are not there).
 *
 * @example
 * ```ts
 * await saveWeights("experiments/run1", model.config, model.values(), { step: 4000 });
 * ```
 */
export async function saveWeights(
  dir: string,
  config: ModelConfig,
  values: Map<string, Float32Array>,
  training?: Record<string, unknown>,
): Promise<ModelJson> {
  const { bytes, specs } = packWeights(config, values);
  const json: ModelJson = {
    format: WEIGHTS_FORMAT,
    formatVersion: 1,
    modelConfig: config,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }],
    weightsBytes: bytes.byteLength,
    weightsSha256: await sha256Hex(bytes),
    ...(training ? { training } : {}),
  };
  await atomicWrite(path.join(dir, WEIGHTS_BIN), bytes);
  await atomicWriteJson(path.join(dir, MODEL_JSON), json);
  return json;
}

/** Options of {@link loadWeights}. */
export interface LoadWeightsOptions {
  /** Fields the stored config must have (a preset's shape, say); a difference is an error. */
  expect?: Partial<ModelConfig>;
}

/**
 * Reads and verifies a weights folder (or a model.json path). A `.safetensors` file, or a folder holding
 * `model.safetensors` and no model.json (`deno task export --format safetensors`, or weights converted elsewhere;
 * lib/model/WEIGHTS.md), is read by {@link readSafetensors} with the same checks; its `json` is what a model.json
 * for it would say.
 *
 * @example
 * ```ts
 * const { config, values } = await loadWeights("experiments/small-v1");
 * const st = await loadWeights("models/small-v1-st/model.safetensors");
 * ```
 */
export async function loadWeights(
  dirOrJson: string,
  opts: LoadWeightsOptions = {},
): Promise<{ config: ModelConfig; values: Map<string, Float32Array>; json: ModelJson }> {
  const jsonPath = dirOrJson.endsWith(".json") ? dirOrJson : path.join(dirOrJson, MODEL_JSON);
  if (
    dirOrJson.endsWith(".safetensors") ||
    (!dirOrJson.endsWith(".json") && !(await exists(jsonPath)) &&
      await exists(path.join(dirOrJson, SAFETENSORS_FILE)))
  ) {
    const st = await readSafetensors(dirOrJson);
    checkExpected(st.config, opts.expect, st.file);
    const json: ModelJson = {
      format: WEIGHTS_FORMAT,
      formatVersion: 1,
      modelConfig: st.config,
      weightsManifest: [{
        paths: [path.basename(st.file)],
        weights: paramShapes(st.config).map(([name, shape]) => ({ name, shape, dtype: "float32" })),
      }],
      weightsBytes: st.bytes,
      weightsSha256: st.sha256,
      ...(st.training ? { training: st.training } : {}),
    };
    return { config: st.config, values: st.values, json };
  }
  if (!(await exists(jsonPath))) {
    throw new UserError(
      "no model.json or model.safetensors (expected a folder written by `deno task train` or `export`)",
      jsonPath,
    );
  }
  const json = await readJson<ModelJson>(jsonPath);
  if (json?.format !== WEIGHTS_FORMAT) {
    throw new UserError(`not a ${WEIGHTS_FORMAT} model (format: ${JSON.stringify(json?.format)})`, jsonPath);
  }
  const config = validateConfig(json.modelConfig, jsonPath);
  checkExpected(config, opts.expect, jsonPath);
  const manifest = json.weightsManifest;
  if (
    !Array.isArray(manifest) || manifest.length !== 1 || !Array.isArray(manifest[0]?.paths) ||
    manifest[0].paths.length !== 1
  ) {
    throw new UserError("weightsManifest must have one group with one path", jsonPath);
  }
  const expected = paramShapes(config);
  const specs = manifest[0].weights;
  if (!Array.isArray(specs) || specs.length !== expected.length) {
    throw new UserError(
      `weightsManifest lists ${specs?.length} weights, the config implies ${expected.length}`,
      jsonPath,
    );
  }
  expected.forEach(([name, shape], i) => {
    const s = specs[i];
    if (s?.name !== name || JSON.stringify(s.shape) !== JSON.stringify(shape) || s.dtype !== "float32") {
      throw new UserError(
        `weightsManifest entry ${i} is ${s?.name} ${
          JSON.stringify(s?.shape)
        } ${s?.dtype}, the config implies ${name} ${JSON.stringify(shape)} float32`,
        jsonPath,
      );
    }
  });
  const binPath = path.join(path.dirname(jsonPath), manifest[0].paths[0]);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(binPath);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new UserError("weights file not found", binPath);
    throw e;
  }
  const need = expected.reduce((s, [, sh]) => s + 4 * sh.reduce((a, b) => a * b, 1), 0);
  if (bytes.byteLength !== need || bytes.byteLength !== json.weightsBytes) {
    throw new UserError(
      `weights file has ${bytes.byteLength} bytes, expected ${need} (corrupt or from another model)`,
      binPath,
    );
  }
  const sum = await sha256Hex(bytes);
  if (sum !== json.weightsSha256) {
    throw new UserError(
      `checksum mismatch (sha256 ${sum.slice(0, 12)}..., model.json says ${
        String(json.weightsSha256).slice(0, 12)
      }...): file corrupt`,
      binPath,
    );
  }
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const values = new Map<string, Float32Array>();
  let o = 0;
  for (const [name, shape] of expected) {
    const n = shape.reduce((a, b) => a * b, 1);
    values.set(name, all.slice(o, o + n));
    o += n;
  }
  return { config, values, json };
}

/** Throws when a loaded config differs from the fields a caller expects. */
function checkExpected(config: ModelConfig, expect: Partial<ModelConfig> | undefined, file: string): void {
  for (const [k, v] of Object.entries(expect ?? {})) {
    if (JSON.stringify((config as unknown as Record<string, unknown>)[k]) !== JSON.stringify(v)) {
      throw new UserError(
        `config mismatch: ${k} is ${
          JSON.stringify((config as unknown as Record<string, unknown>)[k])
        }, expected ${JSON.stringify(v)}`,
        file,
      );
    }
  }
}
