import { assert, assertEquals, assertNotEquals } from "../testing/asserts.ts";
import { Rng } from "./rng.ts";

Deno.test("Rng: same seed gives the same stream, another seed another", () => {
  const a = new Rng(7), b = new Rng(7), c = new Rng(8);
  const sa = Array.from({ length: 20 }, () => a.u32());
  const sb = Array.from({ length: 20 }, () => b.u32());
  const sc = Array.from({ length: 20 }, () => c.u32());
  assertEquals(sa, sb);
  assertNotEquals(sa, sc);
});

Deno.test("Rng: state round trip continues the same stream", () => {
  const a = new Rng("seed");
  for (let i = 0; i < 5; i++) a.u32();
  const b = Rng.fromState(a.state());
  for (let i = 0; i < 10; i++) assertEquals(a.u32(), b.u32());
});

Deno.test("Rng: uniform and normal moments are close to theory", () => {
  const r = new Rng(1);
  const n = 200_000;
  let s = 0, s2 = 0, ns = 0, ns2 = 0;
  for (let i = 0; i < n; i++) {
    const u = r.float();
    s += u;
    s2 += u * u;
    const z = r.normal();
    ns += z;
    ns2 += z * z;
  }
  assert(Math.abs(s / n - 0.5) < 0.005);
  assert(Math.abs(s2 / n - 1 / 3) < 0.005);
  assert(Math.abs(ns / n) < 0.01);
  assert(Math.abs(ns2 / n - 1) < 0.02);
});

Deno.test("Rng: int stays in range and hits every value", () => {
  const r = new Rng(3);
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    const k = r.int(-2, 3);
    assert(k >= -2 && k < 3);
    seen.add(k);
  }
  assertEquals(seen.size, 5);
});

Deno.test("Rng: fork is deterministic and does not advance the parent", () => {
  const a = new Rng(5), b = new Rng(5);
  const fa = a.fork("x"), fb = b.fork("x");
  assertEquals(fa.u32(), fb.u32());
  assertEquals(a.u32(), b.u32());
  assertNotEquals(new Rng(5).fork("x").u32(), new Rng(5).fork("y").u32());
});

Deno.test("Rng: shuffle is a permutation", () => {
  const arr = Array.from({ length: 50 }, (_, i) => i);
  const s = new Rng(9).shuffle([...arr]);
  assertEquals([...s].sort((x, y) => x - y), arr);
  assertNotEquals(s, arr);
});
