import { assert, assertEquals, assertRejects } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { readImageInfo, readRgba } from "../image/io.ts";
import {
  buildJsonIndex,
  framePaths,
  lineToRgba,
  listCharacters,
  listFrames,
  loadFrame,
  writeFrame,
} from "./pbc.ts";
import { defaultPairs, parsePairsCsv, readPairsCsv, resolvePairs, writePairsCsv } from "./pairs.ts";

/** A 6x4 frame whose segments include ids above 255 (which the official release lost). */
function sampleFrame() {
  const W = 6, H = 4;
  const seg = Int32Array.from([
    1,
    1,
    0,
    300,
    300,
    300,
    1,
    0,
    2,
    0,
    300,
    300,
    0,
    2,
    2,
    0,
    70000,
    70000,
    1,
    0,
    0,
    0,
    0,
    1,
  ]);
  const labelOfSeg = new Map([[1, -1], [2, 5], [300, 6], [70000, 6]]);
  const gray = new Uint8Array(W * H).fill(255);
  seg.forEach((v, i) => {
    if (v === 0) gray[i] = 0;
  });
  return {
    W,
    H,
    seg: { width: W, height: H, data: seg },
    labelOfSeg,
    gray: { width: W, height: H, data: gray },
  };
}

Deno.test("writeFrame then loadFrame round-trips the PBC encoding", async () => {
  const root = await Deno.makeTempDir();
  const f = sampleFrame();
  for (const frame of ["0000", "0001"]) {
    await writeFrame(root, "charA", frame, {
      line: lineToRgba(f.gray),
      seg: f.seg,
      labelOfSeg: f.labelOfSeg,
      labels: {
        width: f.W,
        height: f.H,
        data: f.seg.data.map((v) => (v === 1 ? -1 : (f.labelOfSeg.get(v) ?? 5))),
      },
      segColors: new Map([[1, [0, 0, 0, 0]], [2, [9, 9, 9, 255]], [300, [1, 2, 3, 255]], [70000, [
        1,
        2,
        3,
        255,
      ]]]),
    });
  }
  const back = await loadFrame(root, "charA", "0001");
  assertEquals(Array.from(back.seg.data), Array.from(f.seg.data));
  assertEquals(Array.from(back.line.data), Array.from(f.gray.data));
  assertEquals(back.labelOfSeg?.get(70000), 6);
  assertEquals(back.labelSource, "json_index");
  // The line PNG is black on transparent, as in PBC.
  const rgba = await readRgba(framePaths(root, "charA", "0000").line);
  assertEquals(Array.from(rgba.data.slice(0, 12)), [255, 255, 255, 0, 255, 255, 255, 0, 0, 0, 0, 255]);
  // json_index: pixel counts and labels, line pixels not listed.
  const ji = JSON.parse(await Deno.readTextFile(framePaths(root, "charA", "0000").jsonIndex));
  assertEquals(ji, { "1": [5, -1], "2": [3, 5], "300": [5, 6], "70000": [2, 6] });
  assertEquals(ji, buildJsonIndex(f.seg, f.labelOfSeg));
  const info = await readImageInfo(framePaths(root, "charA", "0000").label);
  assertEquals(info.channels, 4);
  assertEquals(await listCharacters(root), ["charA"]);
  assertEquals(await listFrames(root, "charA"), ["0000", "0001"]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("the test-split variant (seg/NNNN.json colours) gives colour labels", async () => {
  const root = await Deno.makeTempDir();
  const f = sampleFrame();
  await writeFrame(root, "c", "0000", { line: lineToRgba(f.gray), seg: f.seg, labelOfSeg: f.labelOfSeg });
  const p = framePaths(root, "c", "0000");
  await Deno.remove(p.jsonIndex);
  await Deno.writeTextFile(
    p.segJson,
    JSON.stringify({
      "1": [0, 0, 0, 0],
      "2": [9, 9, 9, 255],
      "300": [1, 2, 3, 255],
      "70000": [1, 2, 3, 255],
    }),
  );
  const back = await loadFrame(root, "c", "0000");
  assertEquals(back.labelSource, "seg_colors");
  assertEquals(back.labelOfSeg?.get(300), (1 << 16) | (2 << 8) | 3);
  assertEquals(back.labelOfSeg?.get(300), back.labelOfSeg?.get(70000));
  assertEquals(back.labelOfSeg?.get(1), -1);
  await Deno.remove(root, { recursive: true });
});

Deno.test("bad datasets get one-line errors naming the file", async () => {
  const root = await Deno.makeTempDir();
  await assertRejects(() => listCharacters(`${root}/nope`), UserError, "dataset folder not found");
  await assertRejects(() => listCharacters(root), UserError, "no character folders");
  const f = sampleFrame();
  await writeFrame(root, "c", "0000", { line: lineToRgba(f.gray), seg: f.seg, labelOfSeg: f.labelOfSeg });
  const p = framePaths(root, "c", "0000");
  // seg missing
  await Deno.rename(p.seg, `${p.seg}.bak`);
  await assertRejects(() => loadFrame(root, "c", "0000"), UserError, "frame has no seg map");
  await Deno.rename(`${p.seg}.bak`, p.seg);
  // mismatched sizes
  const { writePng } = await import("../image/io.ts");
  await writePng(p.line, { width: 3, height: 3, data: new Uint8Array(9).fill(255) });
  await assertRejects(() => loadFrame(root, "c", "0000"), UserError, "seg is 6x4 but line is 3x3");
  // unreadable PNG
  await Deno.writeTextFile(p.line, "garbage");
  const e = await assertRejects(() => loadFrame(root, "c", "0000"), UserError);
  assert(e.message.startsWith(p.line), e.message);
  // json_index missing a segment
  await writePng(p.line, lineToRgba(f.gray));
  await Deno.writeTextFile(p.jsonIndex, JSON.stringify({ "1": [4, -1], "2": [3, 5] }));
  await assertRejects(() => loadFrame(root, "c", "0000"), UserError, "segment 300");
  await Deno.remove(root, { recursive: true });
});

Deno.test("pairs: csv parsing, default gap pairs, missing frames", async () => {
  assertEquals(parsePairsCsv("target,dir,reference\n0008.png,c,0001\n", "p.csv"), [{
    dir: "c",
    reference: "0001",
    target: "0008",
  }]);
  const root = await Deno.makeTempDir();
  const f = sampleFrame();
  for (let i = 0; i < 9; i++) {
    await writeFrame(root, "c", String(i).padStart(4, "0"), {
      line: lineToRgba(f.gray),
      seg: f.seg,
      labelOfSeg: f.labelOfSeg,
    });
  }
  assertEquals(await defaultPairs(root), [
    { dir: "c", reference: "0000", target: "0007" },
    { dir: "c", reference: "0001", target: "0008" },
  ]);
  await assertRejects(() => defaultPairs(root, 9), UserError, "no pairs");
  await writePairsCsv(`${root}/pairs.csv`, [{ dir: "c", reference: "0000", target: "0003" }]);
  assertEquals((await resolvePairs(root)).length, 1);
  assertEquals((await readPairsCsv(`${root}/pairs.csv`))[0].target, "0003");
  await Deno.writeTextFile(`${root}/bad.csv`, "dir,reference,target\nc,0000,0042\n");
  await assertRejects(() => resolvePairs(root, { pairsCsv: `${root}/bad.csv` }), UserError, "missing frame");
  await Deno.writeTextFile(`${root}/bad2.csv`, "dir,ref,target\n");
  await assertRejects(() => readPairsCsv(`${root}/bad2.csv`), UserError, 'missing column "reference"');
  await Deno.remove(root, { recursive: true });
});
