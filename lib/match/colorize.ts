/**
 * Colourisation from a match, the job artists want: every target region is filled with the colour of the
 * reference region it matches, and the target's strokes are kept on top.
 *
 * A reference region's colour is the dominant colour of its pixels in the reference colour frame (strokes left
 * out). A target region matched to several reference regions takes the best-scoring one; a target region no
 * match covers takes its best partner by similarity when one is given (so every region gets a colour), else
 * `unmatched`.
 *
 * @module
 */
import type { GrayImage, LabelMap, Rgb, RgbImage } from "../image/types.ts";

/** Options of {@link dominantColors}. */
export interface DominantColorOptions {
  /** Line art of the colour frame (its strokes are left out of the vote), or null. */
  line: GrayImage | null;
  /** Grey below this is stroke. */
  inkThreshold: number;
}

/**
 * The most frequent colour of each region's pixels in `color` (strokes excluded when `line` is given, unless a
 * region is all stroke). Returns one colour per id 0..count (id 0 and empty regions: null).
 *
 * @example
 * ```ts
 * const palette = dominantColors(refColor, refRegions, { line: refLine });
 * ```
 */
export function dominantColors(
  color: RgbImage,
  regions: LabelMap,
  opts: Partial<DominantColorOptions> = {},
): (Rgb | null)[] {
  const line = opts.line ?? null, thr = opts.inkThreshold ?? 160;
  const W = regions.width, H = regions.height, n = W * H;
  if (color.width !== W || color.height !== H) {
    throw new RangeError(`dominantColors: colour ${color.width}x${color.height} vs regions ${W}x${H}`);
  }
  let count = 0;
  for (let i = 0; i < n; i++) if (regions.data[i] > count) count = regions.data[i];
  const tally = [new Map<number, number>(), new Map<number, number>()]; // [paper, stroke]: key region * 2^24 + rgb
  const d = color.data;
  // Runs of equal (region, colour, stroke) pixels are counted before touching the map: flat fills make long runs.
  let runKey = -1, runT = 0, runN = 0;
  const flush = () => {
    if (runN > 0) tally[runT].set(runKey, (tally[runT].get(runKey) ?? 0) + runN);
  };
  for (let i = 0; i < n; i++) {
    const r = regions.data[i];
    if (r <= 0) continue;
    const rgb = (d[3 * i] << 16) | (d[3 * i + 1] << 8) | d[3 * i + 2];
    const key = r * 16777216 + rgb;
    const t = line && line.data[i] < thr ? 1 : 0;
    if (key === runKey && t === runT) {
      runN++;
      continue;
    }
    flush();
    runKey = key;
    runT = t;
    runN = 1;
  }
  flush();
  const best: { n: number; rgb: number }[][] = [[], []];
  for (let t = 0; t < 2; t++) {
    for (const [key, c] of tally[t]) {
      const r = Math.floor(key / 16777216), rgb = key - r * 16777216;
      const b = best[t][r];
      if (!b || c > b.n || (c === b.n && rgb < b.rgb)) best[t][r] = { n: c, rgb };
    }
  }
  const out: (Rgb | null)[] = [null];
  for (let r = 1; r <= count; r++) {
    const b = best[0][r] ?? best[1][r];
    out.push(b ? [(b.rgb >> 16) & 255, (b.rgb >> 8) & 255, b.rgb & 255] : null);
  }
  return out;
}

/** Options of {@link colorize}. */
export interface ColorizeOptions {
  /** Target region -> reference region to use when no match covers it (0 = none), e.g. `bestPartners`. */
  fallback: Int32Array | null;
  /** Colour of target regions with neither a match nor a fallback. */
  unmatched: Rgb;
  /** Target region ids that are background, and their colour (e.g. the reference background's). */
  background: Iterable<number>;
  backgroundColor: Rgb;
  /** Keep the target's strokes (multiply the fill by the line's grey). */
  keepLines: boolean;
}

/** Defaults. */
export const COLORIZE_DEFAULTS: ColorizeOptions = {
  fallback: null,
  unmatched: [255, 255, 255], // unpainted paper: an artist sees at once what is left to fill
  background: [],
  backgroundColor: [255, 255, 255],
  keepLines: true, // the drawing is the artist's; only the fills change
};

/** A match as colourisation needs it. */
export interface ColorMatch {
  ref_region: number;
  tgt_region: number;
  score: number;
}

/**
 * The target drawing filled from the reference's colours.
 *
 * @param refColors colour of each reference region id (from {@link dominantColors})
 * @example
 * ```ts
 * const out = colorize(tgtLine, r.regionsB, dominantColors(refColor, r.regionsA), r.matches,
 *   { fallback: bestPartners(r.simBA, r.countB, r.countA) });
 * ```
 */
export function colorize(
  tgtLine: GrayImage,
  tgtRegions: LabelMap,
  refColors: readonly (Rgb | null)[],
  matches: readonly ColorMatch[],
  opts: Partial<ColorizeOptions> = {},
): RgbImage {
  const o = { ...COLORIZE_DEFAULTS, ...opts };
  const W = tgtLine.width, H = tgtLine.height, n = W * H;
  if (tgtRegions.width !== W || tgtRegions.height !== H) {
    throw new RangeError(`colorize: regions ${tgtRegions.width}x${tgtRegions.height} vs line ${W}x${H}`);
  }
  let count = 0;
  for (let i = 0; i < n; i++) if (tgtRegions.data[i] > count) count = tgtRegions.data[i];
  // Best match per target region.
  const bestRef = new Int32Array(count + 1), bestScore = new Float64Array(count + 1).fill(-Infinity);
  for (const m of matches) {
    if (m.tgt_region < 1 || m.tgt_region > count || !refColors[m.ref_region]) continue;
    if (m.score > bestScore[m.tgt_region]) {
      bestScore[m.tgt_region] = m.score;
      bestRef[m.tgt_region] = m.ref_region;
    }
  }
  const bg = new Set(o.background);
  const fill: Rgb[] = [o.unmatched];
  for (let t = 1; t <= count; t++) {
    let c: Rgb | null = null;
    if (bestRef[t] > 0) c = refColors[bestRef[t]];
    else if (bg.has(t)) c = o.backgroundColor;
    else if (o.fallback && o.fallback[t] > 0) c = refColors[o.fallback[t]] ?? null;
    fill.push(c ?? o.unmatched);
  }
  const out = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    const c = fill[tgtRegions.data[i]] ?? o.unmatched;
    const k = o.keepLines ? tgtLine.data[i] / 255 : 1;
    out[3 * i] = Math.round(c[0] * k);
    out[3 * i + 1] = Math.round(c[1] * k);
    out[3 * i + 2] = Math.round(c[2] * k);
  }
  return { width: W, height: H, data: out };
}
