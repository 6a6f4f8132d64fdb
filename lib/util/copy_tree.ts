/**
 * Copies a folder tree (files and sub-folders) into another place, for merges that gather the outputs of
 * shards into one staged folder.
 *
 * @module
 */
import * as path from "node:path";
import { listDir } from "./fs.ts";

/**
 * Copies `src` (a folder) to `dst`, creating `dst` and its sub-folders; files are copied as they are.
 *
 * @example
 * ```ts
 * await copyTree("out/shard-0/char00000", `${tmp}/char00000`);
 * ```
 */
export async function copyTree(src: string, dst: string): Promise<void> {
  await Deno.mkdir(dst, { recursive: true });
  for (const name of await listDir(src)) {
    const s = path.join(src, name), d = path.join(dst, name);
    const st = await Deno.stat(s);
    if (st.isDirectory) await copyTree(s, d);
    else await Deno.copyFile(s, d);
  }
}
