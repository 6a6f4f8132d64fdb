/** Re-export of `lib/util/relabel.ts` (generic label bookkeeping moved there). @module */
export * from "../util/relabel.ts";
