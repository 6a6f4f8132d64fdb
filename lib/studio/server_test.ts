/**
 * The studio's server and back ends over HTTP, without a browser: the token and Host checks, saves, and every
 * refusal (malformed edits, stale versions, a second tab, paths out of the root) leaving the files untouched.
 */
import * as path from "node:path";
import { assert, assertEquals, assertRejects } from "../testing/asserts.ts";
import { writePairsCsv } from "../data/pairs.ts";
import { readLabel16, writeLabel16 } from "../image/io.ts";
import { UserError } from "../util/errors.ts";
import { Root } from "./confine.ts";
import { startStudio, type Studio } from "./server.ts";
import { PbcStore } from "./store_pbc.ts";
import { MatchStore } from "./store_match.ts";
import { interiorPixel, makeFixture, readFrame, regionsBySize } from "./testing/fixture.ts";

/** Every file under `dir` with its bytes, as one comparable string. */
async function tree(dir: string): Promise<string> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = path.join(d, e.name);
      if (e.isDirectory) await walk(p);
      else if (e.isFile) {
        const b = await Deno.readFile(p);
        const h = new Uint8Array(await crypto.subtle.digest("SHA-256", b));
        out.push(`${path.relative(dir, p)}:${Array.from(h.subarray(0, 8)).join(",")}`);
      }
    }
  };
  await walk(dir);
  return out.sort().join("\n");
}

async function call(s: Studio, p: string, init: RequestInit = {}, token: string | null = s.token) {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set("x-studio-token", token);
  const r = await fetch(`http://127.0.0.1:${s.port}${p}`, { ...init, headers });
  const ct = r.headers.get("content-type") ?? "";
  const body = ct.includes("json") ? await r.json() : await r.text();
  return { status: r.status, body };
}

const post = (s: Studio, p: string, body: unknown) =>
  call(s, p, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

Deno.test("studio server: token, Host, saves, and refusals that write nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mm-studio-" });
  const fx = await makeFixture(dir);
  const studio = await startStudio(await PbcStore.open(await Root.open(fx.root)), { user: "t" });
  try {
    // Token.
    assertEquals((await call(studio, "/api/pairs", {}, null)).status, 403);
    assertEquals((await call(studio, "/api/pairs", {}, "0".repeat(32))).status, 403);
    assertEquals((await call(studio, `/?token=${studio.token}`, {}, null)).status, 200);
    // Host (DNS rebinding): a raw request naming another host.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: studio.port });
    await conn.write(new TextEncoder().encode(
      `GET /api/pairs HTTP/1.1\r\nHost: evil.example:${studio.port}\r\nx-studio-token: ${studio.token}\r\nConnection: close\r\n\r\n`,
    ));
    const buf = new Uint8Array(4096);
    const n = await conn.read(buf);
    conn.close();
    assert(
      new TextDecoder().decode(buf.subarray(0, n ?? 0)).startsWith("HTTP/1.1 403"),
      "foreign Host refused",
    );

    const pairs = (await call(studio, "/api/pairs")).body;
    assertEquals(pairs.length, 1);
    assertEquals(pairs[0].status, "untouched");
    const meta = (await call(studio, "/api/pair/0")).body;
    assertEquals(meta.kind, "pbc");
    assertEquals((await call(studio, "/api/pair/7")).status, 400);
    assertEquals((await call(studio, `/api/pair/0/seg/0?etag=nope`)).status, 409);
    const seg = await fetch(
      `http://127.0.0.1:${studio.port}/api/pair/0/seg/0?etag=${meta.etag}&token=${studio.token}`,
    );
    assertEquals((await seg.arrayBuffer()).byteLength, 192 * 192 * 4);

    const A = await readFrame(fx.root, fx.character, fx.frames[0]);
    const B = await readFrame(fx.root, fx.character, fx.frames[1]);
    const [r1] = regionsBySize(A);
    const [t1, t2] = regionsBySize(B);
    const before = await tree(fx.root);
    // Malformed edits and bodies: refused, nothing written.
    for (
      const [body, status, why] of [
        [
          { etag: meta.etag, ops: [{ op: "merge", side: 1, keep: t1[0], drop: 99999 }] },
          400,
          "not in the target",
        ],
        [{ etag: meta.etag, ops: [{ op: "link", ref: r1[0], tgt: t1[0] }, { op: "bogus" }] }, 400, "edit 2"],
        [{ etag: meta.etag, ops: [] }, 400, "no edits"],
        [{ etag: meta.etag }, 400, "a save is"],
        ["{not json", 400, "not valid JSON"],
        [{ etag: "0".repeat(32), ops: [{ op: "link", ref: r1[0], tgt: t1[0] }] }, 409, "changed on disk"],
      ] as [unknown, number, string][]
    ) {
      const r = await post(studio, "/api/pair/0/save", body);
      assertEquals(r.status, status, JSON.stringify(r.body));
      assert(r.body.error.includes(why), r.body.error);
    }
    assertEquals(await tree(fx.root), before, "refused saves wrote nothing");

    // A good save, then the same version again (a second tab): refused.
    const ok = await post(studio, "/api/pair/0/save", {
      etag: meta.etag,
      ops: [{ op: "merge", side: 1, keep: t1[0], drop: t2[0] }],
    });
    assertEquals(ok.status, 200, JSON.stringify(ok.body));
    assert(ok.body.etag !== meta.etag);
    assert(ok.body.written.includes(`${fx.character}/seg/${fx.frames[1]}.png`), ok.body.written.join());
    const after = await tree(fx.root);
    const again = await post(studio, "/api/pair/0/save", {
      etag: meta.etag,
      ops: [{ op: "unlink", side: 0, id: r1[0] }],
    });
    assertEquals(again.status, 409);
    assertEquals(await tree(fx.root), after);
    // A file changed on disk by another program makes the loaded version stale.
    const meta2 = (await call(studio, "/api/pair/0")).body;
    assertEquals(meta2.etag, ok.body.etag);
    assertEquals(meta2.status, "corrected");
    const ji = path.join(fx.root, fx.character, "json_index", `${fx.frames[0]}.json`);
    await Deno.writeTextFile(ji, (await Deno.readTextFile(ji)) + " ");
    const stale = await post(studio, "/api/pair/0/save", {
      etag: meta2.etag,
      ops: [{ op: "unlink", side: 0, id: r1[0] }],
    });
    assertEquals(stale.status, 409);
    // Status: skipped, then untouched again.
    assertEquals((await post(studio, "/api/pair/0/status", { status: "skipped" })).status, 200);
    assertEquals((await call(studio, "/api/pairs")).body[0].status, "skipped");
    assertEquals((await post(studio, "/api/pair/0/status", { status: "done" })).status, 400);
    assertEquals((await call(studio, "/api/nope")).status, 404);
  } finally {
    await studio.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("studio: names with .. and symlinks out of the root are refused, nothing written outside", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mm-studio-" });
  const fx = await makeFixture(dir);
  try {
    const csv = path.join(dir, "evil.csv");
    await writePairsCsv(csv, [{
      dir: `../data/${fx.character}`,
      reference: fx.frames[0],
      target: fx.frames[1],
    }]);
    await assertRejects(
      async () => PbcStore.open(await Root.open(fx.root), { pairsCsv: csv }),
      UserError,
      "not a plain name",
    );
    // seg/ of the character is a symlink to a folder outside the root.
    const outside = path.join(dir, "outside");
    await Deno.mkdir(outside);
    const segDir = path.join(fx.root, fx.character, "seg");
    for await (const e of Deno.readDir(segDir)) {
      await Deno.copyFile(path.join(segDir, e.name), path.join(outside, e.name));
    }
    await Deno.remove(segDir, { recursive: true });
    await Deno.symlink(outside, segDir);
    const before = await tree(outside);
    const studio = await startStudio(await PbcStore.open(await Root.open(fx.root)), { user: "t" });
    try {
      const r = await call(studio, "/api/pair/0");
      assertEquals(r.status, 403);
      assert(r.body.error.includes("outside the data root"), r.body.error);
      const s = await post(studio, "/api/pair/0/save", {
        etag: "x",
        ops: [{ op: "unlink", side: 0, id: 2 }],
      });
      assertEquals(s.status, 403);
    } finally {
      await studio.close();
    }
    assertEquals(await tree(outside), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("studio on a match output: edits rewrite the region maps and matches.json; confidence from scores", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mm-studio-" });
  const fx = await makeFixture(dir);
  try {
    // A match output made from the ground truth: region ids are the seg ids, matched when labels agree.
    const A = await readFrame(fx.root, fx.character, fx.frames[0]);
    const B = await readFrame(fx.root, fx.character, fx.frames[1]);
    const out = path.join(dir, "out");
    await Deno.mkdir(out);
    await writeLabel16(path.join(out, "ref_seg.png"), A.seg);
    await writeLabel16(path.join(out, "tgt_seg.png"), B.seg);
    const matches = [];
    for (const [a] of regionsBySize(A)) {
      for (const [b] of regionsBySize(B)) {
        if (A.labelOfSeg!.get(a) === B.labelOfSeg!.get(b)) {
          matches.push({ ref_region: a, tgt_region: b, score: 0.5 });
        }
      }
    }
    await Deno.writeTextFile(path.join(out, "matches.json"), JSON.stringify(matches));
    const lines = [A, B].map((f) => path.join(fx.root, fx.character, "line", `${f.frame}.png`)) as [
      string,
      string,
    ];
    const store = await MatchStore.open(await Root.open(out), { drawings: lines });
    const list = await store.list();
    assertEquals(list.map((p) => [p.id, p.confidence]), [[".", 0.5]]);
    const loaded = await store.load(0);
    const [t1, t2] = regionsBySize(B);
    const p = interiorPixel(B, t1[0]);
    const r = await store.save(0, loaded.etag, [
      { op: "merge", side: 1, keep: t1[0], drop: t2[0] },
      { op: "link", ref: regionsBySize(A)[0][0], tgt: t1[0] },
    ], "t");
    assert(
      r.written.includes("tgt_seg.png") && r.written.includes("matches.json") &&
        r.written.includes("match_vis.png"),
    );
    assert(!r.written.includes("ref_seg.png"), "the unchanged map is not rewritten");
    const tgt = await readLabel16(path.join(out, "tgt_seg.png"));
    assertEquals(tgt.data[p.y * tgt.width + p.x], t1[0]);
    assert(!tgt.data.includes(t2[0]));
    const saved = JSON.parse(await Deno.readTextFile(path.join(out, "matches.json")));
    const forT1 = saved.filter((m: { tgt_region: number }) => m.tgt_region === t1[0]);
    assertEquals(forT1, [{
      ref_region: regionsBySize(A)[0][0],
      tgt_region: t1[0],
      score: 1,
      direction: "manual",
    }]);
    assertEquals((await store.list())[0].status, "corrected");
    await assertRejects(
      () => store.save(0, loaded.etag, [{ op: "unlink", side: 0, id: 2 }], "t"),
      Error,
      "changed on disk",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
