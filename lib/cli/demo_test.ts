import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { readGray, readLabel16 } from "../image/io.ts";
import { modelConfig } from "../model/config.ts";
import { initialValues } from "../model/model.ts";
import { saveWeights } from "../model/weights.ts";
import { REPO_ROOT } from "../util/paths.ts";

async function demo(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", path.join(REPO_ROOT, "lib/cli/demo.ts"), ...args],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
  };
}

Deno.test("demo: both generated cases end to end (tiny untrained model), no overwrite without --force", async () => {
  const root = await Deno.makeTempDir({ prefix: "mm-demo-" });
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
    const out = path.join(root, "demo");
    const r = await demo(["--weights", model, "--out", out, "--no-real"]);
    assertEquals(r.code, 0, r.text);
    const report = JSON.parse(await Deno.readTextFile(path.join(out, "demo.json")));
    assertEquals(report.cases.map((c: { case: string }) => c.case), ["generated_clean", "generated_hand"]);
    for (const c of report.cases) {
      assert(c.pixel_accuracy >= 0 && c.pixel_accuracy <= 1, JSON.stringify(c));
      const dir = path.join(out, c.case);
      for (const f of ["match_vis.png", "colorized.png", "overview.png", "matches.json"]) {
        assert((await Deno.stat(path.join(dir, f))).size > 0, f);
      }
      const seg = await readLabel16(path.join(dir, "tgt_seg.png"));
      assertEquals([seg.width, seg.height], [512, 512]);
      // reference colours | colourised target | true colours, 16 px apart
      assertEquals((await readGray(path.join(dir, "overview.png"))).width, 3 * 512 + 2 * 16);
    }
    assert(r.text.includes(path.join(out, "generated_clean", "{match_vis.png,overview.png}")), r.text);
    const again = await demo(["--weights", model, "--out", out, "--no-real"]);
    assertEquals(again.code, 2, again.text);
    assert(again.text.includes("--force"), again.text);
    const none = await demo([
      "--weights",
      path.join(root, "nothing"),
      "--out",
      path.join(root, "x"),
      "--no-real",
    ]);
    assertEquals(none.code, 2, none.text);
    assert(none.text.trim().split("\n").length === 1 && none.text.includes("model.json missing"), none.text);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
