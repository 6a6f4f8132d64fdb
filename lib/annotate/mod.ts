/**
 * Automatic annotation from coloured frames (the paper's "Automatically Annotated Training Datasets"): colour
 * segmentation (k-means + connected colour regions + fragment merging), region matching by ORB keypoint votes
 * and a coarse position-and-colour pass, pseudo labels shared per pair, the dataset writer behind
 * `deno task annotate`, and the quality report against exact labels.
 *
 * @module
 */
export * from "./kmeans.ts";
export * from "./components.ts";
export * from "./fragments.ts";
export * from "./segment.ts";
export * from "./keypoints.ts";
export * from "./verify.ts";
export * from "./vote.ts";
export * from "./coarse.ts";
export * from "./labels.ts";
export * from "./pipeline.ts";
export * from "./dataset.ts";
export * from "./report.ts";
export * from "./pictures.ts";
export * from "./fixtures.ts";
export * from "./merge.ts";
