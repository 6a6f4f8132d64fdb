/** Images as typed arrays: I/O on sharp, line-preserving resize, letterboxing into the model's input. @module */
export * from "./types.ts";
export * from "./io.ts";
export * from "./resize.ts";
export * from "./letterbox.ts";
export * from "./warp.ts";
export * from "./noise.ts";
