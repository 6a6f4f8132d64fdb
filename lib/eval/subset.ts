/**
 * A smaller evaluation: `limit` pairs spread evenly over the pair list (which is sorted by character), so a
 * short run still sees many characters rather than the first few.
 *
 * @module
 */
import type { PairRef } from "../data/pairs.ts";

/**
 * `limit` pairs at evenly spaced positions (index floor(i * n / limit)), in list order; all pairs when `limit`
 * is 0, undefined or at least the list's length.
 *
 * @example
 * ```ts
 * spreadPairs(pairs, 4); // of 300 pairs: indices 0, 75, 150, 225
 * ```
 */
export function spreadPairs<T extends PairRef>(pairs: readonly T[], limit?: number): T[] {
  const n = pairs.length;
  if (!limit || limit >= n) return [...pairs];
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`spreadPairs: limit ${limit}`);
  return Array.from({ length: limit }, (_, i) => pairs[Math.floor((i * n) / limit)]);
}
