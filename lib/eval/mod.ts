/**
 * Evaluation as in the paper: patch-level PR curves, AP, best F1 and top-K (Table 1), region-level ARI, mIoU,
 * count ratio and cross-image region precision/recall (Table 2), the dataset runner, and the tables; the
 * predictors (model + pipeline, oracle, flood fill), the ablation rows, the shipped model and the test splits.
 *
 * @module
 */
export * from "./pr.ts";
export * from "./radix.ts";
export * from "./histogram.ts";
export * from "./patch_samples.ts";
export * from "./topk.ts";
export * from "./patch_labels.ts";
export * from "./patch_metrics.ts";
export * from "./contingency.ts";
export * from "./ari.ts";
export * from "./gt_regions.ts";
export * from "./segmentation.ts";
export * from "./region_matching.ts";
export * from "./region_summary.ts";
export * from "./run.ts";
export * from "./report.ts";
export * from "./tables.ts";
export * from "./paper.ts";
export * from "./subset.ts";
export * from "./predictors.ts";
export * from "./ablation.ts";
export * from "./shipped.ts";
export * from "./splits.ts";
export * from "./colorization.ts";
export * from "./merge.ts";
