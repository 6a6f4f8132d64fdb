/**
 * `deno task match`: region correspondences between two line-art drawings, written as
 * `ref_seg.png` / `tgt_seg.png` (16-bit label maps at each input's own size, ids from 1, 0 = no region),
 * `matches.json` (`[{ref_region, tgt_region, score, ...}]`) and `match_vis.png` (the two drawings side by side,
 * one colour per match, unmatched grey, background white).
 *
 * One pair: `deno task match REF.png TGT.png --out DIR [--weights W]` (default: the shipped model). A batch: `deno task match --data ROOT
 * [--pairs CSV] --out DIR` writes every pair of a PBC-layout folder into
 * `DIR/<dir>/<reference>-<target>/`, loading the model once, with a progress bar. `--oracle` (batch only) takes
 * the similarity from the dataset's ground truth instead of a model: the upper bound of the post-processing.
 *
 * Line art may be black on transparent (PBC) or dark on white; any size.
 *
 * @module
 */
import * as path from "node:path";
import { readGray, writeLabel16, writePng } from "../image/io.ts";
import type { GrayImage } from "../image/types.ts";
import { framePaths, loadFrame } from "../data/pbc.ts";
import { resolvePairs } from "../data/pairs.ts";
import { parseShard, selectShard, SHARD_MANIFEST, shardManifest, shardName } from "../data/shard.ts";
import { mergeMatchShards } from "../match/batch_merge.ts";
import type { PairSimilarity, PairTokens } from "../model/similarity.ts";
import {
  MATCH_DEFAULTS,
  MATCHER_KINDS,
  type MatcherKind,
  matchPair,
  type MatchPairOptions,
  type MatchPairResult,
} from "../match/pipeline.ts";
import { similarityFromTokens } from "../match/descriptors.ts";
import { oracleSimilarity } from "../match/oracle.ts";
import { DEFAULT_HEAD, type RegionHead, resolveRegionHead } from "../match/region_head.ts";
import { repoPath } from "../util/paths.ts";
import { DEFAULT_WEIGHTS, defaultWeights } from "../eval/shipped.ts";
import { REGION_MODES, type RegionMode } from "../regions/segment.ts";
import { choice, num, parseCommand, type ParsedArgs, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { atomicWriteJson, exists, stageDir } from "../util/fs.ts";
import { Progress } from "../util/progress.ts";
import { matchVisualization } from "../viz/match_vis.ts";

/**
 * The matcher the tools (match, colorize, demo) use unless told otherwise: they always hold the model, so its
 * tokens are there for the region matcher (the library's `auto` picks the same when tokens are given).
 */
export const TOOL_MATCHER: MatcherKind = "region";

/** Options shared by `match` and `colorize`. */
export const MATCHING_OPTIONS = {
  weights: {
    type: "string" as const,
    help: "model folder (model.json + weights.bin); default: the shipped model, experiments/small-v1",
  },
  matcher: {
    type: "string" as const,
    help: "region (region descriptors + Sinkhorn + alignment) or paper (patch votes, eq. 5)",
    default: TOOL_MATCHER,
  },
  head: {
    type: "string" as const,
    help:
      "region matcher's learned head: none (hand-set scores: the default, better on validation), a head " +
      "folder (head.json + weights.bin, e.g. experiments/region-head-v1), or auto (the head in " +
      "experiments/region-head-v1 when it was trained for the model)",
    default: "none",
  },
  regions: {
    type: "string" as const,
    help:
      "how regions are made: auto (strokes for --matcher region, hybrid for paper), patches (the paper), lines, hybrid, strokes",
    default: MATCH_DEFAULTS.regions,
  },
  threshold: {
    type: "string" as const,
    help: "matching threshold on sigmoid(cosine)",
    default: String(MATCH_DEFAULTS.matching.threshold),
  },
  rule: {
    type: "string" as const,
    help:
      "argmax (the release: best partner per region) or all (the paper: every partner above the threshold)",
    default: MATCH_DEFAULTS.matching.rule,
  },
  "max-side": {
    type: "string" as const,
    help: "longer side of the working copy post-processing runs on",
    default: String(MATCH_DEFAULTS.maxWorkingSide),
  },
  backend: {
    type: "string" as const,
    help: "tfjs backend: auto, webgpu, tensorflow, wasm, cpu",
    default: "auto",
  },
  force: { type: "boolean" as const, help: "overwrite existing outputs" },
};

const SPEC = {
  name: "match",
  summary: "find which region of one line-art drawing matches which region of another",
  usage: "deno task match REF.png TGT.png --out DIR [--weights W] [options]\n" +
    "       deno task match --data ROOT [--pairs ROOT/pairs.csv] --out DIR [--weights W | --oracle] [--shard i/n] [options]\n" +
    "       deno task match --merge --out DIR SHARD_DIR... [--partial] [--force]",
  options: {
    out: { type: "string" as const, short: "o", help: "output folder" },
    data: { type: "string" as const, help: "a PBC-layout dataset folder (batch mode)" },
    pairs: {
      type: "string" as const,
      help: "pairs CSV (dir,reference,target); default: ROOT/pairs.csv or frames i, i+7",
    },
    oracle: {
      type: "boolean" as const,
      help: "batch only: similarity from the dataset's ground truth (upper bound)",
    },
    shard: {
      type: "string" as const,
      help: "batch only: match only shard i of n (0-based), the pairs whose index in the list is i mod n, " +
        "e.g. $SLURM_ARRAY_TASK_ID/8; writes shard.json for --merge",
    },
    merge: { type: "boolean" as const, help: "merge the shard folders given after the options into --out" },
    partial: {
      type: "boolean" as const,
      help: "with --merge: merge the shards there are (missing ones listed)",
    },
    ...MATCHING_OPTIONS,
  },
  examples: [
    "deno task match a.png b.png --out out/ab --weights experiments/small-v1",
    "deno task match a.png b.png --out out/ab --weights experiments/small-v1 --matcher paper --regions hybrid",
    "deno task match --data data/test-clean --out out/test --weights experiments/small-v1",
  ],
};

/** Matching options from parsed arguments. */
export function matchOptionsFrom(args: ParsedArgs): Partial<MatchPairOptions> {
  return {
    matcher: choice(args, "matcher", MATCHER_KINDS, TOOL_MATCHER) as MatcherKind,
    regions: choice(args, "regions", ["auto", ...REGION_MODES] as const, MATCH_DEFAULTS.regions) as
      | RegionMode
      | "auto",
    maxWorkingSide: num(args, "max-side", {
      def: MATCH_DEFAULTS.maxWorkingSide,
      min: 64,
      max: 16384,
      integer: true,
    }),
    matching: {
      threshold: num(args, "threshold", { def: MATCH_DEFAULTS.matching.threshold, min: 0, max: 1 }),
      rule: choice(args, "rule", ["argmax", "all"] as const, MATCH_DEFAULTS.matching.rule),
    },
  };
}

/** A similarity source: a loaded model's forward. */
export type SimilarityFn = (lineA: GrayImage, lineB: GrayImage) => Promise<PairSimilarity>;

/** A model as the commands use it: its similarity, its tokens, and a way to free it. */
export interface CliModel {
  forward: SimilarityFn;
  tokens: (lineA: GrayImage, lineB: GrayImage) => Promise<PairTokens>;
  /** The region matcher's learned head (`--head`), null for the hand-set scores. */
  head: RegionHead | null;
  dispose: () => void;
}

/** `opts` with the model's region head set for the region matcher. */
export function withHead(opts: Partial<MatchPairOptions>, model: CliModel | null): Partial<MatchPairOptions> {
  return { ...opts, regionMatcher: { ...opts.regionMatcher, head: model?.head ?? null } };
}

/**
 * The model's output for a pair as `matchPair` takes it: one forward; the region matcher gets the tokens and the
 * similarity computed from them, the paper's matcher the similarity alone.
 */
export async function pairInputs(
  model: CliModel,
  lineA: GrayImage,
  lineB: GrayImage,
  opts: Partial<MatchPairOptions>,
): Promise<{ sim: PairSimilarity; tokens?: PairTokens }> {
  if (opts.matcher === "paper") return { sim: await model.forward(lineA, lineB) };
  const tokens = await model.tokens(lineA, lineB);
  return { sim: similarityFromTokens(tokens), tokens };
}

/** Loads the model of `--weights` (and the backend of `--backend`) and returns its forward. */
export async function modelSimilarity(args: ParsedArgs): Promise<CliModel> {
  const weights = str(args, "weights") ?? defaultWeights();
  if (!weights) {
    throw new UserError(
      `no model: the shipped model (${DEFAULT_WEIGHTS}) is missing; pass --weights DIR (a folder with model.json ` +
        "and weights.bin, as `deno task train` writes)",
    );
  }
  const m = await import("../model/mod.ts");
  await m.initBackend({ backend: choice(args, "backend", m.BACKEND_KINDS, "auto") });
  const model = await m.loadModel(weights);
  let head: RegionHead | null;
  try {
    head = await resolveRegionHead(str(args, "head") ?? "none", weights, repoPath(DEFAULT_HEAD));
  } catch (e) {
    model.dispose();
    throw e;
  }
  return {
    forward: (a, b) => model.similarity(a, b),
    tokens: (a, b) => model.pairTokens(a, b),
    head,
    dispose: () => model.dispose(),
  };
}

/** Writes the four outputs of one pair into `dir` (which exists). */
export async function writeMatchOutputs(
  dir: string,
  lineA: GrayImage,
  lineB: GrayImage,
  r: MatchPairResult,
): Promise<void> {
  await writeLabel16(path.join(dir, "ref_seg.png"), r.regionsA);
  await writeLabel16(path.join(dir, "tgt_seg.png"), r.regionsB);
  await atomicWriteJson(
    path.join(dir, "matches.json"),
    r.matches.map((m) => ({
      ref_region: m.ref_region,
      tgt_region: m.tgt_region,
      score: Math.round(m.score * 1e4) / 1e4,
      direction: m.direction,
    })),
  );
  await writePng(
    path.join(dir, "match_vis.png"),
    matchVisualization(lineA, r.regionsA, lineB, r.regionsB, r.matches, {
      backgroundA: r.backgroundA,
      backgroundB: r.backgroundB,
    }),
  );
}

/** One line about a result. */
export function summary(r: MatchPairResult): string {
  const ctx = r.matches.filter((m) => m.direction === "context").length;
  return `${r.countA} / ${r.countB} regions, ${r.matches.length} matches${
    ctx ? ` (${ctx} by context)` : ""
  }, ` +
    `${r.timings.total.toFixed(0)} ms post-processing + matching`;
}

async function single(args: ParsedArgs, out: string): Promise<void> {
  if (args.positionals.length !== 2) throw new UserError("give two drawings: REF.png TGT.png (see --help)");
  if (args.values.oracle) throw new UserError("--oracle needs ground truth: use it with --data");
  if (args.values.shard !== undefined) throw new UserError("--shard splits a batch: use it with --data");
  const [refPath, tgtPath] = args.positionals;
  const [lineA, lineB] = await Promise.all([readGray(refPath), readGray(tgtPath)]);
  const model = await modelSimilarity(args);
  try {
    const opts = matchOptionsFrom(args);
    const { sim, tokens } = await pairInputs(model, lineA, lineB, opts);
    const r = matchPair(lineA, lineB, sim, { ...withHead(opts, model), tokens });
    for (const w of r.warnings) console.error(`warning: ${w}`);
    await stageDir(
      out,
      { force: Boolean(args.values.force) },
      (tmp) => writeMatchOutputs(tmp, lineA, lineB, r),
    );
    console.log(`${summary(r)}\nwrote ${out}/{ref_seg.png, tgt_seg.png, matches.json, match_vis.png}`);
  } finally {
    model.dispose();
  }
}

async function batch(args: ParsedArgs, root: string, out: string): Promise<void> {
  if (args.positionals.length) throw new UserError("give either two drawings or --data, not both");
  const listed = await resolvePairs(root, { pairsCsv: str(args, "pairs") });
  if (listed.length === 0) throw new UserError("no pairs to match", str(args, "pairs") ?? root);
  const shard = args.values.shard !== undefined ? parseShard(String(args.values.shard)) : null;
  const sel = selectShard(listed, shard);
  const pairs = sel.items;
  const oracle = Boolean(args.values.oracle);
  const model = oracle ? null : await modelSimilarity(args);
  const opts = matchOptionsFrom(args);
  if (oracle) opts.matcher = "paper"; // the oracle gives similarities, not tokens
  try {
    await stageDir(out, { force: Boolean(args.values.force) }, async (tmp) => {
      const bar = new Progress({
        total: pairs.length,
        label: shard ? `match shard ${shardName(shard)}` : "match",
        unit: "pair",
      });
      let matches = 0;
      for (const p of pairs) {
        let lineA: GrayImage, lineB: GrayImage, sim: PairSimilarity, tokens: PairTokens | undefined;
        if (oracle) {
          const [fa, fb] = await Promise.all([
            loadFrame(root, p.dir, p.reference),
            loadFrame(root, p.dir, p.target),
          ]);
          if (!fa.labelOfSeg || !fb.labelOfSeg) {
            throw new UserError("--oracle needs labels (json_index or seg/*.json)", fa.paths.seg);
          }
          lineA = fa.line, lineB = fb.line;
          sim = oracleSimilarity(fa, fb); // no tokens: the paper's matcher
          tokens = undefined;
        } else {
          const pa = framePaths(root, p.dir, p.reference).line, pb = framePaths(root, p.dir, p.target).line;
          for (const f of [pa, pb]) if (!(await exists(f))) throw new UserError("line art not found", f);
          [lineA, lineB] = await Promise.all([readGray(pa), readGray(pb)]);
          ({ sim, tokens } = await pairInputs(model!, lineA, lineB, opts));
        }
        const r = matchPair(lineA, lineB, sim, { ...withHead(opts, model), tokens });
        for (const w of r.warnings) console.error(`\nwarning: ${p.dir} ${p.reference}-${p.target}: ${w}`);
        const dir = path.join(tmp, p.dir, `${p.reference}-${p.target}`);
        await Deno.mkdir(dir, { recursive: true });
        await writeMatchOutputs(dir, lineA, lineB, r);
        matches += r.matches.length;
        bar.tick(1, `${p.dir} ${p.reference}-${p.target}: ${r.matches.length} matches`);
      }
      if (shard) {
        const options = {
          data: root,
          pairs_csv: str(args, "pairs") ?? null,
          oracle,
          weights: oracle ? null : str(args, "weights") ?? defaultWeights(),
          matching: opts,
        };
        await atomicWriteJson(
          path.join(tmp, SHARD_MANIFEST),
          await shardManifest("match", shard, listed, sel.indices, options),
        );
      }
      await bar.done();
      console.log(
        `${pairs.length} pairs${
          shard ? ` (shard ${shardName(shard)} of ${listed.length})` : ""
        }, ${matches} ` +
          `matches; wrote ${out}/<dir>/<reference>-<target>/${shard ? ` and ${SHARD_MANIFEST}` : ""}`,
      );
    });
  } finally {
    model?.dispose();
  }
}

if (import.meta.main) {
  runMain(async () => {
    const args = parseCommand(Deno.args, SPEC);
    const out = str(args, "out");
    if (!out) throw new UserError("missing --out DIR (see --help)");
    if (args.values.merge) {
      const r = await mergeMatchShards(out, args.positionals, {
        force: Boolean(args.values.force),
        partial: Boolean(args.values.partial),
      });
      console.log(
        `merged ${r.set.dirs.length} shard(s): ${r.pairs} of ${r.set.total} pairs, ${r.matches} matches${
          r.set.missing.length ? ` (partial: shard(s) ${r.set.missing.join(", ")} missing)` : ""
        }; wrote ${out}/<dir>/<reference>-<target>/`,
      );
      return;
    }
    if (args.values.partial) throw new UserError("--partial goes with --merge");
    const root = str(args, "data");
    if (root) await batch(args, root, out);
    else await single(args, out);
  });
}
