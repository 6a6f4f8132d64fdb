import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { fixture, runCli } from "./evaluate_fixture.ts";

Deno.test("ablate CLI: rows on a generated dataset, skipped rows with notes, same numbers as evaluate", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-ablcli-" });
  try {
    const { data, weights } = await fixture(tmp);
    const out = path.join(tmp, "abl");
    const rows = "oracle,floodfill,region,paper,patch32,m0,auto-labels,oracle-no-watershed";
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
    assert(r.stdout.includes("6 rows run, 2 skipped, 2 pairs"), r.stdout);
    const j = JSON.parse(await Deno.readTextFile(path.join(out, "ablation.json")));
    assertEquals([j.pairs, j.total_pairs, j.limit, j.weights.model, j.weights.m0], [2, 3, 2, weights, null]);
    assertEquals(j.oracle, { input_size: 256, patch: 16 });
    assertEquals(
      j.rows.map((x: { id: string; status: string }) => `${x.id}:${x.status}`),
      [
        "floodfill:ok",
        "region:ok",
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
    // The region matcher's row: its own regions and matches, the model's similarity (one forward: same patch AP).
    assert(
      Math.abs(by.region.patch.ap - by.paper.patch.ap) < 1e-4,
      `${by.region.patch.ap} ${by.paper.patch.ap}`,
    );
    for (const k of ["ari", "miou_gp", "precision_all", "recall"]) {
      assert(by.region.region[k] >= 0 && by.region.region[k] <= 1, `${k}: ${by.region.region[k]}`);
    }
    assert(by["auto-labels"].note.includes("--weights-auto"));
    const md = await Deno.readTextFile(path.join(out, "ablation.md"));
    assert(md.includes("| Oracle: paper pipeline | ground-truth similarities"), md);
    assert(md.includes("| Ours: region matcher, strokes (default) |"), md);
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

    // The region matcher's row is what `evaluate --matcher region` gives on the same pairs.
    const evr = path.join(tmp, "evr");
    const er = await runCli("evaluate.ts", [
      "--data",
      data,
      "--out",
      evr,
      "--matcher",
      "region",
      "--limit",
      "2",
      "--weights",
      weights,
      "--backend",
      "cpu",
    ]);
    assertEquals(er.code, 0, er.stderr);
    const mr = JSON.parse(await Deno.readTextFile(path.join(evr, "metrics.json")));
    assertEquals([mr.run.matcher, mr.run.regions], ["region", "strokes"]);
    assertEquals(
      [by.region.region.precision_all, by.region.region.recall],
      [mr.region.cross.precision_all, mr.region.cross.recall],
    );
    assert(er.stdout.startsWith("model + region matcher ("), er.stdout);
    const bad2 = await runCli("evaluate.ts", [
      "--data",
      data,
      "--out",
      path.join(tmp, "x2"),
      "--method",
      "oracle",
      "--matcher",
      "region",
    ]);
    assertEquals(bad2.code, 2);
    assert(bad2.stderr.startsWith("error: --matcher region needs the model's tokens"), bad2.stderr);

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
    assert(bad.stderr.startsWith("error: unknown row(s) bogus (known: floodfill, region,"), bad.stderr);
    const again = await runCli("ablate.ts", ["--data", data, "--out", out, "--rows", "floodfill"]);
    assertEquals(again.code, 2);
    assertEquals(again.stderr.trim(), `error: ${out}: already exists; pass --force to overwrite it`);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
