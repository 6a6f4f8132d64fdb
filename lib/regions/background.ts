/**
 * Which regions are the background (the paper outside the drawing). Line art says nothing about it except
 * through the image border: the background is the line-enclosed region holding the largest share of the
 * border's paper, together with any other region holding nearly as much (a figure that splits the background in
 * two). A figure cut off by the frame (a bust's shoulders along the bottom edge) holds far less border than the
 * background around it, so it stays foreground. Regions from elsewhere (patch clusters) are background when most
 * of their paper lies in background regions.
 *
 * The rule errs towards calling things foreground: a background region taken for foreground is only matched to
 * the other background (which evaluation ignores), while a part of the figure taken for background is lost.
 *
 * @module
 */

/** Options of the background tests. */
export interface BackgroundOptions {
  /** A line-enclosed region is background when it holds at least this share of the border's paper pixels... */
  minBorderShare: number;
  /** ...and at least this fraction of the largest share any region holds. */
  minShareOfLargest: number;
  /** Another region is background when more than this share of its paper pixels is background paper. */
  minOutsideShare: number;
}

/** Defaults (ours). */
export const BACKGROUND_DEFAULTS: BackgroundOptions = {
  minBorderShare: 0.05, // specks along the frame are never the background
  minShareOfLargest: 0.5, // the background pieces either side of a figure are of a size; shoulders cut by the
  // frame hold a fraction of what the background around them does
  minOutsideShare: 0.5, // majority
};

/**
 * Flags (1) the background regions of a line-enclosed label map: the one holding most of the image border's
 * paper pixels, and others holding at least `minShareOfLargest` as much (and `minBorderShare` of the border).
 * Returns [count + 1]; no region when the border is all ink.
 */
export function borderRegions(
  labels: Int32Array,
  count: number,
  width: number,
  height: number,
  ink: Uint8Array,
  opts: Partial<BackgroundOptions> = {},
): Uint8Array {
  const o = { ...BACKGROUND_DEFAULTS, ...opts };
  const W = width, H = height;
  const tally = new Float64Array(count + 1);
  let total = 0;
  const visit = (p: number) => {
    if (ink[p]) return;
    total++;
    if (labels[p] > 0) tally[labels[p]]++;
  };
  for (let x = 0; x < W; x++) {
    visit(x);
    if (H > 1) visit((H - 1) * W + x);
  }
  for (let y = 1; y < H - 1; y++) {
    visit(y * W);
    if (W > 1) visit(y * W + W - 1);
  }
  const out = new Uint8Array(count + 1);
  if (total === 0) return out;
  let most = 0;
  for (let r = 1; r <= count; r++) if (tally[r] > most) most = tally[r];
  const need = Math.max(o.minBorderShare * total, o.minShareOfLargest * most, 1);
  for (let r = 1; r <= count; r++) if (tally[r] >= need) out[r] = 1;
  return out;
}

/** Background paper mask (1) from line-enclosed regions and their flags (into `out` when given). */
export function outsideMask(
  lineLabels: Int32Array,
  isBackground: Uint8Array,
  ink: Uint8Array,
  out: Uint8Array = new Uint8Array(lineLabels.length),
): Uint8Array {
  for (let i = 0; i < lineLabels.length; i++) out[i] = !ink[i] && isBackground[lineLabels[i]] ? 1 : 0;
  return out;
}

/** Flags regions of any label map whose paper pixels lie mostly in `outside`. Returns [count + 1]. */
export function backgroundFromOutside(
  labels: Int32Array,
  count: number,
  outside: Uint8Array,
  ink: Uint8Array,
  opts: Partial<BackgroundOptions> = {},
): Uint8Array {
  const o = { ...BACKGROUND_DEFAULTS, ...opts };
  const paper = new Float64Array(count + 1), out = new Float64Array(count + 1);
  for (let i = 0; i < labels.length; i++) {
    const r = labels[i];
    if (r <= 0 || ink[i]) continue;
    paper[r]++;
    if (outside[i]) out[r]++;
  }
  const flags = new Uint8Array(count + 1);
  for (let r = 1; r <= count; r++) if (paper[r] > 0 && out[r] > o.minOutsideShare * paper[r]) flags[r] = 1;
  return flags;
}

/**
 * {@link backgroundFromOutside} with the outside given as line-enclosed regions and their flags (what
 * {@link outsideMask} would make of them), in one pass and without the mask.
 *
 * @example
 * ```ts
 * const lineBg = borderRegions(lines.labels, lines.count, w, h, ink);
 * const flags = backgroundFromLines(labels, count, lines.labels, lineBg, ink);
 * ```
 */
export function backgroundFromLines(
  labels: Int32Array,
  count: number,
  lineLabels: Int32Array,
  lineBackground: Uint8Array,
  ink: Uint8Array,
  opts: Partial<BackgroundOptions> = {},
): Uint8Array {
  const o = { ...BACKGROUND_DEFAULTS, ...opts };
  const paper = new Float64Array(count + 1), out = new Float64Array(count + 1);
  for (let i = 0; i < labels.length; i++) {
    const r = labels[i];
    if (r <= 0 || ink[i]) continue;
    paper[r]++;
    if (lineBackground[lineLabels[i]]) out[r]++;
  }
  const flags = new Uint8Array(count + 1);
  for (let r = 1; r <= count; r++) if (paper[r] > 0 && out[r] > o.minOutsideShare * paper[r]) flags[r] = 1;
  return flags;
}
