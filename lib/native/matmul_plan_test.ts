import { assertArrayAlmostEquals, assertEquals, assertThrows } from "../testing/asserts.ts";
import { broadcastBatch, broadcastSourceIndex, planMatMul, referenceMatMul } from "./matmul_plan.ts";

Deno.test("broadcastBatch follows NumPy rules", () => {
  assertEquals(broadcastBatch([], []), []);
  assertEquals(broadcastBatch([2, 1], [3]), [2, 3]);
  assertEquals(broadcastBatch([1], [5, 4]), [5, 4]);
  assertEquals(broadcastBatch([4], []), [4]);
  assertThrows(() => broadcastBatch([2], [3]), Error, "cannot be broadcast");
});

Deno.test("broadcastSourceIndex maps output batches to source matrices", () => {
  // out [2,3]; a [2,1] -> a index = row; b [1,3] -> b index = column; c [3] -> column.
  assertEquals(Array.from(broadcastSourceIndex([2, 1], [2, 3])), [0, 0, 0, 1, 1, 1]);
  assertEquals(Array.from(broadcastSourceIndex([1, 3], [2, 3])), [0, 1, 2, 0, 1, 2]);
  assertEquals(Array.from(broadcastSourceIndex([3], [2, 3])), [0, 1, 2, 0, 1, 2]);
  assertEquals(Array.from(broadcastSourceIndex([], [2, 2])), [0, 0, 0, 0]);
  assertEquals(Array.from(broadcastSourceIndex([2, 2], [2, 2])), [0, 1, 2, 3]);
  // three dims, middle broadcast: src [2,1,2] in out [2,3,2] -> (i,j,k) -> 2i + k
  assertEquals(Array.from(broadcastSourceIndex([2, 1, 2], [2, 3, 2])), [0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2, 3]);
});

Deno.test("planMatMul sizes, leading dimensions and folding", () => {
  const p = planMatMul([4, 5, 3], [3, 7], false, false);
  assertEquals([p.m, p.n, p.k, p.calls, p.batch, p.lda, p.ldb, p.ldc], [20, 7, 3, 1, 4, 3, 7, 7]);
  assertEquals(p.outShape, [4, 5, 7]);
  // transA prevents folding: per-batch calls with A offsets stepping by m*k.
  const q = planMatMul([4, 3, 5], [3, 7], true, false);
  assertEquals([q.m, q.calls, q.lda], [5, 4, 5]);
  assertEquals(Array.from(q.aOffsets), [0, 15, 30, 45]);
  assertEquals(Array.from(q.bOffsets), [0, 0, 0, 0]);
  assertEquals(Array.from(q.cOffsets), [0, 35, 70, 105]);
  // A broadcast against batched B, transposed B stored [n, k].
  const r = planMatMul([1, 2, 3], [3, 4, 3], false, true);
  assertEquals([r.m, r.n, r.k, r.calls, r.ldb], [2, 4, 3, 3, 3]);
  assertEquals(Array.from(r.aOffsets), [0, 0, 0]);
  assertEquals(Array.from(r.bOffsets), [0, 12, 24]);
  assertEquals(r.outShape, [3, 2, 4]);
  // Degenerate sizes keep leading dimensions >= 1.
  const z = planMatMul([0, 3], [3, 0], false, false);
  assertEquals([z.m, z.n, z.lda, z.ldb, z.ldc], [0, 0, 3, 1, 1]);
  assertThrows(() => planMatMul([2, 3], [4, 5], false, false), Error, "inner shapes (3) and (4)");
  assertThrows(() => planMatMul([3], [3, 2], false, false), Error, "rank >= 2");
});

Deno.test("referenceMatMul on hand-worked products", () => {
  // [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]]
  const a = Float32Array.of(1, 2, 3, 4), b = Float32Array.of(5, 6, 7, 8);
  assertArrayAlmostEquals(referenceMatMul(a, [2, 2], b, [2, 2], false, false).values, [19, 22, 43, 50]);
  // A^T B = [[1,3],[2,4]] x B = [[26,30],[38,44]]
  assertArrayAlmostEquals(referenceMatMul(a, [2, 2], b, [2, 2], true, false).values, [26, 30, 38, 44]);
  // A B^T = [[17,23],[39,53]]
  assertArrayAlmostEquals(referenceMatMul(a, [2, 2], b, [2, 2], false, true).values, [17, 23, 39, 53]);
  // A^T B^T = (B A)^T ; B A = [[23,34],[31,46]] -> [[23,31],[34,46]]
  assertArrayAlmostEquals(referenceMatMul(a, [2, 2], b, [2, 2], true, true).values, [23, 31, 34, 46]);
  // Mutual broadcast: a [2,1,1,2], b [1,3,2,1] -> [2,3,1,1]
  const r = referenceMatMul(
    Float32Array.of(1, 2, 3, 4),
    [2, 1, 1, 2],
    Float32Array.of(1, 0, 0, 1, 1, 1),
    [1, 3, 2, 1],
    false,
    false,
  );
  assertEquals(r.shape, [2, 3, 1, 1]);
  assertArrayAlmostEquals(r.values, [1, 2, 3, 3, 4, 7]);
});
