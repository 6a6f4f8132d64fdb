/** Re-export of `lib/util/union_find.ts` (generic disjoint sets moved there). @module */
export * from "../util/union_find.ts";
