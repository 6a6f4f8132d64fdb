import { assert, assertEquals } from "../testing/asserts.ts";
import { heatmapFigure, histogramFigure, lineFigure, prCurveFigure } from "./plotly.ts";
import { histogramBins, niceTicks, renderSvg } from "./svg_plot.ts";
import { markdownTable } from "./notebook.ts";

Deno.test("figure builders produce plotly traces", () => {
  const f = lineFigure([{ name: "loss", x: [0, 1, 2], y: [3, 2, 1] }], { title: "t", xTitle: "step" });
  assertEquals(f.data[0].type, "scatter");
  // plotly.js 3 reads object titles only (a string title is not drawn).
  assertEquals(f.layout.title, { text: "t" });
  assertEquals(f.layout.xaxis?.title, { text: "step" });
  assertEquals(f.layout.yaxis?.title, undefined);
  const pr = prCurveFigure([{ name: "cross", recall: [0, 1], precision: [1, 0.5], ap: 0.75 }]);
  assertEquals(pr.data[0].name, "cross (AP\u00a075.00)");
  assertEquals(pr.layout.title, { text: "Precision-recall" });
  const h = heatmapFigure([1, 2, 3, 4, 5, 6], 2, 3);
  assertEquals(h.data[0].z, [[1, 2, 3], [4, 5, 6]]);
});

Deno.test("histogram bins count every value once (hand-worked)", () => {
  const bins = histogramBins([0, 1, 1, 2, 4], 4);
  assertEquals(bins.map((b) => b.n), [1, 2, 1, 1]);
  assertEquals(bins[0].lo, 0);
  assertEquals(bins[3].hi, 4);
});

Deno.test("niceTicks gives round steps covering the range", () => {
  assertEquals(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assertEquals(niceTicks(0, 100, 4), [0, 25, 50, 75, 100]);
});

Deno.test("renderSvg draws every trace kind into a valid SVG document", async () => {
  for (
    const fig of [
      lineFigure([{ name: "a", x: [0, 1], y: [1, 0] }, { name: "b", x: [0, 1], y: [0, 1], dash: true }]),
      histogramFigure([{ name: "h", values: [1, 2, 2, 3] }]),
      heatmapFigure([0, 1, 1, 0], 2, 2, { title: "S<ab>" }),
    ]
  ) {
    const svg = await renderSvg(fig);
    assert(svg.startsWith("<svg") && svg.endsWith("</svg>"));
    assert(!svg.includes("NaN"), "no NaN coordinates");
  }
  assert((await renderSvg(heatmapFigure([0, 1, 1, 0], 2, 2, { title: "S<ab>" }))).includes("S&lt;ab&gt;"));
});

Deno.test("markdownTable", () => {
  assertEquals(markdownTable([{ a: 1, b: 0.5 }]), "| a | b |\n| --- | --- |\n| 1 | 0.5000 |");
});
