import { assert, assertEquals } from "../testing/asserts.ts";
import { benchPair, encodeNpy, median } from "./bench_match.ts";

Deno.test("benchPair: two generated frames of one character, fixed by the seed", () => {
  const p = benchPair(96, 3, "clean"), q = benchPair(96, 3, "clean"), r = benchPair(96, 4, "clean");
  assertEquals([p.a.line.width, p.a.line.height], [96, 96]);
  assertEquals(Array.from(p.a.line.data), Array.from(q.a.line.data));
  assertEquals(Array.from(p.b.line.data), Array.from(q.b.line.data));
  assert(p.a.line.data.some((v, i) => v !== p.b.line.data[i]), "the frames differ (pose)");
  assert(p.a.line.data.some((v, i) => v !== r.a.line.data[i]), "another seed, another drawing");
  assert(p.a.line.data.some((v) => v === 0) && p.a.seg.data.length === 96 * 96, "ink and ground truth");
});

Deno.test("encodeNpy writes a numpy 1.0 header padded to 64 bytes, then the data", () => {
  const npy = encodeNpy(Uint16Array.of(1, 2, 3, 4, 5, 6), 2, 3);
  assertEquals(Array.from(npy.subarray(0, 8)), [0x93, 78, 85, 77, 80, 89, 1, 0]);
  const hlen = npy[8] | (npy[9] << 8);
  assertEquals((10 + hlen) % 64, 0);
  const header = new TextDecoder().decode(npy.subarray(10, 10 + hlen));
  assert(
    header.startsWith("{'descr': '<u2', 'fortran_order': False, 'shape': (2, 3), }") && header.endsWith("\n"),
  );
  assertEquals(Array.from(new Uint16Array(npy.slice(10 + hlen).buffer)), [1, 2, 3, 4, 5, 6]);
  assertEquals(median([3, 1, 2]), 2);
  assertEquals(median([4, 1, 2, 3]), 2.5);
});
