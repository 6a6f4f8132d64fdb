/**
 * Errors a user can act on. The CLI prints a {@link UserError} as one line (`error: <file>: <problem>`) and exits
 * with status 2; any other error is a bug and keeps its stack trace.
 *
 * @module
 */

/**
 * A problem with the user's input: a file, a folder, an option.
 *
 * @example
 * ```ts
 * throw new UserError("not a PNG, JPEG or WebP image", "frames/a.png");
 * // message: "frames/a.png: not a PNG, JPEG or WebP image"
 * ```
 */
export class UserError extends Error {
  /** The file or folder at fault, when there is one. */
  readonly file?: string;
  constructor(problem: string, file?: string) {
    super(file ? `${file}: ${problem}` : problem);
    this.name = "UserError";
    this.file = file;
  }
}

/** The message of any thrown value, on one line. */
export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/\s*\n\s*/g, " ").trim();
}
