/** Re-export of `lib/regions/region_similarity.ts` (moved there: the hybrid segmentation uses it too). @module */
export * from "../regions/region_similarity.ts";
