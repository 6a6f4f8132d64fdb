import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { REPO_ROOT } from "../util/paths.ts";
import { COLORIZE_METHODS } from "../eval/colorization.ts";
import { fixture } from "./evaluate_fixture.ts";

/** Runs the command in a child process (`env` added to the parent's). */
async function bench(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", path.join(REPO_ROOT, "lib/cli/bench_colorize.ts"), ...args],
    cwd: REPO_ROOT,
    env: { MANGAMATCH_PROGRESS: "off", NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").pop()!);

Deno.test("bench:colorize CLI: table and JSON line on a generated dataset; no model; bad input", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-benchcol-" });
  try {
    const { data, weights } = await fixture(tmp);
    const r = await bench(["--data", data, "--limit", "2", "--weights", weights, "--backend", "cpu"]);
    assertEquals(r.code, 0, r.stderr);
    const names = [...COLORIZE_METHODS];
    assert(r.stdout.includes("| method | pairs | pixel acc. (fg) | region acc. (fg) |"), r.stdout);
    for (const n of names) assert(r.stdout.includes(`| ${n} | 2 | `), `${n}: ${r.stdout}`);
    assert(r.stdout.includes(`2 of 3 pairs of ${data}; model ${weights}.`), r.stdout);
    const j = lastJson(r.stdout);
    assertEquals(Object.keys(j), ["bench", "data", "pairs", "weights", "methods"]);
    assertEquals([j.bench, j.data, j.pairs, j.weights], ["colorize", data, 2, weights]);
    assertEquals(Object.keys(j.methods), names);
    for (const n of names) {
      assertEquals(Object.keys(j.methods[n]), [
        "pixel_accuracy_fg",
        "region_accuracy_fg",
        "pixel_accuracy_with_bg",
        "region_accuracy_with_bg",
        "s_per_pair",
      ]);
      assert(j.methods[n].pixel_accuracy_fg >= 0 && j.methods[n].pixel_accuracy_fg <= 1, n);
    }
    assertEquals(j.methods["all white"].pixel_accuracy_fg, 0);

    // No model (none given, none shipped): the oracle and flood fill only, with a note.
    const nm = await bench(["--data", data, "--limit", "1"], { MANGAMATCH_WEIGHTS: "none" });
    assertEquals(nm.code, 0, nm.stderr);
    assert(nm.stderr.startsWith("no model: pass --weights DIR"), nm.stderr);
    const jn = lastJson(nm.stdout);
    assertEquals([jn.pairs, jn.weights, Object.keys(jn.methods)], [1, null, COLORIZE_METHODS.slice(3)]);

    // Bad input: one error line naming the path.
    const missing = path.join(tmp, "nope");
    const bad = await bench(["--data", missing]);
    assertEquals([bad.code, bad.stderr.trim()], [2, `error: ${missing}: dataset folder not found`]);
    // The first pair (pairs.csv's first row): its reference's gt/ frame is the first one checked.
    const [dir, reference] = (await Deno.readTextFile(path.join(data, "pairs.csv"))).split("\n")[1].split(
      ",",
    );
    await Deno.remove(path.join(data, dir, "gt"), { recursive: true });
    const noGt = await bench(["--data", data, "--limit", "1"], { MANGAMATCH_WEIGHTS: "none" });
    assertEquals(noGt.code, 2);
    assertEquals(noGt.stderr.trim().split("\n").slice(1), [
      `error: ${path.join(data, dir, "gt", `${reference}.png`)}: ` +
      "no true colour frame (gt/): cannot score colourisation",
    ]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
