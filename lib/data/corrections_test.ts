import * as path from "node:path";
import { assertEquals, assertRejects } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { correctedFirst, CORRECTIONS_FILE, readCorrections } from "./corrections.ts";
import { writePairsCsv } from "./pairs.ts";
import { resolvePairs } from "./pairs.ts";

const P = [
  { dir: "c1", reference: "0000", target: "0001" },
  { dir: "c1", reference: "0001", target: "0002" },
  { dir: "c2", reference: "0000", target: "0001" },
];

Deno.test("correctedFirst: corrected pairs first and flagged, skipped ones left in place, no file: unchanged", () => {
  assertEquals(correctedFirst(P, null), P);
  const c = {
    version: 1 as const,
    pairs: [
      { id: "c2/0000/0001", status: "corrected" as const, time: "t", by: "a" },
      { id: "c1/0000/0001", status: "skipped" as const, time: "t", by: "a" },
    ],
  };
  assertEquals(correctedFirst(P, c), [{ ...P[2], corrected: true }, P[0], P[1]]);
});

Deno.test("resolvePairs reads corrections.json; a malformed one is an error naming it", async () => {
  const root = await Deno.makeTempDir();
  try {
    for (const p of P) {
      for (const f of [p.reference, p.target]) {
        await Deno.mkdir(path.join(root, p.dir, "line"), { recursive: true });
        await Deno.writeFile(path.join(root, p.dir, "line", `${f}.png`), new Uint8Array(1));
      }
    }
    await writePairsCsv(path.join(root, "pairs.csv"), P);
    assertEquals(await resolvePairs(root), P);
    await Deno.writeTextFile(
      path.join(root, CORRECTIONS_FILE),
      JSON.stringify({
        version: 1,
        pairs: [{ id: "c1/0001/0002", status: "corrected", time: "t", by: "a" }],
      }),
    );
    assertEquals((await resolvePairs(root)).map((p) => [p.dir, p.reference, p.corrected ?? false]), [
      ["c1", "0001", true],
      ["c1", "0000", false],
      ["c2", "0000", false],
    ]);
    await Deno.writeTextFile(
      path.join(root, CORRECTIONS_FILE),
      JSON.stringify({ version: 1, pairs: [{ id: 3 }] }),
    );
    await assertRejects(() => readCorrections(root), UserError, "corrections.json: bad entry");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
