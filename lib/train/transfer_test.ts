import * as path from "node:path";
import { assert, assertEquals, assertRejects } from "../testing/asserts.ts";
import { characterFamilies } from "../data/families.ts";
import { initBackend } from "../model/backend.ts";
import { UserError } from "../util/errors.ts";
import { writeToyDataset } from "./fixture.ts";
import { readLog, train } from "./loop.ts";

await initBackend({ backend: "wasm", blas: "off", log: null });

const model = { inputSize: 64, patch: 8, dim: 16, heads: 2, vitLayers: 1, mtLayers: 1 };

async function manifest(
  root: string,
  family: string,
  info?: Record<string, { family: string; style: string }>,
) {
  await Deno.writeTextFile(
    path.join(root, "generate.json"),
    JSON.stringify({ generator: "mangamatch", version: 1, settings: { family }, characterInfo: info }),
  );
}

Deno.test("train refuses a training set that holds the transfer family, naming the folder", async () => {
  const tmp = await Deno.makeTempDir();
  const data = path.join(tmp, "data");
  await writeToyDataset(data, { characters: 3, frames: 3, size: 64 });
  await manifest(data, "creature");
  assertEquals((await characterFamilies(data)).of("anything"), "creature");
  await assertRejects(
    () =>
      train(
        { data: [data], out: path.join(tmp, "run"), model, steps: 2, batch: 1, gap: 1, progress: false },
        { log: () => {} },
      ),
    UserError,
    "transfer family",
  );
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("train logs validation AP per family when validation spans families; augmentation on", async () => {
  const tmp = await Deno.makeTempDir();
  const data = path.join(tmp, "data");
  await writeToyDataset(data, { characters: 6, frames: 3, size: 64 });
  const chars = [...Deno.readDirSync(data)].filter((e) => e.isDirectory).map((e) => e.name).sort();
  const info = Object.fromEntries(
    chars.map((c, i) => [c, { family: i % 2 ? "quadruped" : "human", style: "clean" }]),
  );
  await manifest(data, "human,quadruped", info);
  const out = path.join(tmp, "run");
  await train(
    {
      data: [data],
      out,
      model,
      steps: 2,
      batch: 2,
      gap: 1,
      valFraction: 0.5,
      valPairs: 8,
      valEvery: 2,
      progress: false,
    },
    { log: () => {} },
  );
  const vals = (await readLog(path.join(out, "log.jsonl"))).filter((r) => r.val_ap !== undefined);
  assert(vals.length >= 2);
  const fams = vals[0].val_families!;
  assertEquals(Object.keys(fams).sort(), ["human", "quadruped"]);
  assertEquals(fams.human.pairs + fams.quadruped.pairs, vals[0].val_pairs);
  assert(Object.values(fams).every((f) => f.ap >= 0 && f.ap <= 1));
  await Deno.remove(tmp, { recursive: true });
});
