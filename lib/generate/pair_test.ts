import { assert, assertEquals, assertNotEquals } from "../testing/asserts.ts";
import { renderPair } from "./pair.ts";

Deno.test("renderPair: deterministic by seed, frames differ, labels shared", () => {
  const p = renderPair({ size: 128, seed: 4 });
  const q = renderPair({ size: 128, seed: 4 });
  assertEquals(p.a.line.data, q.a.line.data);
  assertEquals(p.b.seg.data, q.b.seg.data);
  assertNotEquals(p.a.line.data, p.b.line.data);
  assertNotEquals(renderPair({ size: 128, seed: 5 }).a.line.data, p.a.line.data);
  // The two frames are of one character: most labels appear in both.
  const la = new Set([...p.a.labelOfSeg.values()].filter((l) => l >= 0));
  const lb = new Set([...p.b.labelOfSeg.values()].filter((l) => l >= 0));
  const shared = [...la].filter((l) => lb.has(l)).length;
  assert(shared >= 0.5 * Math.min(la.size, lb.size), `${shared} of ${la.size}/${lb.size} labels shared`);
});

Deno.test("renderPair of another family: exact labels shared by both frames", () => {
  const { a, b } = renderPair({ size: 128, family: "creature", seed: 2 });
  const labs = (f: typeof a) => new Set([...f.labelOfSeg.values()].filter((v) => v >= 0));
  const la = labs(a), lb = labs(b);
  assert(la.size > 5 && [...lb].some((l) => la.has(l)));
});
