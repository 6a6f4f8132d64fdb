/**
 * Pictures and plots: palettes, painted label maps, match pictures, plotly figures with static SVG and PNG forms,
 * notebook display and the notebooks' shared set-up (paths shown without machine folders).
 * @module
 */
export * from "./color.ts";
export * from "./match_vis.ts";
export * from "./plotly.ts";
export * from "./svg_plot.ts";
export * from "./notebook.ts";
export * from "./notebook_setup.ts";
