import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { lineToRgba, writeFrame } from "../data/pbc.ts";
import { readGray, readLabel16, readRgb, writePng } from "../image/io.ts";
import { newGray } from "../image/types.ts";
import { renderToyFrame } from "../match/toy_pair.ts";
import { modelConfig } from "../model/config.ts";
import { initialValues } from "../model/model.ts";
import { saveWeights } from "../model/weights.ts";
import { REPO_ROOT } from "../util/paths.ts";

const A = renderToyFrame(128), B = renderToyFrame(128, { dx: 0.03, dy: 0, s: 0.95, tilt: 0, blink: 1 });

async function run(script: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", path.join(REPO_ROOT, "lib/cli", script), ...args],
    cwd: REPO_ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text };
}

/** A tiny untrained model (timing and wiring only: its similarities mean nothing). */
async function tinyModel(dir: string) {
  const cfg = modelConfig("small", { inputSize: 64, patch: 16, dim: 8, heads: 2, vitLayers: 1, mtLayers: 1 });
  await saveWeights(dir, cfg, initialValues(cfg, 1));
}

Deno.test("match --data --oracle writes the four outputs of every pair", async () => {
  const root = await Deno.makeTempDir();
  try {
    const data = path.join(root, "data");
    for (const [name, f] of [["0000", A], ["0001", B]] as const) {
      await writeFrame(data, "char0001", name, {
        line: lineToRgba(f.line),
        seg: f.seg,
        labelOfSeg: f.labelOfSeg,
      });
    }
    await Deno.writeTextFile(path.join(data, "pairs.csv"), "dir,reference,target\nchar0001,0000,0001\n");
    const out = path.join(root, "out");
    const r = await run("match.ts", ["--data", data, "--out", out, "--oracle", "--regions", "lines"]);
    assertEquals(r.code, 0, r.text);
    const dir = path.join(out, "char0001", "0000-0001");
    const refSeg = await readLabel16(path.join(dir, "ref_seg.png"));
    assertEquals([refSeg.width, refSeg.height], [128, 128]);
    const matches = JSON.parse(await Deno.readTextFile(path.join(dir, "matches.json")));
    assert(matches.length > 0);
    const maxRef = Math.max(...refSeg.data);
    for (const m of matches) {
      assert(m.ref_region >= 1 && m.ref_region <= maxRef && typeof m.score === "number");
    }
    const vis = await readRgb(path.join(dir, "match_vis.png"));
    assertEquals([vis.width, vis.height], [128 * 2 + 16, 128]);
    // A second run does not overwrite without --force.
    const again = await run("match.ts", ["--data", data, "--out", out, "--oracle"]);
    assertEquals(again.code, 2);
    assert(again.text.includes("already exists; pass --force"), again.text);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("match and colorize run end to end with a (tiny, untrained) model; errors are one line", async () => {
  const root = await Deno.makeTempDir();
  try {
    const model = path.join(root, "model");
    await tinyModel(model);
    const [pa, pb, pc, blank] = ["a.png", "b.png", "a_color.png", "blank.png"].map((f) => path.join(root, f));
    await writePng(pa, lineToRgba(A.line)); // PBC style: black on transparent
    await writePng(pb, B.line); // dark on white
    await writePng(pc, A.color);
    await writePng(blank, newGray(100, 80));
    const m = await run("match.ts", [pa, pb, "--out", path.join(root, "ab"), "--weights", model]);
    assertEquals(m.code, 0, m.text);
    assertEquals((await readLabel16(path.join(root, "ab", "tgt_seg.png"))).width, 128);
    const bl = await run("match.ts", [pa, blank, "--out", path.join(root, "blank"), "--weights", model]);
    assertEquals(bl.code, 0, bl.text);
    assert(bl.text.includes("warning: the target drawing has no strokes"), bl.text);
    const c = await run("colorize.ts", [
      pc,
      pb,
      "--out",
      path.join(root, "b_color.png"),
      "--weights",
      model,
      "--gt",
      pc,
    ]);
    assertEquals(c.code, 0, c.text);
    assert(/pixel accuracy [\d.]+%/.test(c.text), c.text);
    const painted = await readGray(path.join(root, "b_color.png"));
    assertEquals([painted.width, painted.height], [128, 128]);
    // Without --weights: the shipped model (MANGAMATCH_WEIGHTS points the default elsewhere, "none" hides it).
    const byDefault = await run("match.ts", [pa, pb, "--out", path.join(root, "d")], {
      MANGAMATCH_WEIGHTS: model,
    });
    assertEquals(byDefault.code, 0, byDefault.text);
    const noModel = await run("match.ts", [pa, pb, "--out", path.join(root, "x")], {
      MANGAMATCH_WEIGHTS: "none",
    });
    assertEquals(noModel.code, 2);
    assert(noModel.text.trim().split("\n").length === 1 && noModel.text.includes("no model"), noModel.text);
    const notImage = await run("match.ts", [
      pa,
      path.join(root, "model", "model.json"),
      "--out",
      path.join(root, "y"),
      "--weights",
      model,
    ]);
    assertEquals(notImage.code, 2, notImage.text);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
