/**
 * What a notebook's knobs resolve to: the data splits and the model named by the constants at its top, with paths
 * taken from the repository root whatever the kernel's working folder, and a first output line that says what
 * was found — or that the data is missing and a small set was generated in its place. Also the notebooks' way
 * to run long library work: its progress line, once done, is replaced by a summary that belongs with the table
 * shown next (not the last pair's figures).
 *
 * @module
 */
import * as path from "node:path";
import { resolvePairs } from "../data/pairs.ts";
import { type LoadedModel, loadEvalModel } from "../eval/shipped.ts";
import { TEST_SPLITS, type TestSplit, testSplits } from "../eval/splits.ts";
import { spreadPairs } from "../eval/subset.ts";
import { existsSync } from "../util/fs.ts";
import { captureLiveDisplays } from "../util/jupyter.ts";
import { REPO_ROOT } from "../util/paths.ts";
import { shortPath, showText } from "./notebook.ts";

/**
 * A path from a notebook's knob: absolute as given, relative ones from the repository root.
 *
 * @example
 * ```ts
 * fromRepo("data/test-clean"); // "<repository>/data/test-clean", from any working folder
 * ```
 */
export function fromRepo(p: string): string {
  return path.isAbsolute(p) ? p : path.join(REPO_ROOT, p);
}

/** Options of {@link notebookSplits}. */
export interface NotebookSplitOptions {
  /** Folder holding the test splits `test-clean/` and `test-hand/` (repository-relative or absolute). */
  data: string;
  /** Pairs per split, spread over it (0: all). */
  pairs: number;
  /** The test command's size (`MANGAMATCH_NB_SMALL=1`): always generate a small set. */
  small: boolean;
  /** Pairs of each line style generated when the splits are missing. */
  generatedPairs: number;
}

/** Defaults. */
export const NOTEBOOK_SPLIT_DEFAULTS: NotebookSplitOptions = {
  data: "data", // where `deno task generate` writes the splits in the README's commands
  pairs: 0, // every pair
  small: false,
  generatedPairs: 4, // one character's first pairs per style: a notebook then runs in a few minutes
};

/**
 * The clean and hand-drawn test splits under `data`, or a small generated set when they are not there (or at
 * the test command's size); shows one line saying which.
 *
 * @example
 * ```ts
 * const splits = await notebookSplits({ data: DATA, pairs: PAIRS, small: SMALL });
 * ```
 */
export async function notebookSplits(opts: Partial<NotebookSplitOptions> = {}): Promise<TestSplit[]> {
  const o = { ...NOTEBOOK_SPLIT_DEFAULTS, ...opts };
  const root = fromRepo(o.data);
  const dirs = TEST_SPLITS.map((s) => ({ name: s.name, root: path.join(root, path.basename(s.dir)) }));
  const have = dirs.every((d) => existsSync(path.join(d.root, "pairs.csv")));
  if (have && !o.small) {
    const splits = await Promise.all(dirs.map(async (d): Promise<TestSplit> => {
      const all = await resolvePairs(d.root);
      return {
        name: d.name,
        root: d.root,
        pairs: spreadPairs(all, o.pairs),
        total: all.length,
        generated: false,
      };
    }));
    await showText(
      `data: ${splits.map((s) => `${shortPath(s.root)} (${s.pairs.length} of ${s.total} pairs)`).join(", ")}`,
    );
    return splits;
  }
  const why = o.small
    ? "MANGAMATCH_NB_SMALL=1 (the test command's size)"
    : `${dirs.map((d) => shortPath(d.root)).join(" and ")} not found`;
  const splits = await testSplits({ small: true, pairs: o.generatedPairs, limit: o.pairs });
  await showText(
    `data: ${why}: generated a small set here instead, ${o.generatedPairs} pairs of each line style. ` +
      "The full splits: deno task generate --out data/test-clean --pairs 300 --style clean --seed 1 " +
      "(and --out data/test-hand --style hand-drawn --seed 2).",
  );
  return splits;
}

let backendShown = false;

/**
 * Loads the model of the `weights` knob (repository-relative or absolute; `MANGAMATCH_WEIGHTS=DIR` overrides it,
 * `=none` runs the no-model path) and shows where it came from and the backend line (machine paths shortened).
 * Null, with a line saying so, when the folder holds no model. `quiet` skips the lines (a second model).
 *
 * @example
 * ```ts
 * const loaded = await notebookModel(WEIGHTS);
 * ```
 */
export async function notebookModel(
  weights: string,
  opts: { quiet?: boolean; label?: string } = {},
): Promise<LoadedModel | null> {
  const env = Deno.env.get("MANGAMATCH_WEIGHTS");
  const label = opts.label ?? "model";
  if (env === "none") {
    if (!opts.quiet) {
      await showText(`${label}: none (MANGAMATCH_WEIGHTS=none): the rows that need it are skipped`);
    }
    return null;
  }
  const dir = fromRepo(env ?? weights);
  if (!existsSync(path.join(dir, "model.json"))) {
    if (!opts.quiet) {
      await showText(
        `${label}: none (${shortPath(dir)} holds no model.json): the rows that need it are skipped`,
      );
    }
    return null;
  }
  const lines: string[] = [];
  // The backend line once per kernel: later models run on the same backend.
  const loaded = await loadEvalModel(dir, "auto", {
    log: opts.quiet || backendShown ? null : (l) => lines.push(l),
  });
  backendShown ||= lines.length > 0;
  const c = loaded.model.config;
  if (!opts.quiet) {
    await showText(
      [
        `${label}: ${shortPath(dir)} (${c.preset}, ${c.inputSize} px input, ${c.patch}-px patches)`,
        ...lines,
      ].join("\n"),
    );
  }
  return loaded;
}

/**
 * Runs `work`, then replaces the progress line(s) it showed with `summary(result, seconds)`: the figures shown
 * next to a table are the table's, never the last pair's.
 *
 * @example
 * ```ts
 * const m = await withSummary(() => evaluateDataset(root, pairs, predict), (m, s) => `${m.pairs} pairs in ${s.toFixed(0)} s`);
 * ```
 */
export async function withSummary<T>(
  work: () => Promise<T>,
  summary: (result: T, seconds: number) => string,
): Promise<T> {
  const t0 = performance.now();
  const { result, displays } = await captureLiveDisplays(work);
  const line = summary(result, (performance.now() - t0) / 1000);
  const shown = displays.filter((d) => d.shown);
  if (shown.length === 0) {
    await showText(line);
  } else {
    await shown[0].update({ "text/plain": line });
    for (const d of shown.slice(1)) await d.update({ "text/plain": "" });
  }
  return result;
}
