/**
 * Showing things in a Deno Jupyter notebook: images, plotly figures (interactive JSON plus a static SVG), tables
 * and markdown. Outside a notebook each call prints a short text stand-in, so notebook code also runs as a script.
 *
 * @module
 */
import sharp from "sharp";
import type { GrayImage, RgbaImage, RgbImage } from "../image/types.ts";
import { display, LiveDisplay } from "../util/jupyter.ts";
import type { Figure } from "./plotly.ts";
import { renderSvg } from "./svg_plot.ts";

type AnyImage = GrayImage | RgbImage | RgbaImage;

async function pngBase64(img: AnyImage, maxSide?: number): Promise<string> {
  const channels = img.data.length / (img.width * img.height) as 1 | 3 | 4;
  let s = sharp(img.data, { raw: { width: img.width, height: img.height, channels } });
  if (maxSide && Math.max(img.width, img.height) > maxSide) {
    s = s.resize({
      width: img.width >= img.height ? maxSide : undefined,
      height: img.height > img.width ? maxSide : undefined,
      kernel: "nearest",
    });
  }
  return (await s.png().toBuffer()).toString("base64");
}

/** Options of {@link showImages}. */
export interface ShowImageOptions {
  /** Caption under each image. */
  titles?: string[];
  /** Displayed width of each image in CSS pixels (default 320). */
  width?: number;
  /** Images are stored at most this many pixels on a side (default 768), to keep notebooks small. */
  maxSide?: number;
}

/**
 * Shows images in a row with captions.
 *
 * @example
 * ```ts
 * await showImages([frame.line, paintLabels(frame.seg)], { titles: ["line", "segments"] });
 * ```
 */
export async function showImages(images: AnyImage[], opts: ShowImageOptions = {}): Promise<void> {
  const width = opts.width ?? 320;
  const cells = await Promise.all(images.map(async (img, i) => {
    const b64 = await pngBase64(img, opts.maxSide ?? 768);
    const cap = opts.titles?.[i] ?? "";
    return `<figure style="margin:4px;display:inline-block;text-align:center"><img src="data:image/png;base64,${b64}" style="width:${width}px;image-rendering:auto"/><figcaption style="font-size:12px">${cap}</figcaption></figure>`;
  }));
  const text = `[${images.length} image(s)${opts.titles ? ": " + opts.titles.join(", ") : ""}]`;
  if (!(await display({ "text/html": `<div>${cells.join("")}</div>`, "text/plain": text }))) {
    console.log(text);
  }
}

/** Shows one image. */
export function showImage(
  img: AnyImage,
  opts: { title?: string; width?: number; maxSide?: number } = {},
): Promise<void> {
  return showImages([img], {
    titles: opts.title ? [opts.title] : undefined,
    width: opts.width,
    maxSide: opts.maxSide,
  });
}

/** The MIME bundle of a figure: plotly JSON for interactive front ends, SVG for everything else. */
export async function figureBundle(fig: Figure): Promise<Record<string, unknown>> {
  return {
    "application/vnd.plotly.v1+json": { data: fig.data, layout: fig.layout },
    "image/svg+xml": await renderSvg(fig),
    "text/plain": `[plot: ${
      typeof fig.layout.title === "string" ? fig.layout.title : fig.layout.title?.text ?? "figure"
    }]`,
  };
}

/**
 * Shows a plotly figure.
 *
 * @example
 * ```ts
 * await showPlot(lineFigure([{ name: "loss", x: steps, y: loss }], { title: "training loss" }));
 * ```
 */
export async function showPlot(fig: Figure): Promise<void> {
  const bundle = await figureBundle(fig);
  if (!(await display(bundle))) console.log(bundle["text/plain"]);
}

/**
 * A plot that redraws in place (a live training curve): each `update` replaces the previous drawing.
 *
 * @example
 * ```ts
 * const live = new LivePlot();
 * for (...) await live.update(lineFigure([{ name: "loss", x, y }]));
 * ```
 */
export class LivePlot {
  #d = new LiveDisplay();
  async update(fig: Figure): Promise<void> {
    await this.#d.update(await figureBundle(fig));
  }
}

function cell(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(4);
  return String(v ?? "");
}

/** Markdown for a table given as rows of objects (columns from the first row) or as a header + rows. */
export function markdownTable(
  rows: Record<string, unknown>[] | { header: string[]; rows: unknown[][] },
): string {
  const header = Array.isArray(rows) ? Object.keys(rows[0] ?? {}) : rows.header;
  const body = Array.isArray(rows) ? rows.map((r) => header.map((h) => r[h])) : rows.rows;
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...body.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");
}

/** Shows a table (markdown). */
export async function showTable(
  rows: Record<string, unknown>[] | { header: string[]; rows: unknown[][] },
): Promise<void> {
  const md = markdownTable(rows);
  if (!(await display({ "text/markdown": md, "text/plain": md }))) console.log(md);
}

/** Shows markdown text. */
export async function showMarkdown(md: string): Promise<void> {
  if (!(await display({ "text/markdown": md, "text/plain": md }))) console.log(md);
}
