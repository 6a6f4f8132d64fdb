/**
 * `deno task generate`: procedural manga line-art datasets in the PaintBucket-Character layout, with exact
 * ground truth (segments, labels, colour frames) and a pairs.csv; optionally one shard of a large run, and
 * the merge of shards.
 *
 * @module
 */
import { num, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { DATASET_DEFAULTS, generateDataset, mergeShards, parseShard } from "../generate/dataset.ts";
import { FAMILIES, TRANSFER_FAMILY } from "../generate/family.ts";
import { BASE_STYLES, STYLE_MODIFIERS } from "../generate/styles.ts";

const SPEC = {
  name: "generate",
  summary: "make a procedural manga line-art dataset (PBC layout) with exact region labels",
  usage:
    "deno task generate --out DIR --pairs N --style STYLE[,STYLE] --seed S [--family NAME[,NAME]] [--size PX] [--aspect W/H]\n" +
    "       [--gap N] [--shard i/n] [--force]\n" +
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
      help: `line style(s), one drawn per character: ${BASE_STYLES.join("|")}, each with +modifiers (${
        STYLE_MODIFIERS.join(", ")
      }), comma-separated; or mix (random per character)`,
      default: "clean",
    },
    family: {
      type: "string" as const,
      help:
        `what the frames show, one drawn per character: ${FAMILIES.join(", ")} (comma-separated), or all ` +
        `(every family but ${TRANSFER_FAMILY}, the held-out transfer family)`,
      default: "human",
    },
    aspect: { type: "string" as const, help: "canvas width / height (size = the longer side)", default: "1" },
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
    "deno task generate --out data/transfer-clean --pairs 60 --style clean --family creature --seed 101",
    "deno task generate --out data/train-mix --pairs 3000 --style mix --family all --aspect 1.33 --seed 21",
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
    style: str(a, "style", true),
    family: str(a, "family", true),
    aspect: num(a, "aspect", { min: 0.25, max: 4 }),
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
