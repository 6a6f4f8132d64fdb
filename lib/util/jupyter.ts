/**
 * The Deno Jupyter kernel's display API, reached safely: outside `deno jupyter` the `Deno.jupyter` getter
 * throws, so everything here checks first and does nothing (or logs) elsewhere.
 *
 * @module
 */

/** The subset of `Deno.jupyter` this project uses. */
interface JupyterApi {
  broadcast(type: string, content: Record<string, unknown>): Promise<void>;
}

/** `Deno.jupyter` inside a notebook, else null. */
export function jupyter(): JupyterApi | null {
  try {
    // deno-lint-ignore no-explicit-any
    const j = (Deno as any).jupyter;
    return j && typeof j.broadcast === "function" ? j as JupyterApi : null;
  } catch {
    return null;
  }
}

/** True inside a Deno Jupyter kernel. */
export function inNotebook(): boolean {
  return jupyter() !== null;
}

/**
 * Pause after each message, in ms: a fixed part plus one per 64 KiB of payload. Deno's kernel (2.x) hands a
 * message to its IOPub socket and returns before the socket has written it; a burst of messages overflows the
 * socket's queue and the overflow is dropped without a word (measured: 40 displays in a row kept 3 to 20 of
 * them; the committed 05 notebook lost one cell's table that way). With this pause after every message no
 * message was lost in the same test (30 displays of 10 B or 300 KB, each cell run twice).
 */
export const BROADCAST_PAUSE = { baseMs: 10, msPer64KiB: 1 };

let queue: Promise<void> = Promise.resolve();

function payloadBytes(v: unknown): number {
  if (typeof v === "string") return v.length;
  if (v && typeof v === "object") {
    let n = 0;
    for (const x of Object.values(v)) n += payloadBytes(x);
    return n;
  }
  return 8;
}

/**
 * Sends one IOPub message through the kernel, one at a time and paced (see {@link BROADCAST_PAUSE}), so that every
 * display reaches the notebook in order, the last one of a cell included. Resolves once the message is sent and
 * the pause is over; false outside a notebook.
 */
export function broadcast(type: string, content: Record<string, unknown>): Promise<boolean> {
  const j = jupyter();
  if (!j) return Promise.resolve(false);
  const pause = BROADCAST_PAUSE.baseMs + BROADCAST_PAUSE.msPer64KiB * payloadBytes(content) / 65536;
  const sent = queue.then(async () => {
    await j.broadcast(type, content);
    await new Promise((r) => setTimeout(r, pause));
  });
  queue = sent.catch(() => {});
  return sent.then(() => true);
}

let displayCounter = 0;

/** Display metadata per MIME type (e.g. `{"image/png": {width: 640}}`: the logical size of a 2x picture). */
export type DisplayMetadata = Record<string, unknown>;

/**
 * A notebook output that can be replaced in place (one line of progress, a live plot), keyed by a display id.
 * Outside a notebook `update` is a no-op unless `fallback` is given. Every display made while a
 * {@link captureLiveDisplays} call runs is handed to it, so a notebook can replace a library's progress line
 * with its own summary when the work is done.
 *
 * @example
 * ```ts
 * const d = new LiveDisplay();
 * await d.update({ "text/plain": "step 1" });
 * await d.update({ "text/plain": "step 2" }); // replaces the first line
 * ```
 */
export class LiveDisplay {
  readonly id = `mm-${Date.now().toString(36)}-${displayCounter++}`;
  #shown = false;
  constructor(readonly fallback?: (data: Record<string, unknown>) => void) {
    captured?.push(this);
  }

  /** Whether it has been shown in the notebook. */
  get shown(): boolean {
    return this.#shown;
  }

  /** Shows `data` (a MIME bundle), replacing what this display showed before. */
  async update(data: Record<string, unknown>, metadata: DisplayMetadata = {}): Promise<void> {
    if (!jupyter()) {
      this.fallback?.(data);
      return;
    }
    const first = !this.#shown;
    this.#shown = true;
    await broadcast(first ? "display_data" : "update_display_data", {
      data,
      metadata,
      transient: { display_id: this.id },
    });
  }
}

let captured: LiveDisplay[] | null = null;

/**
 * Runs `work` and returns the live displays created meanwhile (progress lines of library code), so the caller can
 * replace them, e.g. with a summary that belongs to the table shown next.
 *
 * @example
 * ```ts
 * const { result, displays } = await captureLiveDisplays(() => evaluateDataset(root, pairs, predict));
 * for (const d of displays) await d.update({ "text/plain": `done: ${result.pairs} pairs` });
 * ```
 */
export async function captureLiveDisplays<T>(
  work: () => Promise<T>,
): Promise<{ result: T; displays: LiveDisplay[] }> {
  const outer = captured;
  const mine: LiveDisplay[] = [];
  captured = mine;
  try {
    const result = await work();
    return { result, displays: mine };
  } finally {
    captured = outer;
    outer?.push(...mine);
  }
}

/** Displays a MIME bundle once (notebook only; returns false elsewhere). */
export function display(data: Record<string, unknown>, metadata: DisplayMetadata = {}): Promise<boolean> {
  return broadcast("display_data", { data, metadata, transient: {} });
}
