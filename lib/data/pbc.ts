/**
 * The PaintBucket-Character (PBC) dataset layout, read and written:
 *
 * ```
 * <root>/<character>/line/<frame>.png        RGBA black strokes on transparent
 *                    seg/<frame>.png         RGB segment ids, id = R*65536+G*256+B; 0 = line, 1 = background
 *                    json_index/<frame>.json {"seg_id": [pixel_count, label_index]}, label -1 = background
 *                    label/<frame>.png       RGBA label index per pixel, transparent = -1
 *                    json_color/<frame>.json {"seg_id": [r, g, b, a]}
 *                    gt/<frame>.png          RGBA colour frame
 * ```
 * Two segments of two frames of one character correspond when they carry the same label index. The PBC test
 * split has no label or json_index; its `seg/<frame>.json` holds each segment's colour instead, and there
 * segments of the same colour are taken to correspond (a coarser truth: parts that share a colour merge).
 *
 * @module
 */
import * as path from "node:path";
import { UserError } from "../util/errors.ts";
import { atomicWrite, exists, listDir, readJson } from "../util/fs.ts";
import { encodePng, encodeSegRgb, readGray, type ReadOptions, readSegRgb } from "../image/io.ts";
import type { GrayImage, LabelMap, RgbaImage, RgbImage } from "../image/types.ts";

/** Segment id of line pixels. */
export const LINE_ID = 0;
/** Segment id of the outer background. */
export const BACKGROUND_ID = 1;
/** Label index of background segments (the outer one and any enclosed background). */
export const BACKGROUND_LABEL = -1;

/** One frame as read from a PBC-layout folder. */
export interface PbcFrame {
  character: string;
  frame: string;
  /** Line art, alpha flattened onto white. */
  line: GrayImage;
  /** Segment id per pixel. */
  seg: LabelMap;
  /**
   * Label index of each segment id (background segments -1), from json_index, or from the test split's
   * colours; null when the frame carries no correspondence information.
   */
  labelOfSeg: Map<number, number> | null;
  /** Where the labels came from. */
  labelSource: "json_index" | "seg_colors" | "none";
  /** Files of this frame. */
  paths: { line: string; seg: string; gt: string | null; jsonIndex: string | null; segJson: string | null };
}

/** Paths of one frame's files in the PBC layout. */
export interface FramePaths {
  line: string;
  seg: string;
  segJson: string;
  jsonIndex: string;
  jsonColor: string;
  label: string;
  gt: string;
}

/** Paths of one frame's files. */
export function framePaths(root: string, character: string, frame: string): FramePaths {
  const d = path.join(root, character);
  return {
    line: path.join(d, "line", `${frame}.png`),
    seg: path.join(d, "seg", `${frame}.png`),
    segJson: path.join(d, "seg", `${frame}.json`),
    jsonIndex: path.join(d, "json_index", `${frame}.json`),
    jsonColor: path.join(d, "json_color", `${frame}.json`),
    label: path.join(d, "label", `${frame}.png`),
    gt: path.join(d, "gt", `${frame}.png`),
  };
}

/** Character folders under `root` (those that hold a `line/` folder), sorted. */
export async function listCharacters(root: string): Promise<string[]> {
  if (!(await exists(root))) throw new UserError("dataset folder not found", root);
  const dirs = await listDir(root, (e) => e.isDirectory && !e.name.startsWith("."));
  const chars: string[] = [];
  for (const d of dirs) if (await exists(path.join(root, d, "line"))) chars.push(d);
  if (chars.length === 0) {
    throw new UserError(
      "no character folders with a line/ subfolder (expected <root>/<character>/line/*.png)",
      root,
    );
  }
  return chars;
}

/** Frame names (file stems of `line/*.png`) of one character, sorted. */
export async function listFrames(root: string, character: string): Promise<string[]> {
  const dir = path.join(root, character, "line");
  return (await listDir(dir, (e) => e.isFile && e.name.toLowerCase().endsWith(".png")))
    .map((n) => n.slice(0, -4));
}

/** Parses a json_index object into a segment -> label map, checking its shape. */
export function parseJsonIndex(obj: unknown, file: string): Map<number, number> {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
    throw new UserError('expected an object {"seg_id": [pixel_count, label_index]}', file);
  }
  const m = new Map<number, number>();
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const id = Number(k);
    if (!Number.isInteger(id) || id < 0 || !Array.isArray(v) || v.length < 2 || !Number.isInteger(v[1])) {
      throw new UserError(
        `bad entry ${JSON.stringify(k)}: ${JSON.stringify(v)} (expected [pixel_count, label_index])`,
        file,
      );
    }
    m.set(id, v[1] as number);
  }
  return m;
}

/**
 * Labels from the test split's segment colours: segments of one colour share a label (the packed RGB);
 * transparent segments are background.
 */
export function labelsFromSegColors(obj: unknown, file: string): Map<number, number> {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
    throw new UserError('expected an object {"seg_id": [r, g, b, a]}', file);
  }
  const m = new Map<number, number>();
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const id = Number(k);
    if (
      !Number.isInteger(id) || !Array.isArray(v) || v.length < 3 ||
      v.slice(0, 3).some((c) => !Number.isInteger(c))
    ) {
      throw new UserError(
        `bad entry ${JSON.stringify(k)}: ${JSON.stringify(v)} (expected [r, g, b, a])`,
        file,
      );
    }
    const alpha = v.length > 3 ? Number(v[3]) : 255;
    m.set(id, alpha === 0 ? BACKGROUND_LABEL : (v[0] << 16) | (v[1] << 8) | v[2]);
  }
  return m;
}

/**
 * Reads one frame: line art, segment ids and, when present, the segment labels. Sizes must agree and every
 * segment id in `seg` (but the line id) must have a label.
 *
 * @example
 * ```ts
 * const f = await loadFrame("data/test-clean", "char0001", "0003");
 * console.log(f.seg.width, f.labelOfSeg?.get(2));
 * ```
 */
export async function loadFrame(
  root: string,
  character: string,
  frame: string,
  opts: ReadOptions = {},
): Promise<PbcFrame> {
  const p = framePaths(root, character, frame);
  if (!(await exists(p.seg))) throw new UserError("frame has no seg map", p.seg);
  const [line, seg] = await Promise.all([readGray(p.line, opts), readSegRgb(p.seg, opts)]);
  if (line.width !== seg.width || line.height !== seg.height) {
    throw new UserError(`seg is ${seg.width}x${seg.height} but line is ${line.width}x${line.height}`, p.seg);
  }
  let labelOfSeg: Map<number, number> | null = null;
  let labelSource: PbcFrame["labelSource"] = "none";
  let jsonIndex: string | null = null, segJson: string | null = null;
  if (await exists(p.jsonIndex)) {
    labelOfSeg = parseJsonIndex(await readJson(p.jsonIndex), p.jsonIndex);
    labelSource = "json_index";
    jsonIndex = p.jsonIndex;
  } else if (await exists(p.segJson)) {
    labelOfSeg = labelsFromSegColors(await readJson(p.segJson), p.segJson);
    labelSource = "seg_colors";
    segJson = p.segJson;
  }
  if (labelOfSeg) {
    labelOfSeg.set(LINE_ID, labelOfSeg.get(LINE_ID) ?? BACKGROUND_LABEL);
    if (!labelOfSeg.has(BACKGROUND_ID)) labelOfSeg.set(BACKGROUND_ID, BACKGROUND_LABEL);
    const seen = new Set<number>();
    for (const id of seg.data) {
      if (!seen.has(id)) {
        seen.add(id);
        if (!labelOfSeg.has(id)) {
          throw new UserError(
            `segment ${id} appears in ${p.seg} but has no entry`,
            jsonIndex ?? segJson ?? "",
          );
        }
      }
    }
  }
  return {
    character,
    frame,
    line,
    seg,
    labelOfSeg,
    labelSource,
    paths: { line: p.line, seg: p.seg, gt: (await exists(p.gt)) ? p.gt : null, jsonIndex, segJson },
  };
}

/** Pixel count of every segment id. */
export function segmentSizes(seg: LabelMap): Map<number, number> {
  const m = new Map<number, number>();
  for (const id of seg.data) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
}

/** The json_index object of a frame: `{"seg_id": [pixel_count, label]}` for every segment but the line id. */
export function buildJsonIndex(
  seg: LabelMap,
  labelOfSeg: Map<number, number>,
): Record<string, [number, number]> {
  const sizes = segmentSizes(seg);
  const ids = [...sizes.keys()].filter((id) => id !== LINE_ID).sort((a, b) => a - b);
  const out: Record<string, [number, number]> = {};
  for (const id of ids) {
    const lab = labelOfSeg.get(id);
    if (lab === undefined) throw new RangeError(`buildJsonIndex: segment ${id} has no label`);
    out[String(id)] = [sizes.get(id)!, lab];
  }
  return out;
}

/** RGBA label image: the label index as R*65536+G*256+B, transparent where the label is -1. */
export function encodeLabelRgba(labels: LabelMap): RgbaImage {
  const n = labels.width * labels.height;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const v = labels.data[i];
    if (v < 0) continue;
    out[4 * i] = (v >> 16) & 255;
    out[4 * i + 1] = (v >> 8) & 255;
    out[4 * i + 2] = v & 255;
    out[4 * i + 3] = 255;
  }
  return { width: labels.width, height: labels.height, data: out };
}

/** Line art as PBC stores it: black strokes on transparent, from a grey image (ink where value < threshold). */
export function lineToRgba(line: GrayImage, threshold = 128): RgbaImage {
  const n = line.width * line.height;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    if (line.data[i] < threshold) out[4 * i + 3] = 255;
    else out.fill(255, 4 * i, 4 * i + 3);
  }
  return { width: line.width, height: line.height, data: out };
}

/** What {@link writeFrame} writes. */
export interface FrameData {
  /** Line art: RGBA as PBC stores it (see {@link lineToRgba}), or grey (written as grey). */
  line: RgbaImage | GrayImage;
  /** Segment ids (0 = line, 1 = background). */
  seg: LabelMap;
  /** Label of every segment id present in `seg` (but 0). */
  labelOfSeg: Map<number, number>;
  /** Label index per pixel (line pixels carry the label of the part they lie on); -1 = transparent. */
  labels?: LabelMap;
  /** Colour of each segment, for json_color. */
  segColors?: Map<number, [number, number, number, number]>;
  /** The colour frame. */
  gt?: RgbaImage | RgbImage;
}

/**
 * Writes one frame in the PBC layout (every file atomically).
 *
 * @example
 * ```ts
 * await writeFrame(tmpRoot, "char0001", "0000", { line: lineToRgba(gray), seg, labelOfSeg });
 * ```
 */
export async function writeFrame(
  root: string,
  character: string,
  frame: string,
  d: FrameData,
): Promise<void> {
  const p = framePaths(root, character, frame);
  const jobs: Promise<void>[] = [
    encodePng(d.line).then((b) => atomicWrite(p.line, b)),
    encodePng(encodeSegRgb(d.seg)).then((b) => atomicWrite(p.seg, b)),
    atomicWrite(p.jsonIndex, JSON.stringify(buildJsonIndex(d.seg, d.labelOfSeg))),
  ];
  if (d.labels) jobs.push(encodePng(encodeLabelRgba(d.labels)).then((b) => atomicWrite(p.label, b)));
  if (d.segColors) {
    const obj: Record<string, number[]> = {};
    for (const [k, v] of [...d.segColors].sort((a, b) => a[0] - b[0])) obj[String(k)] = v;
    jobs.push(atomicWrite(p.jsonColor, JSON.stringify(obj)));
  }
  if (d.gt) jobs.push(encodePng(d.gt).then((b) => atomicWrite(p.gt, b)));
  await Promise.all(jobs);
}
