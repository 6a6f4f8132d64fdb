/**
 * The studio's web server: `Deno.serve` on 127.0.0.1 only, a random token that every request must carry (query
 * `token=` or header `x-studio-token`), a Host check against DNS rebinding, and a small JSON + binary API the
 * page (`page.html`, with `core.js` inlined: one self-contained file, nothing from a CDN) talks to. Saves and
 * status changes run one at a time; a save names the version (etag) of the pair it was made on and is refused
 * when the files changed since, so a second tab cannot overwrite the first one's work.
 *
 * API: `GET /` (the page), `GET /api/info`, `GET /api/pairs`, `GET /api/pair/N` (the pair's description and
 * etag), `GET /api/pair/N/{seg,gray,ink,color}/{0,1}?etag=E` (raw arrays), `POST /api/pair/N/save`
 * `{etag, ops}`, `POST /api/pair/N/status` `{status}`.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { UserError } from "../util/errors.ts";
import { EditError } from "./core.js";
import { ConfinementError } from "./confine.ts";
import { type LoadedPair, StaleError, type Store } from "./store.ts";

/** Options of {@link startStudio}. */
export interface StudioOptions {
  /** Port (0: any free one). */
  port: number;
  /** Who edits, for the history file. */
  user: string;
  /** The token (default: 32 random hex characters). */
  token?: string;
  /** Called for each request that fails (default: nothing). */
  onError?: (e: unknown) => void;
}

/** Defaults of {@link StudioOptions}. */
export const STUDIO_DEFAULTS: StudioOptions = {
  port: 0, // any free port: two studios never collide
  user: Deno.env.get("USER") ?? Deno.env.get("USERNAME") ?? "unknown", // the login name names the editor
};

/** Largest request body (a save's edit list). */
export const MAX_BODY_BYTES = 8 << 20;

/** A running studio. */
export interface Studio {
  url: string;
  port: number;
  token: string;
  /** Stops the server. */
  close(): Promise<void>;
}

/** The page: page.html with core.js inlined (its `export` keywords dropped). */
export async function pageHtml(): Promise<string> {
  const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
  const [html, core] = await Promise.all([
    Deno.readTextFile(here("./page.html")),
    Deno.readTextFile(here("./core.js")),
  ]);
  const inline = core.replace(/^export /gm, "");
  return html.replace("/*__CORE__*/", () => inline);
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

function refuse(status: number, error: string): Response {
  return json({ error }, status);
}

function equalConstant(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

async function readBody(req: Request): Promise<unknown> {
  const len = Number(req.headers.get("content-length") ?? "0");
  if (len > MAX_BODY_BYTES) {
    throw new UserError(`request body of ${len} bytes is over the ${MAX_BODY_BYTES}-byte limit`);
  }
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw new UserError("request body over the limit");
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError("request body is not valid JSON");
  }
}

/**
 * Starts the studio on a store.
 *
 * @example
 * ```ts
 * const studio = await startStudio(await PbcStore.open(await Root.open("data/auto-clean")), { port: 0, user: "me" });
 * console.log(studio.url);
 * await studio.close();
 * ```
 */
export async function startStudio(store: Store, opts: Partial<StudioOptions> = {}): Promise<Studio> {
  const o = { ...STUDIO_DEFAULTS, ...opts };
  const token = o.token ??
    Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  const page = await pageHtml();
  const cache = new Map<string, LoadedPair>();
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = queue.then(f, f);
    queue = run.catch(() => {});
    return run;
  };
  let port = 0;
  const remember = (index: number, p: LoadedPair) => {
    cache.set(`${index}:${p.etag}`, p);
    while (cache.size > 4) cache.delete(cache.keys().next().value!);
  };

  const handle = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const host = req.headers.get("host") ?? "";
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return refuse(403, `refused: host ${JSON.stringify(host)} is not this studio (127.0.0.1:${port})`);
    }
    const given = url.searchParams.get("token") ?? req.headers.get("x-studio-token") ?? "";
    if (!equalConstant(given, token)) {
      return refuse(403, "refused: missing or wrong token (open the URL the studio printed)");
    }
    const p = url.pathname;
    if (req.method === "GET" && p === "/") {
      return new Response(page, {
        headers: {
          "content-type": "text/html; charset=utf-8",
          "cache-control": "no-store",
          "content-security-policy":
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data: blob:",
          "referrer-policy": "no-referrer",
        },
      });
    }
    if (req.method === "GET" && p === "/api/info") {
      return json({ title: store.title, kind: store.kind, user: o.user });
    }
    if (req.method === "GET" && p === "/api/pairs") return json(await store.list());
    const m = p.match(/^\/api\/pair\/(\d{1,9})(?:\/(seg|gray|ink|color)\/([01])|\/(save|status))?$/);
    if (!m) return refuse(404, `no such endpoint: ${req.method} ${p}`);
    const index = Number(m[1]);
    if (req.method === "GET" && !m[2] && !m[4]) {
      const lp = await store.load(index);
      remember(index, lp);
      return json({
        id: lp.id,
        kind: lp.kind,
        etag: lp.etag,
        status: lp.status,
        notes: lp.notes,
        nextLabel: lp.nextLabel,
        matches: lp.matches,
        none: lp.none,
        labels: lp.labels.map((l) => [...l.entries()]),
        sides: lp.sides.map((s) => ({
          name: s.name,
          width: s.width,
          height: s.height,
          gray: s.gray !== null,
          ink: s.ink !== null,
          color: s.color !== null,
        })),
      });
    }
    if (req.method === "GET" && m[2]) {
      const lp = cache.get(`${index}:${url.searchParams.get("etag") ?? ""}`);
      if (!lp) return refuse(409, "this version of the pair is no longer loaded: reload the pair");
      const side = lp.sides[Number(m[3])];
      const arr = side[m[2] as "seg" | "gray" | "ink" | "color"];
      if (!arr) return refuse(404, `the ${side.name} has no ${m[2]} data`);
      return new Response(
        new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength) as Uint8Array<ArrayBuffer>,
        {
          headers: { "content-type": "application/octet-stream", "cache-control": "no-store" },
        },
      );
    }
    if (req.method === "POST" && m[4] === "save") {
      const body = await readBody(req) as { etag?: unknown; ops?: unknown };
      if (
        typeof body !== "object" || body === null || typeof body.etag !== "string" || !Array.isArray(body.ops)
      ) {
        return refuse(400, 'refused: a save is {"etag": "...", "ops": [...]}; nothing written');
      }
      if (body.ops.length === 0) return refuse(400, "refused: no edits to save; nothing written");
      const r = await serial(() => store.save(index, body.etag as string, body.ops as never, o.user));
      return json(r);
    }
    if (req.method === "POST" && m[4] === "status") {
      const body = await readBody(req) as { status?: unknown };
      if (body?.status !== "skipped" && body?.status !== "untouched") {
        return refuse(400, 'refused: status must be "skipped" or "untouched"');
      }
      await serial(() => store.setStatus(index, body.status as "skipped", o.user));
      return json({ ok: true });
    }
    return refuse(405, `method ${req.method} not allowed on ${p}`);
  };

  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: o.port,
    onListen: () => {},
  }, async (req) => {
    try {
      return await handle(req);
    } catch (e) {
      o.onError?.(e);
      const msg = e instanceof Error ? e.message : String(e);
      if (e instanceof StaleError) return refuse(409, `refused: ${msg}`);
      if (e instanceof EditError) return refuse(400, `refused: ${msg}; nothing written`);
      if (e instanceof ConfinementError) return refuse(403, `refused: ${msg}; nothing written`);
      if (e instanceof UserError) return refuse(400, `refused: ${msg}`);
      console.error(e);
      return refuse(500, `internal error: ${msg}`);
    }
  });
  port = server.addr.port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () => server.shutdown(),
  };
}
