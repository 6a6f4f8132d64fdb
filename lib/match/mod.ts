/**
 * Region correspondences: region similarity (eq. 5), bidirectional threshold matching, the whole-pair pipeline,
 * colourisation and its metrics, and a ground-truth oracle and toy drawing pair that stand in for the model.
 * @module
 */
export * from "./region_similarity.ts";
export * from "./matching.ts";
export * from "./context.ts";
export * from "./pipeline.ts";
export * from "./colorize.ts";
export * from "./colorize_metrics.ts";
export * from "./colorize_pair.ts";
export * from "./oracle.ts";
export * from "./toy_pair.ts";
