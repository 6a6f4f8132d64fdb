/**
 * The merge of `deno task match --data ROOT --shard i/n` outputs: each shard holds `<dir>/<reference>-<target>/`
 * folders for its pairs and a `shard.json` (lib/data/shard.ts); the merge checks the shards (one pair list, one
 * set of options, no pair twice, none missing unless `partial`) and copies every pair folder into one staged
 * output, which is then the tree a single batch run over the whole list writes.
 *
 * @module
 */
import * as path from "node:path";
import { readShardSet, type ShardSet } from "../data/shard.ts";
import { copyTree } from "../util/copy_tree.ts";
import { UserError } from "../util/errors.ts";
import { exists, readJson, stageDir } from "../util/fs.ts";
import { Progress } from "../util/progress.ts";

/**
 * Output folder of one pair of a batch run, relative to the run's folder.
 *
 * @example
 * ```ts
 * pairOutputDir({ dir: "char00000", reference: "0000", target: "0007" }); // "char00000/0000-0007"
 * ```
 */
export function pairOutputDir(p: { dir: string; reference: string; target: string }): string {
  return path.join(p.dir, `${p.reference}-${p.target}`);
}

/** What {@link mergeMatchShards} did. */
export interface MatchMerge {
  set: ShardSet;
  /** Pair folders copied. */
  pairs: number;
  /** Matches over every merged pair (from the copied matches.json files). */
  matches: number;
}

/**
 * Merges match shards into `out` (refused when it exists, unless `force`); staged, so a failure leaves nothing.
 *
 * @example
 * ```ts
 * const r = await mergeMatchShards("out/test", ["out/test-0", "out/test-1"]);
 * console.log(`${r.pairs} pairs`);
 * ```
 */
export async function mergeMatchShards(
  out: string,
  dirs: readonly string[],
  opts: { force?: boolean; partial?: boolean; progress?: "tty" | "log" | "notebook" | "off" } = {},
): Promise<MatchMerge> {
  const set = await readShardSet(dirs, "match", { partial: opts.partial });
  let matches = 0;
  await stageDir(out, { force: opts.force }, async (tmp) => {
    const bar = new Progress({
      total: set.pairs.length,
      label: "merge match",
      unit: "pairs",
      mode: opts.progress,
    });
    for (const p of set.pairs) {
      const src = path.join(set.dirs[p.shard], pairOutputDir(p));
      if (!(await exists(src))) throw new UserError("pair folder named by shard.json is missing", src);
      await copyTree(src, path.join(tmp, pairOutputDir(p)));
      const m = path.join(src, "matches.json");
      if (await exists(m)) matches += (await readJson<unknown[]>(m)).length;
      bar.tick(1, `${p.dir} ${p.reference}-${p.target}`);
    }
    await bar.done();
  });
  return { set, pairs: set.pairs.length, matches };
}
