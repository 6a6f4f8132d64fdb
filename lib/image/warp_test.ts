import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import {
  identityWarp,
  randomWarp,
  smoothField,
  warpGrayBilinear,
  warpInk,
  warpLabelsNearest,
  warpRgbaNearest,
} from "./warp.ts";

Deno.test("identity warp leaves labels, colours, grey and ink unchanged", () => {
  const w = 9, h = 7, n = w * h;
  const rng = new Rng(1);
  const labels = { width: w, height: h, data: Int32Array.from({ length: n }, () => rng.int(-1, 5)) };
  const gray = { width: w, height: h, data: Uint8Array.from({ length: n }, () => rng.int(0, 256)) };
  const rgba = { width: w, height: h, data: Uint8Array.from({ length: 4 * n }, () => rng.int(0, 256)) };
  const ink = Uint8Array.from({ length: n }, () => (rng.bool(0.3) ? 1 : 0));
  const f = identityWarp(w, h);
  assertEquals(Array.from(warpLabelsNearest(labels, f).data), Array.from(labels.data));
  assertEquals(Array.from(warpGrayBilinear(gray, f).data), Array.from(gray.data));
  assertEquals(Array.from(warpRgbaNearest(rgba, f).data), Array.from(rgba.data));
  assertEquals(Array.from(warpInk(ink, w, h, f)), Array.from(ink));
});

Deno.test("random warp: same seed same field, labels keep their values, smooth (no folds)", () => {
  const a = randomWarp(new Rng(5), 64, 48), b = randomWarp(new Rng(5), 64, 48);
  assertEquals(Array.from(a.sx), Array.from(b.sx));
  const c = randomWarp(new Rng(6), 64, 48);
  assert(Array.from(a.sx).some((v, i) => v !== c.sx[i]), "another seed, another field");
  // Neighbouring targets come from nearby sources: the map is smooth and does not fold.
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x + 1 < 64; x++) {
      const i = y * 64 + x;
      const d = a.sx[i + 1] - a.sx[i];
      assert(d > 0.3 && d < 2, `step ${d} at ${x},${y}`);
    }
  }
  const lab = {
    width: 64,
    height: 48,
    data: Int32Array.from({ length: 64 * 48 }, (_, i) => (i % 64 < 32 ? 3 : 7)),
  };
  const moved = warpLabelsNearest(lab, a, -1);
  assert(new Set(moved.data).size <= 3 && [...moved.data].every((v) => v === 3 || v === 7 || v === -1));
});

Deno.test("warpInk keeps a thin diagonal line connected and thin under rotation and zoom", () => {
  const w = 96, ink = new Uint8Array(w * w);
  for (let t = 10; t < 86; t++) ink[t * w + t] = 1; // 8-connected diagonal
  for (const seed of [1, 2, 3, 4]) {
    const f = randomWarp(new Rng(seed), w, w, { elasticAmp: 0.02, shift: 0, scale: [0.8, 1.25] });
    const out = warpInk(ink, w, w, f);
    // Connected (8-neighbours): one piece.
    const seen = new Uint8Array(w * w);
    let pieces = 0, count = 0;
    for (let s = 0; s < w * w; s++) {
      if (!out[s] || seen[s]) continue;
      pieces++;
      const stack = [s];
      seen[s] = 1;
      while (stack.length) {
        const i = stack.pop()!;
        count++;
        const x = i % w, y = (i - x) / w;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx, yy = y + dy, j = yy * w + xx;
            if (xx >= 0 && yy >= 0 && xx < w && yy < w && out[j] && !seen[j]) (seen[j] = 1), stack.push(j);
          }
        }
      }
    }
    assertEquals(pieces, 1, `seed ${seed}: the line broke into ${pieces} pieces`);
    assert(count < 76 * 1.25 * 2.2, `seed ${seed}: ${count} ink pixels, the line got thick`);
  }
});

Deno.test("smoothField is in [-1, 1]; a mismatched field is refused", () => {
  const f = smoothField(new Rng(2), 40, 30, 8);
  assert(f.every((v) => v >= -1 && v <= 1));
  assertThrows(() =>
    warpLabelsNearest({ width: 5, height: 5, data: new Int32Array(25) }, identityWarp(4, 4))
  );
});
