/**
 * Evaluation pairs from real frames: the reference is a real coloured frame with its line art, the target a
 * smooth non-rigid warp of it (lib/image/warp.ts), and the ground truth is exact on both sides: the regions are
 * the connected pieces of one colour of the colour frame (line pixels excluded), and a region's label is its
 * colour's index, shared by the reference and every warp. Colours are sampled nearest-neighbour (they stay
 * exact), the ink bilinearly with a ridge threshold (lines stay thin and connected); coloured lines (red and
 * blue shading lines) keep their colour.
 *
 * These sets are for evaluation only: never train on frames of `../shared/real`.
 *
 * @module
 */
import * as path from "node:path";
import { lineToRgba, writeFrame } from "../data/pbc.ts";
import { writePairsCsv } from "../data/pairs.ts";
import { readRgba } from "../image/io.ts";
import type { LabelMap, RgbaImage } from "../image/types.ts";
import { randomWarp, type WarpField, warpInk, warpLabelsNearest, type WarpOptions } from "../image/warp.ts";
import { UserError } from "../util/errors.ts";
import { atomicWriteJson, exists, listDir, stageDir } from "../util/fs.ts";
import { Progress } from "../util/progress.ts";
import { Rng } from "../util/rng.ts";
import { frameName } from "./dataset.ts";
import type { Rgb } from "./palette.ts";
import { colorFrame } from "./render.ts";
import { segmentParts } from "./segments.ts";

/** A real frame as colour regions. */
export interface ColourRegions {
  /** Colour index per pixel (-1 = background); line pixels take the colour of the nearest region. */
  parts: LabelMap;
  /** The colour of each index, sorted by packed RGB (so the same colours give the same indices). */
  colors: Rgb[];
  /** Ink mask of the line art (1 = line pixel). */
  ink: Uint8Array;
  /** Colour of each ink pixel as packed RGB (black lines 0), for coloured shading lines. */
  inkRgb: Int32Array;
}

/**
 * The colour regions of a real frame: every opaque non-line pixel of `gt` has a colour; line pixels (opaque in
 * `line`) and pure-black pixels of `gt` that are not line (stray line paint) take the colour of the nearest
 * coloured pixel (breadth-first, 4-neighbours, fixed order), so the map is a partition with the lines filled.
 *
 * @example
 * ```ts
 * const r = colourRegions(await readRgba("gt/0000.png"), await readRgba("line/0000.png"));
 * console.log(r.colors.length); // 21 for laughing_girl
 * ```
 */
export function colourRegions(gt: RgbaImage, line: RgbaImage, file = "gt"): ColourRegions {
  if (gt.width !== line.width || gt.height !== line.height) {
    throw new UserError(
      `colour frame is ${gt.width}x${gt.height} but the line art is ${line.width}x${line.height}`,
      file,
    );
  }
  const w = gt.width, h = gt.height, n = w * h;
  const ink = new Uint8Array(n), inkRgb = new Int32Array(n);
  const UNKNOWN = -2;
  const packed = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = 4 * i;
    const la = line.data[o + 3];
    // PBC stores lines as opaque pixels on transparent; a flat line file (white paper) counts dark pixels.
    const lineInk = la > 127 && !(line.data[o] > 200 && line.data[o + 1] > 200 && line.data[o + 2] > 200);
    if (lineInk) {
      ink[i] = 1;
      inkRgb[i] = (line.data[o] << 16) | (line.data[o + 1] << 8) | line.data[o + 2];
      packed[i] = UNKNOWN;
      continue;
    }
    if (gt.data[o + 3] < 128) packed[i] = -1;
    else {
      const p = (gt.data[o] << 16) | (gt.data[o + 1] << 8) | gt.data[o + 2];
      packed[i] = p === 0 ? UNKNOWN : p;
    }
  }
  const uniq = [...new Set(packed.filter((v) => v >= 0))].sort((a, b) => a - b);
  if (uniq.length === 0) throw new UserError("colour frame has no coloured pixels", file);
  const index = new Map(uniq.map((p, k) => [p, k]));
  const data = new Int32Array(n);
  const queue = new Int32Array(n);
  let qe = 0;
  for (let i = 0; i < n; i++) {
    const p = packed[i];
    if (p === UNKNOWN) data[i] = UNKNOWN;
    else {
      data[i] = p < 0 ? -1 : index.get(p)!;
      queue[qe++] = i;
    }
  }
  for (let qs = 0; qs < qe; qs++) {
    const i = queue[qs], v = data[i], x = i % w;
    if (x > 0 && data[i - 1] === UNKNOWN) (data[i - 1] = v), (queue[qe++] = i - 1);
    if (x + 1 < w && data[i + 1] === UNKNOWN) (data[i + 1] = v), (queue[qe++] = i + 1);
    if (i >= w && data[i - w] === UNKNOWN) (data[i - w] = v), (queue[qe++] = i - w);
    if (i + w < n && data[i + w] === UNKNOWN) (data[i + w] = v), (queue[qe++] = i + w);
  }
  const colors = uniq.map((p) => [(p >> 16) & 255, (p >> 8) & 255, p & 255] as Rgb);
  return { parts: { width: w, height: h, data }, colors, ink, inkRgb };
}

/**
 * The regions of a real frame moved by a warp: colours nearest-sampled, ink bilinear with the ridge rule, each
 * new ink pixel coloured like the nearest source ink pixel.
 *
 * @example
 * ```ts
 * const moved = warpRegions(regions, randomWarp(rng, 1600, 1600));
 * ```
 */
export function warpRegions(r: ColourRegions, field: WarpField): ColourRegions {
  const { width: w, height: h } = r.parts;
  const parts = warpLabelsNearest(r.parts, field, -1);
  const ink = warpInk(r.ink, w, h, field);
  const inkRgb = new Int32Array(ink.length);
  for (let i = 0; i < ink.length; i++) {
    if (!ink[i]) continue;
    // The colour of the closest ink pixel among the four around the source position.
    const fx = field.sx[i], fy = field.sy[i];
    const x0 = Math.floor(fx), y0 = Math.floor(fy);
    let best = -1, bestD = Infinity;
    for (let dy = 0; dy <= 1; dy++) {
      for (let dx = 0; dx <= 1; dx++) {
        const x = x0 + dx, y = y0 + dy;
        if (x < 0 || y < 0 || x >= w || y >= h || !r.ink[y * w + x]) continue;
        const d = (x - fx) ** 2 + (y - fy) ** 2;
        if (d < bestD) (bestD = d), (best = y * w + x);
      }
    }
    inkRgb[i] = best >= 0 ? r.inkRgb[best] : 0;
  }
  return { parts, colors: r.colors, ink, inkRgb };
}

/**
 * Line art as PBC stores it, with coloured lines kept: ink opaque in its colour, paper transparent white.
 *
 * @example
 * ```ts
 * const rgba = inkToRgba(r.ink, r.inkRgb, 1600, 1600); // blue shading lines stay blue
 * ```
 */
export function inkToRgba(ink: Uint8Array, inkRgb: Int32Array, width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < ink.length; i++) {
    const o = 4 * i;
    if (ink[i]) {
      const p = inkRgb[i];
      data[o] = (p >> 16) & 255, data[o + 1] = (p >> 8) & 255, data[o + 2] = p & 255, data[o + 3] = 255;
    } else data.fill(255, o, o + 3);
  }
  return { width, height, data };
}

/** Settings of a warped real evaluation set. */
export interface RealWarpSettings {
  /** Warps (pairs) per source frame. */
  pairs: number;
  seed: number;
  warp: Partial<WarpOptions>;
}

/** Defaults. */
export const REAL_WARP_DEFAULTS: Readonly<RealWarpSettings> = {
  pairs: 10, // ten views of each real frame: enough pairs for a stable AP from one or two real frames
  seed: 0,
  warp: {}, // WARP_DEFAULTS of lib/image/warp.ts
};

/** One real source: a colour frame and its line art, written as character `name`. */
export interface RealSource {
  name: string;
  gt: string;
  line: string;
}

/**
 * The source frames of `--src DIR` (a PBC-layout character folder: every `line/X.png` with a `gt/X.png`), or of
 * one explicit pair of files.
 *
 * @example
 * ```ts
 * await findRealSources({ src: "../shared/real/pbc-sample/Char0242" }); // [{ name: "Char0242", gt, line }]
 * ```
 */
export async function findRealSources(
  o: { src?: string; gt?: string; line?: string; name?: string },
): Promise<RealSource[]> {
  if (o.gt || o.line) {
    if (!o.gt || !o.line) {
      throw new UserError("--gt and --line go together (a colour frame and its line art)");
    }
    for (const f of [o.gt, o.line]) if (!(await exists(f))) throw new UserError("file not found", f);
    const name = o.name ?? path.basename(path.dirname(path.dirname(path.resolve(o.gt))));
    return [{ name, gt: o.gt, line: o.line }];
  }
  if (!o.src) throw new UserError("give --src CHARACTER_DIR or --gt FILE --line FILE");
  if (!(await exists(o.src))) throw new UserError("source folder not found", o.src);
  const gtDir = path.join(o.src, "gt"), lineDir = path.join(o.src, "line");
  if (!(await exists(gtDir)) || !(await exists(lineDir))) {
    throw new UserError("expected gt/ and line/ subfolders (a PBC-layout character folder)", o.src);
  }
  const lines = new Set(await listDir(lineDir, (e) => e.isFile && e.name.toLowerCase().endsWith(".png")));
  const gts = (await listDir(gtDir, (e) => e.isFile && e.name.toLowerCase().endsWith(".png")))
    .filter((g) => lines.has(g));
  if (gts.length === 0) throw new UserError("no frame has both gt/X.png and line/X.png", o.src);
  const base = o.name ?? path.basename(path.resolve(o.src));
  return gts.map((g) => ({
    name: gts.length === 1 ? base : `${base}_${g.slice(0, -4)}`,
    gt: path.join(gtDir, g),
    line: path.join(lineDir, g),
  }));
}

/** What {@link makeRealWarpSet} did. */
export interface RealWarpReport {
  out: string;
  sources: number;
  pairs: number;
  /** Colours (labels) per source. */
  colours: number[];
  seconds: number;
}

async function writeRegions(root: string, name: string, frame: string, r: ColourRegions, gt?: RgbaImage) {
  const { width: w, height: h } = r.parts;
  const s = segmentParts(r.parts, r.ink, r.colors);
  const black = new Uint8Array(r.ink.length);
  for (let i = 0; i < black.length; i++) black[i] = r.ink[i] && r.inkRgb[i] === 0 ? 1 : 0;
  await writeFrame(root, name, frame, {
    line: r.inkRgb.some((v, i) => r.ink[i] && v !== 0)
      ? inkToRgba(r.ink, r.inkRgb, w, h)
      : lineToRgba({ width: w, height: h, data: r.ink.map((v) => (v ? 0 : 255)) }),
    seg: s.seg,
    labelOfSeg: s.labelOfSeg,
    labels: s.labels,
    segColors: s.segColors,
    gt: gt ?? colorFrame(r.parts, r.colors, black),
  });
}

/**
 * Writes a PBC-layout evaluation set: for each source, frame `0000` is the real frame (its own line art and
 * colour frame; seg and labels from its colour regions) and frames `0001..` are seeded warps of it; pairs.csv
 * pairs `0000` with each warp; `warp.json` records the settings.
 *
 * @example
 * ```ts
 * await makeRealWarpSet("data/realwarp-girl", [{ name: "laughing_girl", gt, line }], { pairs: 10, seed: 0, warp: {} });
 * ```
 */
export async function makeRealWarpSet(
  out: string,
  sources: RealSource[],
  settings: Partial<RealWarpSettings> = {},
  opts: { force?: boolean; progress?: "auto" | "off" } = {},
): Promise<RealWarpReport> {
  const s = { ...REAL_WARP_DEFAULTS, ...settings };
  if (!Number.isInteger(s.pairs) || s.pairs < 1) {
    throw new UserError(`--pairs must be an integer >= 1, got ${s.pairs}`);
  }
  const t0 = performance.now();
  const colours: number[] = [];
  await stageDir(out, { force: !!opts.force }, async (tmp) => {
    const bar = new Progress({
      total: sources.length * (s.pairs + 1),
      label: "warp",
      unit: "frames",
      mode: opts.progress === "off" ? "off" : undefined,
    });
    const pairs = [];
    for (const src of sources) {
      const [gt, line] = await Promise.all([readRgba(src.gt), readRgba(src.line)]);
      const regions = colourRegions(gt, line, src.gt);
      colours.push(regions.colors.length);
      await writeRegions(tmp, src.name, frameName(0), regions, gt);
      bar.tick();
      const rng = new Rng(s.seed).fork(`realwarp:${src.name}`);
      for (let k = 1; k <= s.pairs; k++) {
        const field = randomWarp(rng.fork(`warp:${k}`), gt.width, gt.height, s.warp);
        await writeRegions(tmp, src.name, frameName(k), warpRegions(regions, field));
        pairs.push({ dir: src.name, reference: frameName(0), target: frameName(k) });
        bar.tick();
      }
    }
    await writePairsCsv(path.join(tmp, "pairs.csv"), pairs);
    await atomicWriteJson(path.join(tmp, "warp.json"), {
      generator: "mangamatch-realwarp",
      version: 1,
      settings: s,
      sources: sources.map((x) => ({ name: x.name, gt: path.basename(x.gt), line: path.basename(x.line) })),
      note: "evaluation only: warps of real frames; never train on them",
    });
    await bar.done();
  });
  return {
    out,
    sources: sources.length,
    pairs: sources.length * s.pairs,
    colours,
    seconds: (performance.now() - t0) / 1000,
  };
}
