/**
 * The studio's back end for what `deno task match` writes: `ref_seg.png` / `tgt_seg.png` (16-bit region maps)
 * and `matches.json`, in one folder (one pair) or under `<dir>/<reference>-<target>/` (a batch). A save rewrites
 * the region maps that changed and `matches.json` (and `match_vis.png` when the drawings are known), all
 * replaced together, then flags the pair in `<root>/corrections.json` and appends to the history.
 *
 * The drawings are not in a match output: give them (`REF.png TGT.png` for one pair, the dataset folder for
 * a batch); without them the lines are drawn from region 0 and the paint bucket is off.
 *
 * @module
 */
import * as path from "node:path";
import { encodeLabel16, encodePng, readGray, readLabel16, readRgb } from "../image/io.ts";
import type { GrayImage, LabelMap } from "../image/types.ts";
import { UserError } from "../util/errors.ts";
import { exists } from "../util/fs.ts";
import { matchVisualization } from "../viz/match_vis.ts";
import { applyOps, makeSide, type Match, type Op, type State } from "./core.js";
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
import { meanScore } from "./store_pbc.ts";

/** Where a match output's drawings come from. */
export interface MatchStoreOptions {
  /** One pair: the reference and target drawings given to `match`. */
  drawings?: [string, string];
  /** A batch: the dataset folder given to `match --data` (`<data>/<dir>/line/<frame>.png`, `gt/` for colours). */
  data?: string;
}

interface Entry {
  /** Folder relative to the root ("." for a one-pair output). */
  rel: string;
  drawings: [string, string] | null;
  color: string | null;
  confidence: number | null;
}

/** Parses and checks a matches.json list. */
export function parseMatches(obj: unknown, file: string): Match[] {
  if (!Array.isArray(obj)) throw new UserError("expected a list of {ref_region, tgt_region, score}", file);
  return obj.map((m, k) => {
    if (
      typeof m !== "object" || m === null || !Number.isInteger(m.ref_region) ||
      !Number.isInteger(m.tgt_region) ||
      !Number.isFinite(Number(m.score ?? 0))
    ) {
      throw new UserError(
        `entry ${k + 1}: ${JSON.stringify(m)} is not {ref_region, tgt_region, score}`,
        file,
      );
    }
    return { ...m, score: Number(m.score ?? 0) } as Match;
  });
}

/** A `match` output folder as a studio back end. */
export class MatchStore implements Store {
  readonly kind = "match" as const;
  readonly root: Root;
  readonly title: string;
  private entries: Entry[];

  private constructor(root: Root, entries: Entry[]) {
    this.root = root;
    this.entries = entries;
    this.title = `match output ${path.basename(root.dir)}`;
  }

  /**
   * Opens a match output: one pair when `root/matches.json` exists, else every `root/<dir>/<pair>/matches.json`.
   *
   * @example
   * ```ts
   * const store = await MatchStore.open(await Root.open("out/ab"), { drawings: ["a.png", "b.png"] });
   * ```
   */
  static async open(root: Root, opts: MatchStoreOptions = {}): Promise<MatchStore> {
    const entries: Entry[] = [];
    if (await exists(path.join(root.real, "matches.json"))) {
      entries.push({
        rel: ".",
        drawings: opts.drawings ?? null,
        color: null,
        confidence: await meanScore(path.join(root.real, "matches.json")),
      });
    } else {
      if (opts.drawings) {
        throw new UserError("REF.png TGT.png name the drawings of a one-pair output", root.dir);
      }
      for await (const d of Deno.readDir(root.real)) {
        if (!d.isDirectory || d.name.startsWith(".")) continue;
        for await (const q of Deno.readDir(path.join(root.real, d.name))) {
          if (!q.isDirectory || q.name.startsWith(".")) continue;
          if (!(await exists(path.join(root.real, d.name, q.name, "matches.json")))) continue;
          safeName(d.name, "folder");
          safeName(q.name, "folder");
          let drawings: [string, string] | null = null, color: string | null = null;
          if (opts.data) {
            // <reference>-<target>: try every split at a "-" until both drawings exist.
            const parts = q.name.split("-");
            for (let k = 1; k < parts.length && !drawings; k++) {
              const ref = parts.slice(0, k).join("-"), tgt = parts.slice(k).join("-");
              const a = path.join(opts.data, d.name, "line", `${ref}.png`);
              const b = path.join(opts.data, d.name, "line", `${tgt}.png`);
              if (await exists(a) && await exists(b)) {
                drawings = [a, b];
                const gt = path.join(opts.data, d.name, "gt", `${ref}.png`);
                color = (await exists(gt)) ? gt : null;
              }
            }
          }
          entries.push({
            rel: `${d.name}/${q.name}`,
            drawings,
            color,
            confidence: await meanScore(path.join(root.real, d.name, q.name, "matches.json")),
          });
        }
      }
      entries.sort((a, b) => a.rel.localeCompare(b.rel));
    }
    if (entries.length === 0) {
      throw new UserError(
        "no matches.json here nor in <dir>/<reference>-<target>/ (is this a match output?)",
        root.dir,
      );
    }
    return new MatchStore(root, entries);
  }

  async list(): Promise<PairInfo[]> {
    const st = await statuses(this.root.real);
    return this.entries.map((e, index) => ({
      index,
      id: e.rel,
      name: e.rel === "." ? path.basename(this.root.dir) : e.rel,
      status: st.get(e.rel)?.status ?? "untouched",
      confidence: e.confidence,
    }));
  }

  private entry(index: number): Entry {
    const e = this.entries[index];
    if (!e) throw new UserError(`no pair ${index} (there are ${this.entries.length})`);
    return e;
  }

  private async filesOf(e: Entry) {
    const parts = e.rel === "." ? [] : [e.rel];
    return {
      ref: await this.root.file(...parts, "ref_seg.png"),
      tgt: await this.root.file(...parts, "tgt_seg.png"),
      matches: await this.root.file(...parts, "matches.json"),
      vis: await this.root.file(...parts, "match_vis.png"),
    };
  }

  private async readPair(e: Entry) {
    const f = await this.filesOf(e);
    const [ra, rb, rm] = await Promise.all([readOrNull(f.ref), readOrNull(f.tgt), readOrNull(f.matches)]);
    if (!ra) throw new UserError("missing", this.root.show(f.ref));
    if (!rb) throw new UserError("missing", this.root.show(f.tgt));
    if (!rm) throw new UserError("missing", this.root.show(f.matches));
    const a = await readLabel16({ bytes: ra, name: this.root.show(f.ref) });
    const b = await readLabel16({ bytes: rb, name: this.root.show(f.tgt) });
    let obj: unknown;
    try {
      obj = JSON.parse(new TextDecoder().decode(rm));
    } catch (err) {
      throw new UserError(`not valid JSON (${(err as Error).message})`, this.root.show(f.matches));
    }
    const matches = parseMatches(obj, this.root.show(f.matches));
    const etag = await etagOf([["ref", ra], ["tgt", rb], ["matches", rm]]);
    return { files: f, maps: [a, b] as [LabelMap, LabelMap], matches, etag };
  }

  private async drawings(e: Entry, maps: [LabelMap, LabelMap]): Promise<[GrayImage, GrayImage] | null> {
    if (!e.drawings) return null;
    const g = await Promise.all(e.drawings.map((p) => readGray(p))) as [GrayImage, GrayImage];
    for (const k of [0, 1]) {
      if (g[k].width !== maps[k].width || g[k].height !== maps[k].height) {
        throw new UserError(
          `drawing is ${g[k].width}x${g[k].height} but its region map is ${maps[k].width}x${maps[k].height}`,
          e.drawings[k],
        );
      }
    }
    return g;
  }

  async load(index: number): Promise<LoadedPair> {
    const e = this.entry(index);
    const d = await this.readPair(e);
    const g = await this.drawings(e, d.maps);
    let color: Uint8Array | null = null;
    if (e.color) {
      const c = await readRgb(e.color);
      if (c.width === d.maps[0].width && c.height === d.maps[0].height) color = c.data;
    }
    const entry = (await statuses(this.root.real)).get(e.rel);
    const sides = [0, 1].map((k): LoadedSide => ({
      name: e.drawings ? path.basename(e.drawings[k]) : k === 0 ? "ref_seg.png" : "tgt_seg.png",
      width: d.maps[k].width,
      height: d.maps[k].height,
      seg: d.maps[k].data,
      gray: g ? g[k].data : null,
      ink: g ? inkOf(g[k]) : null,
      color: k === 0 ? color : null,
    })) as [LoadedSide, LoadedSide];
    return {
      id: e.rel,
      kind: "match",
      etag: d.etag,
      sides,
      labels: [new Map(), new Map()],
      nextLabel: 0,
      matches: d.matches,
      none: entry?.none ?? [[], []],
      status: entry?.status ?? "untouched",
      notes: [
        "a link replaces the target region's matches with one to the reference region (score 1, direction manual)",
        g
          ? "saving rewrites ref_seg.png, tgt_seg.png, matches.json and match_vis.png"
          : "the drawings were not " +
            "given, so lines are drawn from region 0 and the paint bucket is off; saving rewrites ref_seg.png, " +
            "tgt_seg.png and matches.json (match_vis.png is left as the match run drew it)",
      ],
    };
  }

  async save(index: number, etag: string, ops: Op[], by: string): Promise<SaveResult> {
    const e = this.entry(index);
    const d = await this.readPair(e);
    if (d.etag !== etag) {
      throw new StaleError(
        `pair ${e.rel} changed on disk since this page loaded it (another tab or program saved it): ` +
          "nothing written; reload the pair and redo the edits",
      );
    }
    const g = await this.drawings(e, d.maps);
    const entry = (await statuses(this.root.real)).get(e.rel);
    const state: State = {
      kind: "match",
      sides: [0, 1].map((k) =>
        makeSide(d.maps[k].width, d.maps[k].height, new Int32Array(d.maps[k].data), g ? inkOf(g[k]) : null)
      ) as State["sides"],
      labels: [new Map(), new Map()],
      nextLabel: 0,
      matches: d.matches.map((m) => ({ ...m })),
      none: [new Set(entry?.none?.[0] ?? []), new Set(entry?.none?.[1] ?? [])],
    };
    applyOps(state, ops);
    const files: { path: string; data: Uint8Array | string }[] = [];
    const maps = [0, 1].map((k) => ({ ...d.maps[k], data: state.sides[k].seg })) as [LabelMap, LabelMap];
    const parts = e.rel === "." ? [] : [e.rel];
    for (const k of [0, 1]) {
      if (!same(maps[k].data, d.maps[k].data)) {
        files.push({
          path: await this.root.writable(...parts, k === 0 ? "ref_seg.png" : "tgt_seg.png"),
          data: await encodeLabel16(maps[k]),
        });
      }
    }
    const json = JSON.stringify(
      state.matches.map((m) => ({ ...m, score: Math.round(m.score * 1e4) / 1e4 })),
      null,
      2,
    ) + "\n";
    const oldJson = await readOrNull(d.files.matches);
    if (files.length === 0 && oldJson && new TextDecoder().decode(oldJson) === json) {
      throw new UserError("the edits change nothing on disk: nothing to save");
    }
    files.push({ path: await this.root.writable(...parts, "matches.json"), data: json });
    if (g) {
      files.push({
        path: await this.root.writable(...parts, "match_vis.png"),
        data: await encodePng(matchVisualization(g[0], maps[0], g[1], maps[1], state.matches)),
      });
    }
    await writeAll(files);
    const written = files.map((f) => this.root.show(f.path));
    const after = await this.readPair(e);
    const none: [number[], number[]] = [
      [...state.none[0]].sort((a, b) => a - b),
      [...state.none[1]].sort((a, b) => a - b),
    ];
    written.push(
      ...await recordChange(this.root, { id: e.rel, status: "corrected", by, none }, {
        ops,
        files: written,
        before: etag,
        after: after.etag,
      }),
    );
    return { etag: after.etag, written };
  }

  async setStatus(index: number, status: PairInfo["status"], by: string): Promise<void> {
    const e = this.entry(index);
    const entry = (await statuses(this.root.real)).get(e.rel);
    await recordChange(this.root, { id: e.rel, status, by, ...(entry?.none ? { none: entry.none } : {}) }, {
      action: "status",
    });
  }
}

function inkOf(g: GrayImage): Uint8Array {
  const ink = new Uint8Array(g.data.length);
  for (let i = 0; i < ink.length; i++) ink[i] = g.data[i] < 128 ? 1 : 0;
  return ink;
}

function same(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
