/** The scratch buffers moved to `lib/util/scratch.ts` (the edge map in `image/` borrows too); kept for `./scratch.ts` imports. @module */
export * from "../util/scratch.ts";
