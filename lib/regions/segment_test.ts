import { assert, assertEquals, assertNotEquals, assertThrows } from "../testing/asserts.ts";
import { type GrayImage, newGray } from "../image/types.ts";
import { block, scoreMatrix } from "../model/similarity.ts";
import { oracleSimilarity } from "../match/oracle.ts";
import { renderToyFrame } from "../match/toy_pair.ts";
import { squareLayout } from "./patch_layout.ts";
import { regionOptions, segment } from "./segment.ts";
import { strokeRegions } from "./strokes.ts";
import { patchLayout } from "./patch_layout.ts";

// The toy figure at 256 px, its oracle intra similarities on a 16x16 grid (16-px patches).
const frame = renderToyFrame(256);
const sim = oracleSimilarity(frame, frame, { size: 256, patch: 16 });
const S = scoreMatrix(sim.cosine, 2 * sim.n, "sigmoid");
const input = { gray: frame.line, layout: patchLayout(sim.boxA, 16, 256, 256), saa: block(S, sim.n, "aa") };
const at = (l: Int32Array, u: number, v: number) => l[Math.floor(v * 256) * 256 + Math.floor(u * 256)];
// Unit coordinates of parts (see toy_pair.ts): pupil centre, face (cheek), outside, body.
const PUPIL = [0.425, 0.505], CHEEK = [0.36, 0.6], OUTSIDE = [0.05, 0.05], BODY = [0.5, 0.95];

Deno.test("segment: every mode labels every pixel and finds the background", () => {
  for (const mode of ["patches", "lines", "hybrid", "strokes"] as const) {
    const s = segment(input, mode);
    assert(s.labels.every((v) => v >= 1 && v <= s.count), mode);
    const out = at(s.labels, OUTSIDE[0], OUTSIDE[1]);
    assertEquals(s.background[out], 1, `${mode}: outside is background`);
    assertEquals(
      s.background[at(s.labels, BODY[0], BODY[1])],
      0,
      `${mode}: the body cut by the frame is not`,
    );
    assertNotEquals(at(s.labels, CHEEK[0], CHEEK[1]), out, mode);
  }
});

Deno.test("segment: the paper's pipeline merges the pupil away; line regions keep it", () => {
  const p = segment(input, "patches");
  assertEquals(
    at(p.labels, PUPIL[0], PUPIL[1]),
    at(p.labels, 0.42, 0.53),
    "pupil merged with the eye or face",
  );
  for (const mode of ["lines", "hybrid"] as const) {
    const s = segment(input, mode);
    const pupil = at(s.labels, PUPIL[0], PUPIL[1]);
    assertNotEquals(pupil, at(s.labels, CHEEK[0], CHEEK[1]), mode);
    assertNotEquals(pupil, at(s.labels, 0.39, 0.5), `${mode}: pupil vs eye white`);
  }
});

/** A dumbbell: two 20x20 rooms joined by a 4-px corridor, outlined in ink, on a 48x24 image. */
function dumbbell(): GrayImage {
  const W = 48, H = 24;
  const inside = (x: number, y: number) =>
    (x >= 3 && x <= 20 && y >= 3 && y <= 20) || (x >= 27 && x <= 44 && y >= 3 && y <= 20) ||
    (x > 20 && x < 27 && y >= 10 && y <= 13);
  const data = new Uint8Array(W * H).fill(255);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (inside(x, y)) continue;
      let near = false;
      for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) if (inside(x + dx, y + dy)) near = true;
      if (near) data[y * W + x] = 0;
    }
  }
  return { width: W, height: H, data };
}

Deno.test("hybrid joins pieces cut at a neck when the model says they are one, not otherwise", () => {
  const gray = dumbbell();
  const layout = squareLayout(48, 24, 4); // 12-px patches; rows 0 and 3 fall in the padding
  const same = new Float32Array(16 * 16).fill(0.9), different = new Float32Array(16 * 16).fill(0.5);
  for (let i = 0; i < 16; i++) same[i * 16 + i] = different[i * 16 + i] = 1;
  const lines = segment({ gray, layout, saa: same }, "lines");
  const L = (x: number, y: number) => lines.labels[y * 48 + x];
  assertNotEquals(L(10, 10), L(36, 10)); // gap closing cut the corridor
  const joined = segment({ gray, layout, saa: same }, "hybrid");
  assertEquals(joined.labels[10 * 48 + 10], joined.labels[10 * 48 + 36]);
  const apart = segment({ gray, layout, saa: different }, "hybrid");
  assertNotEquals(apart.labels[10 * 48 + 10], apart.labels[10 * 48 + 36]);
});

Deno.test("segment rejects a layout or similarity of the wrong size", () => {
  assertThrows(
    () => segment({ ...input, layout: squareLayout(128, 128, 16) }, "patches"),
    RangeError,
    "layout",
  );
  assertThrows(() => segment({ ...input, saa: new Float32Array(10) }, "lines"), RangeError, "similarities");
});

/** 64x32: two 32x32 halves split by a vertical stroke at x = 31..32, on a 2x1 grid of 32-px patches; the model
 * (wrongly) finds the halves the same. */
function splitHalves() {
  const gray = newGray(64, 32);
  for (let y = 0; y < 32; y++) gray.data[y * 64 + 31] = gray.data[y * 64 + 32] = 0;
  const layout = squareLayout(64, 32, 2); // rows of 32 px; row 0 is padding (square letterbox)
  const saa = new Float32Array(16).fill(0.9);
  return { gray, layout, saa };
}

Deno.test("switch edgeAwareMerge: off merges across a stroke the edge map would keep", () => {
  const input = splitHalves();
  const opts = { small: { minFraction: 0 }, background: { minBorderShare: 2 } }; // keep every region, no background
  const on = segment(input, "patches", opts);
  assertEquals(on.count, 2);
  assertNotEquals(on.labels[16 * 64 + 10], on.labels[16 * 64 + 50]);
  const off = segment(input, "patches", { ...opts, edgeAwareMerge: false });
  assertEquals(off.count, 1);
  // The switch leaves the lines mode alone (it uses no patch merging).
  assertEquals(
    Array.from(segment(input, "lines", { edgeAwareMerge: false }).labels),
    Array.from(segment(input, "lines").labels),
  );
});

Deno.test("switch watershed: off gives blocky regions, the merged patch clusters", () => {
  // The toy figure: with the watershed, boundaries follow strokes across patches; without, every region is a
  // union of whole patches (so constant on each patch's rectangle).
  const blocky = segment(input, "patches", { watershed: false });
  const { rects, n } = input.layout;
  for (let p = 0; p < n; p++) {
    const [x0, y0, x1, y1] = rects.subarray(4 * p, 4 * p + 4);
    const v = blocky.labels[y0 * 256 + x0];
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) assertEquals(blocky.labels[y * 256 + x], v);
  }
  const smooth = segment(input, "patches");
  let cut = 0; // patches the watershed's regions split
  for (let p = 0; p < n; p++) {
    const [x0, y0, x1, y1] = rects.subarray(4 * p, 4 * p + 4);
    const seen = new Set<number>();
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) seen.add(smooth.labels[y * 256 + x]);
    if (seen.size > 1) cut++;
  }
  assert(cut > 0, "the watershed's boundaries cross patches");
  assert(blocky.labels.every((v) => v >= 1 && v <= blocky.count));
  assertEquals(blocky.background.length, blocky.count + 1);
  // Hybrid runs with blocky patch regions too.
  const h = segment(input, "hybrid", { watershed: false, edgeAwareMerge: false });
  assert(h.labels.every((v) => v >= 1 && v <= h.count));
});

Deno.test("regionOptions: the switches default on and pass through", () => {
  assertEquals([regionOptions().edgeAwareMerge, regionOptions().watershed], [true, true]);
  const o = regionOptions({ edgeAwareMerge: false, watershed: false });
  assertEquals([o.edgeAwareMerge, o.watershed], [false, false]);
});

Deno.test("segment: the strokes mode keeps the pupil and is the strokeRegions of the image", () => {
  const s = segment(input, "strokes");
  assertNotEquals(at(s.labels, PUPIL[0], PUPIL[1]), at(s.labels, CHEEK[0], CHEEK[1]));
  const r = strokeRegions(frame.line);
  assertEquals(s.count, r.count);
  assertEquals(s.labels, r.labels);
  assertEquals(s.edge.length, 0);
});
