/**
 * Region correspondences: region similarity (eq. 5), bidirectional threshold matching, the region matcher
 * (descriptors, Sinkhorn with a dustbin, alignment), the whole-pair pipeline, colourisation of pairs and clips and
 * its metrics, input checks, and a ground-truth oracle and toy drawing pair that stand in for the model.
 * @module
 */
export * from "./region_similarity.ts";
export * from "./matching.ts";
export * from "./context.ts";
export * from "./descriptors.ts";
export * from "./sinkhorn.ts";
export * from "./alignment.ts";
export * from "./region_matcher.ts";
export * from "./pipeline.ts";
export * from "./input_checks.ts";
export * from "./clip.ts";
export * from "./colorize.ts";
export * from "./colorize_metrics.ts";
export * from "./colorize_pair.ts";
export * from "./oracle.ts";
export * from "./toy_pair.ts";
export * from "./batch_merge.ts";
