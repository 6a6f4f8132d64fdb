/**
 * Pseudo label indices of a pair from its region matches: matched regions are joined (union-find over the
 * regions of both frames), and each group gets one label index, so that the two frames share labels exactly
 * where they were matched. Unmatched regions get labels of their own; background (and line) segments get -1.
 *
 * @module
 */
import { BACKGROUND_ID, BACKGROUND_LABEL, LINE_ID } from "../data/pbc.ts";

/** One region correspondence: region `a` of the reference, region `b` of the target. */
export interface RegionPair {
  a: number;
  b: number;
}

/**
 * Label maps (segment id -> label index) for both frames of a pair. Labels are numbered 0.. in order of the
 * reference's region ids, then the target's unmatched ones.
 *
 * @example
 * ```ts
 * const { labelsA, labelsB } = pairLabels(countA, countB, [{ a: 2, b: 3 }]);
 * // labelsA.get(2) === labelsB.get(3)
 * ```
 */
export function pairLabels(
  countA: number,
  countB: number,
  pairs: readonly RegionPair[],
  present?: { a: Float64Array; b: Float64Array },
): { labelsA: Map<number, number>; labelsB: Map<number, number>; groups: number } {
  const n = countA + countB;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const real = (id: number) => id !== LINE_ID && id !== BACKGROUND_ID;
  for (const { a, b } of pairs) {
    if (!real(a) || !real(b) || a >= countA || b >= countB) continue;
    const ra = find(a), rb = find(countA + b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const labelOfRoot = new Int32Array(n).fill(-1);
  let next = 0;
  const labelsA = new Map<number, number>(), labelsB = new Map<number, number>();
  const assign = (node: number, id: number, out: Map<number, number>, sizes?: Float64Array) => {
    if (sizes && !(sizes[id] > 0) && real(id)) return;
    if (!real(id)) {
      out.set(id, BACKGROUND_LABEL);
      return;
    }
    const r = find(node);
    if (labelOfRoot[r] < 0) labelOfRoot[r] = next++;
    out.set(id, labelOfRoot[r]);
  };
  for (let a = 0; a < countA; a++) assign(a, a, labelsA, present?.a);
  for (let b = 0; b < countB; b++) assign(countA + b, b, labelsB, present?.b);
  return { labelsA, labelsB, groups: next };
}
