import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals, assertRejects } from "../testing/asserts.ts";
import { initBackend } from "../model/backend.ts";
import { loadModel } from "../model/mod.ts";
import { UserError } from "../util/errors.ts";
import { writeToyDataset } from "./fixture.ts";
import { loadLatestCheckpoint } from "./checkpoint.ts";
import { rampedAugment, train } from "./loop.ts";
import { AUGMENT_DEFAULTS } from "./augment.ts";

await initBackend({ backend: "wasm", blas: "off", log: null });

const model = { inputSize: 64, patch: 8, dim: 16, heads: 2, vitLayers: 1, mtLayers: 1 };

Deno.test("train: writes log, config, checkpoints, figures and loadable weights; validation held out by character", async () => {
  const tmp = await Deno.makeTempDir();
  const data = path.join(tmp, "data");
  await writeToyDataset(data, { characters: 4, frames: 3, size: 64 });
  const out = path.join(tmp, "run");
  const before = tf.memory().numTensors;
  const s = await train(
    {
      data: [data],
      out,
      model,
      steps: 8,
      batch: 2,
      gap: 1,
      valEvery: 4,
      ckptEvery: 4,
      valPairs: 2,
      progress: false,
      seed: 1,
    },
    { log: () => {} },
  );
  assertEquals(tf.memory().numTensors, before, "train() left tensors behind");
  for (
    const f of [
      "config.json",
      "log.jsonl",
      "model.json",
      "weights.bin",
      "metrics.json",
      "loss.svg",
      "val.svg",
    ]
  ) {
    await Deno.stat(path.join(out, f));
  }
  const log = (await Deno.readTextFile(path.join(out, "log.jsonl"))).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  assertEquals(log.filter((r) => r.loss !== undefined).map((r) => r.step), [1, 2, 3, 4, 5, 6, 7, 8]);
  assertEquals(log.filter((r) => r.val_ap !== undefined).map((r) => r.step), [0, 4, 8]);
  assert(log.every((r) => r.loss === undefined || (r.loss > 0 && Number.isFinite(r.loss))));
  const cfg = JSON.parse(await Deno.readTextFile(path.join(out, "config.json")));
  assertEquals(cfg.valCharacters.length, 1);
  assertEquals(s.valPairs, 2);
  assertEquals((await loadLatestCheckpoint(out))!.step, 8);
  const m = await loadModel(out);
  assertEquals(m.config.dim, 16);
  m.dispose();
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("train: a grid too coarse for the regions is refused with a clear message", async () => {
  const tmp = await Deno.makeTempDir();
  const data = path.join(tmp, "data");
  await writeToyDataset(data, { characters: 2, frames: 2, size: 32 });
  const e = await assertRejects(
    () =>
      train({
        data: [data],
        out: path.join(tmp, "r"),
        model: { ...model, inputSize: 32, patch: 16 },
        steps: 1,
        batch: 1,
        gap: 1,
        progress: false,
      }, { log: () => {} }),
    UserError,
  );
  assert(e.message.includes("no patch carries a region label"), e.message);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("rampedAugment: augmentation probabilities rise linearly over the ramp, then stay at the defaults", () => {
  const A = AUGMENT_DEFAULTS;
  assert(Math.abs(rampedAugment(0, 100, 0.5).warpProb! - A.warpProb / 50) < 1e-12);
  assert(Math.abs(rampedAugment(24, 100, 0.5).gapProb! - A.gapProb / 2) < 1e-12);
  for (const step of [49, 50, 99]) assertEquals(rampedAugment(step, 100, 0.5).thickenProb, A.thickenProb);
  assertEquals(rampedAugment(0, 100, 0).thinProb, A.thinProb);
});

Deno.test("train: config.json names data relative to the run folder; --resume accepts the older absolute form", async () => {
  const tmp = await Deno.makeTempDir();
  const data = path.join(tmp, "data");
  await writeToyDataset(data, { characters: 3, frames: 3, size: 64 });
  const out = path.join(tmp, "run");
  const o = {
    data: [data],
    out,
    model,
    steps: 2,
    batch: 2,
    gap: 1,
    valEvery: 2,
    ckptEvery: 2,
    valPairs: 1,
    progress: false,
  };
  await train(o, { log: () => {} });
  const file = path.join(out, "config.json");
  const cfg = JSON.parse(await Deno.readTextFile(file));
  assertEquals(JSON.parse(cfg.curveKey).data, ["../data"]);
  // a run written before the change: absolute data paths in its key
  const legacy = { ...cfg, curveKey: cfg.curveKey.replace('"../data"', JSON.stringify(path.resolve(data))) };
  await Deno.writeTextFile(file, JSON.stringify(legacy));
  await train({ ...o, resume: true }, { log: () => {} });
  await assertRejects(
    () => train({ ...o, lr: 0.1, resume: true }, { log: () => {} }),
    UserError,
    "--resume with options",
  );
});
