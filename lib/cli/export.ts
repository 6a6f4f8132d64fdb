/**
 * `deno task export`: writes a weights folder (`model.json` + `weights.bin`, a tfjs weights manifest with the
 * config and a sha256; or, with `--format safetensors`, `model.safetensors` + `config.json` with torch names and
 * layouts, lib/model/WEIGHTS.md) from a training run's latest checkpoint, or re-exports an existing weights
 * folder or `.safetensors` file (optionally at another input size, with bicubically resized position
 * embeddings). The result is verified by loading it back.
 *
 * @module
 */
import * as path from "node:path";
import { type ModelConfig, validateConfig } from "../model/config.ts";
import { gridOf } from "../model/config.ts";
import { resizePosEmbed } from "../model/pos_embed.ts";
import { SAFETENSORS_FILE, writeSafetensors } from "../model/safetensors.ts";
import { loadWeights, MODEL_JSON, saveWeights } from "../model/weights.ts";
import { loadLatestCheckpoint } from "../train/checkpoint.ts";
import { choice, num, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { exists, guardOutput, readJson } from "../util/fs.ts";

/** Runs the command. */
export async function exportCommand(args: string[]): Promise<void> {
  const a = parseCommand(args, {
    name: "export",
    summary:
      "export weights (model.json + weights.bin, or model.safetensors + config.json) from a run's checkpoint or other weights",
    usage:
      "deno task export --from experiments/<run> --out DIR [--format tfjs|safetensors] [--input-size N] [--force]",
    options: {
      from: {
        type: "string",
        help: "a run folder (its latest checkpoint), a weights folder or a .safetensors file",
      },
      out: { type: "string", help: "output folder" },
      "input-size": {
        type: "string",
        help: "re-export for another input size (position embeddings resized)",
      },
      format: {
        type: "string",
        help:
          "tfjs (model.json + weights.bin, the default) or safetensors (torch names, lib/model/WEIGHTS.md)",
      },
      force: { type: "boolean", help: "overwrite an existing model.json (model.safetensors) in --out" },
    },
    examples: [
      "deno task export --from experiments/small-v1 --out models/small-v1",
      "deno task export --from experiments/small-v1 --out models/small-v1-st --format safetensors",
    ],
  });
  const from = str(a, "from", true), out = str(a, "out", true);
  const format = choice(a, "format", ["tfjs", "safetensors"] as const, "tfjs");
  const target = path.join(out, format === "tfjs" ? MODEL_JSON : SAFETENSORS_FILE);
  await guardOutput(target, { force: !!a.values.force });
  let config: ModelConfig, values: Map<string, Float32Array>;
  let training: Record<string, unknown> = {};
  const isFile = (await Deno.stat(from).catch(() => null))?.isFile ?? false;
  const ck = isFile ? null : await loadLatestCheckpoint(from);
  if (ck) {
    const cfgFile = path.join(from, "config.json");
    if (!(await exists(cfgFile))) throw new UserError("run has checkpoints but no config.json", from);
    config = validateConfig((await readJson<{ model: ModelConfig }>(cfgFile)).model, cfgFile);
    values = ck.params;
    training = { run: path.basename(path.resolve(from)), step: ck.step, exportedFrom: "checkpoint" };
  } else if (
    from.endsWith(".safetensors") || await exists(path.join(from, MODEL_JSON)) ||
    await exists(path.join(from, SAFETENSORS_FILE))
  ) {
    const w = await loadWeights(from);
    config = w.config;
    values = w.values;
    training = { ...(w.json.training ?? {}), exportedFrom: "weights" };
  } else {
    throw new UserError(
      "neither a run with checkpoints (ckpt/latest.json) nor a weights folder (model.json or model.safetensors)",
      from,
    );
  }
  if (a.values["input-size"] !== undefined) {
    const size = num(a, "input-size", { min: config.patch, integer: true });
    const next = validateConfig({ ...config, inputSize: size });
    values.set("pos", resizePosEmbed(values.get("pos")!, gridOf(config), gridOf(next), config.dim));
    config = next;
  }
  if (format === "tfjs") await saveWeights(out, config, values, training);
  else await writeSafetensors(out, config, values, training);
  await loadWeights(format === "tfjs" ? out : target); // verify what was written
  console.log(`wrote ${target} (${config.preset}, input ${config.inputSize}, ${values.size} tensors)`);
}

if (import.meta.main) runMain(() => exportCommand(Deno.args));
