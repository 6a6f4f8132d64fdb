import { assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { floatKeys, keyToFloat, radixSortU32 } from "./radix.ts";

Deno.test("floatKeys: order-preserving, round-trips, -0 is +0", () => {
  const v = Float32Array.of(-Infinity, -3.5, -1e-30, -0, 0, 1e-30, 0.25, 0.5, 7, Infinity);
  const k = floatKeys(v);
  for (let i = 1; i < k.length; i++) {
    if (i === 4) assertEquals(k[i], k[i - 1]); // -0 and +0
    else assertEquals(k[i] > k[i - 1], true, `key ${i}`);
  }
  for (let i = 0; i < v.length; i++) assertEquals(keyToFloat(k[i]), v[i] + 0);
});

Deno.test("radixSortU32 sorts float keys like the native sort", () => {
  const rng = new Rng(9);
  const v = new Float32Array(20000);
  for (let i = 0; i < v.length; i++) v[i] = i % 7 === 0 ? Math.round(rng.normal(0, 3)) : rng.normal(0, 100);
  const sorted = Array.from(radixSortU32(floatKeys(v)), keyToFloat);
  const expected = Array.from(Float32Array.from(v).sort(), (x) => x + 0);
  assertEquals(sorted, expected);
});
