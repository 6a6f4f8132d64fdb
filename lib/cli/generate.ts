/**
 * `deno task generate`: procedural manga line-art datasets in the PaintBucket-Character layout, with exact
 * ground truth (segments, labels, colour frames) and a pairs.csv; optionally one shard of a large run, and
 * the merge of shards.
 *
 * @module
 */
import { choice, num, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { DATASET_DEFAULTS, generateDataset, mergeShards, parseShard } from "../generate/dataset.ts";
import { LINE_STYLES } from "../generate/frame.ts";

const SPEC = {
  name: "generate",
  summary: "make a procedural manga line-art dataset (PBC layout) with exact region labels",
  usage:
    "deno task generate --out DIR --pairs N --style clean|hand-drawn --seed S [--size 512] [--gap 7] [--shard i/n] [--force]\n" +
    "       deno task generate --merge --out DIR SHARD_DIR... [--force]",
  options: {
    out: {
      type: "string" as const,
      short: "o",
      help: "output folder (built in a temporary sibling, renamed at the end)",
    },
    pairs: { type: "string" as const, help: "number of pairs in the whole dataset (before sharding)" },
    style: {
      type: "string" as const,
      help: "line style: clean (closed 1-px contours) or hand-drawn (XDoG, open, variable width)",
      default: "clean",
    },
    seed: { type: "string" as const, help: "random seed: same seed, same bytes", default: "0" },
    size: { type: "string" as const, help: "frame side in pixels", default: String(DATASET_DEFAULTS.size) },
    gap: { type: "string" as const, help: "frame gap of a pair", default: String(DATASET_DEFAULTS.gap) },
    frames: {
      type: "string" as const,
      help: "frames per character",
      default: String(DATASET_DEFAULTS.framesPerCharacter),
    },
    shard: { type: "string" as const, help: "make only shard i of n (0-based), e.g. $SLURM_ARRAY_TASK_ID/8" },
    merge: { type: "boolean" as const, help: "merge the shard folders given after the options into --out" },
    force: { type: "boolean" as const, help: "replace an existing output folder" },
  },
  examples: [
    "deno task generate --out data/test-clean --pairs 300 --style clean --seed 1",
    "deno task generate --out data/train-hand --pairs 3000 --style hand-drawn --seed 12",
    "deno task generate --out data/big-3 --pairs 20000 --style clean --seed 5 --shard 3/8   # one Slurm array task",
    "deno task generate --merge --out data/big data/big-0 data/big-1 data/big-2 ...",
  ],
};

/** Runs the command. */
export async function generateCommand(args: string[]): Promise<void> {
  const a = parseCommand(args, SPEC);
  const out = str(a, "out", true);
  const force = !!a.values.force;
  if (a.values.merge) {
    const r = await mergeShards(out, a.positionals, { force });
    console.log(
      `merged ${a.positionals.length} shard(s) into ${r.out}: ${r.characters} characters, ${r.frames} frames, ${r.pairs} pairs in ${
        r.seconds.toFixed(1)
      } s`,
    );
    return;
  }
  if (a.positionals.length > 0) {
    throw new UserError(
      `unexpected argument ${JSON.stringify(a.positionals[0])} (shard folders go with --merge)`,
    );
  }
  const pairs = num(a, "pairs", { integer: true });
  if (pairs < 1) throw new UserError(`--pairs must be at least 1, got ${pairs}`);
  const r = await generateDataset({
    out,
    pairs,
    style: choice(a, "style", LINE_STYLES, "clean"),
    seed: num(a, "seed", { integer: true, min: 0, max: 2 ** 32 - 1 }),
    size: num(a, "size", { integer: true, min: 64, max: 4096 }),
    gap: num(a, "gap", { integer: true, min: 1 }),
    framesPerCharacter: num(a, "frames", { integer: true, min: 2 }),
    shard: a.values.shard !== undefined ? parseShard(String(a.values.shard)) : null,
    force,
  });
  console.log(
    `wrote ${r.out}: ${r.characters} characters, ${r.frames} frames, ${r.pairs} pairs in ${
      r.seconds.toFixed(1)
    } s (${(r.frames / r.seconds).toFixed(1)} frames/s)`,
  );
}

if (import.meta.main) runMain(() => generateCommand(Deno.args));
