/**
 * The studio in a real browser: the server on a generated pair, headless Chromium driven over the DevTools
 * protocol with real mouse and key events through a link, a merge, a split, an undo/redo/undo and a save, then
 * the files on disk checked; a second tab's save of the same pair is refused. Skipped (with a printed reason)
 * when Chromium is missing, except in CI (`CI=true`), where that is a failure.
 */
import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { readCorrections } from "../data/corrections.ts";
import { resolvePairs } from "../data/pairs.ts";
import { readRgba } from "../image/io.ts";
import { Root } from "./confine.ts";
import { startStudio } from "./server.ts";
import { HISTORY_FILE } from "./store.ts";
import { PbcStore } from "./store_pbc.ts";
import { type CdpPage, Chromium, findChromium } from "./testing/cdp.ts";
import { interiorPixel, makeFixture, readFrame, regionsBySize } from "./testing/fixture.ts";

const chromium = findChromium();
const ci = Deno.env.get("CI") === "true";
if (!chromium && !ci) {
  console.log(
    "studio browser test skipped: chromium not found (/usr/bin/chromium; apt-get install chromium, or set " +
      "MANGAMATCH_CHROMIUM)",
  );
}

async function clickPixel(page: CdpPage, side: number, x: number, y: number): Promise<void> {
  const [cx, cy] = await page.eval<[number, number]>(`window.studio.toClient(${side}, ${x}, ${y})`);
  await page.click(cx, cy);
}

Deno.test({
  name: "studio in headless Chromium: link, merge, split, undo, save; the second tab's save is refused",
  ignore: !chromium && !ci,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    if (!chromium) {
      throw new Error(
        "CI=true but chromium is missing: install it (apt-get install -y chromium) so the studio is tested",
      );
    }
    const dir = await Deno.makeTempDir({ prefix: "mm-studio-" });
    const fx = await makeFixture(dir);
    const [fa, fb] = fx.frames;
    const A = await readFrame(fx.root, fx.character, fa), B = await readFrame(fx.root, fx.character, fb);
    const ra = regionsBySize(A), rb = regionsBySize(B);
    // Link: the largest target region takes the label of a large reference region with another label.
    const tB = rb[0];
    const rA = ra.find((r) => r[2] !== tB[2] && r[2] >= 0)!;
    // Merge: two other large target regions.
    const [tC, tD] = rb.filter((r) => r[0] !== tB[0]).slice(0, 2);
    // Split: a large reference region other than rA, at least 12 px tall.
    const rS = ra.find((r) => {
      if (r[0] === rA[0]) return false;
      const b = interiorPixel(A, r[0]).box;
      return b[3] - b[1] >= 12;
    })!;
    // Undone: a merge of two more target regions.
    const [tE, tF] = rb.filter((r) => ![tB[0], tC[0], tD[0]].includes(r[0])).slice(0, 2);
    const sizeBefore = (f: typeof A) => Math.max(...f.seg.data);
    const maxA = sizeBefore(A);

    const store = await PbcStore.open(await Root.open(fx.root));
    const studio = await startStudio(store, { user: "tester" });
    const browser = await Chromium.launch(chromium);
    try {
      const page = await browser.open(studio.url, { width: 1400, height: 900 });
      await page.until("window.studio && window.studio.ready");
      const tab2 = await browser.open(studio.url, { width: 1400, height: 900 });
      await tab2.until("window.studio && window.studio.ready");
      await page.front();
      assertEquals(await page.eval("window.studio.state().sides[1].sizes.get(" + tB[0] + ")"), tB[1]);

      // Hover shows the region.
      const p = interiorPixel(B, tB[0]);
      const [hx, hy] = await page.eval<[number, number]>(`window.studio.toClient(1, ${p.x}, ${p.y})`);
      await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: hx, y: hy });
      const hover = await page.eval<string>("document.getElementById('hover').textContent");
      assert(hover.includes(`target region ${tB[0]}`) && hover.includes(`label ${tB[2]}`), hover);

      // Link.
      await page.key("l");
      const pa = interiorPixel(A, rA[0]);
      await clickPixel(page, 0, pa.x, pa.y);
      await clickPixel(page, 1, p.x, p.y);
      assertEquals(await page.eval(`window.studio.state().labels[1].get(${tB[0]})`), rA[2]);
      // Merge.
      await page.key("m");
      const pc = interiorPixel(B, tC[0]), pd = interiorPixel(B, tD[0]);
      await clickPixel(page, 1, pc.x, pc.y);
      await clickPixel(page, 1, pd.x, pd.y);
      assertEquals(await page.eval(`window.studio.state().sides[1].sizes.has(${tD[0]})`), false);
      // Split with a horizontal stroke across the region's box.
      await page.key("s");
      const ps = interiorPixel(A, rS[0]);
      const pts: [number, number][] = [];
      for (let x = ps.box[0] - 3; x <= ps.box[2] + 3; x += 2) {
        pts.push(await page.eval<[number, number]>(`window.studio.toClient(0, ${x}, ${ps.y})`));
      }
      await page.drag(pts);
      assertEquals(await page.eval("window.studio.edits"), 3, await page.eval("window.studio.lastMessage"));
      // An edit undone (and redone and undone again) is not saved.
      await page.key("m");
      const pe = interiorPixel(B, tE[0]), pf = interiorPixel(B, tF[0]);
      await clickPixel(page, 1, pe.x, pe.y);
      await clickPixel(page, 1, pf.x, pf.y);
      assertEquals(await page.eval("window.studio.edits"), 4);
      await page.key("z", { ctrl: true });
      assertEquals(await page.eval("window.studio.edits"), 3);
      await page.key("z", { ctrl: true, shift: true });
      assertEquals(await page.eval("window.studio.edits"), 4);
      await page.key("z", { ctrl: true });
      assertEquals(await page.eval(`window.studio.state().sides[1].sizes.get(${tF[0]})`), tF[1]);
      // Save.
      await page.key("s", { ctrl: true });
      await page.until(
        "window.studio.lastMessage.startsWith('saved') || window.studio.lastMessage.startsWith('save ')",
      );
      const msg = await page.eval<string>("window.studio.lastMessage");
      assert(msg.startsWith("saved"), msg);

      // The files on disk.
      const A2 = await readFrame(fx.root, fx.character, fa), B2 = await readFrame(fx.root, fx.character, fb);
      assertEquals(B2.labelOfSeg!.get(tB[0]), rA[2], "link: the target region carries the reference's label");
      let dPixels = 0, wrong = 0;
      for (let i = 0; i < B.seg.data.length; i++) {
        if (B.seg.data[i] === tD[0]) dPixels++, wrong += B2.seg.data[i] === tC[0] ? 0 : 1;
      }
      assertEquals(
        [dPixels, wrong],
        [tD[1], 0],
        "merge: every pixel of the dropped region joined the kept one",
      );
      assert(!B2.labelOfSeg!.has(tD[0]), "merge: the dropped id left json_index");
      const idsOfS = new Set<number>();
      for (let i = 0; i < A.seg.data.length; i++) if (A.seg.data[i] === rS[0]) idsOfS.add(A2.seg.data[i]);
      assert(idsOfS.size >= 2 && idsOfS.has(rS[0]), `split: region ${rS[0]} became ${[...idsOfS]}`);
      for (const id of idsOfS) {
        if (id !== rS[0]) assert(id > maxA && A2.labelOfSeg!.get(id) === rS[2], `split: new id ${id}`);
      }
      assert(B2.seg.data.includes(tE[0]) && B2.seg.data.includes(tF[0]), "the undone merge was not saved");
      assertEquals(B2.labelOfSeg!.get(tF[0]), tF[2]);
      // label/ agrees with json_index on every region pixel.
      const lab = await readRgba(path.join(fx.root, fx.character, "label", `${fb}.png`));
      let bad = 0;
      for (let i = 0; i < B2.seg.data.length; i++) {
        const id = B2.seg.data[i];
        if (id === 0) continue;
        const want = B2.labelOfSeg!.get(id)!;
        const got = lab.data[4 * i + 3] === 0
          ? -1
          : (lab.data[4 * i] << 16) | (lab.data[4 * i + 1] << 8) | lab.data[4 * i + 2];
        if (got !== want) bad++;
      }
      assertEquals(bad, 0, "label/ matches json_index");
      // Flag and history.
      const corr = await readCorrections(fx.root);
      assertEquals(corr!.pairs.map((e) => [e.id, e.status, e.by]), [[
        `${fx.character}/${fa}/${fb}`,
        "corrected",
        "tester",
      ]]);
      const hist = (await Deno.readTextFile(path.join(fx.root, HISTORY_FILE))).trim().split("\n").map((l) =>
        JSON.parse(l)
      );
      assertEquals(hist.length, 1);
      assertEquals(hist[0].ops.map((o: { op: string }) => o.op), ["link", "merge", "split"]);
      assertEquals((await resolvePairs(fx.root))[0].corrected, true);

      // The second tab loaded the old version: its save is refused and nothing changes.
      const segBytes = await Deno.readFile(path.join(fx.root, fx.character, "seg", `${fb}.png`));
      await tab2.front();
      await tab2.key("u");
      await clickPixel(tab2, 1, pe.x, pe.y);
      assertEquals(await tab2.eval("window.studio.edits"), 1);
      await tab2.key("s", { ctrl: true });
      await tab2.until("window.studio.lastMessage.startsWith('save')");
      const msg2 = await tab2.eval<string>("window.studio.lastMessage");
      assert(msg2.includes("changed on disk") && msg2.includes("nothing written"), msg2);
      assertEquals(await Deno.readFile(path.join(fx.root, fx.character, "seg", `${fb}.png`)), segBytes);
      assertEquals(page.console.filter((l) => l.startsWith("exception")), []);
      page.close();
      tab2.close();
    } finally {
      await browser.close();
      await studio.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
