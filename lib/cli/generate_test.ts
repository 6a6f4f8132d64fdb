import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { REPO_ROOT as ROOT } from "../util/paths.ts";

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "lib/cli/generate.ts", ...args],
    cwd: ROOT,
    env: { MANGAMATCH_PROGRESS: "off", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: r.code,
    stdout: new TextDecoder().decode(r.stdout),
    stderr: new TextDecoder().decode(r.stderr),
  };
}

Deno.test("generate CLI: makes a dataset, refuses to overwrite, merges shards", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-cli-" });
  try {
    const out = path.join(tmp, "d");
    const ok = await cli([
      "--out",
      out,
      "--pairs",
      "2",
      "--size",
      "96",
      "--frames",
      "9",
      "--style",
      "hand-drawn",
      "--seed",
      "3",
    ]);
    assertEquals(ok.code, 0, ok.stderr);
    assert(ok.stdout.includes("1 characters, 9 frames, 2 pairs"), ok.stdout);
    const again = await cli(["--out", out, "--pairs", "2", "--size", "96"]);
    assertEquals(again.code, 2);
    assertEquals(again.stderr.trim(), `error: ${out}: already exists; pass --force to overwrite it`);
    const s0 = path.join(tmp, "s0"), s1 = path.join(tmp, "s1");
    for (const [i, d] of [[0, s0], [1, s1]] as const) {
      const r = await cli(["--out", d, "--pairs", "3", "--size", "64", "--frames", "9", "--shard", `${i}/2`]);
      assertEquals(r.code, 0, r.stderr);
    }
    const m = await cli(["--merge", "--out", path.join(tmp, "m"), s0, s1]);
    assertEquals(m.code, 0, m.stderr);
    assert(m.stdout.includes("2 characters, 17 frames, 3 pairs"), m.stdout);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("generate CLI: bad input gets one clear error line", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-cli-" });
  try {
    const file = path.join(tmp, "a-file");
    await Deno.writeTextFile(file, "");
    const cases: [string[], string][] = [
      [["--out", path.join(tmp, "x"), "--pairs", "0"], "error: --pairs must be at least 1, got 0"],
      [
        ["--out", path.join(tmp, "x"), "--pairs", "3", "--shard", "3/2"],
        "error: --shard 3/2: the index must be in 0..1",
      ],
      [
        ["--out", path.join(tmp, "x"), "--pairs", "3", "--shard", "0/0"],
        "error: --shard 0/0: the shard count must be at least 1",
      ],
      [
        ["--out", path.join(file, "x"), "--pairs", "3"],
        `error: ${path.join(file, "x")}: a parent of the output is a file, not a folder`,
      ],
      [
        ["--merge", "--out", path.join(tmp, "m"), path.join(tmp, "nope")],
        `error: ${path.join(tmp, "nope")}: shard folder not found`,
      ],
      [["--pairs", "3"], "error: missing --out (see --help)"],
    ];
    if (Deno.build.os === "linux") {
      // Not writable even for root.
      cases.push([["--out", "/proc/self/mm-test", "--pairs", "3"], "error: /proc/self/mm-test: "]);
    }
    for (const [args, want] of cases) {
      const r = await cli(args);
      assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      const lines = r.stderr.trim().split("\n");
      assertEquals(lines.length, 1, r.stderr);
      assert(lines[0].startsWith(want), `${lines[0]} should start with ${want}`);
    }
    assertEquals(
      [...Deno.readDirSync(tmp)].map((e) => e.name),
      ["a-file"],
      "nothing half-written left behind",
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
