/**
 * The report of `deno task bench:colorize`: a markdown table (one row per method: foreground pixel and region
 * accuracy, the headline; the same with the background; seconds per pair) and the JSON figures.
 *
 * @module
 */
import type { ColorizationEval, ColorizationSummary } from "../eval/colorization.ts";

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "–");
const round = (x: number, d: number) => (Number.isFinite(x) ? +x.toFixed(d) : null);

/**
 * The markdown table of a run: one row per method, means over the pairs it ran on.
 *
 * @example
 * ```ts
 * console.log(colorizeTable(result.methods));
 * // | method | pairs | pixel acc. (fg) | region acc. (fg) | pixel acc. (with bg) | region acc. (with bg) | s/pair |
 * ```
 */
export function colorizeTable(methods: readonly ColorizationSummary[]): string {
  return [
    "| method | pairs | pixel acc. (fg) | region acc. (fg) | pixel acc. (with bg) | region acc. (with bg) | s/pair |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...methods.map((m) =>
      `| ${m.name} | ${m.pairs} | ${pct(m.pixel_accuracy_fg)} | ${pct(m.region_accuracy_fg)} | ${
        pct(m.pixel_accuracy_with_bg)
      } | ${pct(m.region_accuracy_with_bg)} | ${m.seconds_per_pair.toFixed(2)} |`
    ),
  ].join("\n");
}

/**
 * The benchmark's figures (its last line): data, pairs, weights (null: none), and by method its mean accuracies
 * (fractions, 4 decimals) and seconds per pair.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(colorizeReport("data/test-clean", result, null)));
 * ```
 */
export function colorizeReport(data: string, r: ColorizationEval, weights: string | null) {
  return {
    bench: "colorize",
    data,
    pairs: r.perPair.length,
    weights,
    methods: Object.fromEntries(
      r.methods.map((m) => [m.name, {
        pixel_accuracy_fg: round(m.pixel_accuracy_fg, 4),
        region_accuracy_fg: round(m.region_accuracy_fg, 4),
        pixel_accuracy_with_bg: round(m.pixel_accuracy_with_bg, 4),
        region_accuracy_with_bg: round(m.region_accuracy_with_bg, 4),
        s_per_pair: round(m.seconds_per_pair, 3),
      }]),
    ),
  };
}
