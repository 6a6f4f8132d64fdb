/**
 * Paths confined to the studio's data root: names from pair lists and requests must be single path components
 * (no `..`, no separators), and every file the studio reads or writes must resolve, symlinks followed, inside
 * the root. A write never follows a symlink.
 *
 * @module
 */
import * as path from "node:path";
import { UserError } from "../util/errors.ts";

/** Refused: a path outside the data root, or a name that is not a plain file or folder name. */
export class ConfinementError extends UserError {
  constructor(problem: string, file?: string) {
    super(problem, file);
    this.name = "ConfinementError";
  }
}

/**
 * Checks that `name` is one plain path component (a character folder or a frame name).
 *
 * @example
 * ```ts
 * safeName("char0001", "dir"); // ok
 * safeName("../etc", "dir"); // throws ConfinementError
 * ```
 */
export function safeName(name: string, what: string): string {
  if (
    typeof name !== "string" || name === "" || name === "." || name === ".." || /[/\\\0]/.test(name) ||
    name.includes("..")
  ) {
    throw new ConfinementError(`${what} ${JSON.stringify(name)} is not a plain name (no "..", no "/")`);
  }
  return name;
}

/** A data root, resolved once, and the files under it. */
export class Root {
  /** The root as given, made absolute. */
  readonly dir: string;
  /** The root with symlinks resolved. */
  readonly real: string;

  private constructor(dir: string, real: string) {
    this.dir = dir;
    this.real = real;
  }

  /** Opens a root folder (it must exist and be a folder). */
  static async open(dir: string): Promise<Root> {
    const abs = path.resolve(dir);
    let real: string;
    try {
      real = await Deno.realPath(abs);
      if (!(await Deno.stat(real)).isDirectory) throw new UserError("not a folder", dir);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) throw new UserError("folder not found", dir);
      throw e;
    }
    return new Root(abs, real);
  }

  private inside(p: string): boolean {
    const rel = path.relative(this.real, p);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
  }

  /**
   * The path of `parts` (plain names, joined) under the root, after checking that it and every existing
   * folder on the way resolve inside the root. The file itself need not exist.
   */
  async file(...parts: string[]): Promise<string> {
    for (const p of parts) {
      for (const seg of p.split("/")) safeName(seg, "path part");
    }
    const full = path.join(this.real, ...parts);
    // The deepest existing ancestor (or the file) must resolve inside the root.
    let probe = full;
    for (;;) {
      try {
        const real = await Deno.realPath(probe);
        if (!this.inside(real)) {
          throw new ConfinementError(
            "resolves outside the data root (a symlink out of it?)",
            this.show(full),
          );
        }
        break;
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
        const up = path.dirname(probe);
        if (up === probe) break;
        probe = up;
      }
    }
    return full;
  }

  /** Like {@link file}, and refuses a path that is itself a symlink (a write would replace the link). */
  async writable(...parts: string[]): Promise<string> {
    const p = await this.file(...parts);
    try {
      if ((await Deno.lstat(p)).isSymlink) {
        throw new ConfinementError("is a symlink: not written", this.show(p));
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    return p;
  }

  /** A path for messages: relative to the root. */
  show(p: string): string {
    return path.relative(this.real, p) || ".";
  }
}
