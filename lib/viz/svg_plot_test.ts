import sharp from "sharp";
import { assert, assertEquals } from "../testing/asserts.ts";
import { barFigure, lineFigure, prCurveFigure } from "./plotly.ts";
import { rasterizeSvg, renderSvg, textWidth, wrapText } from "./svg_plot.ts";

Deno.test("textWidth and wrapText: wider text is longer; lines stay under the limit", () => {
  assert(textWidth("mmmm", 11) > textWidth("iiii", 11));
  assertEquals(textWidth("", 11), 0);
  const lines = wrapText("Ours: exact labels, the M=0 / auto runs' budget (AP\u00a031.50)", 11, 200);
  assert(lines.length >= 2, lines.join("|"));
  for (const l of lines.slice(0, -1)) assert(textWidth(l, 11) <= 200, l);
  assert(lines.at(-1)!.endsWith("(AP\u00a031.50)"), "the AP stays in one piece");
});

Deno.test("renderSvg keeps every legend name and category label whole", async () => {
  const long = "Ours: trained on auto-annotated labels";
  const pr = await renderSvg(prCurveFigure([
    { name: "cross-image", recall: [0, 1], precision: [1, 0.5], ap: 0.8757 },
    { name: long, recall: [0, 1], precision: [1, 0.2], ap: 0.3241 },
  ]));
  assert(pr.includes("cross-image (AP\u00a087.57)"), "full legend name with its AP");
  assert(!pr.includes("…"), "nothing cut");
  const cats = Array.from({ length: 18 }, (_, i) => `${long} ${i}`);
  const svg = await renderSvg(barFigure([{ name: "recall", x: cats, y: cats.map((_, i) => i) }]));
  for (const c of cats) assert(svg.includes(`>${c}</text>`), c);
  assert(svg.includes("rotate(-45") || svg.includes("rotate(-90"), "long category labels are turned");
  // The picture grows to hold them: taller than the default 400 px.
  assert(Number(/height="(\d+(\.\d+)?)"/.exec(svg)![1]) > 400);
});

Deno.test("rasterizeSvg draws the text (fonts found): a title changes the title band's pixels", async () => {
  const band = async (title?: string) => {
    const { png, width, height } = await rasterizeSvg(
      await renderSvg(lineFigure([{ name: "a", x: [0, 1], y: [0, 1] }], { title })),
    );
    assertEquals([width, height], [640, 400]);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    assertEquals([info.width, info.height], [1280, 800], "2x raster");
    let dark = 0;
    for (let y = 10; y < 60; y++) {
      for (let x = 0; x < info.width; x++) {
        const k = (y * info.width + x) * info.channels;
        if (data[k] + data[k + 1] + data[k + 2] < 300) dark++;
      }
    }
    return dark;
  };
  const without = await band(), withTitle = await band("Patch-level PR curves, clean (300 pairs)");
  assertEquals(without, 0);
  assert(withTitle > 500, `title pixels: ${withTitle}`);
});
