import * as path from "node:path";
import { assertEquals } from "../testing/asserts.ts";
import { readJson } from "../util/fs.ts";
import { testSplits } from "./splits.ts";

Deno.test("testSplits: small mode generates both styles with the full splits' seeds; reuses what is there", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mm-splits-" });
  try {
    const s = await testSplits({ small: true, pairs: 2, size: 96, limit: 1, dir });
    assertEquals(s.map((x) => [x.name, x.pairs.length, x.total, x.generated]), [
      ["clean", 1, 2, true],
      ["hand-drawn", 1, 2, true],
    ]);
    const g = await readJson<{ settings: { seed: number; style: string } }>(
      path.join(s[1].root, "generate.json"),
    );
    assertEquals([g.settings.seed, g.settings.style], [2, "hand-drawn"]);
    const again = await testSplits({ small: true, pairs: 2, size: 96, dir });
    assertEquals(again.map((x) => x.pairs.length), [2, 2]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
