import * as path from "node:path";
import { assert, assertEquals, assertRejects } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { REPO_ROOT } from "../util/paths.ts";
import {
  commandLine,
  cpuModelOf,
  machineInfo,
  recordName,
  relativizePaths,
  writeBenchRecord,
} from "./record.ts";

Deno.test("cpuModelOf: the first model name line; null without one", () => {
  assertEquals(
    cpuModelOf("processor\t: 0\nmodel name\t: AMD EPYC 7B13\nprocessor\t: 1\nmodel name\t: other\n"),
    "AMD EPYC 7B13",
  );
  assertEquals(cpuModelOf("processor\t: 0\n"), null);
  const m = machineInfo();
  assert(m.cores >= 1 && typeof m.os === "string", JSON.stringify(m));
});

Deno.test("commandLine: repository paths made relative, odd arguments quoted", () => {
  assertEquals(
    commandLine("bench:colorize", ["--data", path.join(REPO_ROOT, "data", "test-clean"), "--record"]),
    "deno task bench:colorize --data data/test-clean --record",
  );
  assertEquals(commandLine("bench:train", ["--note", "it's x"]), `deno task bench:train --note 'it'\\''s x'`);
  assertEquals(recordName("colorize", "data/test-clean/"), "colorize-test-clean");
  assertEquals(recordName("train"), "train");
});

Deno.test("writeBenchRecord: date, machine, command, figures; refuses to overwrite without force", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mm-benchrec-" });
  try {
    const file = path.join(dir, "sub", "x.json");
    const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const got = await writeBenchRecord("x", "deno task bench:x", { a: 1 }, {
      file,
      date,
      loadStart: [1, 2, 3],
    });
    assertEquals(got, file);
    const rec = JSON.parse(await Deno.readTextFile(file));
    assertEquals([rec.bench, rec.date, rec.command, rec.figures, rec.load_start], [
      "x",
      "2026-01-02T03:04:05.000Z",
      "deno task bench:x",
      { a: 1 },
      [1, 2, 3],
    ]);
    assert(rec.machine.cores >= 1 && "cpu_model" in rec.machine);
    await assertRejects(() => writeBenchRecord("x", "c", { a: 2 }, { file }), UserError, "--force");
    await writeBenchRecord("x", "c", { a: 2 }, { file, force: true });
    assertEquals(JSON.parse(await Deno.readTextFile(file)).figures, { a: 2 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("relativizePaths: repository paths made relative, deeply; others kept", () => {
  const abs = path.join(REPO_ROOT, "experiments", "small-v1");
  assertEquals(relativizePaths({ w: abs, l: [abs, 1, null], o: { p: "/usr/bin/python3" } }), {
    w: "experiments/small-v1",
    l: ["experiments/small-v1", 1, null],
    o: { p: "/usr/bin/python3" },
  });
});
