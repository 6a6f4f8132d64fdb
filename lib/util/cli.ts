/**
 * Command-line plumbing shared by every task in `lib/cli/`: option parsing (on `node:util`'s `parseArgs`,
 * since `jsr:@std/cli` cannot be reached here), usage text, and a `main` wrapper that turns a
 * {@link UserError} into one `error:` line and exit status 2.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { oneLine, UserError } from "./errors.ts";

/** One option of a command. */
export interface OptionSpec {
  type: "string" | "boolean";
  /** One-letter alias. */
  short?: string;
  /** Shown in `--help`. */
  help: string;
  /** Default value (as the string the user would type, or a boolean). */
  default?: string | boolean;
}

/** A command: its name, summary, options and positional arguments. */
export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** Example invocations shown in `--help`. */
  examples?: string[];
}

/** Parsed options: strings and booleans by name, plus positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Help text for a command. */
export function usage(spec: CommandSpec): string {
  const lines = [`${spec.name}: ${spec.summary}`, "", `usage: ${spec.usage}`, "", "options:"];
  const entries = Object.entries({
    ...spec.options,
    help: { type: "boolean", help: "show this help" } as OptionSpec,
  });
  for (const [name, o] of entries) {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? " <v>" : ""}`;
    const def = o.default !== undefined && o.default !== false ? ` (default: ${o.default})` : "";
    lines.push(`  ${flag.padEnd(28)} ${o.help}${def}`);
  }
  if (spec.examples?.length) lines.push("", "examples:", ...spec.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

/**
 * Parses `args` against `spec`. Unknown options are a {@link UserError}; `--help` prints usage and exits 0.
 *
 * @example
 * ```ts
 * const { values } = parseCommand(Deno.args, {
 *   name: "generate", summary: "make a dataset", usage: "deno task generate --out DIR",
 *   options: { out: { type: "string", help: "output folder" } },
 * });
 * ```
 */
export function parseCommand(args: string[], spec: CommandSpec): ParsedArgs {
  const options: Record<string, { type: "string" | "boolean"; short?: string; default?: string | boolean }> =
    {
      help: { type: "boolean", short: "h" },
    };
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = {
      type: o.type,
      ...(o.short ? { short: o.short } : {}),
      ...(o.default !== undefined ? { default: o.default } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError(`${oneLine(e)} (see --help)`);
  }
  if (parsed.values.help) {
    console.log(usage(spec));
    Deno.exit(0);
  }
  return { values: parsed.values as ParsedArgs["values"], positionals: parsed.positionals };
}

/** A string option, or a {@link UserError} when required and absent. */
export function str(a: ParsedArgs, name: string, required: true): string;
export function str(a: ParsedArgs, name: string, required?: false): string | undefined;
export function str(a: ParsedArgs, name: string, required = false): string | undefined {
  const v = a.values[name];
  if (v === undefined || v === "") {
    if (required) throw new UserError(`missing --${name} (see --help)`);
    return undefined;
  }
  return String(v);
}

/** A numeric option checked against bounds; `integer` rejects fractions. */
export function num(
  a: ParsedArgs,
  name: string,
  opts: { def?: number; min?: number; max?: number; integer?: boolean } = {},
): number {
  const raw = a.values[name];
  if (raw === undefined || raw === "") {
    if (opts.def === undefined) throw new UserError(`missing --${name} (see --help)`);
    return opts.def;
  }
  const v = Number(raw);
  if (!Number.isFinite(v) || (opts.integer && !Number.isInteger(v))) {
    throw new UserError(
      `--${name} must be ${opts.integer ? "an integer" : "a number"}, got ${JSON.stringify(raw)}`,
    );
  }
  if (opts.min !== undefined && v < opts.min) {
    throw new UserError(`--${name} must be >= ${opts.min}, got ${v}`);
  }
  if (opts.max !== undefined && v > opts.max) {
    throw new UserError(`--${name} must be <= ${opts.max}, got ${v}`);
  }
  return v;
}

/** One of a fixed set of choices. */
export function choice<T extends string>(a: ParsedArgs, name: string, choices: readonly T[], def: T): T {
  const v = a.values[name];
  if (v === undefined || v === "") return def;
  if (!choices.includes(v as T)) {
    throw new UserError(`--${name} must be one of ${choices.join("|")}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/**
 * Runs a command's body: a {@link UserError} becomes `error: <message>` on stderr and exit status 2, any other
 * error keeps its stack and exits 1.
 *
 * @example
 * ```ts
 * if (import.meta.main) runMain(() => generateCommand(Deno.args));
 * ```
 */
export async function runMain(body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof UserError) {
      console.error(`error: ${oneLine(e)}`);
      Deno.exit(2);
    }
    console.error(e);
    Deno.exit(1);
  }
}
