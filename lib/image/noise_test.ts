import { assert, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { valueNoise } from "./noise.ts";

Deno.test("value noise is deterministic, in [-1, 1], and smooth", () => {
  const a = valueNoise(new Rng(3), 64, 48, 8);
  const b = valueNoise(new Rng(3), 64, 48, 8);
  assertEquals(Array.from(a), Array.from(b));
  const c = valueNoise(new Rng(4), 64, 48, 8);
  assert(a.some((v, i) => v !== c[i]));
  let maxStep = 0, lo = Infinity, hi = -Infinity;
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 64; x++) {
      const v = a[y * 64 + x];
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      if (x > 0) maxStep = Math.max(maxStep, Math.abs(v - a[y * 64 + x - 1]));
    }
  }
  assert(lo >= -1 && hi <= 1);
  assert(hi - lo > 0.8, "uses its range");
  // Between grid values 8 px apart the change per pixel stays well under the full range.
  assert(maxStep < 0.4, `step ${maxStep}`);
  // Grid points take the random values: the field at (0,0) equals the first grid value.
  assertEquals(a[0], valueNoise(new Rng(3), 1, 1, 8)[0]);
});
