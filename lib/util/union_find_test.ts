import { assert, assertEquals } from "../testing/asserts.ts";
import { UnionFind } from "./union_find.ts";

Deno.test("UnionFind joins sets and numbers them by smallest element", () => {
  const uf = new UnionFind(6);
  assert(uf.union(4, 1));
  assert(uf.union(5, 4));
  assert(!uf.union(1, 5));
  assertEquals(uf.find(5), uf.find(1));
  const { ids, count } = uf.labels();
  assertEquals(Array.from(ids), [0, 1, 2, 3, 1, 1]);
  assertEquals(count, 4);
  assertEquals(uf.size[uf.find(1)], 3);
});
