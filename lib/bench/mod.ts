/**
 * Benchmarks: timing harnesses (ours), peer runners (PyTorch, scikit-image; their scripts in `peers/`), report
 * formatting, and records under `experiments/bench/`. The `bench:*` commands in lib/cli parse and print; the
 * work is here.
 *
 * @example
 * ```ts
 * import { benchReport, formatTable, runTrainBench } from "./lib/bench/mod.ts";
 * ```
 *
 * @module
 */
export * from "./colorize_report.ts";
export * from "./forward_report.ts";
export * from "./generate.ts";
export * from "./match.ts";
export * from "./match_report.ts";
export * from "./peer.ts";
export * from "./record.ts";
export * from "./rss_probe.ts";
export * from "./skimage.ts";
export * from "./timing.ts";
export * from "./train.ts";
export * from "./train_report.ts";
