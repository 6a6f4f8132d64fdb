/** Re-export of `lib/util/scratch.ts` (moved there: `image/` borrows too). @module */
export * from "../util/scratch.ts";
