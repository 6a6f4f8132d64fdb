/**
 * Test-only helpers of the `evaluate` and `ablate` CLI tests: a child-process runner and a tiny generated dataset
 * with a tiny untrained model.
 *
 * @module
 */
import * as path from "node:path";
import { generateDataset } from "../generate/mod.ts";
import { modelConfig } from "../model/config.ts";
import { initialValues } from "../model/model.ts";
import { saveWeights } from "../model/weights.ts";
import { REPO_ROOT } from "../util/paths.ts";

/** Runs a CLI of lib/cli in a child process. */
export async function runCli(script: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", path.join(REPO_ROOT, "lib/cli", script), ...args],
    cwd: REPO_ROOT,
    env: { MANGAMATCH_PROGRESS: "off", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A tiny generated dataset (3 pairs of 128-px frames) and a tiny untrained model (wiring only; 16x16 patches). */
export async function fixture(tmp: string): Promise<{ data: string; weights: string }> {
  const data = path.join(tmp, "data");
  await generateDataset({
    out: data,
    pairs: 3,
    style: "clean",
    seed: 5,
    size: 128,
    gap: 7,
    framesPerCharacter: 10,
    progress: "off",
  });
  const weights = path.join(tmp, "model");
  const cfg = modelConfig("small", {
    inputSize: 256,
    patch: 16,
    dim: 8,
    heads: 2,
    vitLayers: 1,
    mtLayers: 1,
  });
  await saveWeights(weights, cfg, initialValues(cfg, 1));
  return { data, weights };
}
