/**
 * Benchmark records: each benchmark's JSON figures written under `experiments/bench/<name>.json` with the date,
 * the machine (CPU cores and model from /proc/cpuinfo), the command that made them and the load average it ran
 * under, so that a README figure cites a file a fresh clone can regenerate by the command inside it.
 *
 * @module
 */
import * as path from "node:path";
import { atomicWriteJson, guardOutput } from "../util/fs.ts";
import { REPO_ROOT } from "../util/paths.ts";

/** Where records go: `experiments/bench/` in the repository. */
export const BENCH_RECORD_DIR = path.join(REPO_ROOT, "experiments", "bench");

/** The machine a benchmark ran on. */
export interface MachineInfo {
  /** Logical CPUs the process can use. */
  cores: number;
  /** `model name` from /proc/cpuinfo (null where absent). */
  cpu_model: string | null;
  os: string;
  arch: string;
  /** Memory in GiB (null where unknown). */
  memory_gib: number | null;
}

/**
 * The CPU model named by a /proc/cpuinfo text (its first `model name` line), or null.
 *
 * @example
 * ```ts
 * cpuModelOf("processor\t: 0\nmodel name\t: AMD EPYC\n"); // "AMD EPYC"
 * ```
 */
export function cpuModelOf(cpuinfo: string): string | null {
  const m = cpuinfo.match(/^model name\s*:\s*(.+)$/m);
  return m ? m[1].trim() : null;
}

/**
 * This machine: cores, CPU model, OS, architecture and memory.
 *
 * @example
 * ```ts
 * machineInfo(); // { cores: 2, cpu_model: "AMD EPYC", os: "linux", arch: "x86_64", memory_gib: 7.8 }
 * ```
 */
export function machineInfo(): MachineInfo {
  let cpu: string | null = null;
  try {
    cpu = cpuModelOf(Deno.readTextFileSync("/proc/cpuinfo"));
  } catch {
    cpu = null;
  }
  let mem: number | null = null;
  try {
    mem = +(Deno.systemMemoryInfo().total / 2 ** 30).toFixed(1);
  } catch {
    mem = null;
  }
  return {
    cores: navigator.hardwareConcurrency,
    cpu_model: cpu,
    os: Deno.build.os,
    arch: Deno.build.arch,
    memory_gib: mem,
  };
}

/** The 1, 5 and 15-minute load averages (null where unknown): how busy the shared machine was. */
export function loadAverage(): [number, number, number] | null {
  try {
    const [a, b, c] = Deno.loadavg().map((x) => +x.toFixed(2));
    return [a, b, c];
  } catch {
    return null;
  }
}

/** A benchmark record as written. */
export interface BenchRecord {
  bench: string;
  /** ISO 8601, UTC. */
  date: string;
  machine: MachineInfo;
  /** The command line that produced the figures (`deno task NAME ARGS`, repository-relative). */
  command: string;
  /** Load averages at the start and at the end of the run. */
  load_start: [number, number, number] | null;
  load_end: [number, number, number] | null;
  figures: unknown;
}

/**
 * The command line of a task with its arguments, quoting those that need it and writing paths inside the
 * repository relative to it (no machine-absolute paths in committed records).
 *
 * @example
 * ```ts
 * commandLine("bench:colorize", ["--data", "data/test-clean", "--record"]);
 * // "deno task bench:colorize --data data/test-clean --record"
 * ```
 */
export function commandLine(task: string, argv: readonly string[]): string {
  const rel = (
    a: string,
  ) => (path.isAbsolute(a) && a.startsWith(REPO_ROOT + path.sep) ? path.relative(REPO_ROOT, a) : a);
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ["deno", "task", task, ...argv.map((a) => quote(rel(a)))].join(" ");
}

/**
 * The default file of a record, `experiments/bench/<name>.json`.
 *
 * @example
 * ```ts
 * recordPath("train"); // ".../experiments/bench/train.json"
 * ```
 */
export function recordPath(name: string): string {
  if (!/^[\w.-]+$/.test(name)) {
    throw new RangeError(`bench record name ${JSON.stringify(name)}: letters, digits, . _ - only`);
  }
  return path.join(BENCH_RECORD_DIR, `${name}.json`);
}

/**
 * `value` with every string that is a path inside the repository made relative to it (a committed record
 * names no machine-absolute path), deeply.
 *
 * @example
 * ```ts
 * relativizePaths({ weights: `${REPO_ROOT}/experiments/small-v1` }); // { weights: "experiments/small-v1" }
 * ```
 */
export function relativizePaths(value: unknown): unknown {
  if (typeof value === "string") {
    return value.startsWith(REPO_ROOT + path.sep) ? path.relative(REPO_ROOT, value) : value;
  }
  if (Array.isArray(value)) return value.map(relativizePaths);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relativizePaths(v)]));
  }
  return value;
}

/** Options of {@link writeBenchRecord}. */
export interface RecordOptions {
  /** The file; default `experiments/bench/<name>.json`. */
  file?: string;
  /** Replace an existing record. */
  force?: boolean;
  /** Load averages at the start of the run ({@link loadAverage}); the end's is read now. */
  loadStart?: [number, number, number] | null;
  /** The date (default now). */
  date?: Date;
}

/**
 * Writes a benchmark's record atomically (refused when the file exists, unless `force`) and returns its path.
 *
 * @example
 * ```ts
 * const file = await writeBenchRecord("train", commandLine("bench:train", Deno.args), figures, { force: true });
 * ```
 */
export async function writeBenchRecord(
  name: string,
  command: string,
  figures: unknown,
  opts: RecordOptions = {},
): Promise<string> {
  const file = opts.file ?? recordPath(name);
  await guardOutput(file, { force: opts.force });
  const rec: BenchRecord = {
    bench: name,
    date: (opts.date ?? new Date()).toISOString(),
    machine: machineInfo(),
    command,
    load_start: opts.loadStart ?? null,
    load_end: loadAverage(),
    figures: relativizePaths(figures),
  };
  await Deno.mkdir(path.dirname(file), { recursive: true });
  await atomicWriteJson(file, rec);
  return file;
}

/**
 * The record's name for a benchmark over a dataset: `<bench>-<dataset folder's name>`.
 *
 * @example
 * ```ts
 * recordName("colorize", "data/test-clean/"); // "colorize-test-clean"
 * ```
 */
export function recordName(bench: string, data?: string): string {
  const tail = data ? path.basename(path.resolve(data)).replace(/[^\w.-]/g, "_") : "";
  return tail ? `${bench}-${tail}` : bench;
}
