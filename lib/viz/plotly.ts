/**
 * Plotly figures as plain objects (`{data, layout}`), and builders for the plots this project draws: loss
 * curves, histograms, PR curves, heat maps. Notebooks show them with `showPlot` (interactive where the front
 * end renders plotly, a static SVG everywhere else, GitHub included).
 *
 * @module
 */

/** One plotly trace (the subset this project uses; other plotly fields pass through untouched). */
export interface Trace {
  type?: "scatter" | "bar" | "histogram" | "heatmap";
  name?: string;
  x?: (number | string)[];
  y?: number[];
  z?: number[][];
  mode?: "lines" | "markers" | "lines+markers";
  nbinsx?: number;
  line?: { color?: string; dash?: "solid" | "dash" | "dot"; width?: number };
  marker?: { color?: string; size?: number };
  colorscale?: string;
  opacity?: number;
  [k: string]: unknown;
}

/** Axis settings. */
export interface Axis {
  title?: string | { text: string };
  range?: [number, number];
  [k: string]: unknown;
}

/** A plotly figure. */
export interface Figure {
  data: Trace[];
  layout: {
    title?: string | { text: string };
    xaxis?: Axis;
    yaxis?: Axis;
    width?: number;
    height?: number;
    barmode?: "group" | "overlay" | "stack";
    [k: string]: unknown;
  };
}

/** Title text of a title field. */
export function titleText(t: string | { text: string } | undefined): string {
  return typeof t === "string" ? t : t?.text ?? "";
}

/**
 * Lines over a shared or per-series x.
 *
 * @example
 * ```ts
 * const fig = lineFigure([{ name: "loss", x: steps, y: losses }], { title: "training", xTitle: "step" });
 * ```
 */
export function lineFigure(
  series: { name: string; x: number[]; y: number[]; dash?: boolean }[],
  opts: {
    title?: string;
    xTitle?: string;
    yTitle?: string;
    yRange?: [number, number];
    xRange?: [number, number];
  } = {},
): Figure {
  return {
    data: series.map((s) => ({
      type: "scatter",
      mode: "lines",
      name: s.name,
      x: s.x,
      y: s.y,
      ...(s.dash ? { line: { dash: "dash" as const } } : {}),
    })),
    layout: {
      title: opts.title,
      xaxis: { title: opts.xTitle, ...(opts.xRange ? { range: opts.xRange } : {}) },
      yaxis: { title: opts.yTitle, ...(opts.yRange ? { range: opts.yRange } : {}) },
    },
  };
}

/** Precision-recall curves (recall on x, precision on y, both [0, 1]); AP in the legend. */
export function prCurveFigure(
  curves: { name: string; recall: ArrayLike<number>; precision: ArrayLike<number>; ap?: number }[],
  title = "Precision-recall",
): Figure {
  return {
    data: curves.map((c) => ({
      type: "scatter",
      mode: "lines",
      name: c.ap === undefined ? c.name : `${c.name} (AP ${(100 * c.ap).toFixed(2)})`,
      x: Array.from(c.recall),
      y: Array.from(c.precision),
    })),
    layout: {
      title,
      xaxis: { title: "recall", range: [0, 1] },
      yaxis: { title: "precision", range: [0, 1.02] },
    },
  };
}

/** Histograms of one or more samples, overlaid. */
export function histogramFigure(
  samples: { name: string; values: number[] }[],
  opts: { title?: string; xTitle?: string; nbins?: number } = {},
): Figure {
  return {
    data: samples.map((s) => ({
      type: "histogram",
      name: s.name,
      x: s.values,
      nbinsx: opts.nbins ?? 30,
      opacity: samples.length > 1 ? 0.6 : 1,
    })),
    layout: {
      title: opts.title,
      xaxis: { title: opts.xTitle },
      yaxis: { title: "count" },
      barmode: "overlay",
    },
  };
}

/** Bars (one series per entry, grouped). */
export function barFigure(
  series: { name: string; x: string[]; y: number[] }[],
  opts: { title?: string; yTitle?: string } = {},
): Figure {
  return {
    data: series.map((s) => ({ type: "bar", name: s.name, x: s.x, y: s.y })),
    layout: { title: opts.title, yaxis: { title: opts.yTitle }, barmode: "group" },
  };
}

/** A heat map of a row-major matrix. */
export function heatmapFigure(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  opts: { title?: string; xTitle?: string; yTitle?: string } = {},
): Figure {
  const z: number[][] = [];
  for (let r = 0; r < rows; r++) z.push(Array.from({ length: cols }, (_, c) => values[r * cols + c]));
  return {
    data: [{ type: "heatmap", z, colorscale: "Viridis" }],
    layout: {
      title: opts.title,
      xaxis: { title: opts.xTitle },
      yaxis: { title: opts.yTitle, autorange: "reversed" },
    },
  };
}
