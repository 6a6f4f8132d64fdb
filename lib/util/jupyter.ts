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

let displayCounter = 0;

/**
 * A notebook output that can be replaced in place (one line of progress, a live plot), keyed by a display id.
 * Outside a notebook `update` is a no-op unless `fallback` is given.
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
  constructor(readonly fallback?: (data: Record<string, unknown>) => void) {}

  /** Shows `data` (a MIME bundle), replacing what this display showed before. */
  async update(data: Record<string, unknown>): Promise<void> {
    const j = jupyter();
    if (!j) {
      this.fallback?.(data);
      return;
    }
    await j.broadcast(this.#shown ? "update_display_data" : "display_data", {
      data,
      metadata: {},
      transient: { display_id: this.id },
    });
    this.#shown = true;
  }
}

/** Displays a MIME bundle once (notebook only; returns false elsewhere). */
export async function display(data: Record<string, unknown>): Promise<boolean> {
  const j = jupyter();
  if (!j) return false;
  await j.broadcast("display_data", { data, metadata: {}, transient: {} });
  return true;
}
