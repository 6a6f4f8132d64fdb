/**
 * Showing things in a Deno Jupyter notebook: images, plotly figures (interactive JSON plus static PNG and SVG
 * forms), tables, markdown and text lines. Outside a notebook each call prints a short text stand-in, so notebook
 * code also runs as a script. Paths shown in outputs go through {@link shortPath} / {@link scrubPaths}: relative
 * to the repository, never a machine's absolute folders.
 *
 * @module
 */
import * as os from "node:os";
import * as path from "node:path";
import sharp from "sharp";
import type { GrayImage, RgbaImage, RgbImage } from "../image/types.ts";
import { display, LiveDisplay } from "../util/jupyter.ts";
import { REPO_ROOT } from "../util/paths.ts";
import { type Figure, titleText } from "./plotly.ts";
import { rasterizeSvg, renderSvg } from "./svg_plot.ts";

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

function escHtml(t: string): string {
  return t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A MIME bundle and its display metadata. */
export interface Bundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * The MIME bundle of a figure, so that every viewer draws it:
 * - `application/vnd.plotly.v1+json`: interactive where a plotly renderer runs (JupyterLab with plotly, VS Code);
 * - `text/html`: the PNG in an `<img>`: nbconvert 6 and 7 rank HTML first (and nbconvert 6 strips SVG elements
 *   from SVG outputs, leaving them blank); GitHub and VS Code show it too;
 * - `image/png`: rasterised at 2x, with its logical size in the metadata: untrusted JupyterLab and any viewer
 *   that shows plain images;
 * - `image/svg+xml`: the vector form, for exporters and viewers that prefer it;
 * - `text/plain`: `[plot: title]`.
 *
 * @example
 * ```ts
 * const { data, metadata } = await figureBundle(prCurveFigure(curves));
 * ```
 */
export async function figureBundle(fig: Figure): Promise<Bundle> {
  const svg = await renderSvg(fig);
  const { png, width, height } = await rasterizeSvg(svg, 2);
  const b64 = btoa(Array.from(png, (c) => String.fromCharCode(c)).join(""));
  const name = titleText(fig.layout.title) || "figure";
  return {
    data: {
      "application/vnd.plotly.v1+json": { data: fig.data, layout: fig.layout },
      "text/html": `<img src="data:image/png;base64,${b64}" width="${width}" height="${height}" alt="${
        escHtml(name)
      }" style="max-width:100%;height:auto"/>`,
      "image/png": b64,
      "image/svg+xml": svg,
      "text/plain": `[plot: ${name}]`,
    },
    metadata: { "image/png": { width, height } },
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
  const { data, metadata } = await figureBundle(fig);
  if (!(await display(data, metadata))) console.log(data["text/plain"]);
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
    const { data, metadata } = await figureBundle(fig);
    await this.#d.update(data, metadata);
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

/**
 * Shows lines of plain text (a notebook's log line), paced with every other display so none is lost; machine
 * paths in it are shortened ({@link scrubPaths}). Outside a notebook: `console.log`.
 *
 * @example
 * ```ts
 * await showText(`data: ${shortPath(root)}`);
 * ```
 */
export async function showText(text: string): Promise<void> {
  const t = scrubPaths(text);
  if (!(await display({ "text/plain": t }))) console.log(t);
}

/**
 * A path as a notebook shows it: relative to the repository root when inside it (`data/test-clean`), `<tmp>/...`
 * inside the system's temporary folder, otherwise its last two parts (`.../openblas-pthread/libopenblas.so.0`).
 * Committed outputs never carry a machine's absolute folders.
 *
 * @example
 * ```ts
 * shortPath(repoPath("data", "test-clean")); // "data/test-clean"
 * ```
 */
export function shortPath(p: string): string {
  const abs = path.resolve(p);
  const inRoot = path.relative(REPO_ROOT, abs);
  if (inRoot === "") return ".";
  if (!inRoot.startsWith("..") && !path.isAbsolute(inRoot)) return inRoot;
  for (const tmp of tmpRoots()) {
    const r = path.relative(tmp, abs);
    if (!r.startsWith("..") && !path.isAbsolute(r)) return r ? `<tmp>/${r}` : "<tmp>";
  }
  const parts = abs.split(path.sep).filter((x) => x);
  return parts.length <= 2 ? abs : `.../${parts.slice(-2).join("/")}`;
}

function tmpRoots(): string[] {
  const out = new Set<string>();
  for (const t of [Deno.env.get("TMPDIR"), os.tmpdir(), "/tmp"]) {
    if (!t) continue;
    out.add(path.resolve(t));
    try {
      out.add(Deno.realPathSync(t));
    } catch { /* a missing folder */ }
  }
  return [...out];
}

/**
 * Text with every absolute path in it shortened by {@link shortPath} (library log lines, e.g. the backend line
 * naming the BLAS library it loaded).
 *
 * @example
 * ```ts
 * scrubPaths("cblas_sgemm from /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0");
 * // "cblas_sgemm from .../openblas-pthread/libopenblas.so.0"
 * ```
 */
export function scrubPaths(text: string): string {
  return text.replace(/(^|[\s(=:,'"`])(\/[^\s,;:)'"`]+)/g, (_, pre: string, p: string) => pre + shortPath(p));
}
