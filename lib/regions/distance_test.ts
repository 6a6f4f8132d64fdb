import { assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { FAR, squaredDistance } from "./distance.ts";

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
