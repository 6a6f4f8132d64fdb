/**
 * A small static renderer for the plotly figures of {@link ./plotly.ts}: scatter lines/markers, bars,
 * histograms and heat maps on one pair of axes, as SVG, and that SVG rasterised to PNG. Notebooks attach both
 * beside the plotly JSON so the figure is visible where no plotly front end runs (GitHub, nbconvert, VS Code,
 * an untrusted JupyterLab notebook).
 *
 * Nothing is cut: legend entries keep their full names (the box widens, and very long names wrap), category
 * labels turn 45 degrees (90 when crowded) and the picture grows to hold them, long titles wrap.
 *
 * @module
 */
import sharp from "sharp";
import { labelColors } from "./color.ts";
import { type Figure, titleText, type Trace } from "./plotly.ts";

const W = 640, H = 400, M = { l: 64, r: 150, t: 40, b: 48 };
/** The font the text is drawn in (rasterised with fontconfig: Debian's fonts-dejavu-core) and measured for. */
const FONT = "DejaVu Sans, Verdana, Arial, sans-serif";

// Advance widths of DejaVu Sans in em (the widest of the fonts named above, so the estimates hold for all).
const NARROW = new Map<string, number>([
  ..."ijl".split("").map((c) => [c, 0.28] as [string, number]),
  ..." .,:;!|'".split("").map((c) => [c, 0.34] as [string, number]),
  ..."ft()[]/-".split("").map((c) => [c, 0.4] as [string, number]),
  ["r", 0.42],
  ["s", 0.53],
  ["z", 0.53],
  ["c", 0.56],
  ["m", 0.98],
  ["w", 0.82],
  ["%", 0.95],
]);

/**
 * Width of `text` in pixels at `size` px, estimated from DejaVu Sans' advance widths (upper case 0.75 em, digits
 * and most lower case 0.64 em); an upper bound for the usual sans-serif fonts.
 *
 * @example
 * ```ts
 * textWidth("recall", 11); // ~ 5 x 0.6 x 11 px
 * ```
 */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) {
    em += NARROW.get(ch) ?? (/[A-Z]/.test(ch) ? 0.75 : /[a-z0-9]/.test(ch) ? 0.64 : 0.84);
  }
  return em * size;
}

/** Splits `text` at spaces into lines of at most `maxPx` (a single word longer than that keeps its own line). */
export function wrapText(text: string, size: number, maxPx: number): string[] {
  const lines: string[] = [];
  let cur = "";
  for (const word of text.split(" ")) {
    const next = cur ? `${cur} ${word}` : word;
    if (cur && textWidth(next, size) > maxPx) {
      lines.push(cur);
      cur = word;
    } else cur = next;
  }
  if (cur || lines.length === 0) lines.push(cur);
  return lines;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** "Nice" tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(1);
  return String(+v.toPrecision(4));
}

interface Bin {
  lo: number;
  hi: number;
  n: number;
}

/** Histogram bins as plotly would roughly draw them: `nbins` equal bins over the data range. */
export function histogramBins(values: number[], nbins: number): Bin[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [];
  let lo = Math.min(...finite), hi = Math.max(...finite);
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const w = (hi - lo) / nbins;
  const bins: Bin[] = Array.from(
    { length: nbins },
    (_, i) => ({ lo: lo + i * w, hi: lo + (i + 1) * w, n: 0 }),
  );
  for (const v of finite) bins[Math.min(nbins - 1, Math.floor((v - lo) / w))].n++;
  return bins;
}

function colorOf(t: Trace, i: number): string {
  const c = t.line?.color ?? t.marker?.color;
  if (c) return c;
  const [r, g, b] = labelColors(i + 1)[i];
  return `rgb(${r},${g},${b})`;
}

function viridis(t: number): [number, number, number] {
  // Five-stop approximation of matplotlib's viridis.
  const stops: [number, number, number][] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [
    253,
    231,
    37,
  ]];
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
  return [0, 1, 2].map((k) => Math.round(stops[i][k] * (1 - f) + stops[i + 1][k] * f)) as [
    number,
    number,
    number,
  ];
}

/** The data range of a figure's axes (after its explicit ranges), categories, histogram bins and heatmap. */
interface Extents {
  xlo: number;
  xhi: number;
  ylo: number;
  yhi: number;
  cats: string[] | null;
  hist: Map<number, Bin[]>;
  heat: Trace | undefined;
}

/** Where things go: the plot area, the room around it, and the data-to-pixel maps. */
interface Frame {
  left: number;
  top: number;
  /** Plot area size. */
  pw: number;
  ph: number;
  bottom: number;
  width: number;
  height: number;
  catAngle: number;
  titleLines: string[];
  legendItems: { lines: string[]; color: string }[];
  sx: (v: number) => number;
  sy: (v: number) => number;
}

/**
 * Renders a figure as an SVG document.
 *
 * @example
 * ```ts
 * const svg = await renderSvg(lineFigure([{ name: "loss", x: [0, 1], y: [2, 1] }]));
 * ```
 */
export async function renderSvg(fig: Figure): Promise<string> {
  const e = extents(fig);
  const fr = frame(fig, e);
  const { width, height } = fr;
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`);
  if (e.heat?.z) parts.push(...await heatmapParts(e.heat.z, fr));
  parts.push(...axesParts(e, fr));
  parts.push(...traceParts(fig, e, fr));
  parts.push(...labelParts(fig, fr));
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">${
    parts.join("")
  }</svg>`;
}

/** The figure's data extents. */
function extents(fig: Figure): Extents {
  const heat = fig.data.find((t) => t.type === "heatmap");
  // Data extents.
  let xlo = Infinity, xhi = -Infinity, ylo = Infinity, yhi = -Infinity;
  let categories: string[] | null = null;
  const hist = new Map<number, Bin[]>();
  fig.data.forEach((t, i) => {
    if (t.type === "histogram") {
      const bins = histogramBins((t.x ?? []).map(Number), t.nbinsx ?? 30);
      hist.set(i, bins);
      for (const b of bins) {
        xlo = Math.min(xlo, b.lo);
        xhi = Math.max(xhi, b.hi);
        yhi = Math.max(yhi, b.n);
      }
      ylo = 0;
    } else if (t.type === "bar") {
      categories = categories ?? (t.x ?? []).map(String);
      for (const v of t.y ?? []) {
        ylo = Math.min(ylo, 0, v);
        yhi = Math.max(yhi, v);
      }
    } else if (t.type !== "heatmap") {
      for (const v of t.x ?? []) {
        xlo = Math.min(xlo, Number(v));
        xhi = Math.max(xhi, Number(v));
      }
      for (const v of t.y ?? []) {
        if (Number.isFinite(v)) {
          ylo = Math.min(ylo, v);
          yhi = Math.max(yhi, v);
        }
      }
    }
  });
  const cats = categories as string[] | null;
  if (heat?.z) {
    xlo = -0.5;
    xhi = heat.z[0].length - 0.5;
    ylo = -0.5;
    yhi = heat.z.length - 0.5;
  }
  const xr = fig.layout.xaxis?.range, yr = fig.layout.yaxis?.range;
  if (xr) [xlo, xhi] = xr;
  if (yr) [ylo, yhi] = yr;
  if (cats) [xlo, xhi] = [0, cats.length];
  if (!Number.isFinite(xlo)) [xlo, xhi] = [0, 1];
  if (!Number.isFinite(ylo)) [ylo, yhi] = [0, 1];
  if (xhi === xlo) xhi = xlo + 1;
  if (yhi === ylo) yhi = ylo + 1;
  if (!yr && !heat) {
    const pad = (yhi - ylo) * 0.04;
    yhi += pad;
    if (ylo !== 0) ylo -= pad;
  }

  return { xlo, xhi, ylo, yhi, cats, hist, heat };
}

/** Layout: the plot area keeps the figure's size; legend, category labels and title add room around it. */
function frame(fig: Figure, e: Extents): Frame {
  const { xlo, xhi, ylo, yhi, cats, heat } = e;
  const legendItems = fig.data
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.type !== "heatmap" && (t.name || fig.data.length > 1))
    .map(({ t, i }) => ({
      lines: wrapText(t.name ?? `trace ${i}`, 11, 300),
      color: colorOf(t, i),
    }));
  const legendText = Math.max(0, ...legendItems.flatMap((l) => l.lines.map((s) => textWidth(s, 11))));
  const right = heat ? M.r : Math.max(M.r, legendText ? 28 + legendText + 12 : 24);
  let pw = (fig.layout.width ?? W) - M.l - M.r;
  const ph = (fig.layout.height ?? H) - M.t - M.b;
  let bottom = M.b, catAngle = 0, left = M.l;
  if (cats) {
    pw = Math.max(pw, cats.length * 24); // at least 24 px per category: turned labels stay apart
    const widths = cats.map((c) => textWidth(c, 11)), widest = Math.max(0, ...widths);
    if (widest > pw / cats.length - 6) {
      catAngle = pw / cats.length >= 20 ? 45 : 90;
      const drop = catAngle === 90 ? widest : widest * Math.SQRT1_2 + 8;
      bottom = M.b + drop;
      if (catAngle === 45) {
        // A turned label runs down and to the left of its bar: the first ones may need room on the left.
        const overhang = Math.max(
          0,
          ...widths.map((w, i) => w * Math.SQRT1_2 - 4 - (M.l + ((i + 0.5) * pw) / cats.length) + 4),
        );
        left = M.l + overhang;
      }
    }
  }
  const width0 = left + pw + right;
  const titleLines = wrapText(titleText(fig.layout.title), 15, width0 - 24);
  const top = M.t + (titleLines.length - 1) * 18;
  const legendH = legendItems.reduce((h, l) => h + 14 * l.lines.length + 4, 0);
  const width = width0, height = top + Math.max(ph, legendH) + bottom;
  const sx = (v: number) => left + ((v - xlo) / (xhi - xlo)) * pw;
  const reversed = heat !== undefined;
  const sy = (v: number) =>
    reversed ? top + ((v - ylo) / (yhi - ylo)) * ph : top + ph - ((v - ylo) / (yhi - ylo)) * ph;
  return { left, top, pw, ph, bottom, width, height, catAngle, titleLines, legendItems, sx, sy };
}

/** The heatmap as an embedded PNG, and its colour bar. */
async function heatmapParts(z: number[][], fr: Frame): Promise<string[]> {
  const { left, top, pw, ph } = fr;
  const parts: string[] = [];
  const rows = z.length, cols = z[0].length;
  let lo = Infinity, hi = -Infinity;
  for (const row of z) {
    for (const v of row) if (Number.isFinite(v)) (lo = Math.min(lo, v), hi = Math.max(hi, v));
  }
  const px = new Uint8Array(rows * cols * 3);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const [R, G, B] = viridis(hi > lo ? (z[r][c] - lo) / (hi - lo) : 0.5);
      px.set([R, G, B], (r * cols + c) * 3);
    }
  }
  const png = await sharp(px, { raw: { width: cols, height: rows, channels: 3 } }).png().toBuffer();
  const href = `data:image/png;base64,${png.toString("base64")}`;
  parts.push(
    `<image x="${left}" y="${top}" width="${pw}" height="${ph}" preserveAspectRatio="none" style="image-rendering:pixelated" href="${href}" xlink:href="${href}"/>`,
  );
  // Colour bar.
  for (let k = 0; k < 20; k++) {
    const [R, G, B] = viridis(k / 19);
    parts.push(
      `<rect x="${left + pw + 12}" y="${top + ph - (k + 1) * ph / 20}" width="14" height="${
        ph / 20 + 0.5
      }" fill="rgb(${R},${G},${B})"/>`,
    );
  }
  parts.push(`<text x="${left + pw + 30}" y="${top + 10}" font-size="11">${fmt(hi)}</text>`);
  parts.push(`<text x="${left + pw + 30}" y="${top + ph}" font-size="11">${fmt(lo)}</text>`);
  return parts;
}

/** The plot frame, grid lines and tick labels (categories under bars). */
function axesParts(e: Extents, fr: Frame): string[] {
  const { xlo, xhi, ylo, yhi, cats, heat } = e;
  const { left, top, pw, ph, catAngle, sx, sy } = fr;
  const parts: string[] = [];
  parts.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  if (!heat) {
    for (const v of niceTicks(ylo, yhi)) {
      const y = sy(v);
      parts.push(`<line x1="${left}" x2="${left + pw}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
      parts.push(`<text x="${left - 6}" y="${y + 4}" font-size="11" text-anchor="end">${fmt(v)}</text>`);
    }
    if (cats) {
      cats.forEach((c, i) => {
        const x = sx(i + 0.5), y = top + ph + 16;
        parts.push(
          catAngle === 0
            ? `<text x="${x}" y="${y}" font-size="11" text-anchor="middle">${esc(c)}</text>`
            : `<text x="${x + 4}" y="${
              top + ph + 10
            }" font-size="11" text-anchor="end" transform="rotate(-${catAngle} ${x + 4} ${top + ph + 10})">${
              esc(c)
            }</text>`,
        );
      });
    } else {
      for (const v of niceTicks(xlo, xhi)) {
        parts.push(
          `<text x="${sx(v)}" y="${top + ph + 16}" font-size="11" text-anchor="middle">${fmt(v)}</text>`,
        );
      }
    }
  }
  return parts;
}

/** Histogram bins, bars, lines and markers. */
function traceParts(fig: Figure, e: Extents, fr: Frame): string[] {
  const { hist } = e;
  const { top, ph, sx, sy } = fr;
  const parts: string[] = [];
  const bars = fig.data.filter((t) => t.type === "bar");
  fig.data.forEach((t, i) => {
    const color = colorOf(t, i);
    if (t.type === "histogram") {
      for (const b of hist.get(i) ?? []) {
        const y = sy(b.n);
        parts.push(
          `<rect x="${sx(b.lo)}" y="${y}" width="${Math.max(0, sx(b.hi) - sx(b.lo) - 1)}" height="${
            top + ph - y
          }" fill="${color}" fill-opacity="${t.opacity ?? 1}"/>`,
        );
      }
    } else if (t.type === "bar") {
      const k = bars.indexOf(t), bw = 0.8 / bars.length;
      (t.y ?? []).forEach((v, j) => {
        const x0 = sx(j + 0.1 + k * bw), x1 = sx(j + 0.1 + (k + 1) * bw);
        parts.push(
          `<rect x="${x0}" y="${Math.min(sy(v), sy(0))}" width="${x1 - x0}" height="${
            Math.abs(sy(0) - sy(v))
          }" fill="${color}"/>`,
        );
      });
    } else if (t.type !== "heatmap") {
      const xs = (t.x ?? []).map(Number), ys = t.y ?? [];
      const pts = xs.map((x, j) => [x, ys[j]]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
      const mode = t.mode ?? "lines";
      if (mode.includes("lines") && pts.length > 1) {
        const d = pts.map(([x, y], j) => `${j ? "L" : "M"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join("");
        const dash = t.line?.dash === "dash"
          ? ` stroke-dasharray="6 4"`
          : t.line?.dash === "dot"
          ? ` stroke-dasharray="2 3"`
          : "";
        parts.push(
          `<path d="${d}" fill="none" stroke="${color}" stroke-width="${t.line?.width ?? 2}"${dash}/>`,
        );
      }
      if (mode.includes("markers") || pts.length === 1) {
        for (const [x, y] of pts) {
          parts.push(
            `<circle cx="${sx(x)}" cy="${sy(y)}" r="${
              t.marker?.size ? t.marker.size / 2 : 3
            }" fill="${color}"/>`,
          );
        }
      }
    }
  });
  return parts;
}

/** Legend, title and axis titles. */
function labelParts(fig: Figure, fr: Frame): string[] {
  const { left, top, pw, ph, bottom, width, titleLines, legendItems } = fr;
  const parts: string[] = [];
  let ly = top + 8;
  for (const { lines, color } of legendItems) {
    parts.push(`<rect x="${left + pw + 10}" y="${ly - 8}" width="12" height="10" fill="${color}"/>`);
    lines.forEach((line, k) =>
      parts.push(`<text x="${left + pw + 28}" y="${ly + 1 + 14 * k}" font-size="11">${esc(line)}</text>`)
    );
    ly += 14 * lines.length + 4;
  }
  titleLines.forEach((line, k) => {
    if (line) {
      parts.push(
        `<text x="${width / 2}" y="${22 + 18 * k}" font-size="15" text-anchor="middle">${esc(line)}</text>`,
      );
    }
  });
  const xt = titleText(fig.layout.xaxis?.title), yt = titleText(fig.layout.yaxis?.title);
  if (xt) {
    parts.push(
      `<text x="${left + pw / 2}" y="${top + ph + bottom - 10}" font-size="12" text-anchor="middle">${
        esc(xt)
      }</text>`,
    );
  }
  if (yt) {
    parts.push(
      `<text x="16" y="${top + ph / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${
        top + ph / 2
      })">${esc(yt)}</text>`,
    );
  }
  return parts;
}

/** A figure's picture as PNG: its SVG rasterised at `scale` (2: sharp on high-density screens). */
export interface FigurePng {
  png: Uint8Array;
  /** Logical size in CSS pixels (the SVG's); the PNG holds `scale` times as many pixels per side. */
  width: number;
  height: number;
}

/**
 * Rasterises an SVG made by {@link renderSvg} (librsvg through sharp; text in DejaVu Sans through fontconfig).
 *
 * @example
 * ```ts
 * const { png, width } = await rasterizeSvg(await renderSvg(fig));
 * ```
 */
export async function rasterizeSvg(svg: string, scale = 2): Promise<FigurePng> {
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!m) throw new RangeError("rasterizeSvg: the SVG has no width and height");
  const png = await sharp(new TextEncoder().encode(svg), { density: 72 * scale })
    .flatten({ background: "#ffffff" })
    .png({ compressionLevel: 9, palette: true, quality: 100, colours: 256 })
    .toBuffer();
  return { png: new Uint8Array(png), width: Math.round(Number(m[1])), height: Math.round(Number(m[2])) };
}
