/**
 * A small static renderer for the plotly figures of {@link ./plotly.ts}: scatter lines/markers, bars,
 * histograms and heat maps on one pair of axes, as SVG. Notebooks attach it beside the plotly JSON so the
 * figure is visible where no plotly front end runs (GitHub, nbviewer, a headless run's output).
 *
 * @module
 */
import sharp from "sharp";
import { labelColors } from "./color.ts";
import { type Figure, titleText, type Trace } from "./plotly.ts";

const W = 640, H = 400, M = { l: 64, r: 150, t: 40, b: 48 };

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

/**
 * Renders a figure as an SVG document.
 *
 * @example
 * ```ts
 * const svg = await renderSvg(lineFigure([{ name: "loss", x: [0, 1], y: [2, 1] }]));
 * ```
 */
export async function renderSvg(fig: Figure): Promise<string> {
  const width = fig.layout.width ?? W, height = fig.layout.height ?? H;
  const pw = width - M.l - M.r, ph = height - M.t - M.b;
  const parts: string[] = [];
  // Data extents.
  let xlo = Infinity, xhi = -Infinity, ylo = Infinity, yhi = -Infinity;
  let categories: string[] | null = null;
  const hist = new Map<number, Bin[]>();
  const heat = fig.data.find((t) => t.type === "heatmap");
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
  if (heat?.z) {
    xlo = -0.5;
    xhi = heat.z[0].length - 0.5;
    ylo = -0.5;
    yhi = heat.z.length - 0.5;
  }
  const xr = fig.layout.xaxis?.range, yr = fig.layout.yaxis?.range;
  if (xr) [xlo, xhi] = xr;
  if (yr) [ylo, yhi] = yr;
  if (categories) [xlo, xhi] = [0, (categories as string[]).length];
  if (!Number.isFinite(xlo)) [xlo, xhi] = [0, 1];
  if (!Number.isFinite(ylo)) [ylo, yhi] = [0, 1];
  if (xhi === xlo) xhi = xlo + 1;
  if (yhi === ylo) yhi = ylo + 1;
  if (!yr && !heat) {
    const pad = (yhi - ylo) * 0.04;
    yhi += pad;
    if (ylo !== 0) ylo -= pad;
  }
  const reversed = heat !== undefined;
  const sx = (v: number) => M.l + ((v - xlo) / (xhi - xlo)) * pw;
  const sy = (v: number) =>
    reversed ? M.t + ((v - ylo) / (yhi - ylo)) * ph : M.t + ph - ((v - ylo) / (yhi - ylo)) * ph;

  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`);
  if (heat?.z) {
    const z = heat.z, rows = z.length, cols = z[0].length;
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
    parts.push(
      `<image x="${M.l}" y="${M.t}" width="${pw}" height="${ph}" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,${
        png.toString("base64")
      }"/>`,
    );
    // Colour bar.
    for (let k = 0; k < 20; k++) {
      const [R, G, B] = viridis(k / 19);
      parts.push(
        `<rect x="${M.l + pw + 12}" y="${M.t + ph - (k + 1) * ph / 20}" width="14" height="${
          ph / 20 + 0.5
        }" fill="rgb(${R},${G},${B})"/>`,
      );
    }
    parts.push(`<text x="${M.l + pw + 30}" y="${M.t + 10}" font-size="11">${fmt(hi)}</text>`);
    parts.push(`<text x="${M.l + pw + 30}" y="${M.t + ph}" font-size="11">${fmt(lo)}</text>`);
  }
  // Axes and ticks.
  parts.push(`<rect x="${M.l}" y="${M.t}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  if (!heat) {
    for (const v of niceTicks(ylo, yhi)) {
      const y = sy(v);
      parts.push(`<line x1="${M.l}" x2="${M.l + pw}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
      parts.push(`<text x="${M.l - 6}" y="${y + 4}" font-size="11" text-anchor="end">${fmt(v)}</text>`);
    }
    if (categories) {
      (categories as string[]).forEach((c, i) => {
        parts.push(
          `<text x="${sx(i + 0.5)}" y="${M.t + ph + 16}" font-size="11" text-anchor="middle">${
            esc(c)
          }</text>`,
        );
      });
    } else {
      for (const v of niceTicks(xlo, xhi)) {
        parts.push(
          `<text x="${sx(v)}" y="${M.t + ph + 16}" font-size="11" text-anchor="middle">${fmt(v)}</text>`,
        );
      }
    }
  }
  // Traces.
  const legend: [string, string][] = [];
  const bars = fig.data.filter((t) => t.type === "bar");
  fig.data.forEach((t, i) => {
    const color = colorOf(t, i);
    if (t.type === "histogram") {
      for (const b of hist.get(i) ?? []) {
        const y = sy(b.n);
        parts.push(
          `<rect x="${sx(b.lo)}" y="${y}" width="${Math.max(0, sx(b.hi) - sx(b.lo) - 1)}" height="${
            M.t + ph - y
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
    if (t.type !== "heatmap" && (t.name || fig.data.length > 1)) legend.push([t.name ?? `trace ${i}`, color]);
  });
  legend.forEach(([name, color], k) => {
    const y = M.t + 8 + k * 18;
    parts.push(`<rect x="${M.l + pw + 10}" y="${y - 8}" width="12" height="10" fill="${color}"/>`);
    parts.push(
      `<text x="${M.l + pw + 28}" y="${y + 1}" font-size="11">${
        esc(name.length > 18 ? name.slice(0, 17) + "…" : name)
      }</text>`,
    );
  });
  const title = titleText(fig.layout.title);
  if (title) {
    parts.push(`<text x="${width / 2}" y="22" font-size="15" text-anchor="middle">${esc(title)}</text>`);
  }
  const xt = titleText(fig.layout.xaxis?.title), yt = titleText(fig.layout.yaxis?.title);
  if (xt) {
    parts.push(
      `<text x="${M.l + pw / 2}" y="${height - 10}" font-size="12" text-anchor="middle">${esc(xt)}</text>`,
    );
  }
  if (yt) {
    parts.push(
      `<text x="16" y="${M.t + ph / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 16 ${
        M.t + ph / 2
      })">${esc(yt)}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">${
    parts.join("")
  }</svg>`;
}
