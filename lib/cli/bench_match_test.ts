import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { REPO_ROOT } from "../util/paths.ts";

Deno.test("bench:match CLI: a small run prints its tables and one JSON line; peers skipped cleanly", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      path.join(REPO_ROOT, "lib/cli/bench_match.ts"),
      ...["--size", "128", "--regions", "patches", "--repeats", "1", "--peer", "no", "--backend", "cpu"],
      ...["--python", "/nonexistent/python3", "--forward-warmup", "1", "--forward-reps", "1"],
    ],
    env: { MANGAMATCH_PROGRESS: "off", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout), stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, stderr);
  assert(stdout.includes("scikit-image: skipped (/nonexistent/python3"), stdout);
  assert(stdout.includes("PyTorch peer: not run (--peer no)"), stdout);
  const j = JSON.parse(stdout.trim().split("\n").pop()!);
  assertEquals([j.bench, j.size, j.mode, j.infer_batch, j.peer_infer_pairs_per_s], [
    "match",
    128,
    "patches",
    1,
    null,
  ]);
  assert(j.ms_per_pair > 0 && j.infer_pairs_per_s > 0, JSON.stringify(j));
  // The default's row (region matcher on strokes regions, painted): its stages and a positive total.
  assertEquals(Object.keys(j.modes), ["patches", "region"]);
  assert(j.modes.region.ms_per_pair > 0 && j.modes.region.paint_ms >= 0, JSON.stringify(j.modes.region));
  assert(j.modes.region.postprocess_one_ms > 0, JSON.stringify(j.modes.region));
  assert(/^region +\d/m.test(stdout), stdout);
  assert(stdout.includes("region steps (both drawings): read"), stdout);
  assert(stdout.includes("matcher.sinkhorn"), stdout);
});
