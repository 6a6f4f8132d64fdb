/**
 * Writes an evaluation to a folder: `metrics.json` (the {@link EvalMetrics} object: averaged metrics, per-pair
 * metrics, pooled PR-curve points; NaN written as null), `table1.md` and `table2.md`. Existing files are
 * refused unless `force`; every file is written atomically.
 *
 * @module
 */
import * as path from "node:path";
import { atomicWrite, guardOutput } from "../util/fs.ts";
import type { EvalMetrics } from "./run.ts";
import { table1, table2, type TableEntry, type TableOptions } from "./tables.ts";

/** Options of {@link writeReport}. */
export interface ReportOptions {
  /** Overwrite existing files. */
  force?: boolean;
  /** Name of our row in the tables. */
  name?: string;
  /** More rows (baselines, ablations) after ours. */
  extra?: readonly TableEntry[];
  /** Paper rows. */
  paper?: TableOptions["paper"];
}

/** Files written by {@link writeReport}. */
export const REPORT_FILES = ["metrics.json", "table1.md", "table2.md"] as const;

/**
 * Writes metrics.json, table1.md and table2.md into `dir`.
 *
 * @example
 * ```ts
 * await writeReport("experiments/run1/eval", metrics, { name: "ours (clean)", paper: true, force: args.force });
 * ```
 */
export async function writeReport(
  dir: string,
  metrics: EvalMetrics,
  opts: ReportOptions = {},
): Promise<string[]> {
  const files = REPORT_FILES.map((f) => path.join(dir, f));
  for (const f of files) await guardOutput(f, { force: opts.force });
  await Deno.mkdir(dir, { recursive: true });
  const entries: TableEntry[] = [
    { name: opts.name ?? "ours", patch: metrics.patch, region: metrics.region },
    ...(opts.extra ?? []),
  ];
  await atomicWrite(files[0], JSON.stringify(metrics, null, 1) + "\n");
  await atomicWrite(files[1], table1(entries, { paper: opts.paper }));
  await atomicWrite(files[2], table2(entries, { paper: opts.paper }));
  return files;
}
