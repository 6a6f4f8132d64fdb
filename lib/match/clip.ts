/**
 * Clip colourisation as a studio does it: a folder of line frames (`DIR/line/*.png`, numbered without gaps), a
 * few coloured keyframes (`DIR/gt/<key>.png`), and every other frame coloured from its nearest keyframe, either
 * directly or by chaining through the frames between (each newly coloured frame becomes the reference of the
 * next one away from the key: neighbours differ less than distant frames, at the price of carrying mistakes).
 *
 * {@link clipFrames} reads and checks the folder, {@link planClip} decides each frame's reference,
 * {@link colorizeClip} runs the plan.
 *
 * @module
 */
import * as path from "node:path";
import { readGray, readRgb } from "../image/io.ts";
import type { GrayImage, RgbImage } from "../image/types.ts";
import type { PairTokens } from "../model/similarity.ts";
import { UserError } from "../util/errors.ts";
import { exists } from "../util/fs.ts";
import { colorizationScores, colorizePair } from "./colorize_pair.ts";
import { similarityFromTokens } from "./descriptors.ts";
import { checkColouredReference, checkLineArt, checkNotBlank, checkSameSize } from "./input_checks.ts";
import type { MatchPairOptions } from "./pipeline.ts";

/** One line frame of a clip. */
export interface ClipFrame {
  /** File stem, e.g. "0007". */
  name: string;
  /** Its number. */
  index: number;
}

/**
 * The line frames of a clip folder in order, checked: every `DIR/line/*.png` is named by a number, and the
 * numbers run without gaps.
 *
 * @example
 * ```ts
 * const frames = await clipFrames("shared/real/hand-drawn/smoke_explosion"); // 27 frames 00000..00026
 * ```
 */
export async function clipFrames(dir: string): Promise<ClipFrame[]> {
  const lineDir = path.join(dir, "line");
  if (!(await exists(lineDir))) {
    throw new UserError("no line/ folder: a clip folder holds line/*.png", lineDir);
  }
  const frames: ClipFrame[] = [];
  for await (const e of Deno.readDir(lineDir)) {
    if (!e.isFile || !e.name.toLowerCase().endsWith(".png")) continue;
    const name = e.name.slice(0, -4);
    if (!/^\d+$/.test(name)) {
      throw new UserError(
        "a frame's name is not a number (frames are line/0000.png, line/0001.png, ...)",
        path.join(lineDir, e.name),
      );
    }
    frames.push({ name, index: Number(name) });
  }
  if (frames.length === 0) throw new UserError("no line frames (*.png)", lineDir);
  frames.sort((a, b) => a.index - b.index);
  const missing: number[] = [];
  for (let k = 1; k < frames.length; k++) {
    if (frames[k].index === frames[k - 1].index) {
      throw new UserError(
        `two files for frame ${frames[k].index}: ${frames[k - 1].name}.png and ${frames[k].name}.png`,
        lineDir,
      );
    }
    for (let f = frames[k - 1].index + 1; f < frames[k].index && missing.length < 10; f++) missing.push(f);
  }
  if (missing.length) {
    throw new UserError(
      `frame numbers have gaps (missing ${missing.join(", ")}${
        missing.length >= 10 ? ", ..." : ""
      }): a clip is consecutive frames`,
      lineDir,
    );
  }
  return frames;
}

/** One step of a plan: colour `frame` from `reference` (a keyframe, or an already coloured frame). */
export interface ClipStep {
  frame: ClipFrame;
  reference: ClipFrame;
  /** The keyframe it descends from, and how many frames away. */
  key: ClipFrame;
  distance: number;
  /** Whether the reference is the keyframe itself (true) or a frame coloured by this plan. */
  fromKey: boolean;
}

/**
 * Every non-key frame's reference, in an order where each reference is coloured before it is used: frames by
 * increasing distance to their nearest key (ties: the earlier key). `chain`: the reference is the neighbour on
 * the way to the key; otherwise the key itself.
 *
 * @example
 * ```ts
 * planClip(frames, ["0000"], true); // 0001 <- 0000, 0002 <- 0001, ...
 * ```
 */
export function planClip(frames: readonly ClipFrame[], keys: readonly string[], chain: boolean): ClipStep[] {
  const byIndex = new Map(frames.map((f) => [f.index, f]));
  const keyFrames: ClipFrame[] = [];
  for (const k of keys) {
    const f = /^\d+$/.test(k) ? byIndex.get(Number(k)) : undefined;
    if (!f) {
      throw new UserError(
        `keyframe ${JSON.stringify(k)} is not one of the clip's frames (${frames[0].name}..${
          frames[frames.length - 1].name
        })`,
      );
    }
    if (!keyFrames.includes(f)) keyFrames.push(f);
  }
  if (keyFrames.length === 0) {
    throw new UserError("no keyframe: give --keys with at least one coloured frame");
  }
  const isKey = new Set(keyFrames.map((f) => f.index));
  const steps: ClipStep[] = [];
  for (const f of frames) {
    if (isKey.has(f.index)) continue;
    let key = keyFrames[0];
    for (const k of keyFrames) {
      const d = Math.abs(k.index - f.index), dk = Math.abs(key.index - f.index);
      if (d < dk || (d === dk && k.index < key.index)) key = k;
    }
    const distance = Math.abs(key.index - f.index);
    const towards = key.index < f.index ? f.index - 1 : f.index + 1;
    const reference = chain ? byIndex.get(towards)! : key;
    steps.push({ frame: f, reference, key, distance, fromKey: reference === key });
  }
  return steps.sort((a, b) => a.distance - b.distance || a.frame.index - b.frame.index);
}

/** Options of {@link colorizeClip}. */
export interface ClipOptions {
  /** Keyframe names (numbers); they need `DIR/gt/<key>.png`. */
  keys: string[];
  /** Chain through neighbours instead of colouring every frame from its key. */
  chain: boolean;
  /** The model's tokens of a pair (`pairTokens`). */
  tokens: (lineA: GrayImage, lineB: GrayImage) => Promise<PairTokens>;
  match: Partial<MatchPairOptions>;
  /** Called with each frame's result (keyframes: their own colour frame), in plan order. */
  onFrame: (frame: ClipFrame, painted: RgbImage, record: ClipRecord) => Promise<void> | void;
}

/** What happened to one frame. */
export interface ClipRecord {
  frame: string;
  reference: string | null;
  key: string;
  distance: number;
  regions: number;
  seconds: number;
  /** Scores against `DIR/gt/<frame>.png` when that exists (and the frame is not a key). */
  pixel_accuracy_fg?: number;
  region_accuracy?: number;
}

/**
 * Colours every frame of the clip at `dir`; checks everything it reads first (keyframes coloured, line frames
 * not colour images, same sizes, not blank) so that a bad folder fails before any frame is written.
 *
 * @example
 * ```ts
 * const records = await colorizeClip(dir, { keys: ["0000"], chain: true, tokens, match: {}, onFrame: write });
 * ```
 */
export async function colorizeClip(
  dir: string,
  opts: Omit<ClipOptions, "onFrame"> & Partial<ClipOptions>,
): Promise<ClipRecord[]> {
  const frames = await clipFrames(dir);
  const steps = planClip(frames, opts.keys, opts.chain);
  const linePath = (f: ClipFrame) => path.join(dir, "line", `${f.name}.png`);
  const gtPath = (f: ClipFrame) => path.join(dir, "gt", `${f.name}.png`);
  const lines = new Map<number, GrayImage>();
  let size: { width: number; height: number; file: string } | null = null;
  for (const f of frames) {
    const p = linePath(f);
    checkLineArt(await readRgb(p), p);
    const g = await readGray(p);
    checkNotBlank(g, p);
    if (size) checkSameSize(size, g, p, `the clip's first frame ${size.file}`);
    else size = { width: g.width, height: g.height, file: p };
    lines.set(f.index, g);
  }
  const colours = new Map<number, RgbImage>(); // coloured frames so far (fills, strokes left out)
  const keyNames = new Set(opts.keys.map(Number));
  for (const k of frames.filter((f) => keyNames.has(f.index))) {
    const p = gtPath(k);
    if (!(await exists(p))) throw new UserError("keyframe has no colour frame", p);
    const c = await readRgb(p);
    checkColouredReference(c, p);
    checkSameSize(lines.get(k.index)!, c, p, `its line frame ${linePath(k)}`);
    colours.set(k.index, c);
  }
  const records: ClipRecord[] = [];
  for (const f of frames) {
    if (!keyNames.has(f.index)) continue;
    const rec: ClipRecord = {
      frame: f.name,
      reference: null,
      key: f.name,
      distance: 0,
      regions: 0,
      seconds: 0,
    };
    records.push(rec);
    await opts.onFrame?.(f, colours.get(f.index)!, rec);
  }
  for (const s of steps) {
    const t0 = performance.now();
    const refLine = lines.get(s.reference.index)!, tgtLine = lines.get(s.frame.index)!;
    const tokens = await opts.tokens(refLine, tgtLine);
    const c = colorizePair(colours.get(s.reference.index)!, refLine, tgtLine, similarityFromTokens(tokens), {
      match: { ...opts.match, tokens },
    });
    colours.set(s.frame.index, c.fills);
    const rec: ClipRecord = {
      frame: s.frame.name,
      reference: s.reference.name,
      key: s.key.name,
      distance: s.distance,
      regions: c.match.countB,
      seconds: (performance.now() - t0) / 1000,
    };
    if (await exists(gtPath(s.frame))) {
      const sc = colorizationScores(c.fills, await readRgb(gtPath(s.frame)), tgtLine);
      rec.pixel_accuracy_fg = sc.pixelFg.accuracy;
      rec.region_accuracy = sc.region.accuracy;
    }
    records.push(rec);
    await opts.onFrame?.(s.frame, c.painted, rec);
  }
  return records;
}
