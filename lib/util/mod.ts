/** Shared plumbing: seeded randomness, safe file writes, CLI parsing, progress, notebook display. @module */
export * from "./rng.ts";
export * from "./errors.ts";
export * from "./fs.ts";
export * from "./cli.ts";
export * from "./progress.ts";
export * from "./jupyter.ts";
export * from "./paths.ts";
export * from "./copy_tree.ts";
