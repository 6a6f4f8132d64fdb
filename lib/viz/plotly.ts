/**
 * Plotly figures as plain objects (`{data, layout}`), and builders for the plots this project draws: loss
 * curves, histograms, PR curves, heat maps. Notebooks show them with `showPlot` (interactive where the front
 * end renders plotly, a static PNG and SVG everywhere else, GitHub and nbconvert included).
 *
 * Titles are objects (`{text: "..."}`) for the figure and both axes: plotly.js 3 (the pinned version) no
 * longer reads plain-string titles and would draw the figure without them.
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

/** A plotly title object (plotly.js 3 ignores plain strings), or undefined for no title. */
export function title(text: string | undefined): { text: string } | undefined {
  return text === undefined || text === "" ? undefined : { text };
}

/** An axis with an object title and automatic margins (long tick labels push the plot in, not off the page). */
function axis(text: string | undefined, extra: Partial<Axis> = {}): Axis {
  return { ...(text ? { title: { text } } : {}), automargin: true, ...extra };
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
      title: title(opts.title),
      xaxis: axis(opts.xTitle, opts.xRange ? { range: opts.xRange } : {}),
      yaxis: axis(opts.yTitle, opts.yRange ? { range: opts.yRange } : {}),
    },
  };
}

/** Precision-recall curves (recall on x, precision on y, both [0, 1]); AP in the legend. */
export function prCurveFigure(
  curves: { name: string; recall: ArrayLike<number>; precision: ArrayLike<number>; ap?: number }[],
  heading = "Precision-recall",
): Figure {
  return {
    data: curves.map((c) => ({
      type: "scatter",
      mode: "lines",
      name: c.ap === undefined ? c.name : `${c.name} (AP\u00a0${(100 * c.ap).toFixed(2)})`, // no break inside "AP 87.57"
      x: Array.from(c.recall),
      y: Array.from(c.precision),
    })),
    layout: {
      title: title(heading),
      xaxis: axis("recall", { range: [0, 1] }),
      yaxis: axis("precision", { range: [0, 1.02] }),
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
      title: title(opts.title),
      xaxis: axis(opts.xTitle),
      yaxis: axis("count"),
      barmode: "overlay",
    },
  };
}

/** Bars (one series per entry, grouped); category labels are turned 45 degrees so long ones never overprint. */
export function barFigure(
  series: { name: string; x: string[]; y: number[] }[],
  opts: { title?: string; xTitle?: string; yTitle?: string } = {},
): Figure {
  return {
    data: series.map((s) => ({ type: "bar", name: s.name, x: s.x, y: s.y })),
    layout: {
      title: title(opts.title),
      xaxis: axis(opts.xTitle, { tickangle: -45 }),
      yaxis: axis(opts.yTitle),
      barmode: "group",
    },
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
      title: title(opts.title),
      xaxis: axis(opts.xTitle),
      yaxis: axis(opts.yTitle, { autorange: "reversed" }),
    },
  };
}
