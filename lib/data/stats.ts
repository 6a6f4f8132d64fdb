/**
 * Statistics of PBC-layout datasets, to check that generated frames are about as rich as real ones: segments
 * per frame (all, and those covering at least 1e-4 of the frame, which compares frames of different sizes),
 * labels per frame and per character, segments per label (how often occlusion splits a part), the share of
 * line pixels, and a histogram of segment sizes as a fraction of the frame area (log scale).
 *
 * @module
 */
import { UserError } from "../util/errors.ts";
import {
  BACKGROUND_LABEL,
  LINE_ID,
  listCharacters,
  listFrames,
  loadFrame,
  type PbcFrame,
  segmentSizes,
} from "./pbc.ts";

/** Figures of one frame. */
export interface FrameStats {
  character: string;
  frame: string;
  width: number;
  height: number;
  /** Segments (every id but the line id 0, background included). */
  segments: number;
  /** Segments covering at least {@link LARGE_FRACTION} of the frame. */
  largeSegments: number;
  /** Segments carrying a label (>= 0), i.e. not background. */
  labelledSegments: number;
  /** Distinct labels (>= 0) present. */
  labels: number[];
  /** Pixel count of every segment (line id excluded). */
  sizes: number[];
  /** Share of line pixels. */
  lineFraction: number;
}

/** A segment this share of the frame or larger counts as "large" (26 px at 512x512, 369 px at 1920x1920). */
export const LARGE_FRACTION = 1e-4;

/** Five-number-and-mean summary. */
export interface Summary {
  min: number;
  p10: number;
  median: number;
  mean: number;
  p90: number;
  max: number;
}

/** Histogram of log10(segment area / frame area). */
export interface SizeHistogram {
  /** Bin edges in log10 of the area fraction (length = counts + 1). */
  edges: number[];
  counts: number[];
}

/** Statistics of one dataset. */
export interface DatasetStats {
  name: string;
  root: string;
  characters: number;
  /** Frames measured (a sample when the dataset is large). */
  frames: number;
  /** Frame sizes seen, e.g. ["512x512"]. */
  sizes: string[];
  segmentsPerFrame: Summary;
  largeSegmentsPerFrame: Summary;
  labelsPerFrame: Summary;
  labelsPerCharacter: Summary;
  /** Segments per (frame, label): above 1 when occlusion splits parts. */
  segmentsPerLabel: Summary;
  lineFraction: Summary;
  sizeHistogram: SizeHistogram;
}

/**
 * Figures of one loaded frame (which must carry labels).
 *
 * @example
 * ```ts
 * const s = frameStats(await loadFrame("data/test-clean", "char00000", "0000"));
 * console.log(s.segments, s.labels.length);
 * ```
 */
export function frameStats(f: PbcFrame): FrameStats {
  const sizes = segmentSizes(f.seg);
  const area = f.seg.width * f.seg.height;
  const labels = new Set<number>();
  const segs: number[] = [];
  let large = 0, labelled = 0;
  for (const [id, n] of sizes) {
    if (id === LINE_ID) continue;
    segs.push(n);
    if (n >= LARGE_FRACTION * area) large++;
    const lab = f.labelOfSeg?.get(id);
    if (lab !== undefined && lab !== BACKGROUND_LABEL) {
      labels.add(lab);
      labelled++;
    }
  }
  return {
    character: f.character,
    frame: f.frame,
    width: f.seg.width,
    height: f.seg.height,
    segments: segs.length,
    largeSegments: large,
    labelledSegments: labelled,
    labels: [...labels].sort((a, b) => a - b),
    sizes: segs.sort((a, b) => a - b),
    lineFraction: (sizes.get(LINE_ID) ?? 0) / area,
  };
}

/**
 * Summary of a list of numbers (zeros for an empty list).
 *
 * @example
 * ```ts
 * summarize([1, 2, 3, 4]); // { min: 1, median: 2.5, mean: 2.5, max: 4, ... }
 * ```
 */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { min: 0, p10: 0, median: 0, mean: 0, p90: 0, max: 0 };
  const v = [...values].sort((a, b) => a - b);
  // Linear interpolation between order statistics (numpy's default percentile).
  const q = (p: number) => {
    const x = p * (v.length - 1), i = Math.floor(x), f = x - i;
    return i + 1 < v.length ? v[i] + f * (v[i + 1] - v[i]) : v[i];
  };
  return {
    min: v[0],
    p10: q(0.1),
    median: q(0.5),
    mean: v.reduce((s, x) => s + x, 0) / v.length,
    p90: q(0.9),
    max: v[v.length - 1],
  };
}

/** Default histogram edges: log10 area fraction from -7 to 0 in half decades. */
export const SIZE_EDGES: readonly number[] = Array.from({ length: 15 }, (_, i) => -7 + i * 0.5);

/**
 * Histogram of segment areas (fractions of their frame), log10 bins; values below/above go to the end bins.
 *
 * @example
 * ```ts
 * const h = sizeHistogram(frames); // counts per half decade of area fraction
 * ```
 */
export function sizeHistogram(
  frames: readonly FrameStats[],
  edges: readonly number[] = SIZE_EDGES,
): SizeHistogram {
  const counts = new Array(edges.length - 1).fill(0);
  for (const f of frames) {
    const area = f.width * f.height;
    for (const n of f.sizes) {
      const x = Math.log10(n / area);
      let b = 0;
      while (b < counts.length - 1 && x >= edges[b + 1]) b++;
      counts[b]++;
    }
  }
  return { edges: [...edges], counts };
}

/**
 * Statistics of measured frames.
 *
 * @example
 * ```ts
 * const st = summarizeFrames("test-clean", "data/test-clean", frames);
 * ```
 */
export function summarizeFrames(name: string, root: string, frames: readonly FrameStats[]): DatasetStats {
  const perChar = new Map<string, Set<number>>();
  const perLabel: number[] = [];
  for (const f of frames) {
    const set = perChar.get(f.character) ?? new Set<number>();
    for (const l of f.labels) set.add(l);
    perChar.set(f.character, set);
    if (f.labels.length > 0) perLabel.push(f.labelledSegments / f.labels.length);
  }
  return {
    name,
    root,
    characters: perChar.size,
    frames: frames.length,
    sizes: [...new Set(frames.map((f) => `${f.width}x${f.height}`))],
    segmentsPerFrame: summarize(frames.map((f) => f.segments)),
    largeSegmentsPerFrame: summarize(frames.map((f) => f.largeSegments)),
    labelsPerFrame: summarize(frames.map((f) => f.labels.length)),
    labelsPerCharacter: summarize([...perChar.values()].map((s) => s.size)),
    segmentsPerLabel: summarize(perLabel),
    lineFraction: summarize(frames.map((f) => f.lineFraction)),
    sizeHistogram: sizeHistogram(frames),
  };
}

/** Options of {@link collectFrameStats}. */
export interface CollectOptions {
  /** Measure at most this many frames, evenly spread over the dataset (all when 0). */
  maxFrames?: number;
  /** Called after each frame. */
  onFrame?: () => void;
}

/**
 * Every (character, frame) of a dataset, sorted.
 *
 * @example
 * ```ts
 * const frames = await listAllFrames("data/test-clean"); // [["char00000", "0000"], ...]
 * ```
 */
export async function listAllFrames(root: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const c of await listCharacters(root)) for (const f of await listFrames(root, c)) out.push([c, f]);
  return out;
}

/**
 * Reads and measures the frames of a dataset (or an even sample of them).
 *
 * @example
 * ```ts
 * const frames = await collectFrameStats("data/train-clean", { maxFrames: 300 });
 * ```
 */
export async function collectFrameStats(root: string, opts: CollectOptions = {}): Promise<FrameStats[]> {
  const all = await listAllFrames(root);
  const max = opts.maxFrames ?? 0;
  const pick = max > 0 && all.length > max
    ? Array.from({ length: max }, (_, i) => all[Math.floor((i * all.length) / max)])
    : all;
  const out: FrameStats[] = [];
  for (const [c, f] of pick) {
    const fr = await loadFrame(root, c, f);
    if (!fr.labelOfSeg) {
      throw new UserError("frame has no json_index or seg colours: labels unknown", fr.paths.seg);
    }
    out.push(frameStats(fr));
    opts.onFrame?.();
  }
  return out;
}

function fmt(x: number, digits = 1): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

/**
 * A text table with one column per dataset.
 *
 * @example
 * ```ts
 * console.log(statsTable([ours, real]));
 * ```
 */
export function statsTable(list: readonly DatasetStats[]): string {
  const s = (x: Summary, d = 1) => `${fmt(x.median, d)} [${fmt(x.min, d)}-${fmt(x.max, d)}]`;
  const rows: [string, (d: DatasetStats) => string][] = [
    ["frames measured", (d) => String(d.frames)],
    ["characters", (d) => String(d.characters)],
    ["frame size", (d) => d.sizes.join(",")],
    ["segments / frame, median [min-max]", (d) => s(d.segmentsPerFrame)],
    ["segments / frame, mean", (d) => fmt(d.segmentsPerFrame.mean)],
    [`segments >= ${LARGE_FRACTION} of frame`, (d) => s(d.largeSegmentsPerFrame)],
    ["labels / frame", (d) => s(d.labelsPerFrame)],
    ["labels / character", (d) => s(d.labelsPerCharacter)],
    ["segments per label", (d) => s(d.segmentsPerLabel, 2)],
    ["line pixels, % of frame", (d) => `${(100 * d.lineFraction.median).toFixed(2)}`],
  ];
  const header = ["", ...list.map((d) => d.name)];
  const body = rows.map(([name, f]) => [name, ...list.map(f)]);
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join("  ");
  const hist = ["", "segment size histogram (log10 of area / frame area: count per dataset)"];
  const h0 = list[0]?.sizeHistogram;
  if (h0) {
    for (let b = 0; b < h0.counts.length; b++) {
      const label = `[${h0.edges[b].toFixed(1)}, ${h0.edges[b + 1].toFixed(1)})`;
      hist.push(
        `  ${label.padEnd(13)} ${list.map((d) => String(d.sizeHistogram.counts[b]).padStart(8)).join("")}`,
      );
    }
  }
  return [line(header), ...body.map(line), ...hist].join("\n");
}
