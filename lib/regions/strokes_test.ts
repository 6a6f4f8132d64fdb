import { assert, assertEquals, assertNotEquals } from "../testing/asserts.ts";
import { type GrayImage, newGray } from "../image/types.ts";
import { Rng } from "../util/rng.ts";
import { connectedComponents } from "./relabel.ts";
import { randomDrawing } from "./fixtures.ts";
import { lineRegions } from "./lines.ts";
import { strokeEndpoints } from "./skeleton.ts";
import { strokeRegions } from "./strokes.ts";

const W = 60, H = 40;
/** A box outline (4,4)-(55,35) split by a vertical stroke at x = 30; `gap` rows of that stroke left open. */
function boxes(gap: number[] = [], width = 1): GrayImage {
  const img = newGray(W, H);
  const ink = (x: number, y: number) => (img.data[y * W + x] = 0);
  for (let x = 4; x <= 55; x++) ink(x, 4), ink(x, 35);
  for (let y = 4; y <= 35; y++) ink(4, y), ink(55, y);
  for (let y = 4; y <= 35; y++) {
    if (gap.includes(y)) continue;
    for (let k = 0; k < width; k++) ink(30 + k, y);
  }
  return img;
}
const at = (l: Int32Array, x: number, y: number) => l[y * W + x];

/** Flood-fill components of the paper (ink < 160) as the reference partition of closed line art. */
function floodComponents(img: GrayImage): Int32Array {
  const keys = new Int32Array(img.data.length);
  for (let i = 0; i < keys.length; i++) keys[i] = img.data[i] < 160 ? -1 : 0;
  return connectedComponents(keys, img.width, img.height).labels;
}

/** Whether two labellings partition the paper pixels identically. */
function samePartition(a: Int32Array, b: Int32Array, paper: (i: number) => boolean): boolean {
  const ab = new Map<number, number>(), ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if (!paper(i)) continue;
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

Deno.test("closed boxes: exactly the flood fill, every pixel labelled, outside flagged", () => {
  const img = boxes();
  const r = strokeRegions(img);
  assertEquals(r.count, 3);
  assert(r.labels.every((v) => v >= 1 && v <= r.count));
  const left = at(r.labels, 10, 20), right = at(r.labels, 45, 20), out = at(r.labels, 0, 0);
  assertEquals(new Set([left, right, out]).size, 3);
  assertEquals([...r.background.keys()].filter((k) => r.background[k]), [out]);
  assertEquals(r.closed[left], 1);
  assertEquals(r.closed[right], 1);
  assertNotEquals(r.component[left], r.component[right]);
  assertEquals(r.sizes[left], 25 * 30);
});

Deno.test("a 5-px gap between stroke ends is closed: two regions of one component, not closed", () => {
  const img = boxes([18, 19, 20, 21, 22]);
  const r = strokeRegions(img);
  const left = at(r.labels, 10, 20), right = at(r.labels, 45, 20);
  assertNotEquals(left, right);
  assertEquals(r.component[left], r.component[right]);
  assertEquals(r.closed[left], 0);
  assertEquals(r.closed[right], 0);
  // With balls too small to be trapped (and no gap closing by stroke ends), the two sides leak into one.
  const leak = strokeRegions(img, { maxRadius: 1, gapLength: 0, gapRayLength: 0 });
  assertEquals(at(leak.labels, 10, 20), at(leak.labels, 45, 20));
});

Deno.test("a narrow neck of a closed region is never cut", () => {
  // Two boxes joined by a 4-px-wide corridor whose sides are strokes running past it: one region.
  const img = newGray(W, H);
  const ink = (x: number, y: number) => (img.data[y * W + x] = 0);
  for (let x = 4; x <= 55; x++) ink(x, 4), ink(x, 35);
  for (let y = 4; y <= 35; y++) ink(4, y), ink(55, y);
  for (let y = 4; y <= 35; y++) if (y < 18 || y > 22) ink(25, y), ink(34, y);
  for (let x = 25; x <= 34; x++) ink(x, 17), ink(x, 23);
  const r = strokeRegions(img);
  assertEquals(at(r.labels, 10, 20), at(r.labels, 45, 20));
  assertEquals(at(r.labels, 10, 20), at(r.labels, 30, 20));
  const inner = at(r.labels, 10, 20);
  assertEquals(r.closed[inner], 1);
  assert(samePartition(r.labels, floodComponents(img), (i) => img.data[i] >= 160));
  // The trapped balls alone cut it at the corridor; the endpoint test joins it again.
  const tb = lineRegions(img, { maxRadius: 8 });
  assertNotEquals(tb.labels[20 * W + 10], tb.labels[20 * W + 45]);
});

Deno.test("random closed outlines (no gaps): exactly the flood-fill partition, small pockets kept", () => {
  let tested = 0;
  for (let seed = 1; seed <= 16; seed++) {
    const rng = new Rng(seed);
    const w = 120, h = 90, img = newGray(w, h);
    const dot = (x: number, y: number, thick: boolean) => {
      for (let dy = 0; dy <= (thick ? 1 : 0); dy++) {
        for (let dx = 0; dx <= (thick ? 1 : 0); dx++) {
          const xx = Math.round(x) + dx, yy = Math.round(y) + dy;
          if (xx >= 0 && xx < w && yy >= 0 && yy < h) img.data[yy * w + xx] = rng.float() < 0.2 ? 100 : 0;
        }
      }
    };
    for (let k = 0; k < 8; k++) {
      const thick = rng.float() < 0.3, cx = rng.float() * w, cy = rng.float() * h;
      if (rng.float() < 0.5) {
        const x1 = rng.float() * w, y1 = rng.float() * h;
        for (let x = Math.min(cx, x1); x <= Math.max(cx, x1); x += 0.5) dot(x, cy, thick), dot(x, y1, thick);
        for (let y = Math.min(cy, y1); y <= Math.max(cy, y1); y += 0.5) dot(cx, y, thick), dot(x1, y, thick);
      } else {
        const r = 2 + rng.float() * 30;
        for (let a = 0; a < 2 * Math.PI; a += 0.25 / r) {
          dot(cx + r * Math.cos(a), cy + 0.6 * r * Math.sin(a), thick);
        }
      }
    }
    // Rectangles cut by the frame are closed by it; strokes that end inside the image are not closed outlines.
    const ink = Uint8Array.from(img.data, (v) => (v < 160 ? 1 : 0));
    if (strokeEndpoints(ink, w, h).points.length > 0) continue;
    tested++;
    const r = strokeRegions(img);
    assert(samePartition(r.labels, floodComponents(img), (i) => img.data[i] >= 160), `seed ${seed}`);
  }
  assert(tested >= 5, `only ${tested} drawings without stroke ends`);
  // Nested rings: a tiny 2x2 pocket (a highlight) inside a ring inside a box stays its own region.
  const img = boxes();
  for (let x = 9; x <= 12; x++) img.data[9 * W + x] = img.data[12 * W + x] = 0;
  for (let y = 9; y <= 12; y++) img.data[y * W + 9] = img.data[y * W + 12] = 0;
  const r = strokeRegions(img);
  assertEquals(r.count, 4);
  assertEquals(r.sizes[at(r.labels, 10, 10)], 4);
  assertEquals(r.closed[at(r.labels, 10, 10)], 1);
});

Deno.test("grey anti-aliased and coloured (mid-grey) strokes bound regions; blank and all-ink images", () => {
  const img = boxes();
  for (let y = 4; y <= 35; y++) img.data[y * W + 30] = 120; // a red line reads ~76-120 grey
  const r = strokeRegions(img);
  assertNotEquals(at(r.labels, 10, 20), at(r.labels, 45, 20));
  const blank = strokeRegions(newGray(8, 8));
  assertEquals(blank.count, 1);
  assert(blank.labels.every((v) => v === 1));
  const dark = strokeRegions(newGray(8, 8, 0));
  assertEquals(dark.count, 1);
  assertEquals(dark.inkPixels, 64);
});

Deno.test("same input, same output; endpoints of a straight stroke and of a closed ring", () => {
  const img = randomDrawing(new Rng(7), 80, 60, 12);
  const a = strokeRegions(img), b = strokeRegions(img);
  assertEquals(a.count, b.count);
  assertEquals(a.labels, b.labels);
  const ink = new Uint8Array(30 * 10);
  for (let x = 5; x < 25; x++) ink[5 * 30 + x] = 1, ink[4 * 30 + x] = 1;
  assertEquals(strokeEndpoints(ink, 30, 10).points.length, 2);
  const ring = new Uint8Array(20 * 20);
  for (let k = 4; k <= 15; k++) {
    ring[4 * 20 + k] =
      ring[15 * 20 + k] =
      ring[k * 20 + 4] =
      ring[k * 20 + 15] =
        1;
  }
  assertEquals(strokeEndpoints(ring, 20, 20).points.length, 0);
});

Deno.test("a part that leaks into the background through a wide gap is taken back by the coarse pass", () => {
  // A 80x80 box whose top edge has a 28-px gap between two stroke ends: too wide for the 12-px balls (gap
  // closing by stroke ends off: it would close this gap before filling, tested below).
  const w = 140, h = 140, img = newGray(w, h);
  const ink = (x: number, y: number) => (img.data[y * w + x] = img.data[y * w + x + 1] = 0);
  for (let x = 30; x <= 110; x++) if (x < 56 || x > 84) ink(x, 30);
  for (let x = 30; x <= 110; x++) ink(x, 110);
  for (let y = 30; y <= 110; y++) ink(30, y), ink(109, y);
  const r = strokeRegions(img, { gapLength: 0 });
  const inside = r.labels[70 * w + 70], outside = r.labels[5 * w + 5];
  assertNotEquals(inside, outside);
  assertEquals(r.background[outside], 1);
  assertEquals(r.background[inside], 0);
  assertEquals(r.closed[inside], 0);
  assertEquals(r.component[inside], r.component[outside]);
  // Without the coarse pass the box is part of the background.
  const off = strokeRegions(img, { backgroundRadius: 0, gapLength: 0 });
  assertEquals(off.labels[70 * w + 70], off.labels[5 * w + 5]);
  assertEquals(off.background[off.labels[70 * w + 70]], 1);
});

Deno.test("a 40-px gap between facing stroke ends is closed by a virtual stroke; the result keeps the real ink", () => {
  // The box of the test above with a 40-px gap: beyond the balls and the coarse pass, within gapLength (48).
  const w = 140, h = 140, img = newGray(w, h);
  const ink = (x: number, y: number) => (img.data[y * w + x] = img.data[y * w + x + 1] = 0);
  for (let x = 30; x <= 110; x++) if (x < 50 || x > 90) ink(x, 30);
  for (let x = 30; x <= 110; x++) ink(x, 110);
  for (let y = 30; y <= 110; y++) ink(30, y), ink(109, y);
  const r = strokeRegions(img);
  const inside = r.labels[70 * w + 70], outside = r.labels[5 * w + 5];
  assertNotEquals(inside, outside);
  assertEquals(r.background[outside], 1);
  assertEquals(r.background[inside], 0);
  // The gap's pixels are paper again, split between the two sides along the virtual stroke.
  assertEquals(r.ink[30 * w + 70], 0);
  assertEquals(r.inkPixels, [...img.data].filter((v) => v < 160).length);
  assertEquals(r.labels[29 * w + 70], outside);
  assertEquals(r.labels[31 * w + 70], inside);
  // Closed off by a gap: one flood-fill component with the outside, not closed.
  assertEquals(r.closed[inside], 0);
  assertEquals(r.component[inside], r.component[outside]);
  // Without it (and without the coarse background pass, which is not what this tests) the box leaks out.
  const on = strokeRegions(img, { backgroundRadius: 0 });
  assertNotEquals(on.labels[70 * w + 70], on.labels[5 * w + 5]);
  const off = strokeRegions(img, { backgroundRadius: 0, gapLength: 0 });
  assertEquals(off.labels[70 * w + 70], off.labels[5 * w + 5]);
});

Deno.test("a stroke that ends short of another stroke's side is extended to it (a T gap)", () => {
  // The box split by a vertical stroke from the top that stops 12 px above the bottom edge: two regions.
  const img = newGray(W, H);
  const ink = (x: number, y: number) => (img.data[y * W + x] = 0);
  for (let x = 4; x <= 55; x++) ink(x, 4), ink(x, 35);
  for (let y = 4; y <= 35; y++) ink(4, y), ink(55, y);
  for (let y = 4; y <= 23; y++) ink(30, y);
  const r = strokeRegions(img, { maxRadius: 3 });
  assertNotEquals(at(r.labels, 10, 20), at(r.labels, 45, 20));
  assertEquals(r.component[at(r.labels, 10, 20)], r.component[at(r.labels, 45, 20)]);
  const off = strokeRegions(img, { maxRadius: 3, gapRayLength: 0 });
  assertEquals(at(off.labels, 10, 20), at(off.labels, 45, 20));
});

Deno.test("two pieces still joined by an open neck stay one region, even with a stroke end at another passage", () => {
  // Box with a wall at x = 30 open at two places: a gap at the bottom (rows 26-30, the wall's lower part ends
  // there) and a corridor at the top between two strokes that run on past it (rows 10-14).
  const img = newGray(W, H);
  const ink = (x: number, y: number) => (img.data[y * W + x] = 0);
  for (let x = 4; x <= 55; x++) ink(x, 4), ink(x, 35);
  for (let y = 4; y <= 35; y++) ink(4, y), ink(55, y);
  for (let y = 4; y <= 35; y++) if ((y < 10 || y > 14) && (y < 26 || y > 30)) ink(30, y);
  for (let x = 16; x <= 44; x++) ink(x, 9), ink(x, 15); // the corridor: its sides end 14 px from the wall
  const opts = { maxRadius: 6, gapLength: 0, gapRayLength: 0 };
  const r = strokeRegions(img, opts);
  assertEquals(at(r.labels, 10, 20), at(r.labels, 45, 20));
  // "Any passage" keeps the pieces apart at the gap although they meet at the neck.
  const any = strokeRegions(img, { ...opts, allPassages: false });
  assertNotEquals(at(any.labels, 10, 20), at(any.labels, 45, 20));
});

Deno.test("closed outlines with gap closing on: still exactly the flood fill (no stroke ends, nothing drawn)", () => {
  const img = boxes();
  const r = strokeRegions(img, { gapLength: 64, gapRayLength: 64 });
  assert(samePartition(r.labels, floodComponents(img), (i) => img.data[i] >= 160));
  assertEquals(r.inkPixels, [...img.data].filter((v) => v < 160).length);
});
