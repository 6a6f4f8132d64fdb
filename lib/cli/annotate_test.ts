import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals } from "../testing/asserts.ts";
import { drawCharacter, type DrawnFrame } from "../annotate/fixtures.ts";
import { lineToRgba, listCharacters, loadFrame, writeFrame } from "../data/pbc.ts";
import { resolvePairs } from "../data/pairs.ts";
import { patchLabels } from "../data/patch_gt.ts";

const CLI = fileURLToPath(new URL("./annotate.ts", import.meta.url));

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { MANGAMATCH_PROGRESS: "off" },
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

/** A tiny coloured dataset: one character, frames 0000 (still) and 0001 (moved), with exact labels. */
async function tinyDataset(root: string): Promise<DrawnFrame[]> {
  const frames = [drawCharacter({ size: 200 }), drawCharacter({ size: 200, dx: 6, dy: 3, headDx: 2 })];
  for (const [i, f] of frames.entries()) {
    const labelOfSeg = new Map([[1, -1], [2, 10], [3, 11], [4, 12], [5, 13]]);
    await writeFrame(root, "chr", `000${i}`, {
      line: lineToRgba(f.line),
      seg: f.seg,
      labelOfSeg,
      gt: f.color,
    });
  }
  await Deno.writeTextFile(path.join(root, "pairs.csv"), "dir,reference,target\nchr,0000,0001\n");
  return frames;
}

Deno.test("annotate CLI: coloured pairs in, a PBC training set with shared pseudo labels out", async () => {
  const tmp = await Deno.makeTempDir();
  const data = path.join(tmp, "in"), out = path.join(tmp, "out");
  const frames = await tinyDataset(data);
  const r = await run("--data", data, "--out", out, "--seed", "4");
  assertEquals(r.code, 0, r.stderr);
  assert(r.stdout.includes("1 pairs"), r.stdout);
  // The layout: one folder per pair, and a pairs.csv the training command reads unchanged.
  assertEquals(await listCharacters(out), ["chr__0000__0001"]);
  const pairs = await resolvePairs(out);
  assertEquals(pairs, [{ dir: "chr__0000__0001", reference: "0000", target: "0001" }]);
  const fa = await loadFrame(out, pairs[0].dir, "0000"), fb = await loadFrame(out, pairs[0].dir, "0001");
  assertEquals(fa.labelSource, "json_index");
  // The segments are the drawing's exact ones, and each part has one label shared by both frames.
  assertEquals(Array.from(fa.seg.data), Array.from(frames[0].seg.data));
  assertEquals(Array.from(fb.seg.data), Array.from(frames[1].seg.data));
  for (const id of [2, 3, 4, 5]) {
    assertEquals(fa.labelOfSeg!.get(id), fb.labelOfSeg!.get(id), `segment ${id}`);
  }
  assertEquals(new Set([2, 3, 4, 5].map((id) => fa.labelOfSeg!.get(id))).size, 4);
  assertEquals(fa.labelOfSeg!.get(1), -1);
  // Patch labels: the body patch of both frames has the same label; corner patches are background (ignored).
  const pa = patchLabels(fa.seg, fa.labelOfSeg, { rows: 8, cols: 8 });
  const pb = patchLabels(fb.seg, fb.labelOfSeg, { rows: 8, cols: 8 });
  assertEquals(pa[0], -1);
  const body = 6 * 8 + 3; // row 6 (y 150-175 of 200), column 3 (x 75-100): inside the body in both frames
  assertEquals(pa[body], fa.labelOfSeg!.get(4));
  assertEquals(pb[body], pa[body]);
  assert(Array.from(pa).filter((v) => v >= 0).length >= 10);
  // The coloured frame travels along; annotate.json records the counts.
  assert((await Deno.stat(path.join(out, pairs[0].dir, "gt", "0001.png"))).isFile);
  const meta = JSON.parse(await Deno.readTextFile(path.join(out, "annotate.json")));
  assertEquals(meta.pairs[0].segmentsA, 4);
  // Same seed, same bytes; an existing output needs --force.
  const again = await run("--data", data, "--out", out, "--seed", "4");
  assertEquals(again.code, 2);
  assertEquals(again.stderr.trim(), `error: ${out}: already exists; pass --force to overwrite it`);
  const before = await Deno.readFile(path.join(out, pairs[0].dir, "json_index", "0001.json"));
  const forced = await run("--data", data, "--out", out, "--seed", "4", "--force");
  assertEquals(forced.code, 0, forced.stderr);
  assertEquals(await Deno.readFile(path.join(out, pairs[0].dir, "json_index", "0001.json")), before);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("annotate CLI: bad input gives one error line naming the file, and writes nothing", async () => {
  const tmp = await Deno.makeTempDir();
  const data = path.join(tmp, "in"), out = path.join(tmp, "out");
  await tinyDataset(data);
  const cases: [string[], string][] = [
    [["--out", out], "error: missing --data (see --help)"],
    [
      ["--data", path.join(tmp, "nope"), "--out", out],
      `error: ${path.join(tmp, "nope")}: dataset folder not found`,
    ],
    [["--data", data, "--out", out, "--k", "0"], "error: --k must be >= 1, got 0"],
    [
      ["--data", data, "--out", out, "--pairs", path.join(data, "missing.csv")],
      `error: ${path.join(data, "missing.csv")}: pairs file not found`,
    ],
  ];
  for (const [args, line] of cases) {
    const r = await run(...args);
    assertEquals([r.code, r.stderr.trim()], [2, line]);
  }
  // A frame without its coloured version.
  await Deno.remove(path.join(data, "chr", "gt", "0001.png"));
  const noGt = await run("--data", data, "--out", out);
  assertEquals(noGt.code, 2);
  assertEquals(
    noGt.stderr.trim(),
    `error: ${
      path.join(data, "chr", "gt", "0001.png")
    }: frame has no coloured version (annotate needs gt/<frame>.png)`,
  );
  // A corrupt coloured frame fails mid-run: the output folder is not left behind.
  await Deno.writeFile(path.join(data, "chr", "gt", "0001.png"), new Uint8Array([1, 2, 3]));
  const bad = await run("--data", data, "--out", out);
  assertEquals(bad.code, 2);
  assert(bad.stderr.trim().startsWith(`error: ${path.join(data, "chr", "gt", "0001.png")}: `), bad.stderr);
  assertEquals(bad.stderr.trim().split("\n").length, 1);
  assertEquals([...Deno.readDirSync(tmp)].map((e) => e.name), ["in"]);
  await Deno.remove(tmp, { recursive: true });
});
