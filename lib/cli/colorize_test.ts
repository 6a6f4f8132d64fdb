import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { writePng } from "../image/io.ts";
import { newGray } from "../image/types.ts";
import { renderToyFrame } from "../match/toy_pair.ts";
import { modelConfig } from "../model/config.ts";
import { initialValues } from "../model/model.ts";
import { saveWeights } from "../model/weights.ts";
import { exists } from "../util/fs.ts";
import { REPO_ROOT } from "../util/paths.ts";

async function run(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", path.join(REPO_ROOT, "lib/cli/colorize.ts"), ...args],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
  };
}

Deno.test("colorize: bad inputs are one line naming the file; clip mode colours every frame, gaps refused", async () => {
  const root = await Deno.makeTempDir();
  try {
    const model = path.join(root, "model");
    const cfg = modelConfig("small", {
      inputSize: 64,
      patch: 16,
      dim: 8,
      heads: 2,
      vitLayers: 1,
      mtLayers: 1,
    });
    await saveWeights(model, cfg, initialValues(cfg, 1));
    const frames = [0, 1, 2].map((k) => renderToyFrame(96, { dx: 0.02 * k, dy: 0, s: 1, tilt: 0, blink: 1 }));
    const p = (f: string) => path.join(root, f);
    await writePng(p("ref_color.png"), frames[0].color);
    await writePng(p("ref_line.png"), frames[0].line);
    await writePng(p("tgt.png"), frames[1].line);
    await writePng(p("blank.png"), newGray(96, 96));
    const W = ["--weights", model];
    const oneLine = (r: { code: number; text: string }, ...parts: string[]) => {
      assertEquals(r.code, 2, r.text);
      const lines = r.text.trim().split("\n").filter((l) => !l.startsWith("backend:"));
      assertEquals(lines.length, 1, r.text);
      for (const s of parts) assert(lines[0].includes(s), `${s} not in ${lines[0]}`);
    };
    oneLine(
      await run([p("ref_line.png"), p("tgt.png"), "--out", p("o1.png"), ...W]),
      "ref_line.png",
      "not coloured",
    );
    oneLine(
      await run([p("ref_color.png"), p("ref_color.png"), "--out", p("o2.png"), ...W]),
      "ref_color.png",
      "colour image",
    );
    oneLine(
      await run([p("ref_color.png"), p("blank.png"), "--out", p("o3.png"), ...W]),
      "blank.png",
      "empty",
    );
    for (const o of ["o1.png", "o2.png", "o3.png"]) assertEquals(await exists(p(o)), false);
    const ok = await run([
      p("ref_color.png"),
      p("tgt.png"),
      "--ref-line",
      p("ref_line.png"),
      "--out",
      p("o.png"),
      ...W,
    ]);
    assertEquals(ok.code, 0, ok.text);

    // Clip mode.
    const clip = p("clip");
    await Deno.mkdir(path.join(clip, "line"), { recursive: true });
    await Deno.mkdir(path.join(clip, "gt"), { recursive: true });
    for (let k = 0; k < 3; k++) await writePng(path.join(clip, "line", `000${k}.png`), frames[k].line);
    await writePng(path.join(clip, "gt", "0000.png"), frames[0].color);
    const c = await run(["--clip", clip, "--keys", "0000", "--out", p("clip_out"), ...W]);
    assertEquals(c.code, 0, c.text);
    for (const f of ["0000.png", "0001.png", "0002.png", "clip.json"]) {
      assert(await exists(path.join(p("clip_out"), f)), f);
    }
    const again = await run(["--clip", clip, "--keys", "0000", "--out", p("clip_out"), ...W]);
    oneLine(again, "already exists");
    await Deno.rename(path.join(clip, "line", "0001.png"), path.join(root, "moved.png"));
    oneLine(
      await run(["--clip", clip, "--keys", "0000", "--out", p("clip_gap"), ...W]),
      "line",
      "gaps",
      "missing 1",
    );
    assertEquals(await exists(p("clip_gap")), false);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
