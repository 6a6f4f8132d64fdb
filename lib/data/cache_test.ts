import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { writeToyDataset } from "../train/fixture.ts";
import { letterbox } from "../image/letterbox.ts";
import { loadCache, squareSeg } from "./cache.ts";
import { loadFrame } from "./pbc.ts";
import { IGNORE, patchLabels } from "./patch_gt.ts";

Deno.test("loadCache: builds once, then reads the same bytes; matches decoding the frames directly", async () => {
  const root = await Deno.makeTempDir();
  await writeToyDataset(root, { characters: 2, frames: 3, size: 64 });
  const c1 = await loadCache(root, { size: 32, patch: 16, progress: false });
  assert(c1.built);
  assertEquals(c1.frames.length, 6);
  assertEquals(path.dirname(c1.file), path.join(root, ".cache"));
  const c2 = await loadCache(root, { size: 32, patch: 16, progress: false });
  assert(!c2.built, "second load should read the file");
  assertEquals(c2.lines, c1.lines);
  assertEquals(c2.labels, c1.labels);
  // Independent path: decode frame char001/0002 and compute its letterbox and labels here.
  const k = c1.index.get("char001/0002")!;
  const f = await loadFrame(root, "char001", "0002");
  assertEquals(c2.lines.subarray(k * 1024, (k + 1) * 1024), letterbox(f.line, 32).image.data);
  assertEquals(
    c2.labels.subarray(k * 4, (k + 1) * 4),
    patchLabels(f.seg, f.labelOfSeg, { rows: 2, cols: 2 }),
  );
  // Another geometry makes another cache file.
  const c3 = await loadCache(root, { size: 64, patch: 16, progress: false });
  assert(c3.built && c3.file !== c1.file);
  await Deno.remove(root, { recursive: true });
});

Deno.test("loadCache: a changed frame invalidates the cache", async () => {
  const root = await Deno.makeTempDir();
  await writeToyDataset(root, { characters: 1, frames: 2, size: 32 });
  const c1 = await loadCache(root, { size: 32, patch: 16, progress: false });
  await writeToyDataset(root, { characters: 1, frames: 2, size: 32, seed: 9 }); // rewrites the same files
  const f = path.join(root, "char000", "line", "0000.png");
  await Deno.utime(f, new Date(), new Date(Date.now() + 5000));
  const c2 = await loadCache(root, { size: 32, patch: 16, progress: false });
  assert(c2.built && c2.file !== c1.file);
  await Deno.remove(root, { recursive: true });
});

Deno.test("squareSeg: pads with background, centred", () => {
  const s = squareSeg({ width: 2, height: 1, data: new Int32Array([5, 6]) });
  assertEquals(s.width, 2);
  assertEquals(Array.from(s.data), [5, 6, 1, 1]);
  assertEquals(IGNORE, -1);
});
