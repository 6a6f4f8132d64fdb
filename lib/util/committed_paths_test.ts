/**
 * Committed results (experiments/, the README, the notes beside the code) must name no machine's paths: a run's
 * config.json, a benchmark's JSON or a table copied from a terminal would otherwise carry `/work/...` or
 * `/home/...` of whoever ran it. (Notebook outputs have their own, stricter check in lib/cli/notebooks_test.ts.)
 */
import * as path from "node:path";
import { assertEquals } from "../testing/asserts.ts";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
/** An absolute path under a home, work or temporary folder, quoted or after a space/colon/equals sign. */
const MACHINE_PATH = /(^|[\s"'`(=:,])\/(work|tmp|root|home|Users|mnt)\/[A-Za-z0-9._-]+/;
const TEXT = /\.(json|jsonl|md|csv|txt|svg|html)$/;

/** Offending `file:line: text` entries under `dir` (recursively), for text files only. */
export function machinePathsIn(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(path.join(dir, rel))) {
    const r = path.join(rel, e.name);
    if (e.isDirectory) out.push(...machinePathsIn(dir, r));
    else if (e.isFile && TEXT.test(e.name)) {
      const lines = Deno.readTextFileSync(path.join(dir, r)).split("\n");
      lines.forEach((line, i) => {
        const m = MACHINE_PATH.exec(line);
        if (m) out.push(`${r}:${i + 1}: ${m[0].trim()}`);
      });
    }
  }
  return out;
}

Deno.test("machinePathsIn finds an absolute machine path and ignores relative ones", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(path.join(dir, "run"));
    Deno.writeTextFileSync(path.join(dir, "run", "config.json"), '{"data": ["../../data/train"]}\n');
    Deno.writeTextFileSync(path.join(dir, "run", "log.jsonl"), '{"a":1}\n{"data":"/home/alice/data/x"}\n');
    Deno.writeTextFileSync(path.join(dir, "weights.bin"), "/work/main/ is binary here, not checked");
    assertEquals(machinePathsIn(dir), [`${path.join("run", "log.jsonl")}:2: "/home/alice`]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("committed experiments/ and top-level docs name no machine paths", () => {
  const found = machinePathsIn(path.join(ROOT, "experiments"));
  for (const f of ["README.md", "ARCHITECTURE.md"]) {
    const lines = Deno.readTextFileSync(path.join(ROOT, f)).split("\n");
    lines.forEach((line, i) => {
      const m = MACHINE_PATH.exec(line);
      if (m) found.push(`${f}:${i + 1}: ${m[0].trim()}`);
    });
  }
  assertEquals(found, [], "absolute machine paths in committed files");
});
