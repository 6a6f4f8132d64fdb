import * as path from "node:path";
import { resolvePairs } from "../data/pairs.ts";
import { floodFillMethod } from "../eval/predictors.ts";
import { evaluateDataset } from "../eval/run.ts";
import { assert, assertEquals } from "../testing/asserts.ts";
import { fixture, runCli } from "./evaluate_fixture.ts";

const inUnit = (v: unknown) => typeof v === "number" && v >= 0 && v <= 1;

Deno.test("evaluate CLI: oracle and flood fill on a generated dataset; outputs, shapes and values", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-evalcli-" });
  try {
    const { data } = await fixture(tmp);
    const out = path.join(tmp, "oracle");
    const r = await runCli("evaluate.ts", ["--data", data, "--out", out, "--method", "oracle"]);
    assertEquals(r.code, 0, r.stderr);
    assert(r.stdout.includes("oracle, data: 3 pairs"), r.stdout);
    for (const f of ["metrics.json", "table1.md", "table2.md", "pr_curves.json", "timing.json"]) {
      assert((await Deno.stat(path.join(out, f))).isFile, f);
    }
    const m = JSON.parse(await Deno.readTextFile(path.join(out, "metrics.json")));
    assertEquals(m.pairs, 3);
    assertEquals(m.per_pair.length, 3);
    // The oracle's similarity is the patch ground truth itself: every patch score is perfect.
    for (const k of ["intra_a", "intra_b", "cross"]) {
      assertEquals(
        [m.patch[k].ap, m.patch[k].best_f1, m.patch[k].precision, m.patch[k].recall],
        [1, 1, 1, 1],
        k,
      );
    }
    assertEquals([m.patch.cross.top1, m.patch.cross.top5], [1, 1]);
    for (const k of ["intra_a", "intra_b"]) {
      for (const f of ["ari", "miou_pg", "miou_gp"]) assert(inUnit(m.region[k][f]), `${k}.${f}`);
      assert(m.region[k].cr > 0);
    }
    assert(inUnit(m.region.cross.precision_all) && inUnit(m.region.cross.precision_valid));
    assert(inUnit(m.region.cross.recall) && m.region.cross.precision_all <= m.region.cross.precision_valid);
    assertEquals(
      [m.run.method, m.run.patch, m.run.input_size, m.run.regions, m.run.score, m.run.watershed],
      ["oracle", 16, 256, "patches", "sigmoid", true],
    );
    const curves = JSON.parse(await Deno.readTextFile(path.join(out, "pr_curves.json")));
    assertEquals(curves.curves.cross.ap, 1);
    assertEquals(curves.curves.cross.recall.length, curves.curves.cross.precision.length);
    const t1 = await Deno.readTextFile(path.join(out, "table1.md"));
    assert(
      t1.includes("| oracle, data | Intra-img (I_a) | 100.00") &&
        t1.includes("|  | Cross-img | 100.00 | 100.00 | 100.00 | 100.00 | 100.00 | 100.00 |"),
      t1,
    );
    assert(t1.includes("| PBC (paper) |") && t1.includes("do not compare one for one"), t1);

    // Flood fill: no patch metrics; region metrics equal an in-process run of the same predictor.
    const ff = path.join(tmp, "ff");
    const r2 = await runCli("evaluate.ts", [
      "--data",
      data,
      "--out",
      ff,
      "--method",
      "floodfill",
      "--limit",
      "2",
    ]);
    assertEquals(r2.code, 0, r2.stderr);
    const f = JSON.parse(await Deno.readTextFile(path.join(ff, "metrics.json")));
    assertEquals([f.pairs, f.patch, f.pr_curves, f.run.regions], [2, null, null, null]);
    const pairs = (await resolvePairs(data)).filter((_, i) => i === 0 || i === 1); // --limit 2 of 3: indices 0, 1
    const ref = await evaluateDataset(data, pairs, floodFillMethod(), { progress: "off" });
    assertEquals(f.region, JSON.parse(JSON.stringify(ref.region)));
    assert((await Deno.readTextFile(path.join(ff, "table1.md"))).includes("| PBC (paper) |"));
    const t2 = await Deno.readTextFile(path.join(ff, "table2.md"));
    assert(
      t2.startsWith("| Dataset | Matching type | ARI |") &&
        t2.includes("| floodfill, data | Intra-img (I_a) |"),
      t2,
    );

    // Same run again: the same metrics.json bytes (timings live in timing.json).
    const again = await runCli("evaluate.ts", [
      "--data",
      data,
      "--out",
      ff,
      "--method",
      "floodfill",
      "--limit",
      "2",
      "--force",
    ]);
    assertEquals(again.code, 0, again.stderr);
    assertEquals(
      JSON.stringify(JSON.parse(await Deno.readTextFile(path.join(ff, "metrics.json")))),
      JSON.stringify(f),
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("evaluate CLI: a tiny untrained model, native and pooled patch (wiring only)", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-evalcli-" });
  try {
    const { data, weights } = await fixture(tmp);
    for (const patch of [16, 32]) {
      const out = path.join(tmp, `m${patch}`);
      const r = await runCli("evaluate.ts", [
        "--data",
        data,
        "--out",
        out,
        "--weights",
        weights,
        "--patch",
        String(patch),
        "--limit",
        "2",
        "--regions",
        "hybrid",
        "--backend",
        "cpu",
      ]);
      assertEquals(r.code, 0, r.stderr);
      const m = JSON.parse(await Deno.readTextFile(path.join(out, "metrics.json")));
      assertEquals(m.pairs, 2);
      assertEquals([m.run.method, m.run.weights, m.run.patch, m.run.regions], [
        "model",
        weights,
        patch,
        "hybrid",
      ]);
      assertEquals(m.run.pooling, patch === 16 ? "none" : "2x2 tokens before normalisation");
      assertEquals(m.run.model, { preset: "small", input_size: 256, patch: 16 });
      for (const k of ["intra_a", "intra_b", "cross"]) {
        assert(inUnit(m.patch[k].ap), `${k} AP ${m.patch[k].ap}`);
      }
      assert(inUnit(m.patch.cross.top1) && m.patch.cross.top5 >= m.patch.cross.top1);
      assert(m.pr_curves.cross.recall.length > 1);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("evaluate CLI: bad input is one error line", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-evalcli-" });
  try {
    const { data } = await fixture(tmp);
    const out = path.join(tmp, "o");
    const err = async (args: string[]) => {
      const r = await runCli("evaluate.ts", args);
      assertEquals(r.code, 2, r.stdout + r.stderr);
      const lines = r.stderr.trim().split("\n");
      assertEquals(lines.length, 1, r.stderr);
      return lines[0];
    };
    const missing = path.join(tmp, "nope");
    assertEquals(
      await err(["--data", missing, "--out", out, "--method", "oracle"]),
      `error: ${missing}: dataset folder not found`,
    );
    assertEquals(
      await err(["--data", data, "--out", out, "--weights", missing]),
      `error: ${missing}: weights folder not found`,
    );
    const empty = path.join(tmp, "empty");
    await Deno.mkdir(empty);
    assert(
      (await err(["--data", data, "--out", out, "--weights", empty])).startsWith(
        `error: ${empty}/model.json: no model.json`,
      ),
    );
    assertEquals(
      await err(["--data", data, "--out", out, "--method", "oracle", "--patch", "24"]),
      "error: --patch 24 does not divide the input size 256",
    );
    assert(
      (await err(["--data", data, "--out", out, "--method", "magic"])).startsWith(
        "error: --method must be one of model|oracle|floodfill",
      ),
    );
    assertEquals(await err(["--data", data]), "error: missing --out (see --help)");
    await Deno.mkdir(out);
    assertEquals(
      await err(["--data", data, "--out", out, "--method", "floodfill"]),
      `error: ${out}: already exists; pass --force to overwrite it`,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("evaluate and ablate: --match-threshold and --merge-threshold reach the pipeline; bad values are one line", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-evalthr-" });
  try {
    const { data } = await fixture(tmp);
    const matches = async (args: string[]) => {
      const out = path.join(tmp, `o${Math.random().toString(36).slice(2)}`);
      const r = await runCli("evaluate.ts", ["--data", data, "--out", out, "--method", "oracle", ...args]);
      assertEquals(r.code, 0, r.stderr);
      return JSON.parse(await Deno.readTextFile(path.join(out, "metrics.json"))).region.cross.pred_matches;
    };
    // The oracle's scores are sigmoid(+-1): 0.73 for a true partner, so a threshold of 0.99 leaves no match.
    assert(await matches([]) > 0);
    assertEquals(await matches(["--match-threshold", "0.99"]), 0);
    const bad = await runCli("evaluate.ts", [
      "--data",
      data,
      "--out",
      path.join(tmp, "bad"),
      "--match-threshold",
      "2",
    ]);
    assert(bad.code !== 0 && bad.stderr.includes("--match-threshold must be <= 1"), bad.stderr);
    const abl = path.join(tmp, "abl");
    const a = await runCli("ablate.ts", [
      "--data",
      data,
      "--out",
      abl,
      "--rows",
      "oracle",
      "--limit",
      "0",
      "--match-threshold",
      "0.99",
    ]);
    assertEquals(a.code, 0, a.stderr);
    const rows = JSON.parse(await Deno.readTextFile(path.join(abl, "ablation.json"))).rows;
    assertEquals(rows[0].region.pred_matches, 0);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
