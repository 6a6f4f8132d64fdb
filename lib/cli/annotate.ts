/**
 * `deno task annotate`: automatic annotation of coloured frame pairs (the paper's "Automatically Annotated
 * Training Datasets"): colour segmentation of each coloured frame, region matches from ORB keypoint votes and a
 * coarse position-and-colour pass, written as a PBC-layout training set with pseudo labels shared per pair.
 *
 * @module
 */
import { num, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { annotateDataset } from "../annotate/dataset.ts";
import { mergeAnnotateShards } from "../annotate/merge.ts";
import { parseShard } from "../data/shard.ts";
import { SEGMENT_DEFAULTS } from "../annotate/segment.ts";
import { ANNOTATE_DEFAULTS } from "../annotate/pipeline.ts";

const SPEC = {
  name: "annotate",
  summary:
    "turn pairs of coloured frames (PBC layout, gt/ + line/) into a training set with pseudo region labels",
  usage:
    "deno task annotate --data ROOT [--pairs CSV] --out DIR [--force] [--seed S] [--k K] [--limit N] [--shard i/n]\n" +
    "       deno task annotate --merge --out DIR SHARD_DIR... [--partial] [--force]",
  options: {
    data: {
      type: "string" as const,
      short: "d",
      help: "input dataset: <ROOT>/<character>/{line,gt}/<frame>.png",
    },
    pairs: {
      type: "string" as const,
      help: "pairs.csv (dir,reference,target); default <ROOT>/pairs.csv, else frames i and i+7",
    },
    out: {
      type: "string" as const,
      short: "o",
      help: "output folder: one character folder per pair, and pairs.csv",
    },
    seed: {
      type: "string" as const,
      help: "seed of the colour clustering: same seed, same bytes",
      default: String(ANNOTATE_DEFAULTS.seed),
    },
    k: {
      type: "string" as const,
      help: "dominant colours per frame (k-means clusters)",
      default: String(SEGMENT_DEFAULTS.k),
    },
    limit: { type: "string" as const, help: "annotate only the first N pairs" },
    shard: {
      type: "string" as const,
      help:
        "annotate only shard i of n (0-based): the pairs whose index in the list (after --limit) is i mod n, " +
        "e.g. $SLURM_ARRAY_TASK_ID/8; writes shard.json for --merge",
    },
    merge: { type: "boolean" as const, help: "merge the shard folders given after the options into --out" },
    partial: {
      type: "boolean" as const,
      help: "with --merge: merge the shards there are (missing ones listed)",
    },
    force: { type: "boolean" as const, help: "replace an existing output folder" },
  },
  examples: [
    "deno task annotate --data data/test-clean --out data/pseudo-clean",
    "deno task annotate --data my_clips --pairs my_clips/keyframes.csv --out data/pseudo-mine --seed 3",
  ],
};

/** Runs the command. */
export async function annotateCommand(args: string[]): Promise<void> {
  const a = parseCommand(args, SPEC);
  if (a.values.merge) {
    const out = str(a, "out", true);
    const r = await mergeAnnotateShards(out, a.positionals, {
      force: !!a.values.force,
      partial: !!a.values.partial,
    });
    console.log(
      `merged ${r.set.dirs.length} shard(s) into ${out}: ${r.pairs} of ${r.set.total} pairs${
        r.set.missing.length ? ` (partial: shard(s) ${r.set.missing.join(", ")} missing)` : ""
      }; matches: ${r.totals.byVotes ?? 0} by votes, ${r.totals.byReverseVotes ?? 0} by reverse votes, ` +
        `${r.totals.byCoarse ?? 0} coarse`,
    );
    return;
  }
  if (a.positionals.length > 0) {
    throw new UserError(
      `unexpected argument ${JSON.stringify(a.positionals[0])} (shard folders go with --merge)`,
    );
  }
  if (a.values.partial) throw new UserError("--partial goes with --merge");
  const data = str(a, "data", true), out = str(a, "out", true);
  const limit = a.values.limit !== undefined ? num(a, "limit", { integer: true, min: 1 }) : undefined;
  const t0 = performance.now();
  const r = await annotateDataset(data, out, {
    pairsCsv: str(a, "pairs"),
    force: !!a.values.force,
    seed: num(a, "seed", { integer: true, min: 0, max: 2 ** 32 - 1 }),
    segment: { k: num(a, "k", { integer: true, min: 1, max: 256 }) },
    limit,
    shard: a.values.shard !== undefined ? parseShard(String(a.values.shard)) : null,
  });
  const t = r.totals, s = (performance.now() - t0) / 1000;
  const regions = (t.segmentsA ?? 0) + (t.segmentsB ?? 0);
  console.log(
    `wrote ${out}: ${r.pairs.length} pairs, ${regions} regions; matches: ${t.byVotes ?? 0} by votes, ` +
      `${t.byReverseVotes ?? 0} by reverse votes, ${t.byCoarse ?? 0} coarse; unmatched ${
        (t.unmatchedA ?? 0) + (t.unmatchedB ?? 0)
      } ` +
      `in ${s.toFixed(1)} s`,
  );
}

if (import.meta.main) runMain(() => annotateCommand(Deno.args));
