/**
 * Whole datasets: the plan (which characters, how many frames each, which pairs), generation of all or one
 * shard of it into a PBC-layout folder (built in a temporary sibling and renamed at the end), and the merge of
 * shards into one dataset. Every character depends only on the seed and its global index, so a shard makes
 * exactly the characters the whole run would, and merging all shards gives the whole run's bytes.
 *
 * @module
 */
import * as path from "node:path";
import { writeFrame } from "../data/pbc.ts";
import { type PairRef, writePairsCsv } from "../data/pairs.ts";
import { inShard, type Shard, shardName } from "../data/shard.ts";
import { copyTree } from "../util/copy_tree.ts";
import { UserError } from "../util/errors.ts";
import { atomicWriteJson, exists, readJson, stageDir } from "../util/fs.ts";
import { Progress } from "../util/progress.ts";
import { Rng } from "../util/rng.ts";
import { type Family, makeSubject, parseFamilies } from "./family.ts";
import { parseStyles, pickStyle, renderStyled, styleName, type StyleSpec } from "./styles.ts";

/** Settings of a generated dataset. */
export interface DatasetSettings {
  /** Number of pairs in the whole dataset. */
  pairs: number;
  /** Line style(s): `clean`, `hand-drawn`, `sketchy`, with `+modifiers`, comma-separated, or `mix` (styles.ts). */
  style: string;
  seed: number;
  /** Frame side in pixels. */
  size: number;
  /** Frame gap of a pair. */
  gap: number;
  /** Frames per character (the last character may have fewer). */
  framesPerCharacter: number;
  /** Families, comma-separated (family.ts); absent: `human`, the original generator. */
  family?: string;
  /** Canvas width / height; absent: 1 (square). `size` is the longer side. */
  aspect?: number;
}

/** Defaults. */
export const DATASET_DEFAULTS: Readonly<Omit<DatasetSettings, "pairs" | "style" | "seed">> = {
  size: 512, // the paper's training and test resolution
  gap: 7, // the paper's PBC pair gap
  framesPerCharacter: 15, // 8 pairs per character: many characters (variety) at under 2 frames per pair
};

export { parseShard, type Shard } from "../data/shard.ts";

/** One character of the plan. */
export interface PlannedCharacter {
  /** Global index. */
  index: number;
  /** Folder name, unique across shards. */
  name: string;
  frames: number;
  pairs: number;
}

/** The manifest written as `generate.json` beside `pairs.csv`. */
export interface Manifest {
  generator: "mangamatch";
  version: 1;
  settings: DatasetSettings;
  /** Characters in the whole dataset. */
  totalCharacters: number;
  /** The shard this folder holds, or null for a whole dataset. */
  shard: Shard | null;
  /** Names of the characters in this folder. */
  characters: string[];
  /** Family and style of each character (absent for the original human datasets in one base style). */
  characterInfo?: Record<string, { family: Family; style: string }>;
}

/** Name of the manifest file. */
export const MANIFEST = "generate.json";

/**
 * Checks settings, with one clear line per problem.
 *
 * @example
 * ```ts
 * checkSettings({ pairs: 300, style: "clean", seed: 1, size: 512, gap: 7, framesPerCharacter: 15 }); // ok
 * ```
 */
export function checkSettings(s: DatasetSettings): void {
  const int = (v: number, name: string, min: number) => {
    if (!Number.isInteger(v) || v < min) {
      throw new UserError(`--${name} must be an integer >= ${min}, got ${v}`);
    }
  };
  int(s.pairs, "pairs", 1);
  int(s.size, "size", 64);
  int(s.gap, "gap", 1);
  int(s.framesPerCharacter, "frames", s.gap + 1);
  if (!Number.isInteger(s.seed)) throw new UserError(`--seed must be an integer, got ${s.seed}`);
  parseStyles(s.style);
  if (s.family !== undefined) parseFamilies(s.family);
  if (s.aspect !== undefined && !(s.aspect >= 0.25 && s.aspect <= 4)) {
    throw new UserError(`--aspect must be between 0.25 and 4 (width / height), got ${s.aspect}`);
  }
}

/**
 * Canvas width and height of a dataset: `size` on the longer side.
 *
 * @example
 * ```ts
 * canvasSize({ size: 512, aspect: 1.5 }); // { width: 512, height: 341 }
 * ```
 */
export function canvasSize(s: Pick<DatasetSettings, "size" | "aspect">): { width: number; height: number } {
  const a = s.aspect ?? 1;
  return a >= 1
    ? { width: s.size, height: Math.max(16, Math.round(s.size / a)) }
    : { width: Math.max(16, Math.round(s.size * a)), height: s.size };
}

/**
 * The family and line style of character `index`: a pure function of the settings and the index (one of the
 * listed families and styles, drawn from the character's own stream), so shards and merges agree.
 *
 * @example
 * ```ts
 * characterChoice({ ...settings, family: "human,quadruped", style: "clean,hand-drawn+pencil" }, 3);
 * ```
 */
export function characterChoice(
  s: Pick<DatasetSettings, "seed" | "style" | "family">,
  index: number,
): { family: Family; style: StyleSpec } {
  const rng = new Rng(s.seed).fork(`character:${index}`);
  const fams = parseFamilies(s.family ?? "human");
  const family = fams.length === 1 ? fams[0] : rng.fork("family").pick(fams);
  return { family, style: pickStyle(parseStyles(s.style), rng.fork("style")) };
}

/** The manifest's per-character family and style, or undefined for the original human, one-base-style sets. */
function characterInfo(s: DatasetSettings, chars: PlannedCharacter[]): Manifest["characterInfo"] {
  const plain = (s.family === undefined || s.family === "human") &&
    (s.style === "clean" || s.style === "hand-drawn");
  if (plain) return undefined;
  const out: NonNullable<Manifest["characterInfo"]> = {};
  for (const c of chars) {
    const ch = characterChoice(s, c.index);
    out[c.name] = { family: ch.family, style: styleName(ch.style) };
  }
  return out;
}

/**
 * The characters of a dataset: as many full characters as the pairs need, the last one shortened so the
 * dataset has exactly `pairs` pairs.
 *
 * @example
 * ```ts
 * planCharacters({ pairs: 20, gap: 7, framesPerCharacter: 15 } as DatasetSettings);
 * // 3 characters: 8 + 8 + 4 pairs (15, 15 and 11 frames)
 * ```
 */
export function planCharacters(
  s: Pick<DatasetSettings, "pairs" | "gap" | "framesPerCharacter">,
): PlannedCharacter[] {
  const per = s.framesPerCharacter - s.gap;
  const n = Math.ceil(s.pairs / per);
  const width = Math.max(5, String(n - 1).length);
  const out: PlannedCharacter[] = [];
  for (let i = 0; i < n; i++) {
    const pairs = i < n - 1 ? per : s.pairs - per * (n - 1);
    out.push({ index: i, name: `char${String(i).padStart(width, "0")}`, frames: pairs + s.gap, pairs });
  }
  return out;
}

/**
 * The characters of one shard: every `count`-th, starting at `index` (round robin balances the load; the rule of
 * every `--shard`, `inShard` in lib/data/shard.ts, applied to character indices).
 *
 * @example
 * ```ts
 * const mine = shardCharacters(planCharacters(settings), { index: 2, count: 8 });
 * ```
 */
export function shardCharacters(all: PlannedCharacter[], shard: Shard | null): PlannedCharacter[] {
  return all.filter((c) => inShard(c.index, shard));
}

/**
 * Frame file stem.
 *
 * @example
 * ```ts
 * frameName(7); // "0007"
 * ```
 */
export function frameName(i: number): string {
  return String(i).padStart(4, "0");
}

/**
 * The pairs of planned characters (frame i with frame i + gap), in character order.
 *
 * @example
 * ```ts
 * const pairs = planPairs(planCharacters(settings), 7); // [{ dir: "char00000", reference: "0000", target: "0007" }, ...]
 * ```
 */
export function planPairs(chars: PlannedCharacter[], gap: number): PairRef[] {
  const out: PairRef[] = [];
  for (const c of chars) {
    for (let i = 0; i < c.pairs; i++) {
      out.push({ dir: c.name, reference: frameName(i), target: frameName(i + gap) });
    }
  }
  return out;
}

/** Options of {@link generateDataset}. */
export interface GenerateOptions extends DatasetSettings {
  out: string;
  shard?: Shard | null;
  force?: boolean;
  /** Progress display; "off" for silent runs (tests). */
  progress?: "auto" | "off";
  /** Frames encoded at once while the next ones render. */
  inFlight?: number;
}

/** What a generation did. */
export interface GenerateReport {
  out: string;
  characters: number;
  frames: number;
  pairs: number;
  seconds: number;
}

/**
 * Renders every frame of one character and writes it (files of a frame are written while the next renders).
 *
 * @example
 * ```ts
 * await generateCharacter(tmp, settings, plan[0], () => bar.tick());
 * ```
 */
export async function generateCharacter(
  root: string,
  s: DatasetSettings,
  c: PlannedCharacter,
  onFrame: () => void,
  inFlight = 4,
): Promise<void> {
  const rng = new Rng(s.seed).fork(`character:${c.index}`);
  const { width, height } = canvasSize(s);
  const choice = characterChoice(s, c.index);
  // The human family draws from the streams "spec" and "sequence" of `rng`, as the original generator did.
  const subject = makeSubject(choice.family, rng, c.name, c.frames, width, height);
  const pending: Promise<void>[] = [];
  for (let f = 0; f < c.frames; f++) {
    const fr = renderStyled(subject.scene(f), subject.labels, choice.style, {
      width,
      height,
      rng: rng.fork(`frame:${f}`),
    });
    pending.push(
      writeFrame(root, c.name, frameName(f), {
        line: fr.lineImage,
        seg: fr.seg,
        labelOfSeg: fr.labelOfSeg,
        labels: fr.labels,
        segColors: fr.segColors,
        gt: fr.gt,
      }).then(onFrame),
    );
    if (pending.length >= inFlight) await pending.shift();
  }
  await Promise.all(pending);
}

async function stage<T>(out: string, force: boolean, build: (tmp: string) => Promise<T>): Promise<T> {
  try {
    return await stageDir(out, { force }, build);
  } catch (e) {
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new UserError("cannot write here (permission denied)", out);
    }
    if (e instanceof Deno.errors.NotADirectory) {
      throw new UserError("a parent of the output is a file, not a folder", out);
    }
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotSupported) {
      throw new UserError(`cannot create the output folder (${(e as Error).message.split(":")[0]})`, out);
    }
    if (
      e instanceof Error && /read-only file system|os error 30|no space left|os error 28/i.test(e.message)
    ) {
      throw new UserError(`cannot write here (${e.message.split(":")[0]})`, out);
    }
    throw e;
  }
}

/**
 * Generates a dataset (or one shard of it) into `opts.out`: character folders in the PBC layout, `pairs.csv`
 * and `generate.json`. Refuses an existing output unless `force`.
 *
 * @example
 * ```ts
 * await generateDataset({ out: "data/test-clean", pairs: 300, style: "clean", seed: 1, size: 512, gap: 7, framesPerCharacter: 15 });
 * ```
 */
export async function generateDataset(opts: GenerateOptions): Promise<GenerateReport> {
  const s: DatasetSettings = {
    pairs: opts.pairs,
    style: opts.style,
    seed: opts.seed,
    size: opts.size,
    gap: opts.gap,
    framesPerCharacter: opts.framesPerCharacter,
    // Only when set: the original datasets' generate.json keeps its bytes.
    ...(opts.family !== undefined && opts.family !== "human" ? { family: opts.family } : {}),
    ...(opts.aspect !== undefined && opts.aspect !== 1 ? { aspect: opts.aspect } : {}),
  };
  checkSettings(s);
  const shard = opts.shard ?? null;
  const all = planCharacters(s);
  const mine = shardCharacters(all, shard);
  if (shard && mine.length === 0) {
    const n = all.length, id = shardName(shard);
    throw new UserError(
      `--shard ${id} names no pairs: the dataset has ${n} character(s) and shards split characters, ` +
        `so at most ${n} shard(s) can each get one`,
    );
  }
  const frames = mine.reduce((t, c) => t + c.frames, 0);
  const t0 = performance.now();
  await stage(opts.out, !!opts.force, async (tmp) => {
    const bar = new Progress({
      total: frames,
      label: `generate ${s.family ? `${s.family} ` : ""}${s.style}${
        shard ? ` shard ${shard.index}/${shard.count}` : ""
      }`,
      unit: "frames",
      mode: opts.progress === "off" ? "off" : undefined,
    });
    for (const c of mine) await generateCharacter(tmp, s, c, () => bar.tick(), opts.inFlight);
    await writePairsCsv(path.join(tmp, "pairs.csv"), planPairs(mine, s.gap));
    const manifest: Manifest = {
      generator: "mangamatch",
      version: 1,
      settings: s,
      totalCharacters: all.length,
      shard,
      characters: mine.map((c) => c.name),
      ...(characterInfo(s, mine) ? { characterInfo: characterInfo(s, mine) } : {}),
    };
    await atomicWriteJson(path.join(tmp, MANIFEST), manifest);
    await bar.done();
  });
  return {
    out: opts.out,
    characters: mine.length,
    frames,
    pairs: mine.reduce((t, c) => t + c.pairs, 0),
    seconds: (performance.now() - t0) / 1000,
  };
}

async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST);
  if (!(await exists(dir))) throw new UserError("shard folder not found", dir);
  if (!(await exists(file))) {
    throw new UserError(`no ${MANIFEST}: not a folder made by deno task generate`, dir);
  }
  const m = await readJson<Manifest>(file);
  if (m?.generator !== "mangamatch" || !m.settings || !Array.isArray(m.characters)) {
    throw new UserError("not a generate manifest", file);
  }
  return m;
}

/**
 * Merges the shards of one generation into one dataset at `out`: every shard of the same settings exactly
 * once. The result is byte for byte the dataset a single run would have made.
 *
 * @example
 * ```ts
 * await mergeShards("data/train", ["data/train-0", "data/train-1"]);
 * ```
 */
export async function mergeShards(
  out: string,
  shardDirs: string[],
  opts: { force?: boolean; progress?: "auto" | "off" } = {},
): Promise<GenerateReport> {
  if (shardDirs.length === 0) {
    throw new UserError("--merge needs the shard folders to merge (after --out DIR)");
  }
  const ms = await Promise.all(shardDirs.map(readManifest));
  const first = ms[0];
  const count = first.shard?.count ?? 1;
  const byIndex = new Map<number, string>();
  ms.forEach((m, k) => {
    if (JSON.stringify(m.settings) !== JSON.stringify(first.settings)) {
      throw new UserError(
        `settings differ from ${shardDirs[0]} (${JSON.stringify(m.settings)}); shards of one run only`,
        shardDirs[k],
      );
    }
    const idx = m.shard?.index ?? 0, cnt = m.shard?.count ?? 1;
    if (cnt !== count) {
      throw new UserError(`is shard ${idx}/${cnt} but ${shardDirs[0]} is of ${count}`, shardDirs[k]);
    }
    if (byIndex.has(idx)) {
      throw new UserError(`shard ${idx}/${cnt} given twice (also ${byIndex.get(idx)})`, shardDirs[k]);
    }
    byIndex.set(idx, shardDirs[k]);
  });
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new UserError(`missing shard(s) ${missing.map((i) => `${i}/${count}`).join(", ")}`);
  }
  const all = planCharacters(first.settings);
  const where = new Map<string, string>();
  ms.forEach((m, k) => m.characters.forEach((c) => where.set(c, shardDirs[k])));
  const t0 = performance.now();
  await stage(out, !!opts.force, async (tmp) => {
    const bar = new Progress({
      total: all.length,
      label: "merge",
      unit: "characters",
      mode: opts.progress === "off" ? "off" : undefined,
    });
    for (const c of all) {
      const src = where.get(c.name);
      if (!src || !(await exists(path.join(src, c.name)))) {
        throw new UserError(`character ${c.name} is missing`, src ?? shardDirs[0]);
      }
      await copyTree(path.join(src, c.name), path.join(tmp, c.name));
      bar.tick();
    }
    await writePairsCsv(path.join(tmp, "pairs.csv"), planPairs(all, first.settings.gap));
    const manifest: Manifest = {
      generator: "mangamatch",
      version: 1,
      settings: first.settings,
      totalCharacters: all.length,
      shard: null,
      characters: all.map((c) => c.name),
      ...(characterInfo(first.settings, all) ? { characterInfo: characterInfo(first.settings, all) } : {}),
    };
    await atomicWriteJson(path.join(tmp, MANIFEST), manifest);
    await bar.done();
  });
  return {
    out,
    characters: all.length,
    frames: all.reduce((t, c) => t + c.frames, 0),
    pairs: first.settings.pairs,
    seconds: (performance.now() - t0) / 1000,
  };
}
