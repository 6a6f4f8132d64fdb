import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { readLog, skippedUpdateWarning } from "./loop.ts";

Deno.test("readLog: a bad line is left out with a warning naming file and line; later lines still read", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mm-log-" });
  try {
    const file = path.join(dir, "log.jsonl");
    await Deno.writeTextFile(
      file,
      ['{"step":1,"loss":2}', "{not json", '{"no_step":1}', '{"step":2,"loss":1.5}', '{"step":3,"lo'].join(
        "\n",
      ),
    );
    const warnings: string[] = [];
    const log = await readLog(file, (l) => warnings.push(l));
    assertEquals(log.map((r) => r.step), [1, 2]);
    assertEquals(warnings.length, 3);
    assert(warnings[0].startsWith(`warning: ${file}:2: not a log record;`), warnings[0]);
    assert(warnings[1].startsWith(`warning: ${file}:3:`), warnings[1]);
    assert(warnings[2].includes(`${file}:5:`) && warnings[2].includes("torn last line"), warnings[2]);
    assertEquals(await readLog(path.join(dir, "none.jsonl"), (l) => warnings.push(l)), []);
    assertEquals(warnings.length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("skippedUpdateWarning: names the step and the norm when it is not finite; null otherwise", () => {
  assertEquals(skippedUpdateWarning(3, 0.5), null);
  for (const g of [NaN, Infinity]) {
    const w = skippedUpdateWarning(12, g)!;
    assert(w.startsWith(`warning: step 12: gradient norm is ${g}; update skipped`), w);
  }
});
