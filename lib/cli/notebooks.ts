/**
 * `deno task notebooks`: builds the notebooks from their TypeScript cell scripts and runs them headless
 * through the Deno Jupyter kernel (`jupyter nbconvert --to notebook --execute`).
 *
 * - `notebooks/src/NN_name.ts` is the source: `// %%` starts a code cell, `// %% [markdown]` a markdown cell
 *   whose lines are written `// text`. `--build` writes `notebooks/NN_name.ipynb` from it (outputs dropped).
 * - Without `--inplace` (the test command's mode) each notebook runs on small sizes (`MANGAMATCH_NB_SMALL=1`)
 *   into a temporary folder, so committed outputs stay as the full runs left them; a notebook whose cells differ
 *   from its source is a failure (rebuild it).
 * - `--inplace` runs at full size and writes the outputs into `notebooks/*.ipynb` (what gets committed).
 *
 * Jupyter is not on a fresh machine: when `jupyter nbconvert` is missing and this runs as root, Debian's
 * `jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel` are installed with apt; otherwise it
 * stops with a message naming them. The Deno kernel is registered in a private folder (`.cache/jupyter`)
 * pointing at the Deno that runs this command, so a user's own kernels are left alone.
 *
 * @module
 */
import * as path from "node:path";
import { num, parseCommand, runMain } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { atomicWrite, exists, listDir } from "../util/fs.ts";
import { REPO_ROOT } from "../util/paths.ts";

const ROOT = REPO_ROOT;
const NB_DIR = path.join(ROOT, "notebooks");
const SRC_DIR = path.join(NB_DIR, "src");
const APT_PACKAGES = ["jupyter-nbconvert", "python3-nbclient", "jupyter-client", "python3-ipykernel"];

/** One notebook cell. */
export interface Cell {
  cell_type: "code" | "markdown";
  source: string;
}

/**
 * Splits a cell script into cells.
 *
 * @example
 * ```ts
 * parseCellScript("// %% [markdown]\n// # Title\n// %%\nconst x = 1;\n", "a.ts");
 * // [{cell_type: "markdown", source: "# Title"}, {cell_type: "code", source: "const x = 1;"}]
 * ```
 */
export function parseCellScript(text: string, file: string): Cell[] {
  const cells: Cell[] = [];
  let cur: { type: Cell["cell_type"]; lines: string[] } | null = null;
  const flush = () => {
    if (!cur) return;
    const src = cur.lines.join("\n").replace(/^\n+|\s+$/g, "");
    if (src.length > 0) cells.push({ cell_type: cur.type, source: src });
  };
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /^\/\/ %%(.*)$/.exec(line);
    if (m) {
      flush();
      cur = { type: m[1].trim() === "[markdown]" ? "markdown" : "code", lines: [] };
      return;
    }
    if (!cur) {
      if (line.trim() !== "") {
        throw new UserError(`line ${i + 1}: text before the first "// %%" cell marker`, file);
      }
      return;
    }
    const c = cur as { type: Cell["cell_type"]; lines: string[] };
    c.lines.push(c.type === "markdown" ? line.replace(/^\/\/ ?/, "") : line);
  });
  flush();
  if (cells.length === 0) throw new UserError('no cells (start cells with "// %%")', file);
  return cells;
}

function splitLines(src: string): string[] {
  const lines = src.split("\n");
  return lines.map((l, i) => (i < lines.length - 1 ? l + "\n" : l));
}

/** A notebook (nbformat 4.5, Deno kernel) holding `cells` without outputs. */
export function buildNotebook(name: string, cells: Cell[]): Record<string, unknown> {
  return {
    cells: cells.map((c, i) => ({
      cell_type: c.cell_type,
      id: `${name.replace(/[^A-Za-z0-9_-]/g, "-")}-${i}`,
      metadata: {},
      source: splitLines(c.source),
      ...(c.cell_type === "code" ? { execution_count: null, outputs: [] } : {}),
    })),
    metadata: {
      kernelspec: { display_name: "Deno", language: "typescript", name: "deno" },
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/x.typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** The cells of a notebook file, to compare with its source. */
function notebookCells(nb: { cells?: { cell_type: string; source: string | string[] }[] }): Cell[] {
  return (nb.cells ?? []).map((c) => ({
    cell_type: c.cell_type as Cell["cell_type"],
    source: (Array.isArray(c.source) ? c.source.join("") : c.source).replace(/\s+$/, ""),
  }));
}

/** A notebook output (the fields this file reads). */
interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

const PLOTLY = "application/vnd.plotly.v1+json";
/** An absolute folder of a machine (a path a committed output must not carry). */
const MACHINE_PATH = /(^|[\s"'`(=:,])\/(work|tmp|root|home|usr|opt|var|mnt|srv|Users)\/[^\s"'`]*/;

function textOf(v: unknown): string {
  return Array.isArray(v) ? v.join("") : typeof v === "string" ? v : "";
}

/**
 * What misleads or fails to show in a run notebook's outputs, one line each (empty: none):
 * - a figure (plotly JSON) without its static forms (`image/png`, the `text/html` picture, `image/svg+xml`), with
 *   a plain-string title on the figure or an axis (plotly.js 3 draws no title for those), or without a title or
 *   an axis title (the x axis of bars names its categories itself);
 * - an error output, or a stderr stream (shown as an error by every viewer);
 * - an absolute machine path (`/work/...`, `/tmp/...`, `/usr/...`) in any text of an output.
 *
 * @example
 * ```ts
 * const problems = notebookOutputProblems(JSON.parse(await Deno.readTextFile("notebooks/03_evaluate.ipynb")));
 * ```
 */
export function notebookOutputProblems(
  nb: { cells?: { cell_type: string; outputs?: Output[] }[] },
): string[] {
  const out: string[] = [];
  (nb.cells ?? []).forEach((c, i) => {
    for (const o of c.outputs ?? []) {
      const where = `cell ${i}`;
      if (o.output_type === "error") out.push(`${where}: an error output`);
      if (o.output_type === "stream" && o.name === "stderr") {
        out.push(`${where}: a stderr stream (${textOf(o.text).trim().split("\n")[0].slice(0, 80)})`);
      }
      const texts = o.output_type === "stream"
        ? [textOf(o.text)]
        : Object.entries(o.data ?? {}).filter(([k]) => k.startsWith("text/")).map(([, v]) => textOf(v));
      for (const t of texts) {
        const m = MACHINE_PATH.exec(t.replace(/data:[a-z/+]+;base64,[A-Za-z0-9+/=]+/g, ""));
        if (m) out.push(`${where}: an absolute machine path (${m[0].trim().slice(0, 80)})`);
      }
      const fig = o.data?.[PLOTLY] as { layout?: Record<string, unknown> } | undefined;
      if (fig) {
        const title = textOf(o.data!["text/plain"]) || "a figure";
        for (const mime of ["image/png", "text/html", "image/svg+xml"]) {
          if (!o.data![mime]) out.push(`${where}: ${title} has no ${mime}`);
        }
        const l = fig.layout ?? {};
        const titled = (t: unknown) =>
          t === undefined || (typeof t === "object" && t !== null && "text" in t);
        if (!l.title || !titled(l.title)) out.push(`${where}: ${title} has no {text} title`);
        for (const ax of ["xaxis", "yaxis"]) {
          const a = l[ax] as { title?: unknown } | undefined;
          if (a && !titled(a.title)) out.push(`${where}: ${title}: ${ax} title is not an object`);
        }
        // Every figure names its y axis, and its x axis unless that axis holds named categories (bars).
        const kinds = ((o.data![PLOTLY] as { data?: { type?: string }[] }).data ?? []).map((t) => t.type);
        const axes = kinds.includes("bar") ? ["yaxis"] : ["xaxis", "yaxis"];
        for (const ax of axes) {
          if (!(l[ax] as { title?: unknown } | undefined)?.title) {
            out.push(`${where}: ${title}: no ${ax} title`);
          }
        }
      }
    }
  });
  return out;
}

async function run(cmd: string, args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      env: opts.env,
      cwd: opts.cwd,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { code: 127, stdout: "", stderr: `${cmd}: not found` };
    throw e;
  }
}

async function findJupyter(): Promise<string | null> {
  for (const cand of ["jupyter", "/usr/bin/jupyter"]) {
    const r = await run(cand, ["nbconvert", "--version"]);
    if (r.code === 0) return cand;
  }
  return null;
}

/** Finds `jupyter nbconvert`, installing Debian's packages when missing and running as root. */
export async function ensureJupyter(): Promise<string> {
  let j = await findJupyter();
  if (j) return j;
  const isRoot = Deno.uid?.() === 0;
  const haveApt = (await run("apt-get", ["--version"])).code === 0;
  if (!isRoot || !haveApt) {
    throw new UserError(
      `jupyter nbconvert is not installed; install Debian's ${APT_PACKAGES.join(" ")} (apt-get install -y ${
        APT_PACKAGES.join(" ")
      }) or pip's nbconvert nbclient ipykernel, then run this again`,
    );
  }
  console.error(`notebooks: installing ${APT_PACKAGES.join(" ")} with apt-get ...`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const upd = await run("apt-get", ["update", "-qq"], { env });
  const inst = await run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...APT_PACKAGES], {
    env,
  });
  if (inst.code !== 0) {
    throw new UserError(
      `apt-get install ${APT_PACKAGES.join(" ")} failed: ${
        (inst.stderr || upd.stderr).trim().split("\n").pop()
      }`,
    );
  }
  j = await findJupyter();
  if (!j) throw new UserError("jupyter nbconvert still not found after installing it");
  return j;
}

/** Registers the Deno kernel (this Deno) in `.cache/jupyter`; returns the JUPYTER_PATH to use. */
export async function ensureKernel(): Promise<string> {
  const dir = path.join(ROOT, ".cache", "jupyter");
  await atomicWrite(
    path.join(dir, "kernels", "deno", "kernel.json"),
    JSON.stringify(
      {
        argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
        display_name: "Deno",
        language: "typescript",
      },
      null,
      2,
    ),
  );
  return dir;
}

async function buildAll(names: string[]): Promise<void> {
  for (const n of names) {
    const src = path.join(SRC_DIR, `${n}.ts`);
    const cells = parseCellScript(await Deno.readTextFile(src), src);
    await atomicWrite(
      path.join(NB_DIR, `${n}.ipynb`),
      JSON.stringify(buildNotebook(n, cells), null, 1) + "\n",
    );
    console.log(`built notebooks/${n}.ipynb (${cells.length} cells)`);
  }
}

/** Seconds a notebook cell may run: the full-size `--inplace` runs evaluate whole splits in one cell. */
const CELL_TIMEOUT_S = 3600;

if (import.meta.main) {
  runMain(async () => {
    const args = parseCommand(Deno.args, {
      name: "notebooks",
      summary: "build the notebooks from notebooks/src and run them headless through the Deno kernel",
      usage: "deno task notebooks [--build] [--inplace] [--only NAME[,NAME]] [--no-run]",
      options: {
        build: { type: "boolean", help: "rebuild notebooks/*.ipynb from notebooks/src/*.ts (drops outputs)" },
        inplace: { type: "boolean", help: "run at full size and save outputs into notebooks/*.ipynb" },
        only: { type: "string", help: "comma-separated notebook names (e.g. 01_data)" },
        "no-run": { type: "boolean", help: "only build" },
        timeout: { type: "string", help: "seconds per cell", default: String(CELL_TIMEOUT_S) },
      },
      examples: [
        "deno task notebooks",
        "deno task notebooks --build --only 01_data --no-run",
        "deno task notebooks --inplace --only 03_evaluate",
      ],
    });
    // A bad --timeout is one error line, not a silent fall-back to the default.
    const timeout = num(args, "timeout", { def: CELL_TIMEOUT_S, min: 1 });
    const all = (await exists(SRC_DIR)
      ? await listDir(SRC_DIR, (e) => e.isFile && e.name.endsWith(".ts"))
      : [])
      .map((n) => n.slice(0, -3));
    const only = typeof args.values.only === "string"
      ? args.values.only.split(",").map((s) => s.trim())
      : null;
    for (const o of only ?? []) {
      if (!all.includes(o)) throw new UserError(`no notebook source notebooks/src/${o}.ts`);
    }
    const names = only ?? all;
    if (names.length === 0) {
      console.log("notebooks: none found");
      return;
    }
    if (args.values.build) await buildAll(names);
    if (args.values["no-run"]) return;

    // A notebook must match its source (a stale .ipynb is a failure, not a silent skip).
    const failures: string[] = [];
    for (const n of names) {
      const file = path.join(NB_DIR, `${n}.ipynb`);
      if (!(await exists(file))) {
        failures.push(`${n}: notebooks/${n}.ipynb missing (run deno task notebooks --build --only ${n})`);
        continue;
      }
      const want = parseCellScript(await Deno.readTextFile(path.join(SRC_DIR, `${n}.ts`)), n);
      const have = notebookCells(JSON.parse(await Deno.readTextFile(file)));
      if (JSON.stringify(want) !== JSON.stringify(have)) {
        failures.push(`${n}: notebooks/${n}.ipynb differs from notebooks/src/${n}.ts (rebuild with --build)`);
      }
    }
    const jupyter = await ensureJupyter();
    const jupyterPath = await ensureKernel();
    const inplace = !!args.values.inplace;
    const outDir = inplace ? NB_DIR : await Deno.makeTempDir({ prefix: "mangamatch-nb-" });
    let passed = 0;
    for (const n of names) {
      if (failures.some((f) => f.startsWith(`${n}:`))) continue;
      const t0 = performance.now();
      const env: Record<string, string> = {
        JUPYTER_PATH: jupyterPath,
        MANGAMATCH_PROGRESS: "notebook",
        PYDEVD_DISABLE_FILE_VALIDATION: "1",
      };
      if (!inplace) env.MANGAMATCH_NB_SMALL = "1";
      const r = await run(jupyter, [
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        `--ExecutePreprocessor.timeout=${timeout}`,
        "--ExecutePreprocessor.kernel_name=deno",
        // nbclient stops reading a cell's outputs 4 s after its reply by default and drops the rest without a
        // word (a busy machine gets there with large figures): wait longer, and fail rather than lose output.
        "--ExecutePreprocessor.iopub_timeout=120",
        "--ExecutePreprocessor.raise_on_iopub_timeout=True",
        "--output-dir",
        outDir,
        "--output",
        `${n}.ipynb`,
        path.join(NB_DIR, `${n}.ipynb`),
      ], { env, cwd: NB_DIR });
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      const problems = r.code === 0
        ? notebookOutputProblems(JSON.parse(await Deno.readTextFile(path.join(outDir, `${n}.ipynb`))))
        : [];
      if (r.code === 0 && problems.length === 0) {
        passed++;
        console.log(`notebook ${n} ... ok (${secs}s)`);
      } else if (r.code === 0) {
        failures.push(`${n}: outputs that mislead or do not show:\n${problems.slice(0, 12).join("\n")}`);
        console.log(`notebook ${n} ... FAILED (${secs}s)`);
      } else {
        const err = r.stderr.split("\n").filter((l) => /Error|error:|Exception|Traceback/.test(l)).slice(-6)
          .join("\n");
        failures.push(`${n}: execution failed after ${secs}s\n${err || r.stderr.slice(-2000)}`);
        console.log(`notebook ${n} ... FAILED (${secs}s)`);
      }
    }
    if (!inplace) await Deno.remove(outDir, { recursive: true }).catch(() => {});
    for (const f of failures) console.error(`\n${f}`);
    console.log(`notebooks: ${passed} passed, ${failures.length} failed`);
    if (failures.length) Deno.exit(1);
  });
}
