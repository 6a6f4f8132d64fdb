/**
 * Pictures of region correspondences in the style of the paper's Figure 4: in both frames of a pair, regions
 * that correspond carry one colour, regions without a partner are grey, background white, strokes black.
 * The same function draws the automatic annotation (pseudo labels) and the exact truth (label indices).
 *
 * @module
 */
import type { GrayImage, LabelMap, RgbImage } from "../image/types.ts";
import { LINE_ID } from "../data/pbc.ts";
import { labelColors, overlayLines, paintLabels, type Rgb } from "../viz/color.ts";

const LINE = -2, UNMATCHED = -3;

/**
 * Paints both frames of a pair by label: a label present in both frames gets one palette colour (the same in
 * both), a label present in one frame only is grey, label -1 is white, and the line art's strokes are black.
 *
 * @example
 * ```ts
 * const [pa, pb] = correspondencePictures(
 *   { seg: ann.a.seg, labelOfSeg: ann.labelsA, line: lineA },
 *   { seg: ann.b.seg, labelOfSeg: ann.labelsB, line: lineB },
 * );
 * ```
 */
export function correspondencePictures(
  a: { seg: LabelMap; labelOfSeg: Map<number, number>; line: GrayImage },
  b: { seg: LabelMap; labelOfSeg: Map<number, number>; line: GrayImage },
): [RgbImage, RgbImage] {
  const present = (f: typeof a) => {
    const s = new Set<number>();
    let last = NaN;
    for (const id of f.seg.data) {
      if (id === last) continue;
      last = id;
      const l = f.labelOfSeg.get(id);
      if (id !== LINE_ID && l !== undefined && l >= 0) s.add(l);
    }
    return s;
  };
  const la = present(a), lb = present(b);
  const shared = [...la].filter((l) => lb.has(l)).sort((x, y) => x - y);
  const pal = labelColors(shared.length);
  const colors = new Map<number, Rgb>(shared.map((l, i) => [l, pal[i]]));
  const paint = (f: typeof a) => {
    const d = f.seg.data, out = new Int32Array(d.length);
    for (let i = 0; i < d.length; i++) {
      const id = d[i];
      if (id === LINE_ID) out[i] = LINE;
      else {
        const l = f.labelOfSeg.get(id) ?? -1;
        out[i] = l < 0 ? -1 : colors.has(l) ? l : UNMATCHED;
      }
    }
    const rgb = paintLabels({ width: f.seg.width, height: f.seg.height, data: out }, {
      colors,
      white: [-1],
      black: [LINE],
      grey: [UNMATCHED],
    });
    return overlayLines(rgb, f.line);
  };
  return [paint(a), paint(b)];
}
