/**
 * `deno task export`: writes a weights folder (`model.json` + `weights.bin`, a tfjs weights manifest with the
 * config and a sha256) from a training run's latest checkpoint, or re-exports an existing weights folder
 * (optionally at another input size, with bicubically resized position embeddings). The result is verified by
 * loading it back.
 *
 * @module
 */
import * as path from "node:path";
import { type ModelConfig, validateConfig } from "../model/config.ts";
import { gridOf } from "../model/config.ts";
import { resizePosEmbed } from "../model/pos_embed.ts";
import { loadWeights, MODEL_JSON, saveWeights } from "../model/weights.ts";
import { loadLatestCheckpoint } from "../train/checkpoint.ts";
import { num, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { exists, guardOutput, readJson } from "../util/fs.ts";

/** Runs the command. */
export async function exportCommand(args: string[]): Promise<void> {
  const a = parseCommand(args, {
    name: "export",
    summary: "export weights (model.json + weights.bin) from a run's checkpoint or another weights folder",
    usage: "deno task export --from experiments/<run> --out DIR [--input-size N] [--force]",
    options: {
      from: { type: "string", help: "a run folder (its latest checkpoint) or a weights folder" },
      out: { type: "string", help: "output folder" },
      "input-size": {
        type: "string",
        help: "re-export for another input size (position embeddings resized)",
      },
      force: { type: "boolean", help: "overwrite an existing model.json in --out" },
    },
    examples: ["deno task export --from experiments/small-v1 --out models/small-v1"],
  });
  const from = str(a, "from", true), out = str(a, "out", true);
  await guardOutput(path.join(out, MODEL_JSON), { force: !!a.values.force });
  let config: ModelConfig, values: Map<string, Float32Array>;
  let training: Record<string, unknown> = {};
  const ck = await loadLatestCheckpoint(from);
  if (ck) {
    const cfgFile = path.join(from, "config.json");
    if (!(await exists(cfgFile))) throw new UserError("run has checkpoints but no config.json", from);
    config = validateConfig((await readJson<{ model: ModelConfig }>(cfgFile)).model, cfgFile);
    values = ck.params;
    training = { run: path.basename(path.resolve(from)), step: ck.step, exportedFrom: "checkpoint" };
  } else if (await exists(path.join(from, MODEL_JSON))) {
    const w = await loadWeights(from);
    config = w.config;
    values = w.values;
    training = { ...(w.json.training ?? {}), exportedFrom: "weights" };
  } else {
    throw new UserError(
      "neither a run with checkpoints (ckpt/latest.json) nor a weights folder (model.json)",
      from,
    );
  }
  if (a.values["input-size"] !== undefined) {
    const size = num(a, "input-size", { min: config.patch, integer: true });
    const next = validateConfig({ ...config, inputSize: size });
    values.set("pos", resizePosEmbed(values.get("pos")!, gridOf(config), gridOf(next), config.dim));
    config = next;
  }
  await saveWeights(out, config, values, training);
  await loadWeights(out); // verify what was written
  console.log(
    `wrote ${
      path.join(out, MODEL_JSON)
    } (${config.preset}, input ${config.inputSize}, ${values.size} tensors)`,
  );
}

if (import.meta.main) runMain(() => exportCommand(Deno.args));
