import { assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { cappedSquaredDistance, FAR, squaredDistance, squaredDistanceInto } from "./distance.ts";

function brute(src: Uint8Array, W: number, H: number): Float32Array {
  const out = new Float32Array(W * H).fill(FAR);
  for (let p = 0; p < W * H; p++) {
    for (let q = 0; q < W * H; q++) {
      if (!src[q]) continue;
      const dx = (p % W) - (q % W), dy = Math.floor(p / W) - Math.floor(q / W);
      out[p] = Math.min(out[p], dx * dx + dy * dy);
    }
  }
  return out;
}

Deno.test("squaredDistance equals brute force on random masks", () => {
  const rng = new Rng(11);
  for (const [W, H, p] of [[13, 7, 0.1], [6, 11, 0.02], [20, 20, 0.3], [1, 9, 0.2]] as const) {
    const src = new Uint8Array(W * H).map(() => (rng.float() < p ? 1 : 0));
    src[rng.int(0, W * H)] = 1; // at least one source
    assertEquals(Array.from(squaredDistance(src, W, H)), Array.from(brute(src, W, H)), `${W}x${H}`);
  }
});

Deno.test("squaredDistance: a single source gives x^2 + y^2; none gives FAR", () => {
  const src = new Uint8Array(12);
  src[0] = 1;
  assertEquals(Array.from(squaredDistance(src, 4, 3)), [0, 1, 4, 9, 1, 2, 5, 10, 4, 5, 8, 13]);
  assertEquals(Array.from(squaredDistance(new Uint8Array(6), 3, 2)), new Array(6).fill(FAR));
});

Deno.test("squaredDistance: sparse sources, empty columns and rows, thin images, both arithmetic paths", () => {
  const rng = new Rng(41);
  for (let t = 0; t < 40; t++) {
    const W = rng.int(1, 40), H = rng.int(1, 40);
    const src = new Uint8Array(W * H);
    for (let k = rng.int(1, 4); k > 0; k--) src[rng.int(0, W * H)] = 1;
    assertEquals(Array.from(squaredDistance(src, W, H)), Array.from(brute(src, W, H)), `${W}x${H}`);
  }
  // W + H beyond 46000: squared column distances are held in doubles.
  const W = 46001, src = new Uint8Array(W);
  src[3] = 1;
  const d = squaredDistance(src, W, 1);
  assertEquals([d[0], d[3], d[46000]], [9, 0, Math.fround(45997 * 45997)]); // float32 output
  // Into a given array, which is returned.
  const out = new Float32Array(4);
  assertEquals(squaredDistanceInto(Uint8Array.of(0, 0, 0, 1), 4, 1, out), out);
  assertEquals(Array.from(out), [9, 4, 1, 0]);
});

Deno.test("cappedSquaredDistance is the exact squared distance below cap^2 and cap^2 from there on", () => {
  const rng = new Rng(43);
  for (let t = 0; t < 200; t++) {
    const W = rng.int(1, 30), H = rng.int(1, 30), cap = rng.int(1, 8);
    const src = new Uint8Array(W * H).map(() => (rng.float() < rng.float() * 0.2 ? 1 : 0));
    const exact = brute(src, W, H).map((v) => Math.min(v, cap * cap));
    const out = new Float32Array(W * H).fill(-1);
    assertEquals(
      Array.from(cappedSquaredDistance(src, W, H, cap, out)),
      Array.from(exact),
      `${W}x${H} cap ${cap}`,
    );
  }
});
