/**
 * Two reviews of the source that a reader would otherwise do by hand: functions longer than a page (the style
 * guide splits them by stage) and exports that no other file imports. Heuristic text scans over the
 * comment-free source of {@link stripComments}, meant for a person to read, not for a test to assert on:
 *
 * ```sh
 * deno run -R lib/util/code_audit.ts            # functions over 150 lines, then unused exports
 * deno run -R lib/util/code_audit.ts --lines 100
 * ```
 *
 * @module
 */
import * as path from "node:path";
import { fileEdges, isTestPath, LIB_DIR, sourceFiles, stripComments } from "./imports.ts";

/** A function (or method, or arrow function bound to a name) and its length. */
export interface FunctionSpan {
  name: string;
  /** 1-based first line (the declaration). */
  line: number;
  /** Lines from the declaration to the closing brace, both included. */
  lines: number;
}

/**
 * The named functions of a source text with their lengths: `function f(`, `const f = (...) => {`, and class
 * methods `f(...) {` at the start of a line. The body is the first `{` that ends a line after the name, matched
 * to its closing brace.
 *
 * @example
 * ```ts
 * functionSpans("function f() {\n  return 1;\n}\n"); // [{ name: "f", line: 1, lines: 3 }]
 * ```
 */
export function functionSpans(src: string): FunctionSpan[] {
  const code = stripComments(src, true);
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (pos: number) => {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const spans: FunctionSpan[] = [];
  const re =
    /(?:\bfunction\*?\s+([\w$]+)\s*[<(])|(?:\b(?:const|let)\s+([\w$]+)\s*(?::[^=\n]+)?=\s*(?:async\s*)?(?:\([^\n]*\)|[\w$]+)\s*(?::[^\n]+?)?=>\s*\{\s*$)|(?:^[ \t]+(?:(?:public|private|protected|static|async|override|get|set)\s+)*([\w$]+)\s*\([^\n]*\)\s*(?::[^\n]+)?\{\s*$)/gm;
  for (const m of code.matchAll(re)) {
    const name = m[1] ?? m[2] ?? m[3];
    if (["if", "for", "while", "switch", "catch", "with", "return"].includes(name)) continue;
    // The body: the first "{" that ends a line, from the match on.
    const open = /\{[ \t]*\n/g;
    open.lastIndex = m.index!;
    const o = open.exec(code);
    if (!o) continue;
    let depth = 0, i = o.index;
    for (; i < code.length; i++) {
      if (code[i] === "{") depth++;
      else if (code[i] === "}" && --depth === 0) break;
    }
    const line = lineOf(m.index! + (m[0].length - m[0].trimStart().length));
    spans.push({ name, line, lines: lineOf(i) - line + 1 });
  }
  return spans;
}

/** Functions of `lib/` (tests left out) longer than `limit` lines, longest first. */
export function longFunctions(limit = 150, dir: string = LIB_DIR): (FunctionSpan & { file: string })[] {
  const out: (FunctionSpan & { file: string })[] = [];
  for (const file of sourceFiles(dir)) {
    if (isTestPath(file)) continue;
    for (const s of functionSpans(Deno.readTextFileSync(path.join(dir, file)))) {
      if (s.lines > limit) out.push({ ...s, file });
    }
  }
  return out.sort((a, b) => b.lines - a.lines);
}

/** The names a file exports itself (`export function/const/class/interface/type/enum NAME`). */
export function declaredExports(src: string): string[] {
  const code = stripComments(src, true);
  const names = new Set<string>();
  const re =
    /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|abstract\s+class|interface|type|enum)\s+([\w$]+)/gm;
  for (const m of code.matchAll(re)) names.add(m[1]);
  return [...names];
}

/**
 * Exports that no other file of `lib/` names. A file "uses" a name when the name appears as a word in its code
 * and the file imports (directly or through a `mod.ts`) the declaring file's folder: a cheap over-approximation
 * of use, so what it lists is unused (give or take dynamic property access), though it may miss a few.
 * With `includeTests` false, a name used only by tests counts as unused.
 */
export function unusedExports(
  opts: { includeTests?: boolean; dir?: string } = {},
): { file: string; name: string }[] {
  const dir = opts.dir ?? LIB_DIR;
  const files = sourceFiles(dir);
  const code = new Map(files.map((f) => [f, stripComments(Deno.readTextFileSync(path.join(dir, f)), true)]));
  const importers = new Map<string, Set<string>>(); // file -> files importing it (directly)
  for (const e of fileEdges(dir)) {
    if (!importers.has(e.to)) importers.set(e.to, new Set());
    importers.get(e.to)!.add(e.from);
  }
  // Everything that can reach `file` through imports (re-exports through mod.ts included).
  const reach = (file: string) => {
    const seen = new Set<string>();
    const stack = [file];
    while (stack.length) {
      const f = stack.pop()!;
      for (const g of importers.get(f) ?? []) if (!seen.has(g)) seen.add(g), stack.push(g);
    }
    return seen;
  };
  const out: { file: string; name: string }[] = [];
  for (const file of files) {
    if (isTestPath(file) || file.endsWith("mod.ts")) continue;
    const users = [...reach(file)].filter((f) => f !== file && (opts.includeTests || !isTestPath(f)));
    for (const name of declaredExports(Deno.readTextFileSync(path.join(dir, file)))) {
      const word = new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`);
      const used = users.some((u) => !u.endsWith("mod.ts") && word.test(code.get(u)!)) ||
        // used inside its own file counts as use (an exported helper of an exported function)
        (word.test(code.get(file)!.replace(new RegExp(`^export\\s[^\\n]*\\b${name}\\b`, "m"), "")));
      if (!used) out.push({ file, name });
    }
  }
  return out;
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--lines");
  const limit = i >= 0 ? Number(Deno.args[i + 1]) : 150;
  console.log(`functions over ${limit} lines (tests left out):`);
  for (const f of longFunctions(limit)) {
    console.log(`  ${String(f.lines).padStart(4)}  ${f.file}:${f.line} ${f.name}`);
  }
  // The notebooks import lib/mod.ts: a name their sources use is used.
  const nbDir = path.join(LIB_DIR, "..", "notebooks", "src");
  let notebooks = "";
  try {
    for (const e of Deno.readDirSync(nbDir)) {
      if (e.name.endsWith(".ts")) {
        notebooks += stripComments(Deno.readTextFileSync(path.join(nbDir, e.name)), true);
      }
    }
  } catch { /* no notebooks */ }
  const inNotebooks = (name: string) => new RegExp(`(?<![\\w$])${name}(?![\\w$])`).test(notebooks);
  // A name other files mention without importing it (a module loaded through a computed URL, as
  // model/backend.ts loads lib/native) is reported as such, not as unused.
  const all = sourceFiles().filter((f) => !isTestPath(f))
    .map((f) => [f, stripComments(Deno.readTextFileSync(path.join(LIB_DIR, f)), true)] as const);
  const mentioned = (file: string, name: string) =>
    all.some(([f, c]) =>
      f !== file && !f.endsWith("mod.ts") && new RegExp(`(?<![\\w$])${name}(?![\\w$])`).test(c)
    );
  console.log(
    "exports no other non-test file uses (nor their own file); marked when tests or notebooks use them:",
  );
  const withTests = new Set(unusedExports({ includeTests: true }).map((u) => `${u.file} ${u.name}`));
  for (const u of unusedExports()) {
    const tags = [
      withTests.has(`${u.file} ${u.name}`) ? "" : "tests",
      inNotebooks(u.name) ? "notebooks" : "",
    ];
    const t = tags.filter(Boolean).join(", ");
    const note = t
      ? `  (used by ${t})`
      : mentioned(u.file, u.name)
      ? "  (named elsewhere, not imported)"
      : "  UNUSED";
    console.log(`  ${u.file} ${u.name}${note}`);
  }
}
