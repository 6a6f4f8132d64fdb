/**
 * Hand corrections of a dataset (what `deno task studio` writes): `<root>/corrections.json` lists the pairs a
 * person corrected (their `seg`, `json_index` and `label` files were rewritten in place) or skipped. Readers of
 * pairs ({@link resolvePairs}, so `train` and `evaluate`) put the corrected pairs first and flag them
 * (`corrected: true`), so a short run or a subset uses the hand-checked labels first. Without the file nothing
 * changes: same pairs, same order.
 *
 * ```json
 * {"version": 1, "pairs": [{"id": "char0001/0000/0007", "dir": "char0001", "reference": "0000",
 *   "target": "0007", "status": "corrected", "time": "2026-12-04T15:00:00.000Z", "by": "ana"}]}
 * ```
 *
 * @module
 */
import * as path from "node:path";
import { UserError } from "../util/errors.ts";
import { exists, readJson } from "../util/fs.ts";
import type { PairRef } from "./pairs.ts";

/** File name of the corrections list, at the dataset root. */
export const CORRECTIONS_FILE = "corrections.json";

/** What a person did to a pair. */
export type CorrectionStatus = "corrected" | "skipped";

/** One entry of the corrections list. */
export interface CorrectionEntry {
  /** Pair id: `dir/reference/target` in a dataset, the folder relative to the root in a match output. */
  id: string;
  dir?: string;
  reference?: string;
  target?: string;
  status: CorrectionStatus;
  /** ISO time of the last change. */
  time: string;
  /** Who made it. */
  by: string;
  /** Regions marked as having no counterpart: reference ids, target ids (studio bookkeeping). */
  none?: [number[], number[]];
}

/** The corrections file. */
export interface Corrections {
  version: 1;
  pairs: CorrectionEntry[];
}

/** The id of a dataset pair in the corrections list. */
export function pairId(p: PairRef): string {
  return `${p.dir}/${p.reference}/${p.target}`;
}

/**
 * Reads `<root>/corrections.json`, or null when there is none; a malformed file is a one-line error naming it.
 *
 * @example
 * ```ts
 * const c = await readCorrections("data/auto-clean");
 * console.log(c?.pairs.filter((e) => e.status === "corrected").length ?? 0);
 * ```
 */
export async function readCorrections(root: string): Promise<Corrections | null> {
  const file = path.join(root, CORRECTIONS_FILE);
  if (!(await exists(file))) return null;
  const obj = await readJson<Corrections>(file);
  if (typeof obj !== "object" || obj === null || obj.version !== 1 || !Array.isArray(obj.pairs)) {
    throw new UserError('expected {"version": 1, "pairs": [...]}', file);
  }
  for (const e of obj.pairs) {
    if (
      typeof e !== "object" || e === null || typeof e.id !== "string" ||
      (e.status !== "corrected" && e.status !== "skipped")
    ) {
      throw new UserError(
        `bad entry ${JSON.stringify(e)} (expected {id, status: corrected|skipped, ...})`,
        file,
      );
    }
  }
  return obj;
}

/**
 * The pairs with the corrected ones first (in their order, flagged `corrected: true`), then the rest in theirs.
 *
 * @example
 * ```ts
 * const pairs = correctedFirst(await resolvePairs(root), await readCorrections(root));
 * ```
 */
export function correctedFirst<T extends PairRef>(pairs: readonly T[], c: Corrections | null): T[] {
  if (!c) return [...pairs];
  const done = new Set(c.pairs.filter((e) => e.status === "corrected").map((e) => e.id));
  const first: T[] = [], rest: T[] = [];
  for (const p of pairs) {
    if (done.has(pairId(p))) first.push({ ...p, corrected: true });
    else rest.push(p);
  }
  return [...first, ...rest];
}
