/**
 * The merge of `deno task annotate --shard i/n` outputs into one training set: the shards are checked
 * (lib/data/shard.ts: one pair list, one set of options, no pair twice, none missing unless `partial`), every
 * pair folder is copied, and `pairs.csv` and `annotate.json` are rebuilt in the whole list's order with the
 * totals summed over every pair, so the merge of all shards is the folder a single run writes, byte for byte.
 *
 * @module
 */
import * as path from "node:path";
import { writePairsCsv } from "../data/pairs.ts";
import { readShardSet, type ShardSet } from "../data/shard.ts";
import { copyTree } from "../util/copy_tree.ts";
import { UserError } from "../util/errors.ts";
import { atomicWriteJson, exists, readJson, stageDir } from "../util/fs.ts";
import { Progress } from "../util/progress.ts";
import { pairFolderName } from "./dataset.ts";

/** One pair's entry of annotate.json: its folder and frames, its source character, its counts. */
type PairEntry = { dir: string; reference: string; target: string; source: string } & Record<string, unknown>;

/** annotate.json as `annotateDataset` writes it. */
interface AnnotateJson {
  source: string;
  options: unknown;
  totals: Record<string, number>;
  pairs: PairEntry[];
}

/** What {@link mergeAnnotateShards} did. */
export interface AnnotateMerge {
  set: ShardSet;
  /** Pairs merged. */
  pairs: number;
  /** Every pair's counts summed (as annotate.json's `totals`). */
  totals: Record<string, number>;
}

const NOT_COUNTS = new Set(["dir", "reference", "target", "source"]);

/**
 * Merges annotation shards into `out` (refused when it exists, unless `force`); staged, so a failure leaves
 * nothing.
 *
 * @example
 * ```ts
 * const r = await mergeAnnotateShards("data/auto", ["data/auto-0", "data/auto-1"]);
 * console.log(r.totals.byVotes);
 * ```
 */
export async function mergeAnnotateShards(
  out: string,
  dirs: readonly string[],
  opts: { force?: boolean; partial?: boolean; progress?: "tty" | "log" | "notebook" | "off" } = {},
): Promise<AnnotateMerge> {
  const set = await readShardSet(dirs, "annotate", { partial: opts.partial });
  const jsons: AnnotateJson[] = [];
  for (let k = 0; k < dirs.length; k++) {
    const file = path.join(dirs[k], "annotate.json");
    const j = await readJson<AnnotateJson>(file);
    if (!Array.isArray(j?.pairs) || j.pairs.length !== set.manifests[k].pairs.length) {
      throw new UserError(
        `holds ${Array.isArray(j?.pairs) ? j.pairs.length : "no"} pairs but shard.json names ${
          set.manifests[k].pairs.length
        }`,
        file,
      );
    }
    jsons.push(j);
  }
  const entries: PairEntry[] = [];
  const totals: Record<string, number> = {};
  await stageDir(out, { force: opts.force }, async (tmp) => {
    const bar = new Progress({
      total: set.pairs.length,
      label: "merge annotate",
      unit: "pairs",
      mode: opts.progress,
    });
    for (const p of set.pairs) {
      const e = jsons[p.shard].pairs[p.position];
      const folder = pairFolderName(p);
      if (e.dir !== folder) {
        throw new UserError(
          `annotate.json entry ${p.position} is ${e.dir}, shard.json says ${folder}`,
          path.join(dirs[p.shard], "annotate.json"),
        );
      }
      const src = path.join(dirs[p.shard], folder);
      if (!(await exists(src))) throw new UserError("pair folder named by shard.json is missing", src);
      await copyTree(src, path.join(tmp, folder));
      entries.push(e);
      for (const [k, v] of Object.entries(e)) {
        if (!NOT_COUNTS.has(k) && typeof v === "number") totals[k] = (totals[k] ?? 0) + v;
      }
      bar.tick(1, folder);
    }
    await writePairsCsv(
      path.join(tmp, "pairs.csv"),
      entries.map((e) => ({ dir: e.dir, reference: e.reference, target: e.target })),
    );
    await atomicWriteJson(path.join(tmp, "annotate.json"), {
      source: jsons[0].source,
      options: jsons[0].options,
      totals,
      pairs: entries,
    });
    await bar.done();
  });
  return { set, pairs: entries.length, totals };
}
