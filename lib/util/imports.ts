/**
 * The import graph of `lib/`, read from the source text: every relative specifier of a static `import` /
 * `export ... from`, a side-effect `import "./x.ts"`, and a dynamic `import("./x.ts")` with a string literal.
 * Comments and the insides of template literals are blanked first, so the `import` lines of JSDoc examples and of
 * code kept in strings do not count. The layering test (`layering_test.ts`) builds the folder graph from it and
 * fails on a cycle; `ARCHITECTURE.md`'s diagram is its output:
 *
 * ```sh
 * deno run -R lib/util/imports.ts            # folder edges with counts, then the rank order
 * deno run -R lib/util/imports.ts --mermaid  # a mermaid graph of it, without the edges others imply
 * ```
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** `lib/` of this checkout. */
export const LIB_DIR: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The folder order the one-way flow allows: a folder may import from lower ranks, never from a higher one (README:
 * image -> patches -> similarities -> regions -> matches -> metrics and pictures). Derived from the code, not
 * imposed on it: `model/` sits below `data/` because batches are built in the model's patch layout, and the two
 * workflows that use metrics and pictures (training's validation and plots, annotation's report) sit above them.
 * Folders on one rank must not import each other (the cycle test would catch both directions anyway).
 */
export const FOLDER_RANKS: readonly (readonly string[])[] = [
  ["util", "testing"], // plumbing: seeded randomness, files, CLI parsing, scratch buffers, union-find, asserts
  ["image"], // decoding, resizing, label maps, the edge map: pixels in
  ["native"], // OpenBLAS sgemm through FFI; knows tfjs's wasm memory, not the model
  ["model"], // config, backends, ViT + Multiplex Transformer, ops, weights: patches -> similarities
  ["data"], // dataset layout, patch ground truth, model batches
  ["generate"], // procedural training data, written in data's layout
  ["regions"], // post-processing: similarities + edges -> regions
  ["match"], // regions -> matches, colourisation
  ["eval"], // metrics, tables, ablations
  ["viz"], // pictures and figures (of regions, matches, metrics)
  ["train", "annotate"], // workflows: training (validation metrics, plots), pseudo labels (quality report)
  ["bench"], // timing harnesses over everything above
  ["studio"], // the interactive page
  ["cli"], // one file per task: parses arguments and prints
];

/**
 * Blanks comments, regex literals and template-literal text (keeping `${...}` code), so that only real code is
 * searched for imports; with `blankStrings` the insides of quoted strings too. Positions and line breaks are kept.
 */
export function stripComments(src: string, blankStrings = false): string {
  const out: string[] = [];
  const n = src.length;
  // Stack of template-literal brace depths: a `}` at depth 0 of the top entry resumes that template's text.
  const templ: number[] = [];
  let i = 0;
  let lastSig = ""; // last significant (non-space) character emitted, to tell a regex from a division
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  const readTemplateText = () => {
    // i is just after a backtick or a closing `}` of a substitution; read to the closing backtick or `${`.
    const start = i;
    while (i < n) {
      const c = src[i];
      if (c === "\\") {
        i += 2;
        continue;
      }
      if (c === "`") {
        out.push(blank(src.slice(start, i)), "`");
        i++;
        lastSig = "`";
        return;
      }
      if (c === "$" && src[i + 1] === "{") {
        out.push(blank(src.slice(start, i)), "${");
        i += 2;
        templ.push(0);
        lastSig = "{";
        return;
      }
      i++;
    }
    out.push(blank(src.slice(start)));
  };
  while (i < n) {
    const c = src[i], d = src[i + 1];
    if (c === "/" && d === "/") {
      const e = src.indexOf("\n", i);
      const end = e < 0 ? n : e;
      out.push(blank(src.slice(i, end)));
      i = end;
    } else if (c === "/" && d === "*") {
      const e = src.indexOf("*/", i + 2);
      const end = e < 0 ? n : e + 2;
      out.push(blank(src.slice(i, end)));
      i = end;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && src[j] !== c && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      out.push(blankStrings ? c + blank(src.slice(i + 1, j)) + src.slice(j, j + 1) : src.slice(i, j + 1));
      i = j + 1;
      lastSig = c;
    } else if (c === "`") {
      out.push("`");
      i++;
      readTemplateText();
    } else if (
      c === "/" &&
      (lastSig === "" || "(,=:[!&|?{};+-*%<>~^".includes(lastSig) ||
        /\b(return|typeof|case|of|in)\s*$/.test(src.slice(Math.max(0, i - 8), i)))
    ) {
      // A regex literal: skip to its closing slash (outside a character class), then its flags.
      let j = i + 1, cls = false;
      while (j < n && src[j] !== "\n") {
        const x = src[j];
        if (x === "\\") j += 2;
        else {
          if (x === "[") cls = true;
          else if (x === "]") cls = false;
          else if (x === "/" && !cls) break;
          j++;
        }
      }
      j++;
      while (j < n && /[a-z]/.test(src[j])) j++;
      out.push(blank(src.slice(i, j)));
      i = j;
      lastSig = "/";
    } else if (templ.length > 0 && (c === "{" || c === "}")) {
      if (c === "{") {
        templ[templ.length - 1]++;
        out.push(c);
        i++;
        lastSig = c;
      } else if (templ[templ.length - 1] === 0) {
        templ.pop();
        out.push("}");
        i++;
        readTemplateText();
      } else {
        templ[templ.length - 1]--;
        out.push(c);
        i++;
        lastSig = c;
      }
    } else {
      out.push(c);
      if (!/\s/.test(c)) lastSig = c;
      i++;
    }
  }
  return out.join("");
}

/** One import found in a file. */
export interface ImportRef {
  /** The specifier as written (`"../util/rng.ts"`). */
  specifier: string;
  /** `static` (import/export ... from, side-effect import) or `dynamic` (`import("...")`). */
  kind: "static" | "dynamic";
  /** Only types are imported (`import type`, `export type ... from`): erased at run time, still a dependency. */
  typeOnly: boolean;
  /** 1-based line of the specifier. */
  line: number;
}

/**
 * The relative imports of one file's source text (bare and `npm:` specifiers are left out).
 *
 * @example
 * ```ts
 * importsOf('import { a } from "./a.ts";\nconst m = await import("../b/c.ts");').map((r) => r.specifier);
 * // ["./a.ts", "../b/c.ts"]
 * ```
 */
export function importsOf(src: string): ImportRef[] {
  const code = stripComments(src);
  // The same text with string contents blanked: a match whose keyword is blank there sat inside a string.
  const bare = stripComments(src, true);
  const refs: ImportRef[] = [];
  const lineAt = (pos: number) => code.slice(0, pos).split("\n").length;
  const push = (spec: string, kind: ImportRef["kind"], typeOnly: boolean, pos: number, at: number) => {
    if (bare[at] === " " || !(spec.startsWith("./") || spec.startsWith("../"))) return;
    refs.push({ specifier: spec, kind, typeOnly, line: lineAt(pos) });
  };
  // import ... from "x" / export ... from "x" (the clause may span lines; it never holds a quote or a semicolon)
  const fromRe = /(?:^|[^\w$.])(import|export)(\s+type)?\s+([^;"'`()]*?)\s*from\s*(["'])([^"'\n]+)\4/g;
  for (const m of code.matchAll(fromRe)) {
    const clause = m[3].trim();
    const typeOnly = !!m[2] || /^\{\s*(type\s+[\w$]+(\s+as\s+[\w$]+)?\s*,?\s*)+\}$/.test(clause);
    push(m[5], "static", typeOnly, m.index! + m[0].lastIndexOf(m[5]), m.index! + m[0].indexOf(m[1]));
  }
  // import "x" (side effects only)
  for (const m of code.matchAll(/(?:^|[^\w$.])import\s*(["'])([^"'\n]+)\1/g)) {
    push(m[2], "static", false, m.index! + m[0].lastIndexOf(m[2]), m.index! + m[0].indexOf("import"));
  }
  // import("x")
  for (const m of code.matchAll(/(?:^|[^\w$.])import\s*\(\s*(["'])([^"'\n]+)\1\s*[,)]/g)) {
    push(m[2], "dynamic", false, m.index! + m[0].lastIndexOf(m[2]), m.index! + m[0].indexOf("import"));
  }
  return refs.sort((a, b) => a.line - b.line);
}

/** Whether a path (relative to `lib/`) is a test file or test helper, which the layering rules leave out. */
export function isTestPath(rel: string): boolean {
  return /_test\.(ts|js)$/.test(rel) || rel.startsWith("testing/") || /(^|\/)test_[^/]*\.ts$/.test(rel);
}

/** The `.ts`/`.js` files under `dir` (relative to it, `/`-separated, sorted). */
export function sourceFiles(dir: string = LIB_DIR): string[] {
  const files: string[] = [];
  const walk = (rel: string) => {
    const entries = [...Deno.readDirSync(path.join(dir, rel))].sort((a, b) => a.name < b.name ? -1 : 1);
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) walk(r);
      else if (e.isFile && /\.(ts|js)$/.test(e.name) && !e.name.endsWith(".d.ts")) files.push(r);
    }
  };
  walk("");
  return files;
}

/** One file-to-file import edge inside `lib/`. */
export interface FileEdge extends ImportRef {
  /** Importing file, relative to `lib/`. */
  from: string;
  /** Imported file, relative to `lib/` (may start with `../` when it leaves `lib/`). */
  to: string;
}

/** The folder of a path relative to `lib/` (`"."` for `lib/mod.ts`). */
export function folderOf(rel: string): string {
  const i = rel.indexOf("/");
  return i < 0 ? "." : rel.slice(0, i);
}

/**
 * Every relative import between files of `lib/` (tests included: filter with {@link isTestPath}).
 *
 * @example
 * ```ts
 * const edges = fileEdges().filter((e) => !isTestPath(e.from));
 * ```
 */
export function fileEdges(dir: string = LIB_DIR): FileEdge[] {
  const edges: FileEdge[] = [];
  for (const from of sourceFiles(dir)) {
    const src = Deno.readTextFileSync(path.join(dir, from));
    for (const ref of importsOf(src)) {
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(from), ref.specifier));
      edges.push({ ...ref, from, to });
    }
  }
  return edges;
}

/** Folder-to-folder edges (self edges and `lib/mod.ts` left out), each with the file edges behind it. */
export function folderGraph(edges: FileEdge[]): Map<string, Map<string, FileEdge[]>> {
  const g = new Map<string, Map<string, FileEdge[]>>();
  for (const e of edges) {
    const a = folderOf(e.from), b = folderOf(e.to);
    if (a === b || a === "." || b === ".") continue;
    if (!g.has(a)) g.set(a, new Map());
    const m = g.get(a)!;
    if (!m.has(b)) m.set(b, []);
    m.get(b)!.push(e);
  }
  return g;
}

/** The strongly connected components of a folder graph that hold more than one folder (each sorted). */
export function folderComponents(g: Map<string, Map<string, unknown>>): string[][] {
  const nodes = new Set<string>();
  for (const [a, m] of g) {
    nodes.add(a);
    for (const b of m.keys()) nodes.add(b);
  }
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>();
  const stack: string[] = [];
  const comps: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of [...(g.get(v)?.keys() ?? [])].sort()) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) comps.push(comp.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!idx.has(v)) strong(v);
  return comps;
}

/**
 * The cycles of a folder graph: for every edge `a -> b` that lies in a strongly connected component, the shortest
 * way from `b` back to `a`, as a closed path (`["a", "b", "a"]`), rotated to start at its smallest folder and
 * deduplicated. Empty when the graph is acyclic.
 *
 * @example
 * ```ts
 * folderCycles(folderGraph(fileEdges().filter((e) => !isTestPath(e.from)))); // [] on a layered lib/
 * ```
 */
export function folderCycles(g: Map<string, Map<string, unknown>>): string[][] {
  const out = new Map<string, string[]>();
  for (const comp of folderComponents(g)) {
    const inComp = new Set(comp);
    const next = (v: string) => [...(g.get(v)?.keys() ?? [])].filter((w) => inComp.has(w)).sort();
    for (const a of comp) {
      for (const b of next(a)) {
        // Breadth-first from b to a inside the component.
        const prev = new Map<string, string>([[b, ""]]);
        const queue = [b];
        while (queue.length && !prev.has(a)) {
          const v = queue.shift()!;
          for (const w of next(v)) {
            if (!prev.has(w)) {
              prev.set(w, v);
              queue.push(w);
            }
          }
        }
        const path: string[] = [];
        for (let v = a; v !== ""; v = prev.get(v)!) path.unshift(v);
        const cyc = [a, ...path]; // a, b, ..., a
        const ring = cyc.slice(0, -1);
        const k = ring.indexOf([...ring].sort()[0]);
        const rot = [...ring.slice(k), ...ring.slice(0, k)];
        out.set(rot.join(">"), [...rot, rot[0]]);
      }
    }
  }
  return [...out.values()].sort((x, y) => x.length - y.length || (x.join() < y.join() ? -1 : 1));
}

/**
 * The edges of an acyclic folder graph that no longer path implies (its transitive reduction): what a diagram
 * needs to show the layering without the shortcuts.
 */
export function reducedEdges(g: Map<string, Map<string, unknown>>): [string, string][] {
  const reach = (from: string, skip: string) => {
    // Folders reachable from `from` without using the direct edge from -> skip.
    const seen = new Set<string>();
    const stack = [...(g.get(from)?.keys() ?? [])].filter((w) => w !== skip);
    while (stack.length) {
      const v = stack.pop()!;
      if (seen.has(v)) continue;
      seen.add(v);
      stack.push(...(g.get(v)?.keys() ?? []));
    }
    return seen;
  };
  const out: [string, string][] = [];
  for (const [a, m] of g) for (const b of m.keys()) if (!reach(a, b).has(b)) out.push([a, b]);
  return out.sort((x, y) => folderRank(y[0]) - folderRank(x[0]) || (x[0] + x[1] < y[0] + y[1] ? -1 : 1));
}

/** The rank of a folder in {@link FOLDER_RANKS}, or -1 when it has none. */
export function folderRank(folder: string): number {
  return FOLDER_RANKS.findIndex((r) => r.includes(folder));
}

if (import.meta.main) {
  const edges = fileEdges().filter((e) => !isTestPath(e.from));
  const g = folderGraph(edges);
  const rows: string[] = [];
  const folders = [...new Set([...g.keys(), ...[...g.values()].flatMap((m) => [...m.keys()])])]
    .sort((a, b) => folderRank(a) - folderRank(b) || (a < b ? -1 : 1));
  if (Deno.args.includes("--mermaid")) {
    // Arrows point from the importer to what it imports; edges implied by others are left out.
    console.log("flowchart TD");
    for (const [a, b] of reducedEdges(g)) console.log(`  ${a} --> ${b}`);
  } else {
    for (const a of folders) {
      const m = g.get(a);
      if (!m) continue;
      const deps = [...m].sort((x, y) => folderRank(x[0]) - folderRank(y[0])).map(([b, es]) =>
        `${b}(${es.length})`
      );
      rows.push(`${a.padEnd(9)} -> ${deps.join(" ")}`);
    }
    console.log(rows.join("\n"));
    console.log("cycles:", JSON.stringify(folderCycles(g)));
    for (const e of edges) {
      const a = folderOf(e.from), b = folderOf(e.to);
      if (a !== b && a !== "." && b !== "." && folderRank(b) > folderRank(a)) {
        console.log(`upward: ${e.from}:${e.line} -> ${e.to}${e.typeOnly ? " (type only)" : ""}`);
      }
    }
  }
}
