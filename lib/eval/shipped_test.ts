import * as path from "node:path";
import { modelConfig } from "../model/config.ts";
import { initialValues } from "../model/model.ts";
import { saveWeights } from "../model/weights.ts";
import { assertEquals, assertRejects } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { DEFAULT_WEIGHTS, defaultWeights, loadEvalModel } from "./shipped.ts";

Deno.test("defaultWeights: MANGAMATCH_WEIGHTS points elsewhere or turns the shipped model off", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-shipped-" });
  const old = Deno.env.get("MANGAMATCH_WEIGHTS");
  try {
    assertEquals(DEFAULT_WEIGHTS, "experiments/small-v1");
    Deno.env.set("MANGAMATCH_WEIGHTS", "none");
    assertEquals(defaultWeights(), null);
    Deno.env.set("MANGAMATCH_WEIGHTS", tmp);
    assertEquals(defaultWeights(), null); // no model.json there yet
    const cfg = modelConfig("small", {
      inputSize: 32,
      patch: 16,
      dim: 8,
      heads: 2,
      vitLayers: 1,
      mtLayers: 0,
    });
    await saveWeights(tmp, cfg, initialValues(cfg, 1));
    assertEquals(defaultWeights(), tmp);
    const { model, dir } = await loadEvalModel(tmp, "cpu", { log: null });
    assertEquals([dir, model.config.inputSize, model.config.mtLayers], [tmp, 32, 0]);
    model.dispose();
    await assertRejects(() => loadEvalModel(path.join(tmp, "nope")), UserError, "weights folder not found");
    await assertRejects(() => loadEvalModel(tmp, "gpu"), UserError, "--backend must be one of");
  } finally {
    if (old === undefined) Deno.env.delete("MANGAMATCH_WEIGHTS");
    else Deno.env.set("MANGAMATCH_WEIGHTS", old);
    await Deno.remove(tmp, { recursive: true });
  }
});
