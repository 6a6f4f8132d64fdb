/**
 * The studio's back end for a dataset in the PaintBucket-Character layout: a pair's two frames are read from
 * `seg/`, `json_index/`, `line/` (and `gt/` for the preview's colours); a save rewrites `seg/`, `json_index/`
 * and `label/` of the frames that changed (and `json_color/` when present), all files of a save replaced
 * together, then flags the pair in `corrections.json` and appends to `corrections_history.jsonl`.
 *
 * @module
 */
import * as path from "node:path";
import { pairId } from "../data/corrections.ts";
import { type PairRef, resolvePairs } from "../data/pairs.ts";
import {
  BACKGROUND_LABEL,
  buildJsonIndex,
  encodeLabelRgba,
  LINE_ID,
  listFrames,
  parseJsonIndex,
} from "../data/pbc.ts";
import { encodePng, encodeSegRgb, readGray, readRgb, readSegRgb } from "../image/io.ts";
import type { LabelMap } from "../image/types.ts";
import { UserError } from "../util/errors.ts";
import { readJson } from "../util/fs.ts";
import { applyOps, makeSide, type Op, type State } from "./core.js";
import { type Root, safeName } from "./confine.ts";
import {
  etagOf,
  type LoadedPair,
  type LoadedSide,
  type PairInfo,
  readOrNull,
  recordChange,
  type SaveResult,
  StaleError,
  statuses,
  type Store,
  writeAll,
} from "./store.ts";

/** Options of {@link PbcStore}. */
export interface PbcStoreOptions {
  /** A pairs CSV (default: `<root>/pairs.csv`, else frames i and i+7). */
  pairsCsv?: string;
  /** A `match --data` output for this dataset: its `matches.json` scores give each pair's confidence. */
  scores?: string;
}

interface FrameFiles {
  seg: string;
  jsonIndex: string;
  label: string;
  line: string;
  gt: string;
  jsonColor: string;
}

interface DiskFrame {
  files: FrameFiles;
  bytes: { seg: Uint8Array; jsonIndex: Uint8Array; label: Uint8Array | null; jsonColor: Uint8Array | null };
  seg: LabelMap;
  labels: Map<number, number>;
}

interface DiskPair {
  frames: [DiskFrame, DiskFrame];
  nextLabel: number;
  etag: string;
}

/** Mean score of a `matches.json` list (0 when empty), or null when unreadable. */
export async function meanScore(file: string): Promise<number | null> {
  try {
    const m = JSON.parse(await Deno.readTextFile(file));
    if (!Array.isArray(m)) return null;
    const s = m.map((x) => Number(x?.score)).filter((x) => Number.isFinite(x));
    return s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0;
  } catch {
    return null;
  }
}

/** Label per pixel: a region's label; line pixels take the label of the nearest region pixel. */
export function labelImage(seg: LabelMap, labels: Map<number, number>): LabelMap {
  const n = seg.width * seg.height, W = seg.width;
  const out = new Int32Array(n).fill(BACKGROUND_LABEL);
  const done = new Uint8Array(n);
  let queue: number[] = [];
  for (let i = 0; i < n; i++) {
    if (seg.data[i] !== LINE_ID) {
      out[i] = labels.get(seg.data[i]) ?? BACKGROUND_LABEL;
      done[i] = 1;
      queue.push(i);
    }
  }
  while (queue.length) {
    const next: number[] = [];
    for (const i of queue) {
      const x = i % W;
      for (const j of [x > 0 ? i - 1 : -1, x < W - 1 ? i + 1 : -1, i - W, i + W]) {
        if (j < 0 || j >= n || done[j]) continue;
        done[j] = 1;
        out[j] = out[i];
        next.push(j);
      }
    }
    queue = next;
  }
  return { width: seg.width, height: seg.height, data: out };
}

/** A PBC-layout dataset as a studio back end. */
export class PbcStore implements Store {
  readonly kind = "pbc" as const;
  readonly root: Root;
  readonly title: string;
  private pairs: PairRef[];
  private scores: (number | null)[];

  private constructor(root: Root, pairs: PairRef[], scores: (number | null)[]) {
    this.root = root;
    this.pairs = pairs;
    this.scores = scores;
    this.title = `dataset ${path.basename(root.dir)}`;
  }

  /**
   * Opens a dataset: its pair list (names checked to be plain names) and, with `scores`, each pair's mean
   * match score.
   *
   * @example
   * ```ts
   * const store = await PbcStore.open(await Root.open("data/auto-clean"), {});
   * ```
   */
  static async open(root: Root, opts: PbcStoreOptions = {}): Promise<PbcStore> {
    const pairs = await resolvePairs(root.dir, { pairsCsv: opts.pairsCsv });
    if (pairs.length === 0) throw new UserError("no pairs", opts.pairsCsv ?? root.dir);
    for (const p of pairs) {
      try {
        safeName(p.dir, "folder");
        safeName(p.reference, "frame");
        safeName(p.target, "frame");
      } catch (e) {
        throw new UserError(
          `pair ${p.dir},${p.reference},${p.target}: ${(e as Error).message}`,
          opts.pairsCsv,
        );
      }
    }
    const scores = await Promise.all(
      pairs.map((p) =>
        opts.scores
          ? meanScore(path.join(opts.scores, p.dir, `${p.reference}-${p.target}`, "matches.json"))
          : null
      ),
    );
    return new PbcStore(root, pairs, scores);
  }

  async list(): Promise<PairInfo[]> {
    const st = await statuses(this.root.real);
    return this.pairs.map((p, index) => ({
      index,
      id: pairId(p),
      name: `${p.dir}  ${p.reference} → ${p.target}`,
      status: st.get(pairId(p))?.status ?? "untouched",
      confidence: this.scores[index],
    }));
  }

  private pair(index: number): PairRef {
    const p = this.pairs[index];
    if (!p) throw new UserError(`no pair ${index} (there are ${this.pairs.length})`);
    if (p.reference === p.target) {
      throw new UserError(
        `pair ${pairId(p)} uses one frame twice: its edits would collide, so it is not editable`,
      );
    }
    return p;
  }

  private async files(dir: string, frame: string): Promise<FrameFiles> {
    return {
      seg: await this.root.file(dir, "seg", `${frame}.png`),
      jsonIndex: await this.root.file(dir, "json_index", `${frame}.json`),
      label: await this.root.file(dir, "label", `${frame}.png`),
      line: await this.root.file(dir, "line", `${frame}.png`),
      gt: await this.root.file(dir, "gt", `${frame}.png`),
      jsonColor: await this.root.file(dir, "json_color", `${frame}.json`),
    };
  }

  private async readFrame(dir: string, frame: string): Promise<DiskFrame> {
    const files = await this.files(dir, frame);
    const show = (p: string) => this.root.show(p);
    const seg = await readOrNull(files.seg);
    if (!seg) throw new UserError("frame has no seg map", show(files.seg));
    const jsonIndex = await readOrNull(files.jsonIndex);
    if (!jsonIndex) {
      throw new UserError(
        "frame has no json_index: the studio edits labelled frames only",
        show(files.jsonIndex),
      );
    }
    let obj: unknown;
    try {
      obj = JSON.parse(new TextDecoder().decode(jsonIndex));
    } catch (e) {
      throw new UserError(`not valid JSON (${(e as Error).message})`, show(files.jsonIndex));
    }
    const labels = parseJsonIndex(obj, show(files.jsonIndex));
    const map = await readSegRgb({ bytes: seg, name: show(files.seg) });
    labels.set(LINE_ID, labels.get(LINE_ID) ?? BACKGROUND_LABEL);
    for (const id of new Set(map.data)) {
      if (!labels.has(id)) {
        throw new UserError(`segment ${id} of the seg map has no entry`, show(files.jsonIndex));
      }
    }
    return {
      files,
      bytes: {
        seg,
        jsonIndex,
        label: await readOrNull(files.label),
        jsonColor: await readOrNull(files.jsonColor),
      },
      seg: map,
      labels,
    };
  }

  /** The pair's files as on disk now, with their version. */
  private async readPair(p: PairRef): Promise<DiskPair> {
    const a = await this.readFrame(p.dir, p.reference), b = await this.readFrame(p.dir, p.target);
    // A label no frame of the character uses, for regions cut loose from their counterparts.
    let maxLabel = -1;
    for (const f of await listFrames(this.root.dir, p.dir)) {
      safeName(f, "frame");
      const file = await this.root.file(p.dir, "json_index", `${f}.json`);
      const bytes = await readOrNull(file);
      if (!bytes) continue;
      const labels = f === p.reference ? a.labels : f === p.target ? b.labels : parseJsonIndex(
        await readJson(file),
        this.root.show(file),
      );
      for (const l of labels.values()) if (l > maxLabel) maxLabel = l;
    }
    const nextLabel = maxLabel + 1;
    const etag = await etagOf([
      ["a.seg", a.bytes.seg],
      ["a.json_index", a.bytes.jsonIndex],
      ["a.label", a.bytes.label],
      ["b.seg", b.bytes.seg],
      ["b.json_index", b.bytes.jsonIndex],
      ["b.label", b.bytes.label],
    ], `nextLabel=${nextLabel}`);
    return { frames: [a, b], nextLabel, etag };
  }

  async load(index: number): Promise<LoadedPair> {
    const p = this.pair(index);
    const d = await this.readPair(p);
    const sides = await Promise.all(d.frames.map(async (f, k): Promise<LoadedSide> => {
      const line = await readGray(f.files.line);
      if (line.width !== f.seg.width || line.height !== f.seg.height) {
        throw new UserError(
          `line is ${line.width}x${line.height} but seg is ${f.seg.width}x${f.seg.height}`,
          this.root.show(f.files.line),
        );
      }
      const ink = new Uint8Array(f.seg.data.length);
      for (let i = 0; i < ink.length; i++) ink[i] = f.seg.data[i] === LINE_ID ? 1 : 0;
      const gtBytes = k === 0 ? await readOrNull(f.files.gt) : null;
      let color: Uint8Array | null = null;
      if (gtBytes) {
        const gt = await readRgb({ bytes: gtBytes, name: this.root.show(f.files.gt) });
        if (gt.width === f.seg.width && gt.height === f.seg.height) color = gt.data;
      }
      return {
        name: k === 0 ? p.reference : p.target,
        width: f.seg.width,
        height: f.seg.height,
        seg: f.seg.data,
        gray: line.data,
        ink,
        color,
      };
    })) as [LoadedSide, LoadedSide];
    const entry = (await statuses(this.root.real)).get(pairId(p));
    return {
      id: pairId(p),
      kind: "pbc",
      etag: d.etag,
      sides,
      labels: [d.frames[0].labels, d.frames[1].labels],
      nextLabel: d.nextLabel,
      matches: [],
      none: entry?.none ?? [[], []],
      status: entry?.status ?? "untouched",
      notes: [
        "two regions correspond when they carry the same label; a link gives the target region the reference's label",
        `saving rewrites seg/, json_index/ and label/ of ${p.reference} and ${p.target} under ${p.dir}/`,
      ],
    };
  }

  async save(index: number, etag: string, ops: Op[], by: string): Promise<SaveResult> {
    const p = this.pair(index);
    const d = await this.readPair(p);
    if (d.etag !== etag) {
      throw new StaleError(
        `pair ${pairId(p)} changed on disk since this page loaded it (another tab or program saved it): ` +
          "nothing written; reload the pair and redo the edits",
      );
    }
    const entry = (await statuses(this.root.real)).get(pairId(p));
    const state: State = {
      kind: "pbc",
      sides: [
        makeSide(
          d.frames[0].seg.width,
          d.frames[0].seg.height,
          new Int32Array(d.frames[0].seg.data),
          inkOf(d.frames[0]),
        ),
        makeSide(
          d.frames[1].seg.width,
          d.frames[1].seg.height,
          new Int32Array(d.frames[1].seg.data),
          inkOf(d.frames[1]),
        ),
      ],
      labels: [new Map(d.frames[0].labels), new Map(d.frames[1].labels)],
      nextLabel: d.nextLabel,
      matches: [],
      none: [new Set(entry?.none?.[0] ?? []), new Set(entry?.none?.[1] ?? [])],
    };
    applyOps(state, ops);
    const files: { path: string; data: Uint8Array | string }[] = [];
    for (const k of [0, 1]) {
      const f = d.frames[k];
      const seg: LabelMap = { width: f.seg.width, height: f.seg.height, data: state.sides[k].seg };
      const labels = state.labels[k];
      const json = JSON.stringify(buildJsonIndex(seg, labels));
      const segChanged = !sameIds(seg.data, f.seg.data);
      const labelsChanged = json !== JSON.stringify(buildJsonIndex(f.seg, f.labels));
      if (!segChanged && !labelsChanged) continue;
      const frame = k === 0 ? p.reference : p.target;
      const w = (sub: string, ext: string) => this.root.writable(p.dir, sub, `${frame}.${ext}`);
      if (segChanged) files.push({ path: await w("seg", "png"), data: await encodePng(encodeSegRgb(seg)) });
      files.push({ path: await w("json_index", "json"), data: json });
      files.push({
        path: await w("label", "png"),
        data: await encodePng(encodeLabelRgba(labelImage(seg, labels))),
      });
      if (segChanged && f.bytes.jsonColor) {
        files.push({ path: await w("json_color", "json"), data: jsonColors(f, seg) });
      }
    }
    if (files.length === 0) throw new UserError("the edits change nothing on disk: nothing to save");
    await writeAll(files);
    const none: [number[], number[]] = [
      [...state.none[0]].sort((a, b) => a - b),
      [...state.none[1]].sort((a, b) => a - b),
    ];
    const written = files.map((f) => this.root.show(f.path));
    const after = await this.readPair(p);
    written.push(
      ...await recordChange(
        this.root,
        {
          id: pairId(p),
          dir: p.dir,
          reference: p.reference,
          target: p.target,
          status: "corrected",
          by,
          none,
        },
        { ops, files: written, before: etag, after: after.etag },
      ),
    );
    return { etag: after.etag, written };
  }

  async setStatus(index: number, status: PairInfo["status"], by: string): Promise<void> {
    const p = this.pairs[index];
    if (!p) throw new UserError(`no pair ${index} (there are ${this.pairs.length})`);
    const entry = (await statuses(this.root.real)).get(pairId(p));
    await recordChange(this.root, {
      id: pairId(p),
      dir: p.dir,
      reference: p.reference,
      target: p.target,
      status,
      by,
      ...(entry?.none ? { none: entry.none } : {}),
    }, { action: "status" });
  }
}

function inkOf(f: DiskFrame): Uint8Array {
  const ink = new Uint8Array(f.seg.data.length);
  for (let i = 0; i < ink.length; i++) ink[i] = f.seg.data[i] === LINE_ID ? 1 : 0;
  return ink;
}

function sameIds(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** json_color after an edit: a new region takes the colour of the region its pixels came from. */
function jsonColors(f: DiskFrame, seg: LabelMap): string {
  let old: Record<string, unknown> = {};
  try {
    old = JSON.parse(new TextDecoder().decode(f.bytes.jsonColor!));
  } catch { /* rebuilt from nothing */ }
  const out: Record<string, unknown> = {};
  const first = new Map<number, number>();
  for (let i = 0; i < seg.data.length; i++) if (!first.has(seg.data[i])) first.set(seg.data[i], i);
  for (const id of [...first.keys()].sort((a, b) => a - b)) {
    if (id === LINE_ID && !(String(id) in old)) continue;
    out[String(id)] = old[String(id)] ?? old[String(f.seg.data[first.get(id)!])] ?? [0, 0, 0, 0];
  }
  return JSON.stringify(out);
}
