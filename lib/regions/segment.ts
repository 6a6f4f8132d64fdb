/**
 * One image's regions from its line art and the model's intra-image similarities, in one of three modes:
 *
 * - `patches`, the paper's pipeline: edge map, edge-aware patch merging, watershed from the merged clusters'
 *   seeds, small-region merging. Regions are at least about a patch large; small parts are merged away.
 * - `lines`: line-enclosed regions with gap closing (`lines.ts`), then a light small-region clean-up. Uses no
 *   model output at all (the matching does).
 * - `hybrid`: line-enclosed regions, split where the patch pipeline sees two different things inside one of
 *   them (a gap too wide to close), and joined where the model's intra similarity says two neighbours are one
 *   and no stroke separates them (necks cut by gap closing).
 *
 * All run on a working-size image and return labels 1..count for every pixel, with background flags.
 *
 * @module
 */
import { edgeMap, type EdgeOptions } from "../image/edge.ts";
import type { GrayImage } from "../image/types.ts";
import { regionSimilarity } from "../match/region_similarity.ts";
import { regionAdjacency } from "./adjacency.ts";
import {
  BACKGROUND_DEFAULTS,
  backgroundFromOutside,
  type BackgroundOptions,
  borderRegions,
  outsideMask,
} from "./background.ts";
import { LINE_REGION_DEFAULTS, type LineRegionOptions, type LineRegions, lineRegions } from "./lines.ts";
import { mergePatches, PATCH_MERGE_DEFAULTS, type PatchMergeOptions } from "./patch_merge.ts";
import type { PatchLayout } from "./patch_layout.ts";
import { connectedComponents, labelSizes, relabelSequential } from "./relabel.ts";
import { seedsFromClusters } from "./seeds.ts";
import { mergeSmallRegions, SMALL_MERGE_DEFAULTS, type SmallMergeOptions } from "./small_merge.ts";
import { UnionFind } from "./union_find.ts";
import { membershipFromPixels } from "./vote.ts";
import { quantize, watershed } from "./watershed.ts";

/** How regions are made. */
export type RegionMode = "patches" | "lines" | "hybrid";

/** The region modes, for option parsing. */
export const REGION_MODES: readonly RegionMode[] = ["patches", "lines", "hybrid"];

/** Options of {@link segment}. */
export interface RegionOptions {
  edge: Partial<EdgeOptions>;
  merge: PatchMergeOptions;
  /** Seeds lie more than this many patch sides from a cluster boundary. */
  seedMargin: number;
  /** Quantisation of the edge map for the bucket-queue watershed. */
  watershedLevels: number;
  /** Watershed connectivity (1: 4-neighbours, 2: 8). */
  connectivity: 1 | 2;
  /** Small-region merging of the `patches` mode. */
  small: SmallMergeOptions;
  /** Line-enclosed regions (`lines`, `hybrid`). */
  lines: LineRegionOptions;
  /** Small-region merging of the `lines` and `hybrid` modes. */
  linesSmall: SmallMergeOptions;
  hybrid: {
    /** A piece of a line-enclosed region cut off by a patch-region boundary stands alone only if at least this
     * many patch areas large. */
    pieceMinPatches: number;
    /** Neighbouring pieces join when both directed similarities reach this... */
    threshold: number;
    /** ...and at most this share of their border's pixels is ink (no stroke runs between them). */
    maxBorderInk: number;
  };
  background: BackgroundOptions;
}

/** Defaults: the release's for the paper's steps, ours (with reasons) for the rest. */
export const REGION_DEFAULTS: RegionOptions = {
  edge: {}, // EDGE_DEFAULTS: release sigma 1.8, gamma 1.2
  merge: PATCH_MERGE_DEFAULTS, // release: 0.72 both ways, border edge <= 0.35, 8 neighbours
  seedMargin: 0.5, // release: seed_margin = patch_size // 2 (Euclidean distance to the cluster boundary)
  watershedLevels: 256, // 8-bit quantisation: finer than the edge map's meaningful contrast
  connectivity: 2, // release: connectivity 2
  small: SMALL_MERGE_DEFAULTS, // release: < 0.005 of all pixels, 85th percentile gate, 3 passes
  lines: LINE_REGION_DEFAULTS,
  linesSmall: {
    ...SMALL_MERGE_DEFAULTS,
    minFraction: 0.00005, // ~50 px at 1024^2: keeps pupils and highlights, drops specks and hatching slivers
    minPixels: 6, // never keep regions of a few pixels, however small the image
    connectivity: 1, // line regions are 4-connected
  },
  hybrid: {
    pieceMinPatches: 0.5, // a split finer than half a patch is below what the model can tell apart
    threshold: 0.72, // the release's merge threshold, applied to regions
    maxBorderInk: 0.5, // line regions meet along strokes (ink on both sides) or across closed gaps and necks
    // (paper): ink, not the blurred edge map, tells them apart; a neck between two strokes 4 px apart has a
    // high edge value but no ink
  },
  background: BACKGROUND_DEFAULTS,
};

/** Input of {@link segment}: one working-size image and its share of the model output. */
export interface SegmentInput {
  gray: GrayImage;
  layout: PatchLayout;
  /** Intra-image scores S_aa (or S_bb), [n, n] over `layout`'s patches. */
  saa: Float32Array;
}

/** One image's regions. */
export interface Segmentation {
  width: number;
  height: number;
  /** Region id of every pixel, 1..count. */
  labels: Int32Array;
  count: number;
  /** 1 for background regions, [count + 1]. */
  background: Uint8Array;
  /** The edge map used (working size). */
  edge: Float32Array;
  /** Ink mask and ink pixel count. */
  ink: Uint8Array;
  inkPixels: number;
  /** Milliseconds per step. */
  timings: Record<string, number>;
}

/** Merges nested option objects one level deep. */
export function regionOptions(opts: DeepPartial<RegionOptions> = {}): RegionOptions {
  const d = REGION_DEFAULTS;
  return {
    edge: { ...d.edge, ...opts.edge },
    merge: { ...d.merge, ...opts.merge },
    seedMargin: opts.seedMargin ?? d.seedMargin,
    watershedLevels: opts.watershedLevels ?? d.watershedLevels,
    connectivity: opts.connectivity ?? d.connectivity,
    small: { ...d.small, ...opts.small },
    lines: { ...d.lines, ...opts.lines },
    linesSmall: { ...d.linesSmall, ...opts.linesSmall },
    hybrid: { ...d.hybrid, ...opts.hybrid },
    background: { ...d.background, ...opts.background },
  };
}

/** Options objects with every nested field optional. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

class Clock {
  timings: Record<string, number> = {};
  #t = performance.now();
  lap(name: string) {
    const now = performance.now();
    this.timings[name] = (this.timings[name] ?? 0) + (now - this.#t);
    this.#t = now;
  }
}

/**
 * The paper's watershed regions before small-region merging: patch clusters -> seeds -> watershed on the
 * edge map. Exposed for benchmarks (the seeds and quantised edge are what a reference watershed gets).
 */
export function patchWatershed(
  input: SegmentInput,
  edge: Float32Array,
  o: RegionOptions,
  clock?: { lap(name: string): void },
): { labels: Int32Array; count: number; markers: Int32Array; levels: Uint16Array } {
  const { gray, layout, saa } = input;
  const W = gray.width, H = gray.height;
  const { cluster } = mergePatches(saa, layout, edge, o.merge);
  clock?.lap("merge");
  const clusterMap = new Int32Array(W * H);
  for (let i = 0; i < clusterMap.length; i++) clusterMap[i] = cluster[layout.patchOf[i]];
  const markers = seedsFromClusters(clusterMap, W, H, o.seedMargin * layout.side);
  clock?.lap("seeds");
  const levels = quantize(edge, o.watershedLevels);
  const ws = watershed(levels, markers, W, H, { connectivity: o.connectivity });
  const { labels, count } = relabelSequential(ws);
  clock?.lap("watershed");
  return { labels, count, markers, levels };
}

function checkInput(input: SegmentInput): void {
  const { gray, layout, saa } = input;
  if (layout.width !== gray.width || layout.height !== gray.height) {
    throw new RangeError(
      `segment: patch layout is for ${layout.width}x${layout.height} but the image is ${gray.width}x${gray.height}`,
    );
  }
  if (saa.length !== layout.n * layout.n) {
    throw new RangeError(`segment: ${saa.length} intra similarities for ${layout.n} patches`);
  }
}

/**
 * Regions of one working-size image.
 *
 * @example
 * ```ts
 * const seg = segment({ gray, layout, saa: block(S, n, "aa") }, "patches");
 * seg.labels; // Int32Array(w * h), 1..seg.count
 * ```
 */
export function segment(
  input: SegmentInput,
  mode: RegionMode,
  opts: DeepPartial<RegionOptions> | RegionOptions = {},
): Segmentation {
  checkInput(input);
  const o = regionOptions(opts as DeepPartial<RegionOptions>);
  const { gray } = input;
  const W = gray.width, H = gray.height;
  const clock = new Clock();
  const edge = edgeMap(gray, o.edge).data;
  clock.lap("edge");
  const lr: LineRegions = lineRegions(gray, o.lines);
  clock.lap("lines");
  const base = {
    width: W,
    height: H,
    edge,
    ink: lr.ink,
    inkPixels: lr.inkPixels,
    timings: clock.timings,
  };
  if (mode === "lines") {
    const m = mergeSmallRegions(lr.labels, W, H, edge, o.linesSmall);
    clock.lap("small");
    const background = borderRegions(m.labels, m.count, W, H, lr.ink, o.background);
    clock.lap("background");
    return { ...base, labels: m.labels, count: m.count, background };
  }
  const lineBg = borderRegions(lr.labels, lr.count, W, H, lr.ink, o.background);
  const outside = outsideMask(lr.labels, lineBg, lr.ink);
  clock.lap("background");
  const pw = patchWatershed(input, edge, o, clock);
  if (mode === "patches") {
    const m = mergeSmallRegions(pw.labels, W, H, edge, o.small);
    clock.lap("small");
    const background = backgroundFromOutside(m.labels, m.count, outside, lr.ink, o.background);
    clock.lap("background");
    return { ...base, labels: m.labels, count: m.count, background };
  }
  // hybrid
  const lines = mergeSmallRegions(lr.labels, W, H, edge, o.linesSmall);
  const patches = mergeSmallRegions(pw.labels, W, H, edge, o.small);
  clock.lap("small");
  const h = hybridRegions(input, lr.ink, lines, patches, o);
  clock.lap("hybrid");
  const m = mergeSmallRegions(h.labels, W, H, edge, o.linesSmall);
  clock.lap("small");
  const background = backgroundFromOutside(m.labels, m.count, outside, lr.ink, o.background);
  clock.lap("background");
  return { ...base, labels: m.labels, count: m.count, background };
}

/**
 * The hybrid regions: line regions cut by patch regions (pieces of at least `pieceMinPatches` patch areas
 * survive), then neighbours joined where the model's intra similarity (pixel-share eq. 5 on S_aa) is high both
 * ways and the border carries no stroke (at most `maxBorderInk` of its pixels are ink).
 */
export function hybridRegions(
  input: SegmentInput,
  ink: Uint8Array,
  lines: { labels: Int32Array; count: number },
  patches: { labels: Int32Array; count: number },
  o: RegionOptions,
): { labels: Int32Array; count: number } {
  const { gray, layout, saa } = input;
  const W = gray.width, H = gray.height, n = W * H;
  // 1. Intersection: connected pieces of equal (line region, patch region).
  const stride = patches.count + 1;
  const keys = new Int32Array(n);
  for (let i = 0; i < n; i++) keys[i] = lines.labels[i] * stride + patches.labels[i];
  const pieces = connectedComponents(keys, W, H);
  const pc = pieces.count;
  const size = labelSizes(pieces.labels, pc);
  const lineOf = new Int32Array(pc + 1);
  for (let i = 0; i < n; i++) lineOf[pieces.labels[i]] = lines.labels[i];
  // 2. Small pieces rejoin the piece of the same line region they touch most.
  const minPiece = o.hybrid.pieceMinPatches * layout.side * layout.side;
  const adj = regionAdjacency(pieces.labels, W, H, pc, null, 1);
  const uf = new UnionFind(pc + 1);
  const order = Array.from({ length: pc }, (_, k) => k + 1).sort((a, b) => size[a] - size[b] || a - b);
  for (const r of order) {
    if (size[r] >= minPiece) break;
    let best = -1, bestLen = 0;
    for (let t = adj.offsets[r]; t < adj.offsets[r + 1]; t++) {
      const k = adj.items[t];
      const other = adj.a[k] === r ? adj.b[k] : adj.a[k];
      if (lineOf[other] !== lineOf[r]) continue;
      if (adj.length[k] > bestLen) {
        bestLen = adj.length[k];
        best = other;
      }
    }
    if (best > 0) uf.union(r, best);
  }
  const joined = new Int32Array(n);
  for (let i = 0; i < n; i++) joined[i] = uf.find(pieces.labels[i]);
  const h = relabelSequential(joined);
  // 3. Learned grouping across stroke-free borders.
  const memb = membershipFromPixels(h.labels, h.count, layout);
  const s = regionSimilarity(saa, layout.n, memb, memb);
  const cols = h.count + 1;
  const inkF = new Float32Array(n);
  for (let i = 0; i < n; i++) inkF[i] = ink[i];
  const hAdj = regionAdjacency(h.labels, W, H, h.count, inkF, 1); // meanEdge = share of ink on the border
  const uf2 = new UnionFind(h.count + 1);
  for (let k = 0; k < hAdj.a.length; k++) {
    const i = hAdj.a[k], j = hAdj.b[k];
    if (hAdj.meanEdge[k] > o.hybrid.maxBorderInk) continue;
    const sij = s[i * cols + j], sji = s[j * cols + i];
    if (sij >= o.hybrid.threshold && sji >= o.hybrid.threshold) uf2.union(i, j);
  }
  const grouped = new Int32Array(n);
  for (let i = 0; i < n; i++) grouped[i] = uf2.find(h.labels[i]);
  return relabelSequential(grouped);
}
