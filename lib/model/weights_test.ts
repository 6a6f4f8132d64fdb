import * as path from "node:path";
import { assert, assertEquals, assertRejects } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { initBackend } from "./backend.ts";
import { modelConfig } from "./config.ts";
import { initialValues, PatchSimilarityModel } from "./model.ts";
import { loadModel } from "./mod.ts";
import { loadWeights, MODEL_JSON, saveWeights, sha256Hex, WEIGHTS_BIN } from "./weights.ts";

await initBackend({ backend: "wasm", blas: "off", log: null });

const tiny = modelConfig("small", { inputSize: 32, patch: 16, dim: 8, heads: 2, vitLayers: 1, mtLayers: 1 });

Deno.test("sha256Hex: known digest", async () => {
  assertEquals(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("saveWeights/loadWeights: bit-exact round trip through a model", async () => {
  const dir = await Deno.makeTempDir();
  const m = PatchSimilarityModel.create(tiny, 7);
  await saveWeights(dir, tiny, m.values(), { step: 3 });
  const m2 = await loadModel(dir);
  for (const [n, v] of m.values()) {
    const w = m2.values().get(n)!;
    assertEquals(new Uint8Array(w.buffer), new Uint8Array(v.buffer), `${n} differs`);
  }
  assertEquals(m2.config, tiny);
  m.dispose();
  m2.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadWeights refuses a corrupt file, a truncated file, a mismatched config, a wrong manifest", async () => {
  const dir = await Deno.makeTempDir();
  await saveWeights(dir, tiny, initialValues(tiny, 1));
  const bin = path.join(dir, WEIGHTS_BIN), json = path.join(dir, MODEL_JSON);
  const good = await Deno.readFile(bin);
  // Corrupt one byte.
  const bad = good.slice();
  bad[100] ^= 1;
  await Deno.writeFile(bin, bad);
  let e = await assertRejects(() => loadWeights(dir), UserError);
  assert(e.message.includes("checksum mismatch") && e.message.startsWith(bin), e.message);
  // Truncated.
  await Deno.writeFile(bin, good.subarray(0, good.length - 4));
  e = await assertRejects(() => loadWeights(dir), UserError);
  assert(e.message.includes("bytes") && e.message.startsWith(bin), e.message);
  await Deno.writeFile(bin, good);
  // Expected config differs.
  e = await assertRejects(() => loadWeights(dir, { expect: { dim: 128 } }), UserError);
  assert(e.message.startsWith(json) && e.message.includes("dim"), e.message);
  // A config that no longer matches the stored weights (someone edited model.json).
  const j = JSON.parse(await Deno.readTextFile(json));
  j.modelConfig.mtLayers = 2;
  await Deno.writeTextFile(json, JSON.stringify(j));
  e = await assertRejects(() => loadWeights(dir), UserError);
  assert(e.message.startsWith(json) && e.message.includes("weights"), e.message);
  // Not a model.json at all.
  await Deno.writeTextFile(json, "{}");
  e = await assertRejects(() => loadWeights(dir), UserError);
  assert(e.message.startsWith(json) && !e.message.includes("\n"), e.message);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadModel with another inputSize resizes the position embeddings", async () => {
  const dir = await Deno.makeTempDir();
  await saveWeights(dir, tiny, initialValues(tiny, 2));
  const m = await loadModel(dir, { inputSize: 64 });
  assertEquals(m.config.inputSize, 64);
  assertEquals(m.params.get("pos")!.shape, [16, 8]);
  m.dispose();
  await Deno.remove(dir, { recursive: true });
});
