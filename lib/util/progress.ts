/**
 * Progress for long work: a bar with rate and ETA redrawn in place on a terminal, a line every few seconds in
 * logs (CI), and one line updated in place in a notebook (never thousands of lines).
 *
 * Set `MANGAMATCH_PROGRESS=off` to silence it, or `=log` to force the log form.
 *
 * @module
 */
import { inNotebook, LiveDisplay } from "./jupyter.ts";

/** Options of a {@link Progress}. */
export interface ProgressOptions {
  /** Units of work in all (0 or undefined: unknown, no bar or ETA). */
  total?: number;
  /** Shown before the bar. */
  label?: string;
  /** Name of one unit for the rate ("pairs", "frames"). */
  unit?: string;
  /** Force a mode; by default chosen from the environment. */
  mode?: "tty" | "log" | "notebook" | "off";
  /** In log mode, the least time between two lines (ms). */
  logEveryMs?: number;
}

/** `h:mm:ss` or `m:ss`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}`
    : `${m}:${String(r).padStart(2, "0")}`;
}

function detectMode(): NonNullable<ProgressOptions["mode"]> {
  const env = Deno.env.get("MANGAMATCH_PROGRESS");
  if (env === "off" || env === "log" || env === "tty") return env;
  if (inNotebook()) return "notebook";
  return Deno.stderr.isTerminal() ? "tty" : "log";
}

const enc = new TextEncoder();

/**
 * A progress bar.
 *
 * @example
 * ```ts
 * const bar = new Progress({ total: frames.length, label: "generate", unit: "frames" });
 * for (const f of frames) { await render(f); bar.tick(); }
 * bar.done();
 * ```
 */
export class Progress {
  readonly total: number;
  readonly label: string;
  readonly unit: string;
  readonly mode: NonNullable<ProgressOptions["mode"]>;
  #done = 0;
  #start = performance.now();
  #lastDraw = 0;
  #lastLog = 0;
  #info = "";
  #display: LiveDisplay | null = null;
  #logEvery: number;
  #finished = false;

  constructor(opts: ProgressOptions = {}) {
    this.total = opts.total ?? 0;
    this.label = opts.label ?? "";
    this.unit = opts.unit ?? "it";
    this.mode = opts.mode ?? detectMode();
    this.#logEvery = opts.logEveryMs ?? 10_000;
    if (this.mode === "notebook") this.#display = new LiveDisplay();
  }

  /** Units done so far. */
  get count(): number {
    return this.#done;
  }

  /** Seconds since the start. */
  get elapsed(): number {
    return (performance.now() - this.#start) / 1000;
  }

  /** Adds `n` units; `info` is shown after the bar (a loss, say). */
  tick(n = 1, info?: string): void {
    this.set(this.#done + n, info);
  }

  /** Sets the units done. */
  set(done: number, info?: string): void {
    this.#done = done;
    if (info !== undefined) this.#info = info;
    const now = performance.now();
    if (this.mode === "tty" && now - this.#lastDraw > 100) {
      this.#lastDraw = now;
      Deno.stderr.writeSync(enc.encode(`\r${this.line()}\x1b[K`));
    } else if (this.mode === "log" && now - this.#lastLog > this.#logEvery) {
      this.#lastLog = now;
      console.error(this.line());
    } else if (this.mode === "notebook" && now - this.#lastDraw > 250) {
      this.#lastDraw = now;
      void this.#display!.update({ "text/plain": this.line() });
    }
  }

  /** The current line of text: label, bar, count, rate, elapsed and ETA. */
  line(): string {
    const el = this.elapsed;
    const rate = el > 0 ? this.#done / el : 0;
    const parts: string[] = [];
    if (this.label) parts.push(this.label);
    if (this.total > 0) {
      const frac = Math.min(1, this.#done / this.total);
      const width = 24;
      const full = Math.round(frac * width);
      parts.push(`[${"#".repeat(full)}${"-".repeat(width - full)}]`);
      parts.push(`${this.#done}/${this.total}`);
    } else {
      parts.push(`${this.#done}`);
    }
    parts.push(`${rate >= 10 ? rate.toFixed(0) : rate.toFixed(2)} ${this.unit}/s`);
    parts.push(`${formatDuration(el)}`);
    if (this.total > 0 && this.#done < this.total && rate > 0) {
      parts.push(`ETA ${formatDuration((this.total - this.#done) / rate)}`);
    }
    if (this.#info) parts.push(this.#info);
    return parts.join(" ");
  }

  /** Draws the final line. */
  async done(info?: string): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    if (info !== undefined) this.#info = info;
    if (this.mode === "tty") Deno.stderr.writeSync(enc.encode(`\r${this.line()}\x1b[K\n`));
    else if (this.mode === "log") console.error(this.line());
    else if (this.mode === "notebook") await this.#display!.update({ "text/plain": this.line() });
  }
}
