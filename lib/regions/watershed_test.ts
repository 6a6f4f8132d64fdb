import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { quantize, watershed } from "./watershed.ts";

// 12x12 image of distinct values (a permutation of 0..143) with three single-pixel markers; the expected labels
// are scikit-image 0.19's `segmentation.watershed(img, markers, connectivity=c)`, computed once and pinned.
// With distinct values the flooding order is fully determined, so the two must agree pixel for pixel.
// deno-fmt-ignore
const IMG = [68, 94, 113, 17, 4, 65, 125, 53, 43, 106, 91, 116, 55, 70, 26, 143, 81, 40, 105, 46, 88, 99, 73, 114, 58, 42, 44, 97, 32, 112, 128, 119, 96, 76, 22, 104, 84, 102, 110, 87, 0, 69, 29, 86, 16, 9, 19, 90, 95, 39, 121, 54, 123, 111, 31, 24, 27, 93, 137, 100, 135, 75, 57, 79, 34, 140, 82, 1, 98, 47, 132, 25, 115, 38, 30, 28, 3, 11, 108, 12, 35, 49, 13, 21, 101, 131, 41, 136, 60, 141, 130, 2, 103, 6, 64, 18, 59, 20, 117, 134, 77, 56, 92, 74, 66, 126, 7, 5, 138, 62, 36, 72, 122, 71, 61, 23, 51, 15, 139, 142, 52, 107, 45, 83, 80, 14, 120, 89, 33, 67, 48, 8, 78, 109, 127, 85, 129, 50, 133, 10, 124, 118, 63, 37];
// deno-fmt-ignore
const SK_CONN1 = [1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3];
// deno-fmt-ignore
const SK_CONN2 = [2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 2, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3];

function markers12() {
  const m = new Int32Array(144);
  m[1 * 12 + 1] = 1;
  m[10 * 12 + 2] = 2;
  m[6 * 12 + 9] = 3;
  return m;
}

Deno.test("watershed equals scikit-image on distinct values (4- and 8-connectivity)", () => {
  const lv = Uint16Array.from(IMG);
  assertEquals(Array.from(watershed(lv, markers12(), 12, 12, { connectivity: 1 })), SK_CONN1);
  assertEquals(Array.from(watershed(lv, markers12(), 12, 12, { connectivity: 2 })), SK_CONN2);
});

Deno.test("watershed: two basins split along the ridge of a synthetic edge map", () => {
  // 9x5 image, ridge (value 200) at column 4, ramps down to 0 at both sides.
  const W = 9, H = 5;
  const lv = new Uint16Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      lv[y * W + x] = x === 4 ? 200 : 10 * (4 - Math.abs(4 - x));
    }
  }
  const m = new Int32Array(W * H);
  m[2 * W + 0] = 1;
  m[2 * W + 8] = 2;
  const out = watershed(lv, m, W, H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < 4; x++) assertEquals(out[y * W + x], 1, `(${x},${y})`);
    for (let x = 5; x < W; x++) assertEquals(out[y * W + x], 2, `(${x},${y})`);
    assert(out[y * W + 4] === 1 || out[y * W + 4] === 2);
  }
});

Deno.test("watershed: masked pixels stay 0 and wall off the flood", () => {
  const W = 5, H = 1;
  const mask = Uint8Array.of(1, 1, 0, 1, 1);
  const out = watershed(new Uint16Array(5), Int32Array.of(7, 0, 0, 0, 0), W, H, { mask });
  assertEquals(Array.from(out), [7, 7, 0, 0, 0]);
});

Deno.test("watershed: no markers leaves everything 0; bad sizes throw", () => {
  assertEquals(Array.from(watershed(new Uint16Array(4), new Int32Array(4), 2, 2)), [0, 0, 0, 0]);
  assertThrows(() => watershed(new Uint16Array(3), new Int32Array(4), 2, 2), RangeError);
});

Deno.test("quantize rounds and clamps", () => {
  assertEquals(Array.from(quantize(Float32Array.of(0, 0.5, 1, -1, 2), 256)), [0, 128, 255, 0, 255]);
  assertEquals(Array.from(quantize(Float32Array.of(0.49, 0.51), 3)), [1, 1]);
});

/** The previous unpadded flood (bounds tested per neighbour), kept as the reference. */
function referenceWatershed(
  levels: Uint16Array,
  markers: Int32Array,
  W: number,
  H: number,
  eight: boolean,
  mask?: Uint8Array,
): number[] {
  const n = W * H;
  const out = Array.from(markers);
  if (mask) { for (let i = 0; i < n; i++) if (!mask[i]) out[i] = -1; }
  const queues: number[][] = [];
  let nLevels = 1;
  for (let i = 0; i < n; i++) nLevels = Math.max(nLevels, levels[i] + 1);
  for (let l = 0; l < nLevels; l++) queues.push([]);
  let cur = 0;
  const nbrs = (p: number) => {
    const x = p % W, y = (p - x) / W, r: number[] = [];
    const d = eight
      ? [[-1, 0], [1, 0], [0, -1], [0, 1], [-1, -1], [1, -1], [-1, 1], [1, 1]]
      : [[-1, 0], [1, 0], [0, -1], [0, 1]];
    for (const [dx, dy] of d) {
      if (x + dx >= 0 && x + dx < W && y + dy >= 0 && y + dy < H) r.push(p + dy * W + dx);
    }
    return r;
  };
  for (let p = 0; p < n; p++) if (out[p] > 0 && nbrs(p).some((q) => out[q] === 0)) queues[levels[p]].push(p);
  while (true) {
    while (cur < nLevels && queues[cur].length === 0) cur++;
    if (cur === nLevels) break;
    const p = queues[cur].shift()!;
    for (const q of nbrs(p)) {
      if (out[q] !== 0) continue;
      out[q] = out[p];
      queues[levels[q]].push(q);
      if (levels[q] < cur) cur = levels[q];
    }
  }
  return out.map((v) => (v > 0 ? v : 0));
}

Deno.test("watershed equals the plain flood on random levels, markers and masks", () => {
  const rng = new Rng(37);
  for (let t = 0; t < 300; t++) {
    const W = rng.int(1, 25), H = rng.int(1, 25), n = W * H, L = rng.int(1, 6);
    const lv = new Uint16Array(n).map(() => rng.int(0, L));
    const m = new Int32Array(n).map(() => (rng.float() < 0.06 ? rng.int(1, 5) : 0));
    const mask = rng.float() < 0.3 ? new Uint8Array(n).map(() => (rng.float() < 0.8 ? 1 : 0)) : undefined;
    for (const c of [1, 2] as const) {
      const ours = watershed(lv, m, W, H, { connectivity: c, mask });
      assertEquals(
        Array.from(ours),
        referenceWatershed(lv, m, W, H, c === 2, mask),
        `case ${t}, connectivity ${c}`,
      );
    }
  }
  // `out` is written and returned.
  const out = new Int32Array(4).fill(9);
  const r = watershed(new Uint16Array(4), Int32Array.of(1, 0, 0, 2), 4, 1, { connectivity: 1, out });
  assert(r === out);
  assertEquals(Array.from(out), [1, 1, 2, 2]);
});

Deno.test("watershed of a float map quantises on the fly exactly as quantize does", () => {
  const rng = new Rng(71);
  for (let t = 0; t < 50; t++) {
    const W = rng.int(1, 20), H = rng.int(1, 20), n = W * H, L = rng.pick([3, 16, 256]);
    const v = new Float32Array(n).map(() => Math.fround(rng.float() * 1.2 - 0.1));
    const m = new Int32Array(n).map(() => (rng.float() < 0.08 ? rng.int(1, 4) : 0));
    assertEquals(
      Array.from(watershed(v, m, W, H, { quantize: L })),
      Array.from(watershed(quantize(v, L), m, W, H)),
    );
  }
});
