/**
 * File-system helpers that never lose data: atomic writes (temporary file, then rename), outputs that are not
 * overwritten without `force`, and whole folders staged in a temporary sibling and renamed into place.
 *
 * @module
 */
import * as path from "node:path";
import { UserError } from "./errors.ts";

/** True when something exists at `p`. */
export async function exists(p: string): Promise<boolean> {
  try {
    await Deno.lstat(p);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Synchronous {@link exists}. */
export function existsSync(p: string): boolean {
  try {
    Deno.lstatSync(p);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

function tempSibling(p: string): string {
  const rand = crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
  return path.join(path.dirname(p), `.${path.basename(p)}.tmp-${Deno.pid}-${rand}`);
}

/**
 * Writes bytes or text to `p` atomically: a reader sees the old file or the whole new one, never a part.
 * Parent folders are created.
 *
 * @example
 * ```ts
 * await atomicWrite("out/matches.json", JSON.stringify(matches));
 * ```
 */
export async function atomicWrite(p: string, data: Uint8Array | string): Promise<void> {
  await Deno.mkdir(path.dirname(p), { recursive: true });
  const tmp = tempSibling(p);
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, p);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/** Writes pretty JSON atomically. */
export function atomicWriteJson(p: string, value: unknown): Promise<void> {
  return atomicWrite(p, JSON.stringify(value, null, 2) + "\n");
}

/** Reads and parses a JSON file, with a one-line error naming the file when it is missing or malformed. */
export async function readJson<T = unknown>(p: string): Promise<T> {
  let text: string;
  try {
    text = await Deno.readTextFile(p);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new UserError("file not found", p);
    throw e;
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new UserError(`not valid JSON (${(e as Error).message})`, p);
  }
}

/**
 * Refuses to go on when `p` exists and `force` is false: outputs are never overwritten silently.
 *
 * @example
 * ```ts
 * await guardOutput("out/tgt_seg.png", { force: args.force });
 * ```
 */
export async function guardOutput(p: string, opts: { force?: boolean } = {}): Promise<void> {
  if (!opts.force && await exists(p)) {
    throw new UserError("already exists; pass --force to overwrite it", p);
  }
}

/**
 * Builds a whole output folder in a temporary sibling and renames it into place only when `build` succeeds,
 * so that no half-written folder is ever left at `dir`. An existing `dir` is refused unless `force`, in which
 * case it is replaced only after the new one is complete.
 *
 * @example
 * ```ts
 * await stageDir("data/test", { force: false }, async (tmp) => {
 *   await Deno.writeTextFile(`${tmp}/pairs.csv`, "dir,reference,target\n");
 * });
 * ```
 */
export async function stageDir<T>(
  dir: string,
  opts: { force?: boolean },
  build: (tmpDir: string) => Promise<T>,
): Promise<T> {
  await guardOutput(dir, opts);
  const parent = path.dirname(path.resolve(dir));
  await Deno.mkdir(parent, { recursive: true });
  const tmp = tempSibling(path.resolve(dir));
  await Deno.mkdir(tmp, { recursive: true });
  let result: T;
  try {
    result = await build(tmp);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
  if (await exists(dir)) {
    const old = tempSibling(path.resolve(dir)) + "-old";
    await Deno.rename(dir, old);
    await Deno.rename(tmp, dir);
    await Deno.remove(old, { recursive: true });
  } else {
    await Deno.rename(tmp, dir);
  }
  return result;
}

/** Lists the names in a folder (sorted), or a one-line error naming the folder when it is missing. */
export async function listDir(
  dir: string,
  filter: (e: Deno.DirEntry) => boolean = () => true,
): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) if (filter(e)) names.push(e.name);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new UserError("folder not found", dir);
    if (e instanceof Deno.errors.NotADirectory) throw new UserError("not a folder", dir);
    throw e;
  }
  return names.sort();
}
