/**
 * A small Chrome DevTools Protocol client on Deno's built-in WebSocket, to drive headless Chromium in tests
 * (no npm dependency): launch with a fresh profile, open a page, evaluate, dispatch real mouse and key events,
 * take screenshots, close.
 *
 * @module
 */
/** Where Chromium is: `$MANGAMATCH_CHROMIUM`, else the first of Debian's and others' usual paths that exists. */
export function findChromium(): string | null {
  const env = Deno.env.get("MANGAMATCH_CHROMIUM");
  const candidates = env
    ? [env]
    : ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  for (const c of candidates) {
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch { /* next */ }
  }
  return null;
}

/** The flags every launch uses: headless, no sandbox (containers), nothing that phones home. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--hide-scrollbars",
  "--mute-audio",
  // Several tabs are driven in turn: none may be throttled for being in the background.
  "--disable-background-timer-throttling",
  "--disable-renderer-backgrounding",
  "--disable-backgrounding-occluded-windows",
];

type Pending = { resolve: (v: any) => void; reject: (e: Error) => void; method: string };

/** One page's CDP connection. */
export class CdpPage {
  private ws: WebSocket;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners: ((method: string, params: any) => void)[] = [];
  /** Console messages and exceptions of the page. */
  readonly console: string[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data));
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
        else p.resolve(msg.result);
      } else {
        if (msg.method === "Runtime.consoleAPICalled") {
          this.console.push(
            `${msg.params.type}: ${msg.params.args.map((a: any) => a.value ?? a.description).join(" ")}`,
          );
        }
        if (msg.method === "Runtime.exceptionThrown") {
          this.console.push(
            `exception: ${
              msg.params.exceptionDetails?.exception?.description ?? msg.params.exceptionDetails?.text
            }`,
          );
        }
        for (const l of this.listeners) l(msg.method, msg.params);
      }
    };
    ws.onclose = () => {
      for (const p of this.pending.values()) p.reject(new Error(`${p.method}: connection closed`));
      this.pending.clear();
    };
  }

  /** Connects to a page's WebSocket debugger URL. */
  static connect(url: string): Promise<CdpPage> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(new CdpPage(ws));
      ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
    });
  }

  /** Sends a command and waits for its result. */
  send(method: string, params: Record<string, unknown> = {}): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Waits for an event. */
  waitFor(method: string, timeoutMs = 15000): Promise<any> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${method}`)), timeoutMs);
      const l = (m: string, p: any) => {
        if (m !== method) return;
        clearTimeout(t);
        this.listeners = this.listeners.filter((x) => x !== l);
        resolve(p);
      };
      this.listeners.push(l);
    });
  }

  /** Evaluates an expression in the page (promises awaited) and returns its value. */
  async eval<T = any>(expression: string): Promise<T> {
    const r = await this.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) {
      throw new Error(`page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    }
    return r.result.value as T;
  }

  /** Polls `expression` until it is truthy. */
  async until(expression: string, timeoutMs = 60000): Promise<void> {
    const t0 = Date.now();
    while (!(await this.eval(expression))) {
      if (Date.now() - t0 > timeoutMs) {
        throw new Error(
          `timed out waiting for ${expression}; page console: ${this.console.slice(-5).join(" | ")}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A real mouse click (move, press, release) at client coordinates. */
  async click(x: number, y: number, button: "left" | "right" = "left"): Promise<void> {
    await this.send("Input.dispatchMouseEvent", { type: "mouseMoved", x, y });
    await this.send("Input.dispatchMouseEvent", {
      type: "mousePressed",
      x,
      y,
      button,
      clickCount: 1,
      buttons: 1,
    });
    await this.send("Input.dispatchMouseEvent", { type: "mouseReleased", x, y, button, clickCount: 1 });
  }

  /** A left-button drag through the points (client coordinates). */
  async drag(points: [number, number][]): Promise<void> {
    const [x0, y0] = points[0];
    await this.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: x0, y: y0 });
    await this.send("Input.dispatchMouseEvent", {
      type: "mousePressed",
      x: x0,
      y: y0,
      button: "left",
      clickCount: 1,
      buttons: 1,
    });
    for (const [x, y] of points.slice(1)) {
      await this.send("Input.dispatchMouseEvent", { type: "mouseMoved", x, y, button: "left", buttons: 1 });
    }
    const [x1, y1] = points[points.length - 1];
    await this.send("Input.dispatchMouseEvent", {
      type: "mouseReleased",
      x: x1,
      y: y1,
      button: "left",
      clickCount: 1,
    });
  }

  /** A key press: `key` as KeyboardEvent.key ("m", "z", "Escape"); modifiers ctrl and shift. */
  async key(key: string, mods: { ctrl?: boolean; shift?: boolean } = {}): Promise<void> {
    const modifiers = (mods.ctrl ? 2 : 0) | (mods.shift ? 8 : 0);
    const upper = key.length === 1 ? key.toUpperCase() : key;
    const code = key.length === 1
      ? (/[a-z]/i.test(key)
        ? `Key${upper}`
        : key === "["
        ? "BracketLeft"
        : key === "]"
        ? "BracketRight"
        : key === "0"
        ? "Digit0"
        : "")
      : key;
    const vk = key.length === 1
      ? (key === "[" ? 219 : key === "]" ? 221 : upper.charCodeAt(0))
      : key === "Escape"
      ? 27
      : 0;
    const shown = mods.shift && key.length === 1 ? upper : key;
    const text = key.length === 1 && !mods.ctrl ? shown : undefined;
    await this.send("Input.dispatchKeyEvent", {
      type: "keyDown",
      key: shown,
      code,
      windowsVirtualKeyCode: vk,
      modifiers,
      ...(text ? { text } : {}),
    });
    await this.send("Input.dispatchKeyEvent", {
      type: "keyUp",
      key: shown,
      code,
      windowsVirtualKeyCode: vk,
      modifiers,
    });
  }

  /** Makes this tab the foreground one (input goes to it without waiting for a frame that never comes). */
  async front(): Promise<void> {
    await this.send("Page.bringToFront");
  }

  /** A PNG screenshot of the viewport. */
  async screenshot(): Promise<Uint8Array> {
    const r = await this.send("Page.captureScreenshot", { format: "png" });
    return Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0));
  }

  close(): void {
    try {
      this.ws.close();
    } catch { /* closed */ }
  }
}

/** A running headless Chromium. */
export class Chromium {
  private constructor(
    private child: Deno.ChildProcess,
    private profile: string,
    /** DevTools HTTP endpoint, `http://127.0.0.1:PORT`. */
    readonly endpoint: string,
  ) {}

  /**
   * Launches Chromium with {@link CHROMIUM_FLAGS} and a fresh profile folder.
   *
   * @example
   * ```ts
   * const browser = await Chromium.launch("/usr/bin/chromium");
   * const page = await browser.open("http://127.0.0.1:8000/?token=...", { width: 1400, height: 900 });
   * await browser.close();
   * ```
   */
  static async launch(binary: string): Promise<Chromium> {
    const profile = await Deno.makeTempDir({ prefix: "mm-chromium-" });
    const child = new Deno.Command(binary, {
      args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank"],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const deadline = Date.now() + 60000;
    let endpoint = "";
    while (!endpoint) {
      const r = await Promise.race([
        reader.read(),
        new Promise<{ done: true; value: undefined }>((res) =>
          setTimeout(() => res({ done: true, value: undefined }), Math.max(0, deadline - Date.now()))
        ),
      ]);
      if (r.done) {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
        await Deno.remove(profile, { recursive: true }).catch(() => {});
        throw new Error(`chromium did not start: ${text.slice(-500)}`);
      }
      text += r.value;
      const m = text.match(/DevTools listening on ws:\/\/([^/\s]+)\//);
      if (m) endpoint = `http://${m[1]}`;
    }
    // Keep draining stderr so Chromium never blocks on a full pipe.
    (async () => {
      try {
        while (!(await reader.read()).done) { /* drop */ }
      } catch { /* closed */ }
    })();
    return new Chromium(child, profile, endpoint);
  }

  /** Opens a new tab at `url` with a fixed viewport, and waits for it to load. */
  async open(url: string, viewport: { width: number; height: number }): Promise<CdpPage> {
    const r = await fetch(`${this.endpoint}/json/new?about:blank`, { method: "PUT" });
    const target = await r.json();
    const page = await CdpPage.connect(target.webSocketDebuggerUrl);
    await page.send("Runtime.enable");
    await page.send("Page.enable");
    await page.send("Emulation.setDeviceMetricsOverride", {
      width: viewport.width,
      height: viewport.height,
      deviceScaleFactor: 1,
      mobile: false,
    });
    const loaded = page.waitFor("Page.loadEventFired", 30000);
    await page.send("Page.navigate", { url });
    await loaded;
    return page;
  }

  /** Stops Chromium and removes its profile. */
  async close(): Promise<void> {
    try {
      this.child.kill("SIGTERM");
    } catch { /* gone */ }
    const t = setTimeout(() => {
      try {
        this.child.kill("SIGKILL");
      } catch { /* gone */ }
    }, 3000);
    await this.child.status;
    clearTimeout(t);
    await Deno.remove(this.profile, { recursive: true }).catch(() => {});
  }
}
