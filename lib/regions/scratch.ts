/** Re-export of `lib/util/scratch.ts` (moved there: `image/` borrows too), for the `./scratch.ts` imports. @module */
export * from "../util/scratch.ts";
