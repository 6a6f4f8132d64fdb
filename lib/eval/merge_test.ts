import * as path from "node:path";
import { type PairRef, resolvePairs } from "../data/pairs.ts";
import { selectShard, type Shard, shardManifest } from "../data/shard.ts";
import { generateDataset } from "../generate/dataset.ts";
import { assert, assertEquals, assertNotEquals, assertRejects } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { atomicWriteJson } from "../util/fs.ts";
import { Rng } from "../util/rng.ts";
import { mergeEvalShards, PATCH_HIST_FILE, writeEvalShard } from "./merge.ts";
import { floodFillMethod, oraclePredictor } from "./predictors.ts";
import { evalMetrics, type Predictor, scoreDataset } from "./run.ts";

/**
 * The oracle with seeded noise on its cosines (a pure function of the pair): imperfect, varied scores, so AP,
 * best F1 and top-K are neither 0 nor 1 and a wrong pooling would show. Predictions are cached per pair.
 */
function noisyOracle(): Predictor {
  const base = oraclePredictor({ inputSize: 128, patch: 16 });
  const cache = new Map<string, ReturnType<Predictor>>();
  return (pair) => {
    const key = `${pair.a.character}/${pair.a.frame}-${pair.b.frame}`;
    if (!cache.has(key)) {
      cache.set(
        key,
        base(pair).then((p) => {
          const rng = new Rng(key);
          const cos = p.sim!.cosine.map((v) =>
            Math.max(-1, Math.min(1, 0.5 * v + 1.5 * (rng.float() - 0.5)))
          );
          return { ...p, sim: { ...p.sim!, cosine: cos } };
        }),
      );
    }
    return cache.get(key)!;
  };
}

/** Runs one shard as `evaluate --shard` does: its own metrics.json, then what the merge needs. */
async function runShard(dir: string, root: string, all: PairRef[], shard: Shard, predict: Predictor) {
  const sel = selectShard(all, shard);
  const state = await scoreDataset(root, sel.items, predict, { progress: "off" });
  await atomicWriteJson(path.join(dir, "metrics.json"), { ...evalMetrics(state), run: { method: "test" } });
  await writeEvalShard(
    dir,
    state,
    await shardManifest("evaluate", shard, all, sel.indices, { method: "test" }),
  );
  return evalMetrics(state);
}

Deno.test("evaluate shards: the merge of 2 or 3 shards is the unsharded metrics, digit for digit", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-evalmerge-" });
  try {
    const root = path.join(tmp, "data");
    await generateDataset({
      out: root,
      pairs: 7,
      style: "clean",
      seed: 5,
      size: 128,
      gap: 7,
      framesPerCharacter: 10,
      progress: "off",
    });
    const all = await resolvePairs(root);
    const predict = noisyOracle();
    const whole = JSON.parse(
      JSON.stringify(evalMetrics(await scoreDataset(root, all, predict, { progress: "off" }))),
    );
    const c = whole.patch.cross;
    assert(
      c.ap > 0.2 && c.ap < 0.99 && c.top1 > 0 && c.top1 < 1,
      `noise makes a real test: ${c.ap} ${c.top1}`,
    );
    for (const n of [2, 3]) {
      const dirs: string[] = [];
      const shardAps: number[] = [];
      for (let i = n - 1; i >= 0; i--) { // any order of folders
        const d = path.join(tmp, `s${n}-${i}`);
        shardAps.push((await runShard(d, root, all, { index: i, count: n }, predict)).patch!.cross.ap);
        dirs.push(d);
      }
      const m = await mergeEvalShards(dirs, { progress: "off" });
      assertEquals(JSON.stringify(m.metrics), JSON.stringify(whole), `${n} shards`);
      assertEquals(m.options, { method: "test" });
      // Pooled, not averaged: the mean of the shards' APs is another number.
      assertNotEquals(shardAps.reduce((a, b) => a + b, 0) / n, m.metrics.patch!.cross.ap);
    }
    // Partial: the union of what is there, equal to an unsharded run over those pairs.
    const part = await mergeEvalShards([path.join(tmp, "s3-0"), path.join(tmp, "s3-2")], {
      partial: true,
      progress: "off",
    });
    const kept = all.filter((_, i) => i % 3 !== 1);
    const ref = evalMetrics(await scoreDataset(root, kept, predict, { progress: "off" }));
    assertEquals(JSON.stringify(part.metrics), JSON.stringify(ref));
    assertEquals(part.set.missing, ["1/3"]);

    // Without similarities (flood fill): region metrics only, merged the same way.
    const ff = floodFillMethod();
    const ffWhole = JSON.stringify(evalMetrics(await scoreDataset(root, all, ff, { progress: "off" })));
    const ffDirs = [0, 1].map((i) => path.join(tmp, `ff-${i}`));
    for (const [i, d] of ffDirs.entries()) await runShard(d, root, all, { index: i, count: 2 }, ff);
    assertEquals(JSON.stringify((await mergeEvalShards(ffDirs, { progress: "off" })).metrics), ffWhole);

    // A damaged histogram file is one line naming it.
    const hist = path.join(tmp, "s2-0", PATCH_HIST_FILE);
    await Deno.writeFile(hist, (await Deno.readFile(hist)).slice(0, 100));
    await assertRejects(
      () => mergeEvalShards([path.join(tmp, "s2-0"), path.join(tmp, "s2-1")], { progress: "off" }),
      UserError,
      `${hist}: corrupt histogram file`,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
