/**
 * Shards of one evaluation, and their merge. A shard (`deno task evaluate --shard i/n`) writes, beside its own
 * metrics.json (the metrics of its pairs alone), what the metrics of the whole list are computed from:
 *
 * - `metrics.json`'s `per_pair` records (region scores and per-pair patch scores of each pair);
 * - `patch_hist.bin`: the pooled patch-score histograms (positives and negatives per score bin of the sets
 *   intra_a, intra_b and cross; only the bins holding a sample, see {@link HIST_LAYOUT}), absent when the
 *   method gives no similarity;
 * - `shard_raw.json`: the histogram layout, the summed top-K counts and the number of plotted curve points;
 * - `shard.json`: the manifest of lib/data/shard.ts (pairs, options, shard id).
 *
 * The merge adds the histograms (integer counts: exact in any order), puts the per-pair records back in the
 * whole list's order and runs the very code an unsharded run ends with ({@link evalMetrics}): pooled AP, F1 and
 * curves over the union of the samples, means over all pairs in list order. So a merge of every shard gives the
 * same metrics.json as one run over the whole list, to the last digit (merge_test.ts).
 *
 * @module
 */
import * as path from "node:path";
import { readShardSet, SHARD_MANIFEST, type ShardManifest, type ShardSet } from "../data/shard.ts";
import { UserError } from "../util/errors.ts";
import { atomicWrite, atomicWriteJson, exists, readJson } from "../util/fs.ts";
import { Progress } from "../util/progress.ts";
import { type HistogramOptions, ScoreHistogram } from "./histogram.ts";
import { PatchAccumulator } from "./patch_metrics.ts";
import { RegionAccumulator } from "./region_summary.ts";
import { type EvalMetrics, evalMetrics, type EvalState, type PairRecord } from "./run.ts";

/** The patch-score histograms of a shard. */
export const PATCH_HIST_FILE = "patch_hist.bin";
/** What else a merge needs of a shard. */
export const SHARD_RAW_FILE = "shard_raw.json";

const SETS = ["intra_a", "intra_b", "cross"] as const;

/** Layout of {@link PATCH_HIST_FILE}, recorded in `shard_raw.json`. */
export const HIST_LAYOUT =
  "little-endian; for each set (intra_a, intra_b, cross): uint32 k, then k uint32 bin " +
  "indices (ascending), k float64 positives, k float64 negatives (the bins holding a sample)";

/** `shard_raw.json`. */
export interface ShardRaw {
  version: 1;
  /** Bins of the histograms in {@link PATCH_HIST_FILE}. */
  histogram: HistogramOptions;
  /** The histogram file, or null when no pair carried a similarity. */
  patch_hist: string | null;
  /** Layout of that file. */
  layout: string;
  /** Summed top-K counts (K = 1, 5) over the shard's pairs. */
  topk: { queries: number; hits: number[] };
  /** Points per plotted PR curve. */
  curve_points: number;
}

function histBytes(acc: PatchAccumulator): Uint8Array {
  const bins = acc.hist.cross.opts.bins;
  const used = SETS.map((k) => {
    const h = acc.hist[k], idx: number[] = [];
    for (let i = 0; i < bins; i++) if (h.pos[i] !== 0 || h.neg[i] !== 0) idx.push(i);
    return idx;
  });
  const size = used.reduce((t, idx) => t + 4 + 20 * idx.length, 0);
  const view = new DataView(new ArrayBuffer(size));
  let at = 0;
  SETS.forEach((k, s) => {
    const idx = used[s], h = acc.hist[k];
    view.setUint32(at, idx.length, true), at += 4;
    for (const i of idx) view.setUint32(at, i, true), at += 4;
    for (const i of idx) view.setFloat64(at, h.pos[i], true), at += 8;
    for (const i of idx) view.setFloat64(at, h.neg[i], true), at += 8;
  });
  return new Uint8Array(view.buffer);
}

/** Reads {@link histBytes}' layout back; a wrong length or bin is a one-line error naming the file. */
function histFrom(
  bytes: Uint8Array,
  opts: HistogramOptions,
  file: string,
): Record<(typeof SETS)[number], ScoreHistogram> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (what: string) => new UserError(`corrupt histogram file (${what})`, file);
  const out = {} as Record<(typeof SETS)[number], ScoreHistogram>;
  let at = 0;
  for (const k of SETS) {
    if (at + 4 > bytes.length) throw bad("too short");
    const n = view.getUint32(at, true);
    at += 4;
    if (at + 20 * n > bytes.length) throw bad("too short");
    const h = new ScoreHistogram(opts);
    for (let j = 0; j < n; j++) {
      const bin = view.getUint32(at + 4 * j, true);
      if (bin >= opts.bins) throw bad(`bin ${bin} of ${opts.bins}`);
      h.pos[bin] = view.getFloat64(at + 4 * n + 8 * j, true);
      h.neg[bin] = view.getFloat64(at + 12 * n + 8 * j, true);
    }
    at += 20 * n;
    out[k] = h;
  }
  if (at !== bytes.length) throw bad(`${bytes.length - at} bytes left over`);
  return out;
}

/**
 * Writes what a merge needs of an evaluation shard into `dir` (which holds the shard's metrics.json):
 * `shard.json`, `shard_raw.json` and, with patch metrics, `patch_hist.bin`.
 *
 * @example
 * ```ts
 * const manifest = await shardManifest("evaluate", shard, pairs, sel.indices, { run, match, name });
 * await writeEvalShard(tmp, state, manifest);
 * ```
 */
export async function writeEvalShard(dir: string, state: EvalState, manifest: ShardManifest): Promise<void> {
  if (manifest.pairs.length !== state.perPair.length) {
    throw new RangeError(
      `shard manifest names ${manifest.pairs.length} pairs, the evaluation scored ${state.perPair.length}`,
    );
  }
  const withPatch = state.patch.pairs > 0;
  if (withPatch) await atomicWrite(path.join(dir, PATCH_HIST_FILE), histBytes(state.patch));
  const raw: ShardRaw = {
    version: 1,
    histogram: state.options.histogram,
    patch_hist: withPatch ? PATCH_HIST_FILE : null,
    layout: HIST_LAYOUT,
    topk: state.patch.topk,
    curve_points: state.options.curvePoints,
  };
  await atomicWriteJson(path.join(dir, SHARD_RAW_FILE), raw);
  await atomicWriteJson(path.join(dir, SHARD_MANIFEST), manifest);
}

/** One shard read back. */
interface ShardData {
  metrics: EvalMetrics;
  raw: ShardRaw;
  hist: Record<(typeof SETS)[number], ScoreHistogram> | null;
  seconds: number;
}

async function readShard(dir: string, manifest: ShardManifest): Promise<ShardData> {
  const need = async (name: string) => {
    const f = path.join(dir, name);
    if (!(await exists(f))) {
      throw new UserError(`no ${name}: an evaluation shard needs it for the merge`, dir);
    }
    return f;
  };
  const metrics = await readJson<EvalMetrics>(await need("metrics.json"));
  const raw = await readJson<ShardRaw>(await need(SHARD_RAW_FILE));
  if (!Array.isArray(metrics?.per_pair) || !metrics.settings) {
    throw new UserError("not an evaluation's metrics.json", path.join(dir, "metrics.json"));
  }
  if (raw?.version !== 1 || !raw.histogram || !raw.topk) {
    throw new UserError("not an evaluation shard's raw file", path.join(dir, SHARD_RAW_FILE));
  }
  if (metrics.per_pair.length !== manifest.pairs.length) {
    throw new UserError(
      `metrics.json holds ${metrics.per_pair.length} pairs but ${SHARD_MANIFEST} names ${manifest.pairs.length}`,
      dir,
    );
  }
  metrics.per_pair.forEach((r, k) => {
    const p = manifest.pairs[k];
    if (r.dir !== p.dir || r.reference !== p.reference || r.target !== p.target) {
      throw new UserError(
        `metrics.json pair ${k} is ${r.dir},${r.reference},${r.target} but ${SHARD_MANIFEST} says ${p.dir},${p.reference},${p.target}`,
        dir,
      );
    }
  });
  let hist: ShardData["hist"] = null;
  if (raw.patch_hist !== null) {
    const file = await need(PATCH_HIST_FILE);
    hist = histFrom(await Deno.readFile(file), raw.histogram, file);
  }
  let seconds = 0;
  const timing = path.join(dir, "timing.json");
  if (await exists(timing)) seconds = (await readJson<{ seconds?: number }>(timing))?.seconds ?? 0;
  return { metrics, raw, hist, seconds };
}

/** What {@link mergeEvalShards} returns. */
export interface EvalMerge {
  /** metrics.json's object over the union of the shards' pairs. */
  metrics: EvalMetrics;
  /** The shards' common options (`run`, `match`, `name` as the evaluate command recorded them). */
  options: Record<string, unknown>;
  /** The shards' seconds, summed (compute time, not wall time). */
  seconds: number;
  set: ShardSet;
}

/**
 * Merges evaluation shards: checks them (lib/data/shard.ts: one list, one set of options, no overlap, every
 * shard unless `partial`) and recomputes the metrics over the union of their pairs.
 *
 * @example
 * ```ts
 * const m = await mergeEvalShards(["out/ev-0", "out/ev-1", "out/ev-2"]);
 * console.log(m.metrics.patch?.cross.ap);
 * ```
 */
export async function mergeEvalShards(
  dirs: readonly string[],
  opts: { partial?: boolean; progress?: "tty" | "log" | "notebook" | "off" } = {},
): Promise<EvalMerge> {
  const set = await readShardSet(dirs, "evaluate", { partial: opts.partial });
  const bar = new Progress({
    total: dirs.length,
    label: "merge evaluate",
    unit: "shards",
    mode: opts.progress,
  });
  const shards: ShardData[] = [];
  for (let k = 0; k < dirs.length; k++) {
    shards.push(await readShard(dirs[k], set.manifests[k]));
    bar.tick(1, dirs[k]);
  }
  await bar.done();
  const first = shards[0];
  shards.forEach((s, k) => {
    if (JSON.stringify(s.raw.histogram) !== JSON.stringify(first.raw.histogram)) {
      throw new UserError(`histogram bins differ from ${dirs[0]}'s; shards of one evaluation only`, dirs[k]);
    }
    if (JSON.stringify(s.metrics.settings.histogram) !== JSON.stringify(first.metrics.settings.histogram)) {
      throw new UserError(`settings differ from ${dirs[0]}'s; shards of one evaluation only`, dirs[k]);
    }
  });
  const settings = first.metrics.settings;
  const patch = new PatchAccumulator(first.raw.histogram);
  const region = new RegionAccumulator();
  const perPair: PairRecord[] = set.pairs.map((p) => shards[p.shard].metrics.per_pair[p.position]);
  for (const r of perPair) region.add(r.region.intra_a, r.region.intra_b, r.region.cross);
  const topk = { queries: 0, hits: [0, 0] };
  for (const s of shards) {
    if (s.hist) { for (const k of SETS) patch.hist[k].merge(s.hist[k]); }
    topk.queries += s.raw.topk.queries;
    topk.hits[0] += s.raw.topk.hits[0];
    topk.hits[1] += s.raw.topk.hits[1];
  }
  patch.addScored(perPair.filter((r) => r.patch !== null).map((r) => r.patch!), topk);
  const state: EvalState = {
    patch,
    region,
    perPair,
    options: {
      score: settings.score,
      purity: settings.purity,
      minFraction: settings.min_fraction,
      curvePoints: first.raw.curve_points,
      histogram: settings.histogram,
    },
  };
  return {
    metrics: evalMetrics(state),
    options: set.manifests[0].options,
    seconds: shards.reduce((t, s) => t + s.seconds, 0),
    set,
  };
}
