/**
 * A training cache of a PBC-layout dataset: every frame decoded once into its letterboxed line art at the
 * model's input size (uint8) and its patch labels on the model's grid (int32, computed from the full-resolution
 * seg map with the 55% rule), in one compact binary file beside the dataset (`<root>/.cache/<key>.bin`, or
 * under the repository's `.cache/` when the dataset folder is read-only). Training then never decodes a PNG.
 *
 * The key hashes the input size, patch size, majority fraction, format version and every frame's line, seg and
 * label files (name, size, modification time), so a changed dataset or model geometry builds a new cache. The
 * file is written atomically.
 *
 * File layout: `MMCACHE1` (8 bytes), uint32 LE header length, header JSON (frames, size, grid, key), zero
 * padding to 4 bytes, then frames x size^2 uint8 lines, then frames x grid^2 int32 LE labels.
 *
 * @module
 */
import * as path from "node:path";
import { letterbox } from "../image/letterbox.ts";
import type { LabelMap } from "../image/types.ts";
import { UserError } from "../util/errors.ts";
import { atomicWrite, exists } from "../util/fs.ts";
import { REPO_ROOT } from "../util/paths.ts";
import { Progress } from "../util/progress.ts";
import { BACKGROUND_ID, framePaths, listCharacters, listFrames, loadFrame } from "./pbc.ts";
import { DEFAULT_MIN_FRACTION, patchLabels } from "./patch_gt.ts";

const MAGIC = "MMCACHE1";
const VERSION = 1;

/** Options of {@link loadCache}. */
export interface CacheOptions {
  /** Model input side in pixels. */
  size: number;
  /** Patch side in pixels (grid = size / patch). */
  patch: number;
  /** Majority fraction of the patch-label rule. */
  minFraction?: number;
  /** Where to write the cache (default `<root>/.cache`, falling back to `<repo>/.cache/data`). */
  cacheDir?: string;
  /** Show a progress bar while building (default true). */
  progress?: boolean;
  /** Frames decoded at once (sharp decodes on its own threads). */
  concurrency?: number;
}

/** A loaded cache. */
export interface FrameCache {
  /** Dataset folder. */
  root: string;
  /** The cache file. */
  file: string;
  size: number;
  grid: number;
  /** Frames in order: character and frame name. */
  frames: { character: string; frame: string }[];
  /** Index of "character/frame". */
  index: Map<string, number>;
  /** [frames * size * size] letterboxed lines (0 ink, 255 paper). */
  lines: Uint8Array;
  /** [frames * grid * grid] patch labels (IGNORE = -1). */
  labels: Int32Array;
  /** Whether this call built the file (false: read from disk). */
  built: boolean;
}

async function statKey(p: string): Promise<string> {
  try {
    const s = await Deno.stat(p);
    return `${s.size}:${s.mtime?.getTime() ?? 0}`;
  } catch {
    return "-";
  }
}

async function hashHex(text: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(d.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Pads a seg map to a centred square with background (as `letterbox` pads the line art with paper). */
export function squareSeg(seg: LabelMap): LabelMap {
  if (seg.width === seg.height) return seg;
  const side = Math.max(seg.width, seg.height);
  const padX = Math.floor((side - seg.width) / 2), padY = Math.floor((side - seg.height) / 2);
  const data = new Int32Array(side * side).fill(BACKGROUND_ID);
  for (let y = 0; y < seg.height; y++) {
    data.set(seg.data.subarray(y * seg.width, (y + 1) * seg.width), (y + padY) * side + padX);
  }
  return { width: side, height: side, data };
}

/**
 * Loads the cache of `root` for a model geometry, building it first when missing or stale.
 *
 * @example
 * ```ts
 * const c = await loadCache("data/train-clean", { size: 256, patch: 16 });
 * const k = c.index.get("char0001/0003")!;
 * const line = c.lines.subarray(k * 256 * 256, (k + 1) * 256 * 256);
 * ```
 */
export async function loadCache(root: string, opts: CacheOptions): Promise<FrameCache> {
  const { size, patch } = opts;
  const minFraction = opts.minFraction ?? DEFAULT_MIN_FRACTION;
  if (size % patch !== 0) {
    throw new UserError(`cache: input size ${size} is not a multiple of patch ${patch}`);
  }
  const grid = size / patch;
  const frames: { character: string; frame: string }[] = [];
  const parts: string[] = [`v${VERSION}`, `${size}`, `${patch}`, `${minFraction}`];
  for (const character of await listCharacters(root)) {
    for (const frame of await listFrames(root, character)) {
      frames.push({ character, frame });
      const p = framePaths(root, character, frame);
      parts.push(
        `${character}/${frame}`,
        await statKey(p.line),
        await statKey(p.seg),
        await statKey(p.jsonIndex),
        await statKey(p.segJson),
      );
    }
  }
  if (frames.length === 0) throw new UserError("no frames (expected <root>/<character>/line/*.png)", root);
  const key = await hashHex(parts.join("|"));
  const candidates = opts.cacheDir
    ? [opts.cacheDir]
    : [path.join(root, ".cache"), path.join(REPO_ROOT, ".cache", "data")];
  for (const dir of candidates) {
    const file = path.join(dir, `${key}.bin`);
    if (await exists(file)) {
      const c = await readCacheFile(file, root);
      if (c) return c;
    }
  }
  // Build.
  const lines = new Uint8Array(frames.length * size * size);
  const labels = new Int32Array(frames.length * grid * grid);
  const bar = opts.progress === false
    ? null
    : new Progress({ total: frames.length, label: `cache ${path.basename(root)}`, unit: "frames" });
  const conc = opts.concurrency ?? 8;
  for (let i0 = 0; i0 < frames.length; i0 += conc) {
    await Promise.all(
      frames.slice(i0, i0 + conc).map(async ({ character, frame }, j) => {
        const k = i0 + j;
        const f = await loadFrame(root, character, frame);
        if (!f.labelOfSeg) {
          throw new UserError(
            "frame has no json_index or seg/<frame>.json: no region labels to train on",
            f.paths.seg,
          );
        }
        lines.set(letterbox(f.line, size).image.data, k * size * size);
        labels.set(
          patchLabels(squareSeg(f.seg), f.labelOfSeg, { rows: grid, cols: grid }, { minFraction }),
          k * grid * grid,
        );
      }),
    );
    bar?.set(Math.min(frames.length, i0 + conc));
  }
  await bar?.done();
  const header = new TextEncoder().encode(
    JSON.stringify({ version: VERSION, key, size, grid, patch, minFraction, frames }),
  );
  const pad = (4 - ((12 + header.length) % 4)) % 4;
  const headLen = 12 + header.length + pad;
  const bytes = new Uint8Array(headLen + lines.length + labels.length * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, header.length, true);
  bytes.set(header, 12);
  bytes.set(lines, headLen);
  const lab = new DataView(bytes.buffer, headLen + lines.length);
  for (let i = 0; i < labels.length; i++) lab.setInt32(i * 4, labels[i], true);
  let written = "";
  for (const dir of candidates) {
    const file = path.join(dir, `${key}.bin`);
    try {
      await atomicWrite(file, bytes);
      written = file;
      break;
    } catch (e) {
      if (
        !(e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotFound ||
          (e as Error).name === "ReadOnly")
      ) throw e;
    }
  }
  const index = new Map(frames.map((f, i) => [`${f.character}/${f.frame}`, i]));
  return { root, file: written, size, grid, frames, index, lines, labels, built: true };
}

/** Reads a cache file; null when it is not a valid cache (then it is rebuilt). */
async function readCacheFile(file: string, root: string): Promise<FrameCache | null> {
  const bytes = await Deno.readFile(file);
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) return null;
  const hl = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  let header: { version: number; size: number; grid: number; frames: { character: string; frame: string }[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + hl)));
  } catch {
    return null;
  }
  if (header.version !== VERSION) return null;
  const pad = (4 - ((12 + hl) % 4)) % 4;
  const headLen = 12 + hl + pad;
  const F = header.frames.length, S = header.size, G = header.grid;
  if (bytes.length !== headLen + F * S * S + F * G * G * 4) return null;
  const lines = bytes.slice(headLen, headLen + F * S * S);
  const labels = new Int32Array(F * G * G);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + headLen + F * S * S);
  for (let i = 0; i < labels.length; i++) labels[i] = dv.getInt32(i * 4, true);
  const index = new Map(header.frames.map((f, i) => [`${f.character}/${f.frame}`, i]));
  return { root, file, size: S, grid: G, frames: header.frames, index, lines, labels, built: false };
}
