/**
 * `--shard i/n` and `--merge` of `evaluate`, `match` and `annotate`, end to end through the CLIs: the merge of
 * the shards is the unsharded output byte for byte, and the bad inputs (a shard that names no pairs, shards
 * that overlap, a missing shard) are one line each.
 */
import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { fixture, runCli } from "./evaluate_fixture.ts";

/** Every file under `dir` (relative path -> bytes). */
async function tree(dir: string, at = ""): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const e of Deno.readDir(path.join(dir, at))) {
    const rel = path.join(at, e.name);
    if (e.isDirectory) { for (const [k, v] of await tree(dir, rel)) out.set(k, v); }
    else out.set(rel, await Deno.readFile(path.join(dir, rel)));
  }
  return out;
}

/** Asserts two folders hold the same files with the same bytes. */
async function assertSameTree(a: string, b: string): Promise<void> {
  const ta = await tree(a), tb = await tree(b);
  assertEquals([...ta.keys()].sort(), [...tb.keys()].sort(), `${a} vs ${b}: files`);
  for (const [k, v] of ta) assert(equalBytes(v, tb.get(k)!), `${k} differs between ${a} and ${b}`);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The one error line of a failed run. */
function errorLine(r: { code: number; stderr: string }): string {
  assertEquals(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split("\n");
  assertEquals(lines.length, 1, r.stderr);
  return lines[0];
}

Deno.test("evaluate --shard / --merge: the merge is the unsharded run's metrics.json, tables and curves", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-shards-eval-" });
  try {
    const { data, weights } = await fixture(tmp);
    const common = ["--data", data, "--weights", weights, "--backend", "cpu"];
    const full = path.join(tmp, "full");
    const r = await runCli("evaluate.ts", [...common, "--out", full]);
    assertEquals(r.code, 0, r.stderr);
    const shards = [0, 1].map((i) => path.join(tmp, `s${i}`));
    for (const [i, d] of shards.entries()) {
      const s = await runCli("evaluate.ts", [...common, "--out", d, "--shard", `${i}/2`]);
      assertEquals(s.code, 0, s.stderr);
      assert(s.stdout.includes(`(shard ${i}/2 of 3) pairs`), s.stdout);
    }
    const merged = path.join(tmp, "merged");
    const m = await runCli("evaluate.ts", ["--merge", "--out", merged, shards[1], shards[0]]);
    assertEquals(m.code, 0, m.stderr);
    assert(m.stdout.includes("merged 2 shard(s): 3 of 3 pairs"), m.stdout);
    for (const f of ["metrics.json", "table1.md", "table2.md", "pr_curves.json"]) {
      assertEquals(
        await Deno.readTextFile(path.join(merged, f)),
        await Deno.readTextFile(path.join(full, f)),
        f,
      );
    }
    const metrics = JSON.parse(await Deno.readTextFile(path.join(full, "metrics.json")));
    assert(metrics.patch.cross.ap > 0 && metrics.patch.cross.ap < 1, "an untrained model: a real AP");

    // Bad input: one line each.
    assertEquals(
      errorLine(await runCli("evaluate.ts", [...common, "--out", path.join(tmp, "x"), "--shard", "3/4"])),
      "error: --shard 3/4 names no pairs: the list has 3 pairs, so at most 3 shard(s) can each get one",
    );
    assertEquals(
      errorLine(await runCli("evaluate.ts", ["--merge", "--out", path.join(tmp, "x"), shards[0]])),
      "error: missing shard(s) 1/2: 1 of 3 pairs are in no folder given (pass --partial to merge what is there)",
    );
    assertEquals(
      errorLine(await runCli("evaluate.ts", ["--merge", "--out", merged, ...shards])),
      `error: ${merged}: already exists; pass --force to overwrite it`,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("match and annotate --shard / --merge: merged trees equal the unsharded ones; overlaps are one line", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-shards-ma-" });
  try {
    const { data } = await fixture(tmp);
    for (const [script, extra] of [["match.ts", ["--oracle"]], ["annotate.ts", []]] as const) {
      const full = path.join(tmp, `${script}-full`);
      const r = await runCli(script, ["--data", data, ...extra, "--out", full]);
      assertEquals(r.code, 0, r.stderr);
      const shards = [0, 1].map((i) => path.join(tmp, `${script}-${i}`));
      for (const [i, d] of shards.entries()) {
        const s = await runCli(script, ["--data", data, ...extra, "--out", d, "--shard", `${i}/2`]);
        assertEquals(s.code, 0, s.stderr);
      }
      const merged = path.join(tmp, `${script}-merged`);
      const m = await runCli(script, ["--merge", "--out", merged, ...shards]);
      assertEquals(m.code, 0, m.stderr);
      assert(m.stdout.includes("merged 2 shard(s)") && m.stdout.includes("3 of 3 pairs"), m.stdout);
      await assertSameTree(full, merged);

      const x = path.join(tmp, `${script}-x`);
      assertEquals(
        errorLine(await runCli(script, ["--data", data, ...extra, "--out", x, "--shard", "5/6"])),
        "error: --shard 5/6 names no pairs: the list has 3 pairs, so at most 3 shard(s) can each get one",
      );
      const third = path.join(tmp, `${script}-third`);
      assertEquals(
        (await runCli(script, ["--data", data, ...extra, "--out", third, "--shard", "0/3"])).code,
        0,
      );
      assertEquals(
        errorLine(await runCli(script, ["--merge", "--out", x, ...shards, third])),
        `error: ${third}: shards overlap: pair char00000,0000,0007 (#0) is also in ${
          shards[0]
        } (shard 0/2 vs 0/3)`,
      );
      const p = await runCli(script, [
        "--merge",
        "--partial",
        "--out",
        path.join(tmp, `${script}-part`),
        shards[1],
      ]);
      assertEquals(p.code, 0, p.stderr);
      assert(
        p.stdout.includes("1 of 3 pairs") && p.stdout.includes("(partial: shard(s) 0/2 missing)"),
        p.stdout,
      );
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("generate --shard: a shard with no character is one line, and nothing is written", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-shards-gen-" });
  try {
    const out = path.join(tmp, "g");
    const r = await runCli("generate.ts", ["--out", out, "--pairs", "3", "--frames", "9", "--shard", "5/8"]);
    assertEquals(
      errorLine(r),
      "error: --shard 5/8 names no pairs: the dataset has 2 character(s) and shards split characters, " +
        "so at most 2 shard(s) can each get one",
    );
    assertEquals([...Deno.readDirSync(tmp)].length, 0);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
