import { assert, assertEquals, assertRejects } from "../testing/asserts.ts";
import { loadFrame } from "../data/pbc.ts";
import { resolvePairs } from "../data/pairs.ts";
import { encodePng } from "../image/io.ts";
import type { RgbaImage } from "../image/types.ts";
import { colourRegions, findRealSources, makeRealWarpSet } from "./real_warp.ts";

/** A 64x64 "real" frame: a red disc with a blue (coloured-line) bounded shadow and a green square, black lines. */
function fixture(): { gt: RgbaImage; line: RgbaImage } {
  const w = 64, gt = new Uint8Array(w * w * 4), line = new Uint8Array(w * w * 4);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x, o = 4 * i;
      const r = Math.hypot(x - 24, y - 24);
      let c: number[] | null = null, ink: number[] | null = null;
      if (r < 16) c = x > 28 ? [120, 20, 20] : [230, 40, 40];
      if (Math.abs(r - 16) < 0.8) ink = [0, 0, 0];
      else if (r < 16 && x === 28) ink = [0, 0, 255];
      if (x >= 42 && x <= 58 && y >= 40 && y <= 58) c = [30, 200, 30];
      if ((x === 42 || x === 58) && y >= 40 && y <= 58 || (y === 40 || y === 58) && x >= 42 && x <= 58) {
        ink = [0, 0, 0];
      }
      if (c) gt.set([...c, 255], o);
      line.set(ink ? [...ink, 255] : [255, 255, 255, 0], o);
      if (ink && ink[2] === 0) gt.set([0, 0, 0, 255], o);
    }
  }
  return { gt: { width: w, height: w, data: gt }, line: { width: w, height: w, data: line } };
}

Deno.test("colourRegions: one index per colour, lines filled from the neighbours, coloured ink kept", () => {
  const { gt, line } = fixture();
  const r = colourRegions(gt, line);
  assertEquals(r.colors, [[30, 200, 30], [120, 20, 20], [230, 40, 40]]);
  assert(r.parts.data.every((v) => v >= -1 && v < 3), "every pixel has a colour or is background");
  assertEquals(r.parts.data[24 * 64 + 20], 2); // light red left of the shading line
  assertEquals(r.parts.data[24 * 64 + 32], 1); // dark red right of it
  assertEquals(r.inkRgb[24 * 64 + 28], 255); // the shading line is blue
});

Deno.test("makeRealWarpSet: same seed same bytes, labels shared by colour, pairs.csv, refuses to overwrite", async () => {
  const dir = await Deno.makeTempDir();
  const { gt, line } = fixture();
  await Deno.mkdir(`${dir}/src/gt`, { recursive: true });
  await Deno.mkdir(`${dir}/src/line`, { recursive: true });
  await Deno.writeFile(`${dir}/src/gt/0000.png`, await encodePng(gt));
  await Deno.writeFile(`${dir}/src/line/0000.png`, await encodePng(line));
  const src = await findRealSources({ src: `${dir}/src`, name: "toy" });
  assertEquals(src.map((s) => s.name), ["toy"]);
  const r = await makeRealWarpSet(`${dir}/a`, src, { pairs: 3, seed: 4 }, { progress: "off" });
  await makeRealWarpSet(`${dir}/b`, src, { pairs: 3, seed: 4 }, { progress: "off" });
  assertEquals(r.pairs, 3);
  for (const f of ["seg/0002.png", "line/0003.png", "json_index/0001.json", "gt/0003.png"]) {
    assertEquals(await Deno.readFile(`${dir}/a/toy/${f}`), await Deno.readFile(`${dir}/b/toy/${f}`), f);
  }
  const pairs = await resolvePairs(`${dir}/a`);
  assertEquals(pairs.map((p) => p.target), ["0001", "0002", "0003"]);
  const ref = await loadFrame(`${dir}/a`, "toy", "0000"), tgt = await loadFrame(`${dir}/a`, "toy", "0002");
  const labs = (f: typeof ref) => new Set([...f.labelOfSeg!.values()].filter((v) => v >= 0));
  assertEquals([...labs(ref)].sort(), [0, 1, 2]);
  for (const l of labs(tgt)) assert(labs(ref).has(l), `label ${l} of the warp exists in the reference`);
  // The warp moved something.
  assert(ref.seg.data.some((v, i) => v !== tgt.seg.data[i]));
  await assertRejects(
    () => makeRealWarpSet(`${dir}/a`, src, { pairs: 1 }, { progress: "off" }),
    Error,
    "already exists",
  );
  await assertRejects(() => findRealSources({ src: `${dir}/nope` }), Error, "not found");
  await Deno.remove(dir, { recursive: true });
});
