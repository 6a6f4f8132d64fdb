/**
 * `deno task warp`: evaluation pairs from real coloured frames: the real frame as reference, seeded smooth
 * non-rigid warps of it as targets, exact region labels from the colour frame (lib/generate/real_warp.ts).
 * Evaluation only: never train on these sets.
 *
 * @module
 */
import { num, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { findRealSources, makeRealWarpSet, REAL_WARP_DEFAULTS } from "../generate/real_warp.ts";
import { WARP_DEFAULTS } from "../image/warp.ts";

const SPEC = {
  name: "warp",
  summary:
    "evaluation pairs from real coloured frames: the frame and smooth non-rigid warps of it, exact labels",
  usage: "deno task warp --src CHARACTER_DIR --out DIR [--pairs N] [--seed S] [--force]\n" +
    "       deno task warp --gt GT.png --line LINE.png [--name NAME] --out DIR [--pairs N] [--seed S] [--force]",
  options: {
    src: {
      type: "string" as const,
      help: "PBC-layout character folder with gt/ and line/ (every frame with both)",
    },
    gt: { type: "string" as const, help: "one colour frame (with --line)" },
    line: { type: "string" as const, help: "its line art (with --gt)" },
    name: { type: "string" as const, help: "character folder name in the output (default: from the path)" },
    out: { type: "string" as const, short: "o", help: "output folder (PBC layout, pairs.csv, warp.json)" },
    pairs: {
      type: "string" as const,
      help: "warps per source frame",
      default: String(REAL_WARP_DEFAULTS.pairs),
    },
    seed: {
      type: "string" as const,
      help: "random seed: same seed, same bytes",
      default: String(REAL_WARP_DEFAULTS.seed),
    },
    rotation: {
      type: "string" as const,
      help: "largest rotation, degrees",
      default: String(WARP_DEFAULTS.rotation),
    },
    elastic: {
      type: "string" as const,
      help: "elastic amplitude as a fraction of the frame side",
      default: String(WARP_DEFAULTS.elasticAmp),
    },
    force: { type: "boolean" as const, help: "replace an existing output folder" },
  },
  examples: [
    "deno task warp --src ../shared/real/pbc-sample/Char0242 --out data/realwarp-pbc",
    "deno task warp --gt ../shared/real/hand-drawn/laughing_girl/gt/0000.png --line ../shared/real/hand-drawn/laughing_girl/line/0000.png --out data/realwarp-girl",
  ],
};

/** Runs the command. */
export async function warpCommand(args: string[]): Promise<void> {
  const a = parseCommand(args, SPEC);
  if (a.positionals.length > 0) {
    throw new UserError(`unexpected argument ${JSON.stringify(a.positionals[0])}`);
  }
  const out = str(a, "out", true);
  const sources = await findRealSources({
    src: str(a, "src"),
    gt: str(a, "gt"),
    line: str(a, "line"),
    name: str(a, "name"),
  });
  const r = await makeRealWarpSet(out, sources, {
    pairs: num(a, "pairs", { integer: true, min: 1 }),
    seed: num(a, "seed", { integer: true, min: 0, max: 2 ** 32 - 1 }),
    warp: {
      rotation: num(a, "rotation", { min: 0, max: 90 }),
      elasticAmp: num(a, "elastic", { min: 0, max: 0.2 }),
    },
  }, { force: !!a.values.force });
  console.log(
    `wrote ${r.out}: ${r.sources} source frame(s) (${r.colours.join(", ")} colours), ${r.pairs} pairs in ${
      r.seconds.toFixed(1)
    } s`,
  );
}

if (import.meta.main) runMain(() => warpCommand(Deno.args));
