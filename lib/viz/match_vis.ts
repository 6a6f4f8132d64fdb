/**
 * The picture of a match: the two drawings side by side, every group of matched regions filled with one colour
 * on both sides, regions without a match grey, the background white, the strokes black on top.
 *
 * @module
 */
import type { GrayImage, LabelMap, RgbImage } from "../image/types.ts";
import { UnionFind } from "../util/union_find.ts";
import { labelColors, type Rgb, sideBySide } from "./color.ts";

/** A match as the picture needs it. */
export interface VisMatch {
  ref_region: number;
  tgt_region: number;
}

/** Options of {@link matchVisualization}. */
export interface MatchVisOptions {
  /** Background region ids of each side (painted white). */
  backgroundA: Iterable<number>;
  backgroundB: Iterable<number>;
  /** White gap between the two drawings, pixels. */
  gap: number;
  /** Colour of regions without a match. */
  unmatched: Rgb;
  /** Palette offset (a different colouring of the same groups). */
  paletteOffset: number;
}

/** Defaults. */
export const MATCH_VIS_DEFAULTS: MatchVisOptions = {
  backgroundA: [],
  backgroundB: [],
  gap: 16, // enough white to tell the two drawings apart
  unmatched: [190, 190, 190], // light grey: visibly "nothing", still distinct from white background
  paletteOffset: 0,
};

/**
 * Colour of every region id on each side: matched regions are grouped (a region matched to two regions joins
 * them into one group) and each group gets one palette colour.
 */
export function matchColors(
  countA: number,
  countB: number,
  matches: readonly VisMatch[],
  opts: Partial<MatchVisOptions> = {},
): { colorsA: Rgb[]; colorsB: Rgb[]; groups: number } {
  const o = { ...MATCH_VIS_DEFAULTS, ...opts };
  // Nodes: a's regions 0..countA, b's regions countA+1 .. countA+1+countB.
  const uf = new UnionFind(countA + countB + 2);
  const inMatch = new Uint8Array(countA + countB + 2);
  for (const m of matches) {
    if (m.ref_region < 1 || m.ref_region > countA || m.tgt_region < 1 || m.tgt_region > countB) {
      throw new RangeError(
        `matchColors: match ${m.ref_region} -> ${m.tgt_region} outside ${countA} x ${countB} regions`,
      );
    }
    const u = m.ref_region, v = countA + 1 + m.tgt_region;
    uf.union(u, v);
    inMatch[u] = inMatch[v] = 1;
  }
  const groupOf = new Map<number, number>();
  const color = (node: number): Rgb | null => {
    if (!inMatch[node]) return null;
    const r = uf.find(node);
    let g = groupOf.get(r);
    if (g === undefined) groupOf.set(r, g = groupOf.size);
    return labelColors(1, g + o.paletteOffset)[0];
  };
  const bgA = new Set(o.backgroundA), bgB = new Set(o.backgroundB);
  const white: Rgb = [255, 255, 255];
  const colorsA: Rgb[] = [white], colorsB: Rgb[] = [white];
  for (let i = 1; i <= countA; i++) colorsA.push(bgA.has(i) ? white : color(i) ?? o.unmatched);
  for (let j = 1; j <= countB; j++) colorsB.push(bgB.has(j) ? white : color(countA + 1 + j) ?? o.unmatched);
  return { colorsA, colorsB, groups: groupOf.size };
}

/** Paints a label map with per-id colours and multiplies the strokes of `line` on top. */
export function paintWithLines(line: GrayImage, labels: LabelMap, colors: readonly Rgb[]): RgbImage {
  if (line.width !== labels.width || line.height !== labels.height) {
    throw new RangeError(
      `paintWithLines: line ${line.width}x${line.height} vs labels ${labels.width}x${labels.height}`,
    );
  }
  const n = line.width * line.height;
  const out = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    const c = colors[labels.data[i]] ?? colors[0];
    const k = line.data[i] / 255;
    out[3 * i] = Math.round(c[0] * k);
    out[3 * i + 1] = Math.round(c[1] * k);
    out[3 * i + 2] = Math.round(c[2] * k);
  }
  return { width: line.width, height: line.height, data: out };
}

/**
 * The side-by-side picture of a match.
 *
 * @example
 * ```ts
 * const r = matchPair(lineA, lineB, sim);
 * const img = matchVisualization(lineA, r.regionsA, lineB, r.regionsB, r.matches,
 *   { backgroundA: r.backgroundA, backgroundB: r.backgroundB });
 * await writePng("match_vis.png", img);
 * ```
 */
export function matchVisualization(
  lineA: GrayImage,
  regionsA: LabelMap,
  lineB: GrayImage,
  regionsB: LabelMap,
  matches: readonly VisMatch[],
  opts: Partial<MatchVisOptions> = {},
): RgbImage {
  const o = { ...MATCH_VIS_DEFAULTS, ...opts };
  let countA = 0, countB = 0;
  for (const v of regionsA.data) if (v > countA) countA = v;
  for (const v of regionsB.data) if (v > countB) countB = v;
  const { colorsA, colorsB } = matchColors(countA, countB, matches, o);
  return sideBySide(
    [paintWithLines(lineA, regionsA, colorsA), paintWithLines(lineB, regionsB, colorsB)],
    o.gap,
  );
}
