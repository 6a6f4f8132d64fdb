import { assertEquals } from "../testing/asserts.ts";
import { Rng } from "./rng.ts";
import {
  connectedComponents,
  labelSizes,
  relabelMapped,
  relabelSequential,
  relabelWithSizes,
} from "./relabel.ts";

Deno.test("relabelSequential numbers by first appearance; 0 and negatives become 0", () => {
  const r = relabelSequential(Int32Array.of(7, 7, 3, 0, -2, 3, 9));
  assertEquals(Array.from(r.labels), [1, 1, 2, 0, 0, 2, 3]);
  assertEquals(r.count, 3);
  assertEquals(Array.from(labelSizes(r.labels, 3)), [0, 2, 2, 1]);
});

Deno.test("connectedComponents splits equal keys that do not touch (4-connectivity)", () => {
  // 5 5 0
  // 0 5 0    key 5 at (0,0),(1,0),(1,1); key 0 elsewhere except -1 at (2,2); diagonal 5 at (0,2) is separate
  // 5 0 -1
  const keys = Int32Array.of(5, 5, 0, 0, 5, 0, 5, 0, -1);
  const r = connectedComponents(keys, 3, 3);
  assertEquals(Array.from(r.labels), [1, 1, 2, 3, 1, 2, 4, 5, 0]);
  assertEquals(r.count, 5);
});

Deno.test("relabelSequential: huge labels (sparse path) number like small ones", () => {
  const big = Int32Array.of(2_000_000_000, 5, 2_000_000_000, 0, 7, 5);
  assertEquals(Array.from(relabelSequential(big).labels), [1, 2, 1, 0, 3, 2]);
  assertEquals(Array.from(relabelSequential(Int32Array.of(3, 5, 3, 0, 7, 5)).labels), [1, 2, 1, 0, 3, 2]);
});

/** Flood-fill reference for connected components (ids in raster order of first pixel). */
function referenceComponents(keys: Int32Array, W: number, H: number): { labels: number[]; count: number } {
  const out = new Array<number>(W * H).fill(0);
  let count = 0;
  for (let s = 0; s < W * H; s++) {
    if (out[s] !== 0 || keys[s] < 0) continue;
    out[s] = ++count;
    const stack = [s];
    while (stack.length) {
      const p = stack.pop()!, x = p % W, y = (p - x) / W;
      for (const [xx, yy] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]]) {
        const q = yy * W + xx;
        if (xx >= 0 && xx < W && yy >= 0 && yy < H && out[q] === 0 && keys[q] === keys[p]) {
          out[q] = count;
          stack.push(q);
        }
      }
    }
  }
  return { labels: out, count };
}

Deno.test("connectedComponents equals a flood fill on random key maps", () => {
  const rng = new Rng(31);
  for (let t = 0; t < 300; t++) {
    const W = rng.int(1, 30), H = rng.int(1, 30);
    const keys = new Int32Array(W * H).map(() => rng.int(-1, rng.int(1, 5)));
    const ours = connectedComponents(keys, W, H), ref = referenceComponents(keys, W, H);
    assertEquals(ours.count, ref.count);
    assertEquals(Array.from(ours.labels), ref.labels);
  }
});

Deno.test("relabelWithSizes counts; relabelMapped relabels mapped ids in one pass", () => {
  const r = relabelWithSizes(Int32Array.of(7, 7, 3, 0, 9, 3, 3));
  assertEquals(Array.from(r.labels), [1, 1, 2, 0, 3, 2, 2]);
  assertEquals(Array.from(r.sizes), [0, 2, 3, 1]);
  // The dense table is left clean: a second call with other labels numbers afresh.
  assertEquals(Array.from(relabelWithSizes(Int32Array.of(3, 9)).labels), [1, 2]);
  const big = relabelWithSizes(Int32Array.of(5_000_000, 5_000_000, 2));
  assertEquals([Array.from(big.labels), Array.from(big.sizes)], [[1, 1, 2], [0, 2, 1]]);
  const m = relabelMapped(Int32Array.of(1, 2, 3, 0, 4), Int32Array.of(0, 3, 3, 1, -1));
  assertEquals(Array.from(m.labels), [1, 1, 2, 0, 0]);
  assertEquals(m.count, 2);
});
