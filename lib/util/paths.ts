/**
 * Where things are: the repository root (found from this file, so it works from any working directory) and the
 * optional real data beside a developer's checkout (`../shared/real`), which a user's clone does not have.
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "./fs.ts";

/** Absolute path of the repository root. */
export const REPO_ROOT: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A path inside the repository. */
export function repoPath(...parts: string[]): string {
  return path.join(REPO_ROOT, ...parts);
}

/**
 * The real-data folder (`../shared/real` beside the repository, or `$MANGAMATCH_REAL`), or null when absent:
 * notebooks and benchmarks show or measure it when present and skip it cleanly otherwise. Tests never use it.
 */
export function realDataDir(): string | null {
  const env = Deno.env.get("MANGAMATCH_REAL");
  const dir = env ?? path.resolve(REPO_ROOT, "..", "shared", "real");
  return existsSync(dir) ? dir : null;
}
