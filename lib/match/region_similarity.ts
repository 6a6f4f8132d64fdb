/** Re-export of `lib/regions/region_similarity.ts` (moved there: segmentation uses it). @module */
export * from "../regions/region_similarity.ts";
