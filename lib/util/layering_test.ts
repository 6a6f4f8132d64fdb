/**
 * One-way layering, enforced: no import cycle between the folders of `lib/`, and no folder importing from a
 * higher rank of {@link FOLDER_RANKS}. Test files (`*_test.ts`) and `lib/testing/` are exempt (a test may use any
 * fixture); `lib/mod.ts` re-exports everything and is exempt too. Type-only imports count: they are erased at run
 * time but still tie the folders together for a reader.
 */
import { assert, assertEquals } from "../testing/asserts.ts";
import {
  fileEdges,
  FOLDER_RANKS,
  folderCycles,
  folderGraph,
  folderOf,
  folderRank,
  importsOf,
  isTestPath,
  LIB_DIR,
  stripComments,
} from "./imports.ts";

const edges = fileEdges().filter((e) => !isTestPath(e.from));

/** "a -> b (file:line -> file; ...)" for the file imports behind a folder edge. */
function explain(a: string, b: string): string {
  const es = edges.filter((e) => folderOf(e.from) === a && folderOf(e.to) === b);
  return `${a} -> ${b} (${es.map((e) => `${e.from}:${e.line} -> ${e.to}`).join("; ")})`;
}

Deno.test("layering: no import cycle between lib/ folders", () => {
  const cycles = folderCycles(folderGraph(edges));
  const msg = cycles.map((c) =>
    `cycle ${c.join(" -> ")}:\n` + c.slice(0, -1).map((a, i) => "  " + explain(a, c[i + 1])).join("\n")
  ).join("\n");
  assertEquals(cycles.length, 0, `import cycles between lib/ folders:\n${msg}`);
});

Deno.test("layering: every lib/ folder has a rank, and none imports from a higher one", () => {
  const folders = [...Deno.readDirSync(LIB_DIR)].filter((e) => e.isDirectory).map((e) => e.name).sort();
  const unranked = folders.filter((f) => folderRank(f) < 0);
  assertEquals(
    unranked,
    [],
    `folders missing from FOLDER_RANKS in lib/util/imports.ts: ${unranked.join(", ")}`,
  );
  const bad = new Set<string>();
  for (const e of edges) {
    const a = folderOf(e.from), b = folderOf(e.to);
    if (a === "." || b === "." || a === b) continue;
    if (folderRank(b) >= folderRank(a)) bad.add(explain(a, b));
  }
  assertEquals(
    [...bad],
    [],
    `imports against the one-way order ${FOLDER_RANKS.map((r) => r.join("|")).join(" < ")}`,
  );
});

Deno.test("layering: no import leaves lib/ or names a file that does not exist", () => {
  for (const e of edges) {
    assert(!e.to.startsWith("../"), `${e.from}:${e.line} imports ${e.specifier}, outside lib/`);
    let ok = false;
    try {
      ok = Deno.statSync(`${LIB_DIR}/${e.to}`).isFile;
    } catch { /* missing */ }
    assert(ok, `${e.from}:${e.line} imports ${e.specifier}, which does not exist`);
  }
});

Deno.test("imports: static, side-effect, re-export, type-only and dynamic imports; comments and templates ignored", () => {
  const src = [
    `import * as path from "node:path";`,
    `import { a,`,
    `  b } from "./a.ts";`,
    `import type { T } from "../model/t.ts";`,
    `import { type U, type V as W } from "../model/u.ts";`,
    `import "./side.ts";`,
    `export * from "./re.ts";`,
    `export type { X } from "./x.ts";`,
    `/** @example`,
    ` * import { no } from "./in_comment.ts";`,
    ` */`,
    `// import { no } from "./line_comment.ts";`,
    'const py = `import torch\nfrom x import "./t.ts"\n${await import("./in_template_code.ts")}`;',
    `const m = await import("../data/late.ts");`,
    `const re = /import("\\.\\/regex.ts")/;`,
    `const s = "not an import('./str.ts')";`,
  ].join("\n");
  const got = importsOf(src).map((r) => `${r.specifier} ${r.kind}${r.typeOnly ? " type" : ""} @${r.line}`);
  assertEquals(got.sort(), [
    "../data/late.ts dynamic @16",
    "../model/t.ts static type @4",
    "../model/u.ts static type @5",
    "./a.ts static @3",
    "./in_template_code.ts dynamic @15",
    "./re.ts static @7",
    "./side.ts static @6",
    "./x.ts static type @8",
  ]);
  assertEquals(stripComments("a /* x\ny */ b // z").split("\n").length, 2);
});

Deno.test("imports: cycles are found with their path, and an acyclic graph has none", () => {
  const g = (pairs: [string, string][]) => {
    const m = new Map<string, Map<string, unknown>>();
    for (const [a, b] of pairs) {
      if (!m.has(a)) m.set(a, new Map());
      m.get(a)!.set(b, 1);
    }
    return m;
  };
  assertEquals(folderCycles(g([["image", "util"], ["regions", "image"], ["regions", "util"]])), []);
  assertEquals(folderCycles(g([["image", "regions"], ["regions", "image"], ["regions", "util"]])), [
    ["image", "regions", "image"],
  ]);
  assertEquals(folderCycles(g([["data", "train"], ["train", "eval"], ["eval", "data"], ["x", "data"]])), [
    ["data", "train", "eval", "data"],
  ]);
});
