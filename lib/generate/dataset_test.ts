import * as path from "node:path";
import { assert, assertEquals, assertRejects, assertThrows } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { listCharacters, listFrames, loadFrame, segmentSizes } from "../data/pbc.ts";
import { defaultPairs, readPairsCsv } from "../data/pairs.ts";
import {
  generateDataset,
  mergeShards,
  parseShard,
  planCharacters,
  planPairs,
  shardCharacters,
} from "./dataset.ts";

async function files(root: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(path.join(root, rel))) {
    const r = path.join(rel, e.name);
    if (e.isDirectory) out.push(...await files(root, r));
    else out.push(r);
  }
  return out.sort();
}

async function assertSameBytes(a: string, b: string): Promise<number> {
  const fa = await files(a), fb = await files(b);
  assertEquals(fa, fb, "same file list");
  for (const f of fa) {
    const [x, y] = await Promise.all([Deno.readFile(path.join(a, f)), Deno.readFile(path.join(b, f))]);
    assert(x.length === y.length && x.every((v, i) => v === y[i]), `${f} differs`);
  }
  return fa.length;
}

const base = { style: "clean" as const, seed: 4, size: 128, gap: 7, progress: "off" as const };

Deno.test("plan: exact pair count, last character shortened, shards disjoint and complete", () => {
  const p = planCharacters({ pairs: 20, gap: 7, framesPerCharacter: 15 });
  assertEquals(p.map((c) => c.pairs), [8, 8, 4]);
  assertEquals(p.map((c) => c.frames), [15, 15, 11]);
  assertEquals(planPairs(p, 7).length, 20);
  assertEquals(planPairs(p, 7)[8], { dir: "char00001", reference: "0000", target: "0007" });
  const big = planCharacters({ pairs: 1000, gap: 7, framesPerCharacter: 9 });
  const shards = [0, 1, 2].map((i) => shardCharacters(big, { index: i, count: 3 }).map((c) => c.name));
  const all = shards.flat();
  assertEquals(all.length, big.length);
  assertEquals(new Set(all).size, big.length);
});

Deno.test("parseShard accepts i/n and rejects impossible shards with one line", () => {
  assertEquals(parseShard("2/8"), { index: 2, count: 8 });
  assertEquals(parseShard("0/1"), { index: 0, count: 1 });
  for (const bad of ["3/2", "0/0", "2/2", "-1/3", "a/b", "1", "1/2/3"]) {
    assertThrows(() => parseShard(bad), UserError);
  }
});

Deno.test("same seed, same bytes; another seed, other bytes; existing output refused without force", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-gen-" });
  try {
    const a = path.join(tmp, "a"), b = path.join(tmp, "b"), c = path.join(tmp, "c");
    await generateDataset({ ...base, out: a, pairs: 3, framesPerCharacter: 10 });
    await generateDataset({ ...base, out: b, pairs: 3, framesPerCharacter: 10 });
    const n = await assertSameBytes(a, b);
    assertEquals(n, 2 + 10 * 6, "pairs.csv, generate.json, 6 files per frame");
    await generateDataset({ ...base, seed: 5, out: c, pairs: 3, framesPerCharacter: 10 });
    const x = await Deno.readFile(path.join(a, "char00000/seg/0000.png")),
      y = await Deno.readFile(path.join(c, "char00000/seg/0000.png"));
    assert(x.length !== y.length || x.some((v, i) => v !== y[i]), "a different seed changes the data");
    await assertRejects(
      () => generateDataset({ ...base, out: a, pairs: 3, framesPerCharacter: 10 }),
      UserError,
      "already exists",
    );
    await generateDataset({ ...base, out: a, pairs: 3, framesPerCharacter: 10, force: true });
    assertEquals((await files(tmp)).filter((f) => f.includes(".tmp-")).length, 0, "no temporary leftovers");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("two shards merged equal the whole run byte for byte; the data keeps the PBC rules", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-shard-" });
  try {
    const whole = path.join(tmp, "whole"),
      s0 = path.join(tmp, "s0"),
      s1 = path.join(tmp, "s1"),
      merged = path.join(tmp, "merged");
    const opts = { ...base, pairs: 5, framesPerCharacter: 9 };
    await generateDataset({ ...opts, out: whole });
    const r0 = await generateDataset({ ...opts, out: s0, shard: { index: 0, count: 2 } });
    const r1 = await generateDataset({ ...opts, out: s1, shard: { index: 1, count: 2 } });
    assertEquals(r0.characters + r1.characters, 3);
    assertEquals(r0.pairs + r1.pairs, 5);
    const c0 = await listCharacters(s0), c1 = await listCharacters(s1);
    assertEquals(c0.filter((c) => c1.includes(c)), [], "shards hold disjoint characters");
    await assertRejects(
      () => mergeShards(merged, [s0], { progress: "off" }),
      UserError,
      "missing shard(s) 1/2",
    );
    await assertRejects(() => mergeShards(merged, [s0, s0], { progress: "off" }), UserError, "given twice");
    await mergeShards(merged, [s1, s0], { progress: "off" });
    await assertSameBytes(whole, merged);

    // Exactly N pairs, the same as frame i / i+7 of each character.
    const pairs = await readPairsCsv(path.join(whole, "pairs.csv"));
    assertEquals(pairs.length, 5);
    assertEquals(pairs, await defaultPairs(whole, 7));

    // Labels consistent across a character's frames; occlusion splits; regions appear and vanish.
    let split = false, changes = false;
    for (const ch of await listCharacters(whole)) {
      const colorOfLabel = new Map<number, string>();
      const labelSets: Set<number>[] = [];
      for (const fr of await listFrames(whole, ch)) {
        const f = await loadFrame(whole, ch, fr);
        assertEquals(f.labelSource, "json_index");
        // Read back from the files: seg 0 exactly where the line has ink; json_index counts match the seg.
        for (let i = 0; i < f.seg.data.length; i++) assertEquals(f.seg.data[i] === 0, f.line.data[i] < 128);
        const ji = JSON.parse(
          await Deno.readTextFile(path.join(whole, ch, "json_index", `${fr}.json`)),
        ) as Record<string, [number, number]>;
        const sizes = segmentSizes(f.seg);
        assertEquals(Object.keys(ji).length, sizes.size - 1);
        for (const [id, [count]] of Object.entries(ji)) assertEquals(count, sizes.get(Number(id)));
        const jc = JSON.parse(
          await Deno.readTextFile(path.join(whole, ch, "json_color", `${fr}.json`)),
        ) as Record<string, number[]>;
        const count = new Map<number, number>();
        for (const [id, lab] of f.labelOfSeg!) {
          if (id === 0 || lab < 0) continue;
          count.set(lab, (count.get(lab) ?? 0) + 1);
          const col = JSON.stringify(jc[String(id)]);
          if (colorOfLabel.has(lab)) {
            assertEquals(col, colorOfLabel.get(lab), `label ${lab} keeps its colour in ${ch}/${fr}`);
          } else colorOfLabel.set(lab, col);
        }
        if ([...count.values()].some((v) => v >= 2)) split = true;
        labelSets.push(new Set(count.keys()));
      }
      for (const p of pairs.filter((q) => q.dir === ch)) {
        const a = labelSets[Number(p.reference)], b = labelSets[Number(p.target)];
        if ([...a].some((l) => !b.has(l)) || [...b].some((l) => !a.has(l))) changes = true;
      }
    }
    assert(split, "some part is split into several regions by occlusion");
    assert(changes, "some pair has regions that appear or vanish");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
