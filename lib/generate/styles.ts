/**
 * Line styles of real production, as mixable generator options. A style is a base and modifiers joined by `+`
 * (`hand-drawn+pencil+hatching`); `--style` takes a comma-separated list of them, one drawn per character, or
 * `mix` (a random base and random modifiers per character).
 *
 * Bases: `clean` (closed 1-px contours), `hand-drawn` (XDoG, open, variable width), `sketchy` (two loose passes
 * of open strokes with many gaps and doubled lines).
 *
 * Modifiers:
 * - `pressure`: stroke width swells and thins along the lines (variable-pressure ink);
 * - `bold`: thick lines, 2-6 px at 512 (with `pressure`, 1-6 px);
 * - `hatching`: parallel strokes inside some parts (shadows first) that bound nothing;
 * - `speed-lines`: long strokes over the background that bound nothing;
 * - `screentone`: dot screens inside some parts;
 * - `color-lines`: the boundaries of shadow parts in blue and of highlights in red (they do bound regions);
 * - `pencil`: grey graphite strokes with grain (grey line file);
 * - `scan`: paper tint, noise and a slight blur (grey line file);
 * - `jpeg`: 8x8 DCT quantisation at quality 35-75 (grey line file).
 *
 * Hatching, speed lines and tone dots are ink (segment 0 in seg, as every line pixel is) but never change a
 * label: the labels come from the parts, so they are not region boundaries in the ground truth.
 *
 * @module
 */
import type { GrayImage, LabelMap, Rgb, RgbaImage } from "../image/types.ts";
import { UserError } from "../util/errors.ts";
import type { Rng } from "../util/rng.ts";
import type { LabelInfo } from "./character.ts";
import type { FrameScene } from "./family.ts";
import { type RenderedFrame, renderScene } from "./frame.ts";
import { handDrawnLines } from "./hand_drawn.ts";
import { valueNoise } from "./noise.ts";
import { colorFrame, rasterizeParts } from "./render.ts";
import { cleanLines, segmentParts } from "./segments.ts";

/** Base line styles. */
export const BASE_STYLES = ["clean", "hand-drawn", "sketchy"] as const;
/** A base line style. */
export type BaseStyle = typeof BASE_STYLES[number];
/** Style modifiers. */
export const STYLE_MODIFIERS = [
  "pressure",
  "bold",
  "hatching",
  "speed-lines",
  "screentone",
  "color-lines",
  "pencil",
  "scan",
  "jpeg",
] as const;
/** A style modifier. */
export type StyleModifier = typeof STYLE_MODIFIERS[number];

/** One parsed style. */
export interface StyleSpec {
  base: BaseStyle;
  mods: StyleModifier[];
}

/** A parsed `--style` value: the styles to draw from per character, or `mix`. */
export type StyleChoice = StyleSpec[] | "mix";

/**
 * Parses a `--style` value (`clean`, `hand-drawn+pencil`, `clean,sketchy+hatching`, `mix`), or one clear line
 * naming what is wrong.
 *
 * @example
 * ```ts
 * parseStyles("hand-drawn+pencil,clean"); // [{ base: "hand-drawn", mods: ["pencil"] }, { base: "clean", mods: [] }]
 * ```
 */
export function parseStyles(text: string): StyleChoice {
  const t = text.trim();
  if (t === "mix") return "mix";
  const items = t.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) {
    throw new UserError(`--style needs a value (${BASE_STYLES.join("|")}[+modifier...], or mix)`);
  }
  return items.map((item) => {
    const [base, ...mods] = item.split("+").map((s) => s.trim());
    if (!(BASE_STYLES as readonly string[]).includes(base)) {
      throw new UserError(
        `unknown line style ${JSON.stringify(base)} in --style ${JSON.stringify(text)}: bases are ${
          BASE_STYLES.join(", ")
        } (then +modifiers: ${STYLE_MODIFIERS.join(", ")}), or mix`,
      );
    }
    for (const m of mods) {
      if (!(STYLE_MODIFIERS as readonly string[]).includes(m)) {
        throw new UserError(
          `unknown style modifier ${JSON.stringify(m)} in --style ${JSON.stringify(text)}: use ${
            STYLE_MODIFIERS.join(", ")
          }`,
        );
      }
    }
    return { base: base as BaseStyle, mods: [...new Set(mods)] as StyleModifier[] };
  });
}

/**
 * The text of a style.
 *
 * @example
 * ```ts
 * styleName({ base: "hand-drawn", mods: ["pencil"] }); // "hand-drawn+pencil"
 * ```
 */
export function styleName(s: StyleSpec): string {
  return [s.base, ...s.mods].join("+");
}

/**
 * The style of one character: one of the listed styles, or for `mix` a random base and 0-3 random modifiers
 * (the grey-file modifiers at most one at a time).
 *
 * @example
 * ```ts
 * const st = pickStyle(parseStyles("mix"), rng.fork("style"));
 * ```
 */
export function pickStyle(choice: StyleChoice, rng: Rng): StyleSpec {
  if (choice !== "mix") return choice.length === 1 ? choice[0] : rng.pick(choice);
  const base = rng.pick(BASE_STYLES);
  const mods: StyleModifier[] = [];
  for (const m of ["pressure", "bold", "hatching", "speed-lines", "screentone", "color-lines"] as const) {
    if (rng.bool(0.22)) mods.push(m);
  }
  const grey = rng.int(0, 5);
  if (grey < 3) mods.push((["pencil", "scan", "jpeg"] as const)[grey]);
  return { base, mods };
}

/** A rendered frame in a production style, with the line file to write. */
export interface StyledFrame extends RenderedFrame {
  /** What goes into `line/`: black on transparent (RGBA), coloured lines (RGBA), or grey. */
  lineImage: RgbaImage | GrayImage;
}

function isShade(name: string): "shadow" | "light" | null {
  if (/shadow|shade/i.test(name)) return "shadow";
  if (/light|highlight/i.test(name)) return "light";
  return null;
}

/** Paints a disc of radius r (pixels) at every ink pixel where `radius(i)` > 0.5 (in a new mask). */
function dilate(ink: Uint8Array, w: number, h: number, radius: (i: number) => number): Uint8Array {
  const out = ink.slice();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!ink[i]) continue;
      const r = radius(i);
      if (r <= 0.5) continue;
      const R = Math.ceil(r), r2 = r * r;
      for (let dy = -R; dy <= R; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -R; dx <= R; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < w && dx * dx + dy * dy <= r2) out[yy * w + xx] = 1;
        }
      }
    }
  }
  return out;
}

/** Draws a straight line of width ~1-2 px into `ink`, only over pixels where `allow(i)`. */
function drawLine(
  ink: Uint8Array,
  w: number,
  h: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  width: number,
  allow: (i: number) => boolean,
) {
  const len = Math.hypot(x1 - x0, y1 - y0), steps = Math.ceil(len * 2);
  const r = width / 2;
  for (let k = 0; k <= steps; k++) {
    const t = k / Math.max(1, steps);
    const cx = x0 + (x1 - x0) * t, cy = y0 + (y1 - y0) * t;
    const rr = r * (0.35 + 0.65 * Math.sin(Math.PI * t)); // tapered ends
    for (let yy = Math.floor(cy - rr); yy <= Math.ceil(cy + rr); yy++) {
      for (let xx = Math.floor(cx - rr); xx <= Math.ceil(cx + rr); xx++) {
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        if ((xx + 0.5 - cx) ** 2 + (yy + 0.5 - cy) ** 2 > Math.max(0.3, rr * rr)) continue;
        const i = yy * w + xx;
        if (allow(i)) ink[i] = 1;
      }
    }
  }
}

function areaByLabel(parts: LabelMap): Map<number, { n: number; sx: number; sy: number }> {
  const m = new Map<number, { n: number; sx: number; sy: number }>();
  const w = parts.width;
  for (let i = 0; i < parts.data.length; i++) {
    const v = parts.data[i];
    if (v < 0) continue;
    const e = m.get(v) ?? { n: 0, sx: 0, sy: 0 };
    e.n++, e.sx += i % w, e.sy += Math.floor(i / w);
    m.set(v, e);
  }
  return m;
}

/** Labels for hatching or tone: shadow parts first, else large parts, at most `k`. */
function pickRegions(labels: LabelInfo[], parts: LabelMap, rng: Rng, k: number, minArea: number): number[] {
  const area = areaByLabel(parts);
  const big = [...area].filter(([, e]) => e.n >= minArea).map(([l]) => l).sort((a, b) => a - b);
  const shade = big.filter((l) => isShade(labels[l].name) === "shadow");
  const pool = shade.length > 0 && rng.bool(0.7) ? shade : big;
  return rng.shuffle(pool.slice()).slice(0, k);
}

/**
 * 8x8 DCT quantisation of a grey image with the JPEG luminance table scaled to `quality` (1-100): the blocking
 * and ringing of a JPEG of that quality, without the file.
 *
 * @example
 * ```ts
 * const noisy = jpegArtefacts(line, 50);
 * ```
 */
export function jpegArtefacts(img: GrayImage, quality: number): GrayImage {
  const Q = [
    16,
    11,
    10,
    16,
    24,
    40,
    51,
    61,
    12,
    12,
    14,
    19,
    26,
    58,
    60,
    55,
    14,
    13,
    16,
    24,
    40,
    57,
    69,
    56,
    14,
    17,
    22,
    29,
    51,
    87,
    80,
    62,
    18,
    22,
    37,
    56,
    68,
    109,
    103,
    77,
    24,
    35,
    55,
    64,
    81,
    104,
    113,
    92,
    49,
    64,
    78,
    87,
    103,
    121,
    120,
    101,
    72,
    92,
    95,
    98,
    112,
    100,
    103,
    99,
  ];
  const q = Math.max(1, Math.min(100, quality));
  const sc = q < 50 ? 5000 / q : 200 - 2 * q;
  const qt = Q.map((v) => Math.max(1, Math.floor((v * sc + 50) / 100)));
  const cos = new Float64Array(64);
  for (let x = 0; x < 8; x++) {
    for (let u = 0; u < 8; u++) cos[x * 8 + u] = Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  }
  const c = (u: number) => (u === 0 ? Math.SQRT1_2 : 1);
  const { width: w, height: h } = img;
  const out = new Uint8Array(w * h);
  const blk = new Float64Array(64), coef = new Float64Array(64), tmp = new Float64Array(64);
  for (let by = 0; by < h; by += 8) {
    for (let bx = 0; bx < w; bx += 8) {
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          const xx = Math.min(w - 1, bx + x), yy = Math.min(h - 1, by + y);
          blk[y * 8 + x] = img.data[yy * w + xx] - 128;
        }
      }
      // Separable DCT-II: rows, then columns (tmp[y][u], then coef[v][u]).
      for (let y = 0; y < 8; y++) {
        for (let u = 0; u < 8; u++) {
          let acc = 0;
          for (let x = 0; x < 8; x++) acc += blk[y * 8 + x] * cos[x * 8 + u];
          tmp[y * 8 + u] = 0.5 * c(u) * acc;
        }
      }
      for (let v = 0; v < 8; v++) {
        for (let u = 0; u < 8; u++) {
          let acc = 0;
          for (let y = 0; y < 8; y++) acc += tmp[y * 8 + u] * cos[y * 8 + v];
          const f = 0.5 * c(v) * acc, qq = qt[v * 8 + u];
          coef[v * 8 + u] = Math.round(f / qq) * qq;
        }
      }
      // Inverse: columns, then rows.
      for (let y = 0; y < 8; y++) {
        for (let u = 0; u < 8; u++) {
          let acc = 0;
          for (let v = 0; v < 8; v++) acc += c(v) * coef[v * 8 + u] * cos[y * 8 + v];
          tmp[y * 8 + u] = 0.5 * acc;
        }
      }
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          if (bx + x >= w || by + y >= h) continue;
          let acc = 0;
          for (let u = 0; u < 8; u++) acc += c(u) * tmp[y * 8 + u] * cos[x * 8 + u];
          out[(by + y) * w + bx + x] = Math.max(0, Math.min(255, Math.round(0.5 * acc + 128)));
        }
      }
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Renders a scene in a production style. A plain `clean` or `hand-drawn` style (no modifiers) is exactly
 * {@link renderScene} with the same random stream, so the original datasets keep their bytes.
 *
 * @example
 * ```ts
 * const f = renderStyled(scene, labels, { base: "hand-drawn", mods: ["pencil"] }, { width: 512, height: 512, rng });
 * ```
 */
export function renderStyled(
  scene: FrameScene,
  labels: LabelInfo[],
  style: StyleSpec,
  o: { width: number; height: number; rng: Rng },
): StyledFrame {
  const { width: w, height: h, rng } = o;
  const colors = labels.map((l) => l.color);
  const n = w * h, k = Math.max(w, h) / 512;
  const has = (m: StyleModifier) => style.mods.includes(m);
  if (style.base !== "sketchy" && style.mods.length === 0) {
    const f = renderScene(scene, colors, { style: style.base, width: w, height: h, rng });
    return { ...f, lineImage: binaryRgba(f.ink, w, h) };
  }
  const sr = rng.fork("style");
  // 1. Base lines.
  const base = baseLines(scene, colors, style, w, h, rng, sr, has);
  let { ink } = base;
  const { parts } = base;
  // 2. Width.
  if (has("bold") || (has("pressure") && style.base === "clean")) {
    const base = has("bold") ? sr.range(0.5, 2.5) * k : 0;
    const field = has("pressure") ? valueNoise(sr.fork("pressure"), w, h, 45 * k) : null;
    ink = dilate(ink, w, h, (i) => base + (field ? Math.max(0, 1.6 * k * field[i] + 0.4 * k) : 0));
  }
  // 3. Marks that bound nothing.
  const lineOnly = ink.slice(); // region lines (for colour lines below)
  if (has("hatching")) addHatching(ink, parts, labels, w, h, k, sr.fork("hatching"));
  if (has("speed-lines")) addSpeedLines(ink, parts, w, h, k, sr.fork("speed"));
  if (has("screentone")) addScreentone(ink, lineOnly, parts, labels, w, h, k, sr.fork("tone"));
  // 4. Segments (labels come from the parts: the marks above change no label).
  const segs = segmentParts(parts, ink, colors);
  const gt = colorFrame(parts, colors, ink);
  const line: GrayImage = { width: w, height: h, data: new Uint8Array(n) };
  for (let i = 0; i < n; i++) line.data[i] = ink[i] ? 0 : 255;
  let lineImage: RgbaImage | GrayImage = binaryRgba(ink, w, h);
  // 5. Colour lines: ink between a shadow (highlight) part and one other part, never on the silhouette.
  if (has("color-lines")) colorLines(lineImage as RgbaImage, line, lineOnly, parts, labels);
  // 6. Grey-file looks: pencil, scan, jpeg.
  if (has("pencil") || has("scan") || has("jpeg")) lineImage = greyLooks(line, ink, w, h, k, sr, has);
  return { ...segs, line, gt, parts, ink, lineImage };
}

/** Stage 1: the base style's lines (clean, hand-drawn, or sketchy: two loose hand-drawn passes). */
function baseLines(
  scene: FrameScene,
  colors: Rgb[],
  style: StyleSpec,
  w: number,
  h: number,
  rng: Rng,
  sr: Rng,
  has: (m: StyleModifier) => boolean,
): { parts: LabelMap; ink: Uint8Array } {
  const n = w * h;
  let parts = rasterizeParts(scene.parts, w, h, colors.length);
  let ink: Uint8Array;
  if (style.base === "clean") ink = cleanLines(parts);
  else if (style.base === "hand-drawn") {
    const hd = handDrawnLines(
      parts,
      colors,
      scene.strokes,
      rng,
      has("pressure") ? { widthSpread: 0.28 } : {},
    );
    parts = hd.parts;
    ink = hd.ink;
  } else {
    const loose = { jitterAmp: 2.2, gapThreshold: -0.15, gapCell: 18, strokeProb: 0.9 };
    const a = handDrawnLines(parts, colors, scene.strokes, rng, loose);
    const b = handDrawnLines(parts, colors, scene.strokes, sr.fork("second-pass"), {
      ...loose,
      strokeProb: 0.5,
    });
    parts = a.parts;
    ink = a.ink;
    for (let i = 0; i < n; i++) if (b.ink[i]) ink[i] = 1;
  }
  return { parts, ink };
}

/** Stage 3: hatching inside a few regions (marks that bound nothing). */
function addHatching(
  ink: Uint8Array,
  parts: LabelMap,
  labels: LabelInfo[],
  w: number,
  h: number,
  k: number,
  hr: Rng,
): void {
  for (const lab of pickRegions(labels, parts, hr, hr.int(1, 4), 600 * k * k)) {
    const a = hr.range(0, Math.PI), gap = hr.range(4, 7) * k, len = hr.range(8, 20) * k;
    const area = areaByLabel(parts).get(lab)!;
    const cx = area.sx / area.n, cy = area.sy / area.n, R = Math.sqrt(area.n / Math.PI);
    const dx = Math.cos(a), dy = Math.sin(a), nx = -dy, ny = dx;
    for (let t = -R; t <= R; t += gap) {
      const ox = cx + nx * t + dx * hr.range(-R, R) * 0.3, oy = cy + ny * t + dy * hr.range(-R, R) * 0.3;
      drawLine(
        ink,
        w,
        h,
        ox - dx * len / 2,
        oy - dy * len / 2,
        ox + dx * len / 2,
        oy + dy * len / 2,
        1.2 * k,
        (i) => parts.data[i] === lab,
      );
    }
  }
}

/** Stage 3: speed lines radiating from a focus, on the background only. */
function addSpeedLines(ink: Uint8Array, parts: LabelMap, w: number, h: number, k: number, sp: Rng): void {
  const fx = sp.range(0.2, 0.8) * w, fy = sp.range(0.2, 0.8) * h;
  const count = sp.int(25, 70);
  for (let c = 0; c < count; c++) {
    const a = sp.range(0, 2 * Math.PI),
      r0 = sp.range(0.35, 0.6) * Math.max(w, h),
      r1 = r0 + sp.range(0.15, 0.5) * Math.max(w, h);
    drawLine(
      ink,
      w,
      h,
      fx + Math.cos(a) * r0,
      fy + Math.sin(a) * r0,
      fx + Math.cos(a) * r1,
      fy + Math.sin(a) * r1,
      sp.range(0.8, 2.2) * k,
      (i) => parts.data[i] < 0,
    );
  }
}

/** Stage 3: screentone dots in a few regions, a pixel away from their lines. */
function addScreentone(
  ink: Uint8Array,
  lineOnly: Uint8Array,
  parts: LabelMap,
  labels: LabelInfo[],
  w: number,
  h: number,
  k: number,
  tr: Rng,
): void {
  for (const lab of pickRegions(labels, parts, tr, tr.int(1, 3), 400 * k * k)) {
    const sp = tr.range(4, 6.5) * k, r = tr.range(0.7, 1.3) * k;
    const a = Math.PI / 4 + tr.range(-0.2, 0.2);
    const ca = Math.cos(a), sa = Math.sin(a);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (parts.data[i] !== lab || lineOnly[i]) continue;
        const u = (ca * x + sa * y) / sp, v = (-sa * x + ca * y) / sp;
        const du = (u - Math.round(u)) * sp, dv = (v - Math.round(v)) * sp;
        // Dots keep a pixel away from the part's lines, so a dot never merges into a boundary.
        if (du * du + dv * dv <= r * r && !nearInk(lineOnly, w, h, x, y)) ink[i] = 1;
      }
    }
  }
}

/** Stage 5: colour lines, ink between a shadow (highlight) part and one other part, never on the silhouette. */
function colorLines(
  rgba: RgbaImage,
  line: GrayImage,
  lineOnly: Uint8Array,
  parts: LabelMap,
  labels: LabelInfo[],
): void {
  const { width: w, height: h } = line;
  const kind = labels.map((l) => isShade(l.name));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!lineOnly[i]) continue;
      let shade: "shadow" | "light" | null = null, bg = false;
      const seen = new Set<number>();
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const v = parts.data[yy * w + xx];
          if (v < 0) bg = true;
          else {
            seen.add(v);
            shade = shade ?? kind[v];
          }
        }
      }
      if (shade && !bg && seen.size === 2) {
        const o = 4 * i;
        rgba.data[o] = shade === "light" ? 255 : 0,
          rgba.data[o + 1] = 0,
          rgba.data[o + 2] = shade === "light" ? 0 : 255;
        line.data[i] = shade === "light" ? 76 : 29;
      }
    }
  }
}

/** Stage 6: the grey-file looks (pencil, scan, jpeg) of the line art. */
function greyLooks(
  line: GrayImage,
  ink: Uint8Array,
  w: number,
  h: number,
  k: number,
  sr: Rng,
  has: (m: StyleModifier) => boolean,
): GrayImage {
  const n = w * h;
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = line.data[i];
  if (has("pencil")) {
    const grain = valueNoise(sr.fork("grain"), w, h, 1.5 * k),
      tone = valueNoise(sr.fork("graphite"), w, h, 30 * k);
    const dark = sr.range(60, 110);
    for (let i = 0; i < n; i++) {
      if (ink[i]) g[i] = Math.min(200, dark + 35 * tone[i] + 30 * grain[i]);
      else g[i] = 250 + 5 * grain[i];
    }
    g.set(boxBlur(g, w, h));
    for (let i = 0; i < n; i++) if (ink[i]) g[i] = Math.min(g[i], dark + 40 + 30 * tone[i]);
  }
  if (has("scan")) {
    const tint = valueNoise(sr.fork("tint"), w, h, 120 * k), noise = sr.fork("noise");
    g.set(boxBlur(g, w, h));
    for (let i = 0; i < n; i++) g[i] = g[i] * (0.93 + 0.03 * tint[i]) + noise.normal(0, 5);
  }
  let grey: GrayImage = { width: w, height: h, data: new Uint8Array(n) };
  for (let i = 0; i < n; i++) grey.data[i] = Math.max(0, Math.min(255, Math.round(g[i])));
  if (has("jpeg")) grey = jpegArtefacts(grey, sr.int(35, 76));
  return grey;
}

function nearInk(ink: Uint8Array, w: number, h: number, x: number, y: number): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx, yy = y + dy;
      if (xx >= 0 && yy >= 0 && xx < w && yy < h && ink[yy * w + xx]) return true;
    }
  }
  return false;
}

function boxBlur(g: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(g.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0, c = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const wt = dx === 0 && dy === 0 ? 4 : dx === 0 || dy === 0 ? 2 : 1;
          s += wt * g[yy * w + xx];
          c += wt;
        }
      }
      out[y * w + x] = s / c;
    }
  }
  return out;
}

/** Black strokes on transparent (the PBC line file), from an ink mask. */
function binaryRgba(ink: Uint8Array, w: number, h: number): RgbaImage {
  const out = new Uint8Array(w * h * 4);
  for (let i = 0; i < ink.length; i++) {
    if (ink[i]) out[4 * i + 3] = 255;
    else out.fill(255, 4 * i, 4 * i + 3);
  }
  return { width: w, height: h, data: out };
}
