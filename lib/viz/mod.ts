/** Pictures and plots: palettes, painted label maps, plotly figures with a static SVG form, notebook display. @module */
export * from "./color.ts";
export * from "./plotly.ts";
export * from "./svg_plot.ts";
export * from "./notebook.ts";
