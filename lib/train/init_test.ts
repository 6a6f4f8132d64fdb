import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { initBackend } from "../model/backend.ts";
import { modelConfig } from "../model/config.ts";
import { initialValues, PatchSimilarityModel } from "../model/model.ts";
import { resizePosEmbed } from "../model/pos_embed.ts";
import { saveWeights } from "../model/weights.ts";
import { initFrom } from "./loop.ts";

await initBackend({ backend: "cpu", log: null });

Deno.test("initFrom (train --init): fitting parameters loaded, position embeddings resized, the rest kept", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mm-init-" });
  // Source: 64-px input (4x4 grid), no Multiplex layers. Target: 96-px input (6x6 grid), one Multiplex layer.
  const src = modelConfig("small", { inputSize: 64, patch: 16, dim: 8, heads: 2, vitLayers: 1, mtLayers: 0 });
  const dst = modelConfig("small", { inputSize: 96, patch: 16, dim: 8, heads: 2, vitLayers: 1, mtLayers: 1 });
  const srcValues = initialValues(src, 11);
  await saveWeights(path.join(dir, "w"), src, srcValues);
  const model = PatchSimilarityModel.create(dst, 3);
  try {
    const before = model.values();
    const { loaded, total } = await initFrom(model, path.join(dir, "w"));
    const after = model.values();
    assertEquals(total, before.size);
    let same = 0, kept = 0;
    for (const [name, v] of after) {
      const s = srcValues.get(name);
      if (name === "pos") {
        assertEquals(Array.from(v), Array.from(resizePosEmbed(s!, 4, 6, 8)));
      } else if (s && s.length === v.length) {
        assertEquals(Array.from(v), Array.from(s), name);
        same++;
      } else {
        assertEquals(Array.from(v), Array.from(before.get(name)!), name); // not in the source: untouched
        kept++;
      }
    }
    assertEquals(loaded, same + 1); // + the resized position embeddings
    assert(kept > 0 && same > 0, `${same} loaded, ${kept} kept`);
  } finally {
    model.dispose();
    await Deno.remove(dir, { recursive: true });
  }
});
