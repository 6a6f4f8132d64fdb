/**
 * Procedural manga line art with exact ground truth: characters built from semantic parts, smooth pose and
 * camera sequences, clean and hand-drawn line styles, PBC-layout datasets with shards and merge.
 *
 * @module
 */
export * from "./geometry.ts";
export * from "./raster.ts";
export * from "./noise.ts";
export * from "./xdog.ts";
export * from "./palette.ts";
export * from "./character.ts";
export * from "./pose.ts";
export * from "./scene.ts";
export * from "./head.ts";
export * from "./body.ts";
export * from "./render.ts";
export * from "./segments.ts";
export * from "./hand_drawn.ts";
export * from "./frame.ts";
export * from "./dataset.ts";
export * from "./pair.ts";
export * from "./labels.ts";
export * from "./family.ts";
export * from "./creature.ts";
export * from "./animals.ts";
export * from "./props.ts";
export * from "./mecha.ts";
export * from "./styles.ts";
export * from "./real_warp.ts";
