import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { fixture, runCli } from "./evaluate_fixture.ts";

Deno.test("ablate CLI: rows on a generated dataset, skipped rows with notes, same numbers as evaluate", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-ablcli-" });
  try {
    const { data, weights } = await fixture(tmp);
    const out = path.join(tmp, "abl");
    const rows = "oracle,floodfill,paper,patch32,m0,auto-labels,oracle-no-watershed";
    const r = await runCli("ablate.ts", [
      "--data",
      data,
      "--out",
      out,
      "--rows",
      rows,
      "--limit",
      "2",
      "--weights",
      weights,
      "--backend",
      "cpu",
    ]);
    assertEquals(r.code, 0, r.stderr);
    assert(r.stdout.includes("5 rows run, 2 skipped, 2 pairs"), r.stdout);
    const j = JSON.parse(await Deno.readTextFile(path.join(out, "ablation.json")));
    assertEquals([j.pairs, j.total_pairs, j.limit, j.weights.model, j.weights.m0], [2, 3, 2, weights, null]);
    assertEquals(j.oracle, { input_size: 256, patch: 16 });
    assertEquals(
      j.rows.map((x: { id: string; status: string }) => `${x.id}:${x.status}`),
      [
        "floodfill:ok",
        "paper:ok",
        "patch32:ok",
        "m0:skipped",
        "auto-labels:skipped",
        "oracle:ok",
        "oracle-no-watershed:ok",
      ],
    );
    const by = Object.fromEntries(j.rows.map((x: { id: string }) => [x.id, x]));
    assertEquals(by.floodfill.patch, null);
    assertEquals([by.oracle.patch.ap, by.oracle.patch.top1], [1, 1]);
    assert(by.paper.patch.ap >= 0 && by.paper.patch.ap <= 1);
    assert(by["auto-labels"].note.includes("--weights-auto"));
    const md = await Deno.readTextFile(path.join(out, "ablation.md"));
    assert(md.includes("| Oracle: paper pipeline | ground-truth similarities"), md);
    assert(md.includes("skipped: needs --weights-m0 DIR"), md);
    assert(md.includes("2 of 3 pairs of"), md);

    // The oracle row is what `evaluate --method oracle` gives on the same pairs.
    const ev = path.join(tmp, "ev");
    const e = await runCli("evaluate.ts", [
      "--data",
      data,
      "--out",
      ev,
      "--method",
      "oracle",
      "--limit",
      "2",
    ]);
    assertEquals(e.code, 0, e.stderr);
    const m = JSON.parse(await Deno.readTextFile(path.join(ev, "metrics.json")));
    const mean = (k: string) => (m.region.intra_a[k] + m.region.intra_b[k]) / 2;
    assertEquals(
      [
        by.oracle.region.ari,
        by.oracle.region.miou_gp,
        by.oracle.region.precision_valid,
        by.oracle.region.precision_all,
        by.oracle.region.recall,
      ],
      [
        mean("ari"),
        mean("miou_gp"),
        m.region.cross.precision_valid,
        m.region.cross.precision_all,
        m.region.cross.recall,
      ],
    );

    // Errors: one line each.
    const bad = await runCli("ablate.ts", [
      "--data",
      data,
      "--out",
      path.join(tmp, "x"),
      "--rows",
      "paper,bogus",
    ]);
    assertEquals([bad.code, bad.stderr.trim().split("\n").length], [2, 1]);
    assert(bad.stderr.startsWith("error: unknown row(s) bogus (known: floodfill, paper,"), bad.stderr);
    const again = await runCli("ablate.ts", ["--data", data, "--out", out, "--rows", "floodfill"]);
    assertEquals(again.code, 2);
    assertEquals(again.stderr.trim(), `error: ${out}: already exists; pass --force to overwrite it`);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
