/**
 * Annotating a whole folder: pairs of coloured frames in the PBC layout in, a training set in the PBC layout
 * out.
 *
 * Output layout. PBC label indices are shared by all frames of a character folder, but pseudo labels are made
 * per pair (the regions of frame 3 matched against frame 10 say nothing about frame 17), so each input pair
 * becomes its own character folder holding its two frames:
 *
 * ```
 * <out>/<dir>__<reference>__<target>/line/<frame>.png        the line art, black on transparent
 *                                    seg/<frame>.png         colour segments (0 line, 1 background)
 *                                    json_index/<frame>.json {"seg_id": [pixels, pseudo label]}
 *                                    label/<frame>.png       pseudo label per pixel
 *                                    json_color/<frame>.json mean colour of each segment
 *                                    gt/<frame>.png          the coloured frame, as given
 * <out>/pairs.csv        dir,reference,target: one row per folder
 * <out>/annotate.json    the options used and each pair's counts (segments, matches by source)
 * <out>/shard.json       with `shard`: which pairs of the whole list this shard holds (lib/data/shard.ts)
 * ```
 * A frame used by several pairs is written once per pair (with that pair's labels).
 *
 * @module
 */
import * as path from "node:path";
import type { GrayImage, RgbaImage } from "../image/types.ts";
import { readGray, readRgba } from "../image/io.ts";
import { framePaths, lineToRgba, writeFrame } from "../data/pbc.ts";
import { type PairRef, resolvePairs, writePairsCsv } from "../data/pairs.ts";
import { selectShard, type Shard, SHARD_MANIFEST, shardManifest, shardName } from "../data/shard.ts";
import { UserError } from "../util/errors.ts";
import { atomicWriteJson, exists, stageDir } from "../util/fs.ts";
import { Progress } from "../util/progress.ts";
import {
  type AnnotateOptions,
  annotatePair,
  labelMapOf,
  type PairAnnotation,
  type PairStats,
} from "./pipeline.ts";
import type { ColorSegmentation } from "./segment.ts";

/** A coloured frame read from a PBC folder. */
export interface LoadedColorFrame {
  line: GrayImage;
  color: RgbaImage;
}

/**
 * Reads a frame's line art and coloured version; a missing `gt/` file or a size mismatch is a one-line error
 * naming the file.
 *
 * @example
 * ```ts
 * const f = await loadColorFrame("data/test-clean", "char0001", "0003");
 * ```
 */
export async function loadColorFrame(root: string, dir: string, frame: string): Promise<LoadedColorFrame> {
  const p = framePaths(root, dir, frame);
  if (!(await exists(p.gt))) {
    throw new UserError("frame has no coloured version (annotate needs gt/<frame>.png)", p.gt);
  }
  const [line, color] = await Promise.all([readGray(p.line), readRgba(p.gt)]);
  if (line.width !== color.width || line.height !== color.height) {
    throw new UserError(
      `coloured frame is ${color.width}x${color.height} but the line art is ${line.width}x${line.height}`,
      p.gt,
    );
  }
  return { line, color };
}

/** Output folder name of a pair. */
export function pairFolderName(p: PairRef): string {
  return `${p.dir}__${p.reference}__${p.target}`;
}

/** Options of {@link annotateDataset}. */
export interface AnnotateDatasetOptions extends AnnotateOptions {
  /** pairs.csv to use (default: `<root>/pairs.csv`, else frame i and i+7). */
  pairsCsv?: string;
  /** Replace an existing output folder. */
  force?: boolean;
  /** Only the first `limit` pairs. */
  limit?: number;
  /** Progress display mode (default: chosen from the environment). */
  progress?: "tty" | "log" | "notebook" | "off";
  /** Only the pairs of this shard (index in the list, after `limit`, mod count); writes shard.json. */
  shard?: Shard | null;
}

/** What {@link annotateDataset} did. */
export interface AnnotateDatasetResult {
  pairs: { ref: PairRef; out: PairRef; stats: PairStats }[];
  /** Sum of every pair's counts. */
  totals: PairStats;
}

async function writeAnnotatedFrame(
  out: string,
  dir: string,
  frame: string,
  f: LoadedColorFrame,
  s: ColorSegmentation,
  labels: Map<number, number>,
): Promise<void> {
  const segColors = new Map<number, [number, number, number, number]>();
  for (let id = 1; id < s.count; id++) {
    if (s.sizes[id] === 0) continue;
    const c = s.colors;
    segColors.set(
      id,
      id === 1
        ? [0, 0, 0, 0]
        : [Math.round(c[3 * id]), Math.round(c[3 * id + 1]), Math.round(c[3 * id + 2]), 255],
    );
  }
  const labelOfSeg = new Map<number, number>();
  for (const [id, l] of labels) if (id === 0 || s.sizes[id] > 0) labelOfSeg.set(id, l);
  await writeFrame(out, dir, frame, {
    line: lineToRgba(f.line),
    seg: s.seg,
    labelOfSeg,
    labels: labelMapOf(s, labels),
    segColors,
    gt: f.color,
  });
}

/**
 * Annotates every pair of a dataset of coloured frames and writes the training set (see the module
 * comment for the layout). The output folder is built aside and renamed into place at the end, so a failure
 * leaves nothing half-written; an existing folder is refused without `force`.
 *
 * @example
 * ```ts
 * const r = await annotateDataset("data/colored", "data/pseudo", { seed: 1 });
 * console.log(r.totals.byVotes, "regions matched by keypoint votes");
 * ```
 */
export async function annotateDataset(
  root: string,
  out: string,
  opts: AnnotateDatasetOptions = {},
): Promise<AnnotateDatasetResult> {
  if (path.resolve(root) === path.resolve(out)) {
    throw new UserError("output folder must differ from the input", out);
  }
  if (!opts.force && await exists(out)) {
    throw new UserError("already exists; pass --force to overwrite it", out);
  }
  const all = await resolvePairs(root, { pairsCsv: opts.pairsCsv });
  const seen = new Set<string>();
  const listed = all.filter((p) => {
    const k = pairFolderName(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  }).slice(0, opts.limit ?? Infinity);
  const shard = opts.shard ?? null;
  const sel = selectShard(listed, shard);
  const pairs = sel.items;
  // Check every coloured frame exists before any work, so a missing one fails fast.
  for (const p of pairs) {
    for (const f of [p.reference, p.target]) {
      const gt = framePaths(root, p.dir, f).gt;
      if (!(await exists(gt))) {
        throw new UserError("frame has no coloured version (annotate needs gt/<frame>.png)", gt);
      }
    }
  }
  const { pairsCsv: _c, force: _f, limit: _l, progress: _p, shard: _s, ...annotateOpts } = opts;
  return await stageDir(out, { force: opts.force }, async (tmp) => {
    const bar = new Progress({
      total: pairs.length,
      label: shard ? `annotate shard ${shardName(shard)}` : "annotate",
      unit: "pairs",
      mode: opts.progress,
    });
    const result: AnnotateDatasetResult["pairs"] = [];
    for (const p of pairs) {
      const [fa, fb] = await Promise.all([
        loadColorFrame(root, p.dir, p.reference),
        loadColorFrame(root, p.dir, p.target),
      ]);
      const ann: PairAnnotation = await annotatePair(fa, fb, annotateOpts);
      const dir = pairFolderName(p);
      await writeAnnotatedFrame(tmp, dir, p.reference, fa, ann.a, ann.labelsA);
      await writeAnnotatedFrame(tmp, dir, p.target, fb, ann.b, ann.labelsB);
      result.push({ ref: p, out: { dir, reference: p.reference, target: p.target }, stats: ann.stats });
      bar.tick(1, `${ann.stats.byVotes + ann.stats.byReverseVotes} voted + ${ann.stats.byCoarse} coarse`);
    }
    await bar.done();
    const totals = {} as PairStats;
    for (const r of result) {
      for (const [k, v] of Object.entries(r.stats) as [keyof PairStats, number][]) {
        totals[k] = (totals[k] ?? 0) + v;
      }
    }
    await writePairsCsv(path.join(tmp, "pairs.csv"), result.map((r) => r.out));
    await atomicWriteJson(path.join(tmp, "annotate.json"), {
      source: root,
      options: annotateOpts,
      totals,
      pairs: result.map((r) => ({ ...r.out, source: r.ref.dir, ...r.stats })),
    });
    if (shard) {
      const options = { source: root, options: JSON.parse(JSON.stringify(annotateOpts)) };
      await atomicWriteJson(
        path.join(tmp, SHARD_MANIFEST),
        await shardManifest("annotate", shard, listed, sel.indices, options),
      );
    }
    return { pairs: result, totals };
  });
}
