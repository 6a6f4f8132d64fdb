/**
 * What the studio's two back ends (a PBC dataset, a `match` output) share: the pair list entry, a loaded pair,
 * versions (etags) from file bytes, an all-or-nothing write of several files, the corrections list and the
 * history file.
 *
 * @module
 */
import * as path from "node:path";
import {
  type CorrectionEntry,
  type Corrections,
  CORRECTIONS_FILE,
  type CorrectionStatus,
  readCorrections,
} from "../data/corrections.ts";
import { exists } from "../util/fs.ts";
import type { Match, Op, State } from "./core.js";
import type { Root } from "./confine.ts";

/** Name of the history file at the root: one JSON line per save or status change. */
export const HISTORY_FILE = "corrections_history.jsonl";

/** A pair's status in the list. */
export type PairStatus = "untouched" | CorrectionStatus;

/** One entry of the pair list. */
export interface PairInfo {
  index: number;
  /** Stable id (`dir/reference/target`, or the folder relative to a match output). */
  id: string;
  /** Shown in the list. */
  name: string;
  status: PairStatus;
  /** Mean match score of the model on this pair (0-1), or null when unknown. */
  confidence: number | null;
}

/** One drawing of a loaded pair. */
export interface LoadedSide {
  name: string;
  width: number;
  height: number;
  seg: Int32Array;
  /** The drawing, grey (0 ink, 255 paper), or null when not known. */
  gray: Uint8Array | null;
  /** 1 on ink, or null. */
  ink: Uint8Array | null;
  /** The colour frame (RGB), for the preview's reference colours, or null. */
  color: Uint8Array | null;
}

/** A loaded pair: what the page shows, and the version it was loaded at. */
export interface LoadedPair {
  id: string;
  kind: State["kind"];
  etag: string;
  sides: [LoadedSide, LoadedSide];
  labels: [Map<number, number>, Map<number, number>];
  nextLabel: number;
  matches: Match[];
  none: [number[], number[]];
  status: PairStatus;
  /** Notes for the page (what is missing, what saving writes). */
  notes: string[];
}

/** What a save did. */
export interface SaveResult {
  etag: string;
  /** Files written, relative to the root. */
  written: string[];
}

/** A back end. */
export interface Store {
  kind: State["kind"];
  root: Root;
  /** One line for the page's header. */
  title: string;
  list(): Promise<PairInfo[]>;
  load(index: number): Promise<LoadedPair>;
  /** Replays `ops` on the pair as it is on disk, refusing when its version is not `etag`. */
  save(index: number, etag: string, ops: Op[], by: string): Promise<SaveResult>;
  setStatus(index: number, status: PairStatus, by: string): Promise<void>;
}

/** The page's edit was made on an older version of the pair. */
export class StaleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StaleError";
  }
}

/** An etag: sha-256 (first 16 bytes, hex) over named byte strings and extra text. */
export async function etagOf(parts: [string, Uint8Array | null][], extra = ""): Promise<string> {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const [name, bytes] of parts) {
    chunks.push(enc.encode(`${name}:${bytes ? bytes.length : -1}\n`));
    if (bytes) chunks.push(bytes);
  }
  chunks.push(enc.encode(extra));
  const total = chunks.reduce((t, c) => t + c.length, 0);
  const all = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) all.set(c, o), o += c.length;
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(d.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Reads a file's bytes, or null when it does not exist. */
export async function readOrNull(p: string): Promise<Uint8Array | null> {
  try {
    return await Deno.readFile(p);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/**
 * Writes several files so that either all are replaced or none: every new content goes to a temporary sibling
 * first; only when all are written are they renamed into place.
 */
export async function writeAll(files: { path: string; data: Uint8Array | string }[]): Promise<void> {
  const temps: string[] = [];
  try {
    for (const f of files) {
      await Deno.mkdir(path.dirname(f.path), { recursive: true });
      const rand = crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
      const tmp = path.join(path.dirname(f.path), `.${path.basename(f.path)}.tmp-${Deno.pid}-${rand}`);
      temps.push(tmp);
      if (typeof f.data === "string") await Deno.writeTextFile(tmp, f.data);
      else await Deno.writeFile(tmp, f.data);
    }
  } catch (e) {
    for (const t of temps) await Deno.remove(t).catch(() => {});
    throw e;
  }
  for (let k = 0; k < files.length; k++) await Deno.rename(temps[k], files[k].path);
}

/** Statuses by pair id from the corrections list at `root`. */
export async function statuses(root: string): Promise<Map<string, CorrectionEntry>> {
  const c = await readCorrections(root);
  return new Map((c?.pairs ?? []).map((e) => [e.id, e]));
}

/**
 * Sets one pair's entry in the corrections list (`untouched` removes it) and appends a line to the history;
 * both written atomically.
 */
export async function recordChange(
  root: Root,
  entry: Omit<CorrectionEntry, "status" | "time"> & { status: PairStatus; none?: [number[], number[]] },
  history: Record<string, unknown>,
): Promise<string[]> {
  const corrFile = await root.writable(CORRECTIONS_FILE);
  const histFile = await root.writable(HISTORY_FILE);
  const c: Corrections = (await readCorrections(root.real)) ?? { version: 1, pairs: [] };
  const time = new Date().toISOString();
  const rest = c.pairs.filter((e) => e.id !== entry.id);
  const next = entry.status === "untouched" ? rest : [...rest, { ...entry, status: entry.status, time }];
  const old = (await exists(histFile)) ? await Deno.readTextFile(histFile) : "";
  const line = JSON.stringify({ time, id: entry.id, by: entry.by, status: entry.status, ...history });
  await writeAll([
    { path: corrFile, data: JSON.stringify({ version: 1, pairs: next }, null, 2) + "\n" },
    { path: histFile, data: old + line + "\n" },
  ]);
  return [CORRECTIONS_FILE, HISTORY_FILE];
}
