/**
 * From pixels and patch similarities to regions: union-find, distance transform, bucket-queue watershed,
 * edge-aware patch merging, seeds, small-region merging, line-enclosed regions with gap closing, background,
 * patch votes, colour regions, stroke skeletons, gap closing by stroke ends and regions from the strokes, and the
 * `patches | lines | hybrid | strokes` segmentation modes; scratch buffers.
 * @module
 */
export * from "./union_find.ts";
export * from "./distance.ts";
export * from "./watershed.ts";
export * from "./patch_layout.ts";
export * from "./patch_merge.ts";
export * from "./seeds.ts";
export * from "./relabel.ts";
export * from "./adjacency.ts";
export * from "./small_merge.ts";
export * from "./vote.ts";
export * from "./lines.ts";
export * from "./background.ts";
export * from "./color_regions.ts";
export * from "./upscale.ts";
export * from "./gap_close.ts";
export * from "./skeleton.ts";
export * from "./strokes.ts";
export * from "./segment.ts";
export * from "./scratch.ts";
