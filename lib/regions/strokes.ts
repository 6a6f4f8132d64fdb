/**
 * Regions from the strokes, at the drawing's own resolution: what a colourist's paint bucket would fill, with
 * the gaps of open strokes closed, and nothing else cut.
 *
 * 1. Ink: grey below `inkThreshold` (anti-aliased grey ink and coloured shading lines, which `lib/image/io.ts`
 *    turns into mid greys, are ink: they bound regions too).
 * 2a. Gap closing by stroke ends (`gap_close.ts`): two stroke ends facing each other within `gapLength` px (a
 *    broken outline) are joined by a straight virtual stroke, and an end heading for the side of another stroke
 *    within `gapRayLength` px (a strand that stops short of the face) is extended to it. Closed outlines have no
 *    ends, so closed art is untouched. The virtual strokes bound the fill like ink and are paper again in the
 *    result (they carry the region the flood gives them).
 * 2. Trapped-ball filling (`lines.ts`): balls of radius R, R-1, ..., 0 seed the regions they can reach without
 *    passing a gap narrower than their diameter, and the seeds grow back into the margins in order of decreasing
 *    distance to ink, so floods meet at the narrowest point of every gap. This closes gaps up to ~2R - 1 px,
 *    but it also cuts every closed region at its necks narrower than that.
 * 3. Gap or neck: every cut between two trapped-ball pieces runs through paper, so the pieces lie in one
 *    flood-fill component. A cut is a closed *gap* when a stroke ends near it (an endpoint of the ink skeleton,
 *    `skeleton.ts`, within `endpointReach` px of a cut pixel); otherwise both sides of the passage are strokes
 *    that run on past it: a *neck* of one region, and the pieces are joined again. Two pieces stay apart only
 *    when every passage between them (8-connected run of cut pixels) is a gap. So a region whose outline is
 *    closed comes out exactly as its flood fill, and only the gaps of open strokes are closed.
 * 4. Specks of at most `speckPixels` paper pixels (holes in anti-aliased ink, dots between hatching) go to the
 *    region next to them; everything larger is kept, however small (irises, highlights).
 * 5. Ink pixels carry the region they border (the flood's order: nearest paper first).
 * 6. Background: the regions holding the image border's paper (`background.ts`). Parts of the figure that leaked
 *    into it through gaps too wide for the balls (a sleeve with a 25-px break in its outline) are taken back by a
 *    second, coarse trapped-ball pass with a bigger ball on a half-size copy of the ink, again only where a stroke
 *    ends near the cut.
 *
 * Why not the `lines` mode: it is the same trapped-ball fill (step 2) but keeps every cut, so closed regions are
 * cut at their necks, it merges small regions away, and it runs on a working copy of at most 1024 px. Measured on
 * 30 pairs of data/val-clean / data/val-hand (ARI): trapped balls alone, R = 3: 0.990 / 0.285; R = 12: 0.919 /
 * 0.771 (the bigger ball closes more gaps but cuts closed regions: 13% of the true regions of >= 256 px are lost);
 * this module at R = 12: 0.995 / 0.807, clean art as its flood fill.
 *
 * Every region is flagged `closed` when no stroke ends next to it and it is its flood-fill component whole: the
 * learned similarity may join regions that share a `component` (split at a closed gap) and split regions that
 * are not closed (leaked through a gap too wide), but never touch a closed one.
 *
 * @module
 */
import type { GrayImage } from "../image/types.ts";
import { BACKGROUND_DEFAULTS, type BackgroundOptions, borderRegions } from "./background.ts";
import { closeGaps, GAP_CLOSE_DEFAULTS } from "./gap_close.ts";
import { inkMask, LINE_REGION_DEFAULTS, lineRegions } from "./lines.ts";
import { scratchInt32, scratchUint8 } from "./scratch.ts";
import { strokeEndpoints } from "./skeleton.ts";
import { UnionFind } from "./union_find.ts";

/** Options of {@link strokeRegions}. */
export interface StrokeOptions {
  /** Grey values below this are ink. */
  inkThreshold: number;
  /** Largest trapped ball radius in pixels: closes gaps up to about 2r - 1 px. */
  maxRadius: number;
  /** A ball seed at radius r needs a pixel at least r + minDepth from ink. */
  minDepth: number;
  /** A cut between two pieces is a gap when a stroke endpoint lies within this many px of it. */
  endpointReach: number;
  /**
   * Longest virtual stroke (px) drawn from a stroke's end to what it heads for before filling (`gap_close.ts`);
   * 0: none.
   */
  gapLength: number;
  /** Longest virtual stroke (px) from a stroke's end to the side of another stroke. */
  gapRayLength: number;
  /** Largest angle (degrees) between a stroke's direction at its end and a virtual stroke. */
  gapCone: number;
  /** A piece pair stays apart only when every passage between them is a gap (else: when any one is). */
  allPassages: boolean;
  /** Skeleton pixels traced back from an endpoint to find the stroke's direction there (gap closing). */
  tangentSteps: number;
  /**
   * Ball radius (px of a half-resolution copy, so twice that here) of the second, coarse trapped-ball pass that
   * takes back the parts of the figure that leaked into the background through gaps too wide for `maxRadius`; 0
   * turns it off. A piece is taken back only if a stroke ends near its border with the background.
   */
  backgroundRadius: number;
  /** Paper regions of at most this many pixels are specks and join their neighbour. */
  speckPixels: number;
  background: BackgroundOptions;
}

/** Defaults (chosen on data/val-clean and data/val-hand; see /work/notes/regions.md for the measurements). */
export const STROKE_DEFAULTS: StrokeOptions = {
  inkThreshold: LINE_REGION_DEFAULTS.inkThreshold, // 160: anti-aliased and coloured lines are ink, paper noise not
  maxRadius: 12, // closes gaps up to ~23 px; necks cut by it are rejoined (step 3). val-hand (30 pairs) ARI / share of
  // foreground paper lost into the background: 8 -> 0.800 / 8.9%, 11 -> 0.808 / 4.5%, 12 -> 0.803 / 3.7%, 13 -> 0.795 /
  // 3.0%, 16 -> 0.772 / 2.0%: the largest radius whose ARI stays within 0.01 of the best (20 pairs: 3 -> 0.30, 6 -> 0.74).
  // Re-checked with gap closing (gapLength 32): colour-region accuracy R 5 / 8 / 12 -> 46.1 / 46.6 / 47.4%: kept
  minDepth: 1, // a sub-pixel bump along a thin strip is not a region of its own
  gapLength: 48, // pairs of facing stroke ends up to 48 px apart are joined by a virtual stroke. val-hand (30 pairs),
  // colour-region accuracy with the region matcher / ARI (20 pairs): off 40.1% / 0.804, 32 -> 47.4% / 0.858, 48 ->
  // 47.8% / 0.849, 64 -> 47.4%; val-clean unchanged (ARI 0.996, 81.2%): clean outlines have no facing ends
  gapRayLength: 16, // an end heading for the side of another stroke: val-hand 0 -> 44.0%, 16 -> 47.8%, 32 -> 48.1%;
  // on val-clean rays cut a few regions at creases that stop short of a stroke (tie tips, strand tips: GT >= 256 px
  // as one region 0.992 -> 0.991 with 16, 0.988 with 32), so they only run in drawings with broken strokes
  // (gap_close.ts rayMinEnds): val-clean then exactly as without gap closing
  gapCone: GAP_CLOSE_DEFAULTS.maxAngle, // 30; val-hand (pairs 48 / 32 px) colour 30 -> 47.6%, 45 -> 47.3%; ARI 20 /
  // 30 / 45 -> 0.852 / 0.858 / 0.862 (20 pairs): flat
  tangentSteps: GAP_CLOSE_DEFAULTS.tangentSteps, // 8
  allPassages: true, // a pair of pieces touching through an open neck is one region. Measured the same as "any
  // passage" (val-hand colour 47.8 vs 47.7%, ARI 0.848 vs 0.843); kept because it cannot cut a region whose pieces
  // still meet where no stroke ends
  endpointReach: 5, // val-hand ARI 2 -> 0.72, 4 -> 0.80, 5 -> 0.81; a skeleton tip sits about half a stroke width inside the stroke end, beside the cut's end
  backgroundRadius: 8, // a 16-px ball at full size: closes gaps up to ~31 px around the figure. val-hand (30 pairs), share
  // of foreground paper lost into the background / ARI: off 3.7% / 0.803, 8 -> 1.5% / 0.807, 12 -> 1.4% / 0.803; val-clean
  // unchanged (ARI 0.995); costs ~1/4 of the first pass
  speckPixels: 0, // keep every enclosed pocket: ground truth (generated and PBC) has segments of 1-3 px; val-hand
  // mIoU G->P 0.68 with 0, 0.57 with 1, 0.50 with 3
  background: BACKGROUND_DEFAULTS,
};

/** Regions of one drawing (see the module doc). */
export interface StrokeRegions {
  width: number;
  height: number;
  /** Region id of every pixel, 1..count (ink pixels included: the region they border). */
  labels: Int32Array;
  count: number;
  /** 1 for background regions, [count + 1]. */
  background: Uint8Array;
  /** 1 where the pixel is ink (own array). */
  ink: Uint8Array;
  inkPixels: number;
  /** Paper (non-ink) pixels per region, [count + 1]. */
  sizes: Int32Array;
  /** Flood-fill component (4-connected paper, 1..) of each region, [count + 1]: equal = split at a closed gap. */
  component: Int32Array;
  /** 1 when the region is a whole flood-fill component with no stroke ending next to it, [count + 1]. */
  closed: Uint8Array;
  /** Milliseconds per step. */
  timings: Record<string, number>;
}

/**
 * The regions of a line drawing, at its own resolution.
 *
 * @example
 * ```ts
 * const r = strokeRegions(await readGray("line.png"));
 * r.labels; // Int32Array(w * h), ids 1..r.count; r.background[id] === 1 for the paper around the figure
 * ```
 */
export function strokeRegions(line: GrayImage, opts: Partial<StrokeOptions> = {}): StrokeRegions {
  const o: StrokeOptions = {
    ...STROKE_DEFAULTS,
    ...opts,
    background: { ...STROKE_DEFAULTS.background, ...opts.background },
  };
  const W = line.width, H = line.height, n = W * H;
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (k: string) => {
    const now = performance.now();
    timings[k] = now - t;
    t = now;
  };
  const ink = new Uint8Array(n);
  // 2a. Gaps closed by stroke ends (gap_close.ts): virtual strokes drawn into a copy of the drawing.
  let work = line;
  let virtual: Uint8Array | null = null;
  if (o.gapLength > 0) {
    const real = inkMask(line, o.inkThreshold, ink).ink;
    virtual = new Uint8Array(n);
    const closed = closeGaps(
      real,
      W,
      H,
      {
        maxLength: o.gapLength,
        maxRayLength: o.gapRayLength,
        maxAngle: o.gapCone,
        tangentSteps: o.tangentSteps,
      },
      scratchUint8("strokes.skeleton", n),
      virtual,
    );
    if (closed.segments.length > 0) {
      const data = line.data.slice();
      for (let i = 0; i < n; i++) if (virtual[i]) data[i] = 0;
      work = { width: W, height: H, data };
    } else virtual = null;
    lap("gapClose");
  }
  // 2. Trapped-ball pieces (every pixel labelled, ink included).
  const tb = lineRegions(
    work,
    { inkThreshold: o.inkThreshold, maxRadius: o.maxRadius, minDepth: o.minDepth },
    scratchInt32("strokes.tb", n),
    ink,
  );
  lap("trappedBall");
  const labels = new Int32Array(n);
  if (tb.inkPixels === 0 || tb.inkPixels === n) {
    labels.fill(1);
    return {
      width: W,
      height: H,
      labels,
      count: 1,
      background: Uint8Array.of(0, 1),
      ink,
      inkPixels: tb.inkPixels,
      sizes: Int32Array.of(0, n - tb.inkPixels),
      component: Int32Array.of(0, 1),
      closed: Uint8Array.of(0, 1),
      timings,
    };
  }
  const pc = tb.count, tl = tb.labels;
  // 3. Cuts: 4-neighbouring paper pixels of different pieces, grouped by piece pair.
  const cuts = pieceCuts(ink, tl, pc, W, H);
  lap("cuts");
  const { comp, merged } = joinPieces(cuts, ink, pc, W, H, o, lap);
  let points = cuts.points;
  // 4. Final regions: merged pieces, specks dropped, numbered by first paper pixel.
  const fin = finalRegions(labels, tl, merged, cuts, pc, W, H, o);
  let count = fin.count;
  lap("relabel");
  if (points.length === 0 && cuts.cutPix.length === 0) {
    points = strokeEndpoints(ink, W, H, scratchUint8("strokes.skeleton", n)).points;
  }
  // Regions flooded from the same component, before the background step adds pieces.
  const { component, nComp } = regionComponents(fin.roots, fin.idOfRoot, comp, count, pc);
  // 6. Background, and the parts of the figure that leaked into it through gaps too wide for the balls.
  let background = borderRegions(labels, count, W, H, ink, o.background);
  let origin: Int32Array = new Int32Array(0);
  if (o.backgroundRadius > 0 && points.length > 0) {
    const split = splitBackgroundLeaks(labels, count, background, ink, W, H, points, o);
    if (split.added > 0) {
      origin = split.origin;
      count += split.added;
      background = borderRegions(labels, count, W, H, ink, o.background);
    }
  }
  lap("background");
  let inkPixels = tb.inkPixels;
  if (virtual) {
    // The virtual strokes are paper again (they carry the region the flood gave them, as ink does).
    for (let i = 0; i < n; i++) {
      if (virtual[i]) {
        ink[i] = 0;
        inkPixels--;
      }
    }
  }
  const { sizes, componentAll, closed } = closedRegions(
    labels,
    ink,
    count,
    component,
    origin,
    nComp,
    points,
    W,
    H,
    o,
  );
  if (virtual) realComponents(labels, ink, virtual, count, componentAll, closed, W, H);
  lap("closed");
  return {
    width: W,
    height: H,
    labels,
    count,
    background,
    ink,
    inkPixels,
    sizes,
    component: componentAll,
    closed,
    timings,
  };
}

/** The cuts between trapped-ball pieces, each piece's paper size and first paper pixel. */
interface PieceCuts {
  /** Cut pixel pairs (flattened) and the piece-pair key of each pixel. */
  cutPix: number[];
  cutKey: number[];
  size: Int32Array;
  first: Int32Array;
  /** Stroke endpoints, when {@link joinPieces} computed them (empty otherwise). */
  points: Int32Array;
}

/** Step 3: 4-neighbouring paper pixels of different pieces, grouped by piece pair. */
function pieceCuts(ink: Uint8Array, tl: Int32Array, pc: number, W: number, H: number): PieceCuts {
  const cutPix: number[] = [], cutKey: number[] = [];
  const size = new Int32Array(pc + 1), first = new Int32Array(pc + 1).fill(-1);
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let x = 0; x < W; x++) {
      const p = row + x;
      if (ink[p]) continue;
      const a = tl[p];
      size[a]++;
      if (first[a] < 0) first[a] = p;
      if (x + 1 < W && !ink[p + 1] && tl[p + 1] !== a) {
        const b = tl[p + 1];
        cutPix.push(p, p + 1);
        cutKey.push(a < b ? a * (pc + 1) + b : b * (pc + 1) + a, a < b ? a * (pc + 1) + b : b * (pc + 1) + a);
      }
      if (y + 1 < H && !ink[p + W] && tl[p + W] !== a) {
        const b = tl[p + W];
        cutPix.push(p, p + W);
        cutKey.push(a < b ? a * (pc + 1) + b : b * (pc + 1) + a, a < b ? a * (pc + 1) + b : b * (pc + 1) + a);
      }
    }
  }
  return { cutPix, cutKey, size, first, points: new Int32Array(0) };
}

/**
 * Joins pieces: every cut pair into one flood-fill component (`comp`), and into one region (`merged`) unless a
 * stroke endpoint lies within reach of its cut (a gap in a stroke, which the cut closes). Sets `cuts.points`.
 */
function joinPieces(
  cuts: PieceCuts,
  ink: Uint8Array,
  pc: number,
  W: number,
  H: number,
  o: StrokeOptions,
  lap: (k: string) => void,
): { comp: UnionFind; merged: UnionFind } {
  const { cutPix } = cuts;
  const n = W * H;
  const comp = new UnionFind(pc + 1), merged = new UnionFind(pc + 1);
  let endpointMask: Uint8Array | null = null;
  let points: Int32Array = new Int32Array(0);
  if (cutPix.length > 0) {
    const sk = strokeEndpoints(ink, W, H, scratchUint8("strokes.skeleton", n));
    points = sk.points;
    cuts.points = points;
    endpointMask = scratchUint8("strokes.endpoints", n, 0);
    for (const p of points) endpointMask[p] = 1;
    lap("endpoints");
    const gap = passageGaps(cuts, endpointMask, W, H, o);
    for (const [key, isGap] of gap) {
      const a = Math.floor(key / (pc + 1)), b = key - a * (pc + 1);
      comp.union(a, b);
      if (!isGap) merged.union(a, b);
    }
    lap("gaps");
  }
  return { comp, merged };
}

/**
 * Whether each piece pair (key) was cut at gaps: its cut pixels fall into passages (8-connected runs of cut
 * pixels: one narrow opening each); a passage is a gap when a stroke ends within `endpointReach` px of it; the
 * pair stays apart when every passage between them is a gap (`allPassages`), else when any one is. A pair that
 * still touches through one open neck is one region: a colourist closes gaps in strokes, and does not draw lines
 * across a region between strokes that run on past each other.
 */
function passageGaps(
  cuts: PieceCuts,
  endpointMask: Uint8Array,
  W: number,
  H: number,
  o: StrokeOptions,
): Map<number, boolean> {
  const { cutPix, cutKey } = cuts;
  const reach = Math.max(0, Math.round(o.endpointReach)), r2 = o.endpointReach * o.endpointReach;
  const nearEnd = (p: number): boolean => {
    const py = (p / W) | 0, px = p - py * W;
    const y0 = Math.max(0, py - reach), y1 = Math.min(H - 1, py + reach);
    const x0 = Math.max(0, px - reach), x1 = Math.min(W - 1, px + reach);
    for (let y = y0; y <= y1; y++) {
      const dy = y - py;
      for (let x = x0; x <= x1; x++) {
        const dx = x - px;
        if (endpointMask[y * W + x] && dx * dx + dy * dy <= r2) return true;
      }
    }
    return false;
  };
  // Cut pixels per piece pair (a pixel may be listed twice: harmless below).
  const byKey = new Map<number, number[]>();
  for (let k = 0; k < cutPix.length; k++) {
    let l = byKey.get(cutKey[k]);
    if (!l) byKey.set(cutKey[k], l = []);
    l.push(cutPix[k]);
  }
  const gap = new Map<number, boolean>();
  const local = new Map<number, number>();
  for (const [key, pix] of byKey) {
    if (!o.allPassages) {
      gap.set(key, pix.some(nearEnd));
      continue;
    }
    // Passages: 8-connected groups of this pair's cut pixels; the pair is apart when each has a stroke end.
    local.clear();
    pix.forEach((p, i) => local.set(p, i));
    const uf = new UnionFind(pix.length);
    for (let i = 0; i < pix.length; i++) {
      const p = pix[i], py = (p / W) | 0, px = p - py * W;
      for (let dy = 0; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if (dy === 0 && dx <= 0) continue;
          const x = px + dx, y = py + dy;
          if (x < 0 || x >= W || y >= H) continue;
          const j = local.get(y * W + x);
          if (j !== undefined) uf.union(i, j);
        }
      }
    }
    const isGap = new Map<number, boolean>();
    for (let i = 0; i < pix.length; i++) {
      const r = uf.find(i);
      if (isGap.get(r) === true) continue;
      isGap.set(r, nearEnd(pix[i]));
    }
    let all = true;
    for (const v of isGap.values()) all &&= v;
    gap.set(key, all);
  }
  return gap;
}

/**
 * Step 4: writes the final regions into `labels` (merged pieces, specks dropped and filled from their neighbours,
 * numbered by first paper pixel); returns their count and the root piece of each.
 */
function finalRegions(
  labels: Int32Array,
  tl: Int32Array,
  merged: UnionFind,
  cuts: PieceCuts,
  pc: number,
  W: number,
  H: number,
  o: StrokeOptions,
): { count: number; roots: number[]; idOfRoot: Int32Array } {
  const { size, first } = cuts;
  const n = W * H;
  const groupSize = new Int32Array(pc + 1), groupFirst = new Int32Array(pc + 1).fill(n);
  for (let a = 1; a <= pc; a++) {
    const g = merged.find(a);
    groupSize[g] += size[a];
    if (first[a] >= 0 && first[a] < groupFirst[g]) groupFirst[g] = first[a];
  }
  const roots: number[] = [];
  for (let a = 1; a <= pc; a++) {
    if (merged.find(a) === a && groupSize[a] > o.speckPixels) roots.push(a);
  }
  roots.sort((a, b) => groupFirst[a] - groupFirst[b]);
  const idOfRoot = new Int32Array(pc + 1);
  roots.forEach((r, k) => idOfRoot[r] = k + 1);
  let count = roots.length;
  const idOfPiece = new Int32Array(pc + 1);
  for (let a = 1; a <= pc; a++) idOfPiece[a] = idOfRoot[merged.find(a)];
  if (count === 0) {
    // Only specks: the largest piece group stands for the drawing.
    let best = 1;
    for (let a = 1; a <= pc; a++) if (groupSize[merged.find(a)] > groupSize[merged.find(best)]) best = a;
    for (let a = 1; a <= pc; a++) idOfPiece[a] = merged.find(a) === merged.find(best) ? 1 : 0;
    count = 1;
  }
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    const id = idOfPiece[tl[i]];
    labels[i] = id;
    if (id === 0) dropped++;
  }
  if (dropped > 0) fillFromNeighbours(labels, W, H);
  return { count, roots, idOfRoot };
}

/** The flood-fill component of each region (regions split at a closed gap share one), and how many there are. */
function regionComponents(
  roots: number[],
  idOfRoot: Int32Array,
  comp: UnionFind,
  count: number,
  pc: number,
): { component: Int32Array; nComp: number } {
  const component = new Int32Array(count + 1);
  const compId = new Int32Array(pc + 1);
  let nComp = 0;
  for (const r of roots) {
    const c = comp.find(r);
    if (compId[c] === 0) compId[c] = ++nComp;
    component[idOfRoot[r]] = compId[c];
  }
  if (roots.length === 0) component[1] = 1;
  return { component, nComp };
}

/** Paper sizes, components (background pieces take their origin's), and which regions are closed. */
function closedRegions(
  labels: Int32Array,
  ink: Uint8Array,
  count: number,
  component: Int32Array,
  origin: Int32Array,
  nComp: number,
  points: Int32Array,
  W: number,
  H: number,
  o: StrokeOptions,
): { sizes: Int32Array; componentAll: Int32Array; closed: Uint8Array } {
  const n = W * H;
  const sizes = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) if (!ink[i]) sizes[labels[i]]++;
  const componentAll = new Int32Array(count + 1);
  componentAll.set(component);
  for (let r = component.length; r <= count; r++) componentAll[r] = component[origin[r - component.length]];
  // Closed: alone in its component and no endpoint next to it.
  const perComp = new Int32Array(nComp + 2);
  for (let r = 1; r <= count; r++) perComp[componentAll[r]]++;
  const closed = new Uint8Array(count + 1);
  for (let r = 1; r <= count; r++) closed[r] = perComp[componentAll[r]] === 1 ? 1 : 0;
  const reach = Math.max(1, Math.round(o.endpointReach));
  for (const p of points) {
    const py = (p / W) | 0, px = p - py * W;
    for (let y = Math.max(0, py - reach); y <= Math.min(H - 1, py + reach); y++) {
      for (let x = Math.max(0, px - reach); x <= Math.min(W - 1, px + reach); x++) {
        const q = y * W + x;
        if (!ink[q]) closed[labels[q]] = 0;
      }
    }
  }
  return { sizes, componentAll, closed };
}

/**
 * Components and closed flags as the real strokes have them: regions on either side of a virtual stroke (now
 * paper) share a flood-fill component, and a region next to a virtual stroke is not closed (its outline has a
 * gap). In place.
 */
function realComponents(
  labels: Int32Array,
  ink: Uint8Array,
  virtual: Uint8Array,
  count: number,
  component: Int32Array,
  closed: Uint8Array,
  W: number,
  H: number,
): void {
  let nComp = 0;
  for (let r = 1; r <= count; r++) if (component[r] > nComp) nComp = component[r];
  const uf = new UnionFind(nComp + 1);
  const link = (p: number, q: number) => {
    if (ink[q]) return;
    uf.union(component[labels[p]], component[labels[q]]);
    closed[labels[q]] = 0;
  };
  for (let p = 0; p < W * H; p++) {
    if (!virtual[p]) continue;
    closed[labels[p]] = 0;
    const y = (p / W) | 0, x = p - y * W;
    if (x > 0) link(p, p - 1);
    if (x < W - 1) link(p, p + 1);
    if (y > 0) link(p, p - W);
    if (y < H - 1) link(p, p + W);
  }
  const id = new Int32Array(nComp + 1);
  let next = 0;
  for (let r = 1; r <= count; r++) {
    const root = uf.find(component[r]);
    if (id[root] === 0) id[root] = ++next;
    component[r] = id[root];
  }
}

/**
 * Gives every 0 pixel the label of the nearest labelled pixel (4-neighbour breadth-first growth from all
 * labelled pixels at once, raster order breaking ties), in place.
 */
function fillFromNeighbours(labels: Int32Array, W: number, H: number): void {
  const n = W * H;
  const queue = scratchInt32("strokes.queue", n);
  let head = 0, tail = 0;
  for (let p = 0; p < n; p++) {
    if (labels[p] === 0) continue;
    const y = (p / W) | 0, x = p - y * W;
    if (
      (x > 0 && labels[p - 1] === 0) || (x < W - 1 && labels[p + 1] === 0) ||
      (y > 0 && labels[p - W] === 0) || (y < H - 1 && labels[p + W] === 0)
    ) queue[tail++] = p;
  }
  while (head < tail) {
    const p = queue[head++], id = labels[p];
    const y = (p / W) | 0, x = p - y * W;
    if (x > 0 && labels[p - 1] === 0) labels[queue[tail++] = p - 1] = id;
    if (x < W - 1 && labels[p + 1] === 0) labels[queue[tail++] = p + 1] = id;
    if (y > 0 && labels[p - W] === 0) labels[queue[tail++] = p - W] = id;
    if (y < H - 1 && labels[p + W] === 0) labels[queue[tail++] = p + W] = id;
  }
}

/**
 * The coarse pass of {@link strokeRegions}: trapped balls of `backgroundRadius` on a half-resolution copy of the
 * ink (any ink in a 2x2 block), whose background (border rule) is the paper a big ball reaches from outside. Paper
 * of a background region that lies in a foreground region of the coarse pass is a part of the figure that leaked
 * out: each such piece (per coarse region) becomes a new region, ids count+1.., if it has at least
 * (2 * backgroundRadius)^2 px and a stroke ends within 2 * endpointReach px of its border with the background (a
 * gap, not a narrow bay of the background). Labels change in place; `origin[k]` is the region new region
 * count + 1 + k came from.
 */
function splitBackgroundLeaks(
  labels: Int32Array,
  count: number,
  background: Uint8Array,
  ink: Uint8Array,
  W: number,
  H: number,
  points: Int32Array,
  o: StrokeOptions,
): { added: number; origin: Int32Array } {
  const W2 = (W + 1) >> 1, H2 = (H + 1) >> 1, n = W * H;
  const reach = Math.max(1, Math.round(2 * o.endpointReach)), r2 = reach * reach;
  // A piece is only taken back if a stroke ends within `reach` of one of its (background) pixels: when no
  // endpoint is that close to any background paper, nothing can change, and the coarse pass is skipped.
  let anyNear = false;
  for (let k = 0; k < points.length && !anyNear; k++) {
    const p = points[k], py = (p / W) | 0, px = p - py * W;
    for (let y = Math.max(0, py - reach); y <= Math.min(H - 1, py + reach) && !anyNear; y++) {
      const dy = y - py;
      for (let x = Math.max(0, px - reach); x <= Math.min(W - 1, px + reach); x++) {
        const dx = x - px, q = y * W + x;
        if (dx * dx + dy * dy <= r2 && !ink[q] && background[labels[q]]) {
          anyNear = true;
          break;
        }
      }
    }
  }
  if (!anyNear) return { added: 0, origin: new Int32Array(0) };
  const half = new Uint8Array(W2 * H2).fill(255);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) if (ink[y * W + x]) half[(y >> 1) * W2 + (x >> 1)] = 0;
  }
  const coarse = lineRegions(
    { width: W2, height: H2, data: half },
    { inkThreshold: 128, maxRadius: o.backgroundRadius, minDepth: o.minDepth },
    scratchInt32("strokes.coarse", W2 * H2),
    scratchUint8("strokes.coarseInk", W2 * H2),
  );
  const bg2 = borderRegions(coarse.labels, coarse.count, W2, H2, coarse.ink, o.background);
  // Candidate piece of each paper pixel of a background region: its coarse foreground region (0: none).
  const cand = scratchInt32("strokes.leak", n, 0);
  const pieceSize = new Int32Array(coarse.count + 1), pieceOf = new Int32Array(coarse.count + 1);
  let any = false;
  for (let y = 0; y < H; y++) {
    const row = y * W, row2 = (y >> 1) * W2;
    for (let x = 0; x < W; x++) {
      const p = row + x;
      if (ink[p] || !background[labels[p]]) continue;
      const h = coarse.labels[row2 + (x >> 1)];
      if (bg2[h]) continue;
      cand[p] = h;
      pieceSize[h]++;
      pieceOf[h] = labels[p];
      any = true;
    }
  }
  if (!any) return { added: 0, origin: new Int32Array(0) };
  // Gap test on each piece's border with the rest of the background.
  const endpoint = scratchUint8("strokes.endpoints", n, 0);
  for (const p of points) endpoint[p] = 1;
  const minSize = 4 * o.backgroundRadius * o.backgroundRadius;
  const ok = new Uint8Array(coarse.count + 1);
  const near = (p: number): boolean => {
    const py = (p / W) | 0, px = p - py * W;
    for (let y = Math.max(0, py - reach); y <= Math.min(H - 1, py + reach); y++) {
      const dy = y - py;
      for (let x = Math.max(0, px - reach); x <= Math.min(W - 1, px + reach); x++) {
        const dx = x - px;
        if (endpoint[y * W + x] && dx * dx + dy * dy <= r2) return true;
      }
    }
    return false;
  };
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let x = 0; x < W; x++) {
      const p = row + x, h = cand[p];
      if (h === 0 || ok[h] || pieceSize[h] < minSize) continue;
      // A 4-neighbour in the same background region but not in this piece: p lies on the piece's cut.
      const l = labels[p];
      const onCut = (q: number) => !ink[q] && labels[q] === l && cand[q] !== h;
      if (
        (x > 0 && onCut(p - 1)) || (x < W - 1 && onCut(p + 1)) || (y > 0 && onCut(p - W)) ||
        (y < H - 1 && onCut(p + W))
      ) {
        if (near(p)) ok[h] = 1;
      }
    }
  }
  const newId = new Int32Array(coarse.count + 1), origin: number[] = [];
  let added = 0;
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let x = 0; x < W; x++) {
      const p = row + x, h = cand[p];
      if (h === 0 || !ok[h]) continue;
      if (newId[h] === 0) {
        newId[h] = count + ++added;
        origin.push(pieceOf[h]);
      }
      labels[p] = newId[h];
    }
  }
  return { added, origin: Int32Array.from(origin) };
}
