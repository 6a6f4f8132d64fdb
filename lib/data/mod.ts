/** Datasets in the PaintBucket-Character layout, pair lists, and patch ground truth. @module */
export * from "./pbc.ts";
export * from "./pairs.ts";
export * from "./patch_gt.ts";
export * from "./stats.ts";
export * from "./corrections.ts";
export * from "./families.ts";
export * from "./pixel_labels.ts";
export * from "./shard.ts";
