import { assert, assertEquals, assertNotEquals } from "../testing/asserts.ts";
import { type GrayImage, newGray } from "../image/types.ts";
import { Rng } from "../util/rng.ts";
import { inkMask, LINE_REGION_DEFAULTS, type LineRegionOptions, lineRegions } from "./lines.ts";
import { borderRegions } from "./background.ts";
import { squaredDistance } from "./distance.ts";
import { randomDrawing } from "./fixtures.ts";
import { watershed } from "./watershed.ts";

/** 30x16: a box outline from (2,2) to (27,13), split by a vertical stroke at x = 15, optionally with a gap. */
function boxes(gap: number[] = []) {
  const img = newGray(30, 16);
  const ink = (x: number, y: number) => (img.data[y * 30 + x] = 0);
  for (let x = 2; x <= 27; x++) ink(x, 2), ink(x, 13);
  for (let y = 2; y <= 13; y++) ink(2, y), ink(27, y);
  for (let y = 2; y <= 13; y++) if (!gap.includes(y)) ink(15, y);
  return img;
}
const at = (l: Int32Array, x: number, y: number) => l[y * 30 + x];

Deno.test("two squares separated by a stroke give two regions and the outside", () => {
  const r = lineRegions(boxes());
  assertEquals(r.count, 3);
  const left = at(r.labels, 8, 8), right = at(r.labels, 21, 8), out = at(r.labels, 0, 0);
  assertEquals(new Set([left, right, out]).size, 3);
  // Every pixel of each square's interior has its square's label; the ink goes to a neighbour.
  for (let y = 3; y <= 12; y++) {
    for (let x = 3; x <= 14; x++) assertEquals(at(r.labels, x, y), left);
    for (let x = 16; x <= 26; x++) assertEquals(at(r.labels, x, y), right);
  }
  assert(r.labels.every((v) => v >= 1 && v <= 3));
  const bg = borderRegions(r.labels, r.count, 30, 16, r.ink);
  assertEquals([...bg.keys()].filter((k) => bg[k]), [out]);
});

Deno.test("a stroke with a 3-px gap is closed by gap closing, and not without it", () => {
  const img = boxes([7, 8, 9]);
  const closed = lineRegions(img); // maxRadius 3
  assertEquals(closed.count, 3);
  assertNotEquals(at(closed.labels, 8, 8), at(closed.labels, 21, 8));
  // The split runs through the gap: the gap's pixels go to one side or the other, nothing leaks.
  for (let y = 3; y <= 12; y++) {
    assertEquals(at(closed.labels, 10, y), at(closed.labels, 8, 8));
    assertEquals(at(closed.labels, 20, y), at(closed.labels, 21, 8));
  }
  const open = lineRegions(img, { maxRadius: 1 }); // a radius-1 ball passes a 3-px gap
  assertEquals(open.count, 2);
  assertEquals(at(open.labels, 8, 8), at(open.labels, 21, 8));
});

Deno.test("a pocket too small for any ball still becomes its own region", () => {
  const img = newGray(12, 12);
  for (let i = 4; i <= 8; i++) {
    img.data[4 * 12 + i] = img.data[8 * 12 + i] = 0;
    img.data[i * 12 + 4] = img.data[i * 12 + 8] = 0;
  }
  // Interior 3x3 at (5..7, 5..7); its centre is 2 px from ink: found at radius 1.
  const r = lineRegions(img);
  assertEquals(r.count, 2);
  assertNotEquals(r.labels[6 * 12 + 6], r.labels[0]);
});

Deno.test("blank and all-ink images are one region", () => {
  const blank = lineRegions(newGray(7, 5));
  assertEquals(blank.count, 1);
  assertEquals(blank.inkPixels, 0);
  assert(blank.labels.every((v) => v === 1));
  const dark = lineRegions(newGray(4, 4, 0));
  assertEquals(dark.count, 1);
  assertEquals(inkMask(newGray(2, 1, 159)).count, 2);
  assertEquals(inkMask(newGray(2, 1, 160)).count, 0);
});

// ---- Regression: the union-find seed search against the plain per-radius scan it replaced. ----

/** The previous implementation, kept as the reference: for r = R..0, label the parts of {d2 > r^2} by a scan
 * and breadth-first search, seed the unseeded deep ones, then flood by decreasing distance. */
function referenceLineRegions(gray: GrayImage, o: LineRegionOptions): { labels: Int32Array; count: number } {
  const W = gray.width, H = gray.height, n = W * H;
  const { ink, count: inkPixels } = inkMask(gray, o.inkThreshold);
  if (inkPixels === 0 || inkPixels === n) return { labels: new Int32Array(n).fill(1), count: 1 };
  const d2 = squaredDistance(ink, W, H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const b = Math.min(y + 1, H - y, x + 1, W - x);
      if (b * b < d2[y * W + x]) d2[y * W + x] = b * b;
    }
  }
  const markers = new Int32Array(n);
  let count = 0;
  const comp = new Uint8Array(n), queue = new Int32Array(n);
  for (let r = Math.max(0, Math.floor(o.maxRadius)); r >= 0; r--) {
    const r2 = r * r;
    comp.fill(0);
    for (let s = 0; s < n; s++) {
      if (comp[s] !== 0 || !(d2[s] > r2)) continue;
      comp[s] = 1;
      let head = 0, tail = 0, seeded = false;
      queue[tail++] = s;
      while (head < tail) {
        const p = queue[head++];
        if (markers[p] > 0) seeded = true;
        const y = (p / W) | 0, x = p - y * W;
        for (
          const q of [x > 0 ? p - 1 : -1, x < W - 1 ? p + 1 : -1, y > 0 ? p - W : -1, y < H - 1 ? p + W : -1]
        ) {
          if (q >= 0 && comp[q] === 0 && d2[q] > r2) comp[queue[tail++] = q] = 1;
        }
      }
      let deep = r === 0;
      const need = (r + o.minDepth) * (r + o.minDepth);
      for (let k = 0; k < tail && !deep; k++) if (d2[queue[k]] >= need) deep = true;
      if (!seeded && deep) {
        const id = ++count;
        for (let k = 0; k < tail; k++) markers[queue[k]] = id;
      }
    }
  }
  const top = Math.round(o.maxDistance * o.levelsPerPixel);
  const levels = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    levels[i] = top - Math.round(Math.min(o.maxDistance, Math.sqrt(d2[i])) * o.levelsPerPixel);
  }
  return { labels: watershed(levels, markers, W, H, { connectivity: 1 }), count };
}

Deno.test("lineRegions equals the per-radius scan it replaced, on random drawings and options", () => {
  const rng = new Rng(17);
  for (let t = 0; t < 60; t++) {
    const W = rng.int(1, 70), H = rng.int(1, 70);
    const img = randomDrawing(rng, W, H, rng.int(0, 12));
    const o = { ...LINE_REGION_DEFAULTS, maxRadius: rng.int(0, 5), minDepth: rng.int(0, 3) };
    if (rng.float() < 0.3) o.maxDistance = rng.int(2, 20);
    const ours = lineRegions(img, o), ref = referenceLineRegions(img, o);
    assertEquals(ours.count, ref.count, `drawing ${t}: count`);
    assertEquals(Array.from(ours.labels), Array.from(ref.labels), `drawing ${t}: labels`);
  }
});
