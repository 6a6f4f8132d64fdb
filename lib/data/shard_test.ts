import * as path from "node:path";
import type { PairRef } from "./pairs.ts";
import {
  inShard,
  pairListSha256,
  parseShard,
  readShardSet,
  selectShard,
  SHARD_MANIFEST,
  shardManifest,
} from "./shard.ts";
import { UserError } from "../util/errors.ts";
import { atomicWriteJson } from "../util/fs.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../testing/asserts.ts";

const LIST: PairRef[] = Array.from({ length: 7 }, (_, i) => ({
  dir: `char${Math.floor(i / 3)}`,
  reference: String(i % 3).padStart(4, "0"),
  target: String((i % 3) + 7).padStart(4, "0"),
}));

Deno.test("shards: index mod n, disjoint and complete for every n; a shard with nothing is one line", () => {
  for (let n = 1; n <= 7; n++) {
    const seen: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = selectShard(LIST, { index: i, count: n });
      assert(s.indices.every((k) => k % n === i), `n=${n} i=${i}`);
      assertEquals(s.items, s.indices.map((k) => LIST[k]));
      seen.push(...s.indices);
    }
    assertEquals(seen.sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6], `n=${n}`);
  }
  assertEquals(selectShard(LIST, null).indices.length, 7);
  assertEquals([inShard(10, { index: 2, count: 8 }), inShard(11, { index: 2, count: 8 })], [true, false]);
  assertThrows(
    () => selectShard(LIST, { index: 7, count: 8 }),
    UserError,
    "--shard 7/8 names no pairs: the list has 7 pairs, so at most 7 shard(s)",
  );
  assertEquals(parseShard(" 3/4 "), { index: 3, count: 4 });
  assertThrows(() => parseShard("4/4"), UserError, "the index must be in 0..3");
  assertThrows(() => parseShard("1-4"), UserError, "--shard must look like i/n");
});

Deno.test("shard sets: merged in list order; overlap, repeats, gaps, other options or lists are one line", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-shardset-" });
  try {
    const write = async (name: string, index: number, count: number, opts = { t: 0.6 }, list = LIST) => {
      const dir = path.join(tmp, name);
      const sel = selectShard(list, { index, count });
      await atomicWriteJson(
        path.join(dir, SHARD_MANIFEST),
        await shardManifest("match", { index, count }, list, sel.indices, { data: "d", deep: opts }),
      );
      return dir;
    };
    const s0 = await write("s0", 0, 3), s1 = await write("s1", 1, 3), s2 = await write("s2", 2, 3);
    const set = await readShardSet([s2, s0, s1], "match");
    assertEquals(set.pairs.map((p) => p.index), [0, 1, 2, 3, 4, 5, 6]);
    assertEquals(set.pairs.map((p) => set.dirs[p.shard]), [s0, s1, s2, s0, s1, s2, s0]);
    assertEquals(set.pairs[3].position, 1); // pair 3 is shard 0's second
    assertEquals([set.total, set.missing], [7, []]);
    assertEquals(set.manifests[0].list_sha256, await pairListSha256(LIST));

    await assertRejects(
      () => readShardSet([s0, s2], "match"),
      UserError,
      "missing shard(s) 1/3: 2 of 7 pairs",
    );
    const partial = await readShardSet([s0, s2], "match", { partial: true });
    assertEquals([partial.pairs.map((p) => p.index), partial.missing], [[0, 2, 3, 5, 6], ["1/3"]]);
    await assertRejects(() => readShardSet([s0, s0, s1, s2], "match"), UserError, "shard 0/3 given twice");
    const other = await write("h0", 0, 2);
    await assertRejects(
      () => readShardSet([s0, s1, s2, other], "match"),
      UserError,
      "shards overlap: pair char0,0000,0007 (#0) is also in",
    );
    const t = await write("t1", 1, 3, { t: 0.5 });
    await assertRejects(
      () => readShardSet([s0, t, s2], "match"),
      UserError,
      `${t}: options differ from ${s0}: deep.t is 0.5 here but 0.6 in the first shard`,
    );
    const l = await write("l1", 1, 3, { t: 0.6 }, LIST.slice(0, 6));
    await assertRejects(() => readShardSet([s0, l, s2], "match"), UserError, "another pair list (6 pairs");
    await assertRejects(() => readShardSet([s0], "evaluate"), UserError, "is a shard of deno task match");
    await assertRejects(() => readShardSet([tmp], "match"), UserError, `${tmp}: no shard.json: not a shard`);
    await assertRejects(() => readShardSet([path.join(tmp, "nope")], "match"), UserError, "not found");
    await assertRejects(() => readShardSet([], "match"), UserError, "--merge needs the shard folders");
    // A manifest that names no pairs (hand-edited or truncated) is refused by name.
    const empty = path.join(tmp, "e0");
    const m = JSON.parse(await Deno.readTextFile(path.join(s0, SHARD_MANIFEST)));
    await atomicWriteJson(path.join(empty, SHARD_MANIFEST), { ...m, pairs: [] });
    await assertRejects(() => readShardSet([empty], "match"), UserError, "shard names no pairs");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
