/**
 * Shards of a batch job, one rule for every command that takes `--shard i/n` (`generate`, `match`, `annotate`,
 * `evaluate`): shard `i` of `n` takes the items whose index in the whole list is `i` modulo `n` (round robin, so
 * every shard gets a like share of every character). A shard of a pair list writes `shard.json` beside its
 * outputs: the command, the shard id, the whole list's length and hash, the pairs it took (with their indices in
 * the whole list) and the options that shape the outputs. A merge reads the manifests back and checks, with one
 * line per problem: same command, same list, same options, no pair twice, and every pair there (or `--partial`).
 *
 * @module
 */
import * as path from "node:path";
import { formatPairsCsv, type PairRef } from "./pairs.ts";
import { UserError } from "../util/errors.ts";
import { exists, readJson } from "../util/fs.ts";

/** A shard: `index` of `count` (0-based). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Parses `i/n` into a shard, or a one-line {@link UserError}.
 *
 * @example
 * ```ts
 * parseShard("2/8"); // { index: 2, count: 8 }
 * ```
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new UserError(`--shard must look like i/n (for example 0/4), got ${JSON.stringify(text)}`);
  const index = Number(m[1]), count = Number(m[2]);
  if (count < 1) throw new UserError(`--shard ${text}: the shard count must be at least 1`);
  if (index >= count) throw new UserError(`--shard ${text}: the index must be in 0..${count - 1}`);
  return { index, count };
}

/**
 * `i/n`, as `--shard` takes it.
 *
 * @example
 * ```ts
 * shardName({ index: 2, count: 8 }); // "2/8"
 * ```
 */
export function shardName(s: Shard): string {
  return `${s.index}/${s.count}`;
}

/**
 * True when item `index` of the whole list belongs to `shard` (every item does without a shard).
 *
 * @example
 * ```ts
 * inShard(10, { index: 2, count: 8 }); // true: 10 mod 8 = 2
 * ```
 */
export function inShard(index: number, shard: Shard | null): boolean {
  return shard === null || index % shard.count === shard.index;
}

/**
 * The items of one shard with their indices in the whole list. A shard that takes nothing (more shards than
 * items) is a one-line {@link UserError}: a Slurm array larger than the job is a mistake worth hearing about.
 *
 * @param noun what the items are, for the error line ("pairs")
 * @example
 * ```ts
 * selectShard(["a", "b", "c", "d", "e"], { index: 1, count: 2 }); // { indices: [1, 3], items: ["b", "d"] }
 * ```
 */
export function selectShard<T>(
  items: readonly T[],
  shard: Shard | null,
  noun = "pairs",
): { indices: number[]; items: T[] } {
  const indices: number[] = [];
  for (let i = 0; i < items.length; i++) if (inShard(i, shard)) indices.push(i);
  if (shard && indices.length === 0) {
    throw new UserError(
      `--shard ${shardName(shard)} names no ${noun}: the list has ${items.length} ${noun}, so at most ${
        Math.max(1, items.length)
      } shard(s) can each get one`,
    );
  }
  return { indices, items: indices.map((i) => items[i]) };
}

/** Name of a shard's manifest, at the top of its output folder. */
export const SHARD_MANIFEST = "shard.json";

/** One pair a shard took, with its index in the whole list. */
export interface ShardPair {
  index: number;
  dir: string;
  reference: string;
  target: string;
}

/** `shard.json`. */
export interface ShardManifest {
  tool: "mangamatch";
  kind: "shard";
  version: 1;
  /** The command that wrote it: a merge accepts only its own command's shards. */
  command: string;
  shard: Shard;
  /** Pairs in the whole list (before sharding). */
  total: number;
  /** sha256 of the whole list as pairs.csv text: shards of different lists do not merge. */
  list_sha256: string;
  /** The pairs this shard took, in its order of work. */
  pairs: ShardPair[];
  /** What shapes the outputs (data, weights, thresholds...): must be equal across the shards of one job. */
  options: Record<string, unknown>;
}

/**
 * sha256 (hex) of a pair list, as pairs.csv text.
 *
 * @example
 * ```ts
 * await pairListSha256([{ dir: "char00000", reference: "0000", target: "0007" }]);
 * ```
 */
export async function pairListSha256(pairs: readonly PairRef[]): Promise<string> {
  const bytes = new TextEncoder().encode(formatPairsCsv(pairs));
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(h, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The manifest of one shard of `all`.
 *
 * @example
 * ```ts
 * const sel = selectShard(all, shard);
 * const m = await shardManifest("match", shard, all, sel.indices, { data: root });
 * await atomicWriteJson(path.join(tmp, SHARD_MANIFEST), m);
 * ```
 */
export async function shardManifest(
  command: string,
  shard: Shard,
  all: readonly PairRef[],
  indices: readonly number[],
  options: Record<string, unknown>,
): Promise<ShardManifest> {
  return {
    tool: "mangamatch",
    kind: "shard",
    version: 1,
    command,
    shard,
    total: all.length,
    list_sha256: await pairListSha256(all),
    pairs: indices.map((i) => ({
      index: i,
      dir: all[i].dir,
      reference: all[i].reference,
      target: all[i].target,
    })),
    // A JSON round trip: what is compared at the merge is what was written.
    options: JSON.parse(JSON.stringify(options)),
  };
}

/**
 * Reads a shard folder's manifest; a folder that is not a shard of `command` is a one-line error naming it.
 *
 * @example
 * ```ts
 * const m = await readShardManifest("out/eval-3", "evaluate");
 * ```
 */
export async function readShardManifest(dir: string, command: string): Promise<ShardManifest> {
  if (!(await exists(dir))) throw new UserError("shard folder not found", dir);
  const file = path.join(dir, SHARD_MANIFEST);
  if (!(await exists(file))) {
    throw new UserError(`no ${SHARD_MANIFEST}: not a shard (made by deno task ${command} --shard i/n)`, dir);
  }
  const m = await readJson<ShardManifest>(file);
  const ok = m?.tool === "mangamatch" && m.kind === "shard" && Array.isArray(m.pairs) &&
    Number.isInteger(m.shard?.index) && Number.isInteger(m.shard?.count) && Number.isInteger(m.total) &&
    typeof m.list_sha256 === "string" && typeof m.options === "object" && m.options !== null;
  if (!ok) throw new UserError("not a shard manifest", file);
  if (m.command !== command) {
    throw new UserError(`is a shard of deno task ${m.command}, not of ${command}`, dir);
  }
  if (m.pairs.length === 0) throw new UserError("shard names no pairs", file);
  for (const p of m.pairs) {
    if (!Number.isInteger(p.index) || p.index < 0 || p.index >= m.total) {
      throw new UserError(`pair index ${p.index} is outside the list of ${m.total}`, file);
    }
  }
  return m;
}

/** Where a pair of the merged list lives. */
export interface MergedPair extends ShardPair {
  /** Position of its shard in the folders given. */
  shard: number;
  /** Its position in that shard's own order of work. */
  position: number;
}

/** The checked shards of one job. */
export interface ShardSet {
  dirs: string[];
  manifests: ShardManifest[];
  /** Every pair the shards hold, in the whole list's order. */
  pairs: MergedPair[];
  /** Pairs of the whole list. */
  total: number;
  /** Shards of the job not given (empty when every pair is there). */
  missing: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The first option that differs between two option objects, as one phrase naming its path, or null. */
function optionDifference(a: Record<string, unknown>, b: Record<string, unknown>, at = ""): string | null {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const name = at ? `${at}.${k}` : k;
    if (isObject(a[k]) && isObject(b[k])) {
      const d = optionDifference(a[k] as Record<string, unknown>, b[k] as Record<string, unknown>, name);
      if (d) return d;
      continue;
    }
    const va = JSON.stringify(a[k]), vb = JSON.stringify(b[k]);
    if (va !== vb) return `${name} is ${vb ?? "absent"} here but ${va ?? "absent"} in the first shard`;
  }
  return null;
}

/**
 * Reads and checks the shards of one job: one command, one pair list, one set of options, no pair in two
 * shards; missing pairs are an error naming the missing shards unless `partial`.
 *
 * @example
 * ```ts
 * const set = await readShardSet(["out/m-0", "out/m-1"], "match");
 * for (const p of set.pairs) copy(path.join(set.dirs[p.shard], p.dir), ...);
 * ```
 */
export async function readShardSet(
  dirs: readonly string[],
  command: string,
  opts: { partial?: boolean } = {},
): Promise<ShardSet> {
  if (dirs.length === 0) throw new UserError("--merge needs the shard folders to merge (after --out DIR)");
  const manifests: ShardManifest[] = [];
  for (const d of dirs) manifests.push(await readShardManifest(d, command));
  const first = manifests[0];
  const owner = new Map<number, number>();
  const byId = new Map<string, number>();
  manifests.forEach((m, k) => {
    if (m.total !== first.total || m.list_sha256 !== first.list_sha256) {
      throw new UserError(
        `is a shard of another pair list (${m.total} pairs, sha256 ${m.list_sha256.slice(0, 12)}) than ${
          dirs[0]
        } (${first.total} pairs, ${first.list_sha256.slice(0, 12)})`,
        dirs[k],
      );
    }
    const diff = optionDifference(first.options, m.options);
    if (diff) throw new UserError(`options differ from ${dirs[0]}: ${diff}; shards of one job only`, dirs[k]);
    const id = shardName(m.shard);
    if (byId.has(id)) throw new UserError(`shard ${id} given twice (also ${dirs[byId.get(id)!]})`, dirs[k]);
    byId.set(id, k);
    for (const p of m.pairs) {
      const o = owner.get(p.index);
      if (o !== undefined) {
        throw new UserError(
          `shards overlap: pair ${p.dir},${p.reference},${p.target} (#${p.index}) is also in ${dirs[o]} ` +
            `(shard ${shardName(manifests[o].shard)} vs ${id})`,
          dirs[k],
        );
      }
      owner.set(p.index, k);
    }
  });
  const pairs: MergedPair[] = [];
  manifests.forEach((m, k) => m.pairs.forEach((p, position) => pairs.push({ ...p, shard: k, position })));
  pairs.sort((a, b) => a.index - b.index);
  const missing: string[] = [];
  if (pairs.length < first.total) {
    // The shards a full job would have had, by the counts given, that hold a missing pair.
    const counts = [...new Set(manifests.map((m) => m.shard.count))].sort((a, b) => a - b);
    const seen = new Set<string>();
    for (let i = 0; i < first.total; i++) {
      if (owner.has(i)) continue;
      const id = `${i % counts[0]}/${counts[0]}`;
      if (!seen.has(id)) seen.add(id), missing.push(id);
    }
    if (!opts.partial) {
      throw new UserError(
        `missing shard(s) ${missing.join(", ")}: ${
          first.total - pairs.length
        } of ${first.total} pairs are in ` +
          "no folder given (pass --partial to merge what is there)",
      );
    }
  }
  return { dirs: [...dirs], manifests, pairs, total: first.total, missing };
}
