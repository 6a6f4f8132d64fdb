/**
 * Pair lists: `pairs.csv` with columns `dir,reference,target` (the official release's format; reference and
 * target are frame names without extension), or, without one, frame i and frame i+gap of each character.
 *
 * @module
 */
import * as path from "node:path";
import { UserError } from "../util/errors.ts";
import { atomicWrite, exists } from "../util/fs.ts";
import { listCharacters, listFrames } from "./pbc.ts";
import { correctedFirst, readCorrections } from "./corrections.ts";

/** One pair of frames of one character. */
export interface PairRef {
  /** Character folder. */
  dir: string;
  reference: string;
  target: string;
  /** True when a person corrected this pair's labels in the studio (`corrections.json`). */
  corrected?: boolean;
}

/** Default frame gap between the two frames of a pair (the paper's and release's PBC setting). */
export const DEFAULT_GAP = 7;

function stripExt(name: string): string {
  return name.replace(/\.(png|jpg|jpeg|webp)$/i, "");
}

/** Parses pairs.csv text (header required, any column order, extra columns ignored). */
export function parsePairsCsv(text: string, file: string): PairRef[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith("#"));
  if (lines.length === 0) {
    throw new UserError("empty pairs file (expected a header dir,reference,target)", file);
  }
  const header = lines[0].split(",").map((h) => h.trim().toLowerCase());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new UserError(
        `missing column "${name}" in header "${lines[0]}" (need dir,reference,target)`,
        file,
      );
    }
    return i;
  };
  const di = col("dir"), ri = col("reference"), ti = col("target");
  return lines.slice(1).map((l, k) => {
    const c = l.split(",").map((x) => x.trim());
    if (c.length < header.length || !c[di] || !c[ri] || !c[ti]) {
      throw new UserError(`line ${k + 2}: expected ${header.length} fields, got "${l}"`, file);
    }
    return { dir: c[di], reference: stripExt(c[ri]), target: stripExt(c[ti]) };
  });
}

/** Reads a pairs.csv file. */
export async function readPairsCsv(file: string): Promise<PairRef[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new UserError("pairs file not found", file);
    throw e;
  }
  return parsePairsCsv(text, file);
}

/** pairs.csv text for a list of pairs. */
export function formatPairsCsv(pairs: readonly PairRef[]): string {
  return ["dir,reference,target", ...pairs.map((p) => `${p.dir},${p.reference},${p.target}`)].join("\n") +
    "\n";
}

/** Writes pairs.csv atomically. */
export async function writePairsCsv(file: string, pairs: readonly PairRef[]): Promise<void> {
  await atomicWrite(file, formatPairsCsv(pairs));
}

/**
 * Frame i and frame i+gap of each character's sorted frames.
 *
 * @example
 * ```ts
 * const pairs = await defaultPairs("data/test-clean"); // gap 7
 * ```
 */
export async function defaultPairs(root: string, gap = DEFAULT_GAP): Promise<PairRef[]> {
  if (!Number.isInteger(gap) || gap < 1) throw new UserError(`gap must be a positive integer, got ${gap}`);
  const out: PairRef[] = [];
  for (const dir of await listCharacters(root)) {
    const frames = await listFrames(root, dir);
    for (let i = 0; i + gap < frames.length; i++) {
      out.push({ dir, reference: frames[i], target: frames[i + gap] });
    }
  }
  if (out.length === 0) {
    throw new UserError(
      `no pairs: every character has at most ${gap} frames (pass a pairs.csv or a smaller gap)`,
      root,
    );
  }
  return out;
}

/**
 * The pairs of a dataset: from `pairsCsv` when given, else `<root>/pairs.csv` when present, else
 * {@link defaultPairs}. Pairs naming missing frames are an error naming the frame. Pairs corrected by hand
 * (`<root>/corrections.json`, see `corrections.ts`) come first, flagged `corrected`.
 */
export async function resolvePairs(
  root: string,
  opts: { pairsCsv?: string; gap?: number } = {},
): Promise<PairRef[]> {
  if (!(await exists(root))) throw new UserError("dataset folder not found", root);
  const csv = opts.pairsCsv ?? path.join(root, "pairs.csv");
  const pairs = opts.pairsCsv || await exists(csv)
    ? await readPairsCsv(csv)
    : await defaultPairs(root, opts.gap);
  for (const p of pairs) {
    for (const f of [p.reference, p.target]) {
      const file = path.join(root, p.dir, "line", `${f}.png`);
      if (!(await exists(file))) {
        throw new UserError(`pair ${p.dir},${p.reference},${p.target} names a missing frame`, file);
      }
    }
  }
  return correctedFirst(pairs, await readCorrections(root));
}
