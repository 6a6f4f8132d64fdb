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
 * - `strokes`: regions from the strokes alone (`strokes.ts`): exactly the flood fill where outlines are closed,
 *   trapped-ball gap closing where strokes end, every enclosed pocket kept. Uses no model output; it runs at any
 *   resolution (call `strokeRegions` on the drawing's own pixels to skip the working copy).
 *
 * All run on a working-size image and return labels 1..count for every pixel, with background flags. The
 * edge map is computed once per image and shared by every step; intermediate maps live in scratch buffers
 * (`scratch.ts`), so a call allocates little beyond the labels it returns.
 *
 * Two switches serve the ablations: `edgeAwareMerge: false` merges patches on similarity alone, `watershed:
 * false` keeps the merged patch clusters as blocky regions (no watershed refinement).
 *
 * @module
 */
import { edgeMap, type EdgeOptions } from "../image/edge.ts";
import type { GrayImage } from "../image/types.ts";
import { regionSimilarity } from "./region_similarity.ts";
import { adjacencyOf, borderPairs, PairTable } from "./adjacency.ts";
import {
  BACKGROUND_DEFAULTS,
  backgroundFromLines,
  type BackgroundOptions,
  borderRegions,
} from "./background.ts";
import { LINE_REGION_DEFAULTS, type LineRegionOptions, type LineRegions, lineRegions } from "./lines.ts";
import { mergePatches, PATCH_MERGE_DEFAULTS, type PatchMergeOptions } from "./patch_merge.ts";
import type { PatchLayout } from "./patch_layout.ts";
import { connectedComponents, relabelMapped } from "./relabel.ts";
import { seedsFromPatchClusters } from "./seeds.ts";
import {
  mergeSmallRegions,
  mergeSmallSequential,
  SMALL_MERGE_DEFAULTS,
  type SmallMergeOptions,
} from "./small_merge.ts";
import { scratchFloat32, scratchInt32, scratchUint8 } from "./scratch.ts";
import { STROKE_DEFAULTS, type StrokeOptions, strokeRegions } from "./strokes.ts";
import { UnionFind } from "./union_find.ts";
import { membershipFromPixels } from "./vote.ts";
import { watershed } from "./watershed.ts";

/** How regions are made. */
export type RegionMode = "patches" | "lines" | "hybrid" | "strokes";

/** The region modes, for option parsing. */
export const REGION_MODES: readonly RegionMode[] = ["patches", "lines", "hybrid", "strokes"];

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
  /** Regions from the strokes (`strokes` mode); its `background` field is this object's `background`. */
  strokes: Omit<StrokeOptions, "background">;
  /**
   * Patch merging asks the edge map too (the paper: no merge across a border whose mean edge is high). False
   * merges neighbouring patches on the similarity condition alone (an ablation).
   */
  edgeAwareMerge: boolean;
  /**
   * Watershed refinement of the merged patch clusters (the paper). False gives every pixel its patch's merged
   * cluster (blocky regions along the patch grid), then the later steps as usual (an ablation).
   */
  watershed: boolean;
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
  strokes: STROKE_DEFAULTS, // measured on data/val-*: see strokes.ts
  edgeAwareMerge: true, // the paper's edge-aware merging
  watershed: true, // the paper's watershed refinement
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
  /**
   * The edge map used (working size): borrowed, valid until the next `segment` call (copy it to keep it).
   * Empty in the `strokes` mode, which makes none.
   */
  edge: Float32Array;
  /** Ink mask (borrowed like `edge`) and ink pixel count. */
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
    strokes: { ...d.strokes, ...opts.strokes },
    edgeAwareMerge: opts.edgeAwareMerge ?? d.edgeAwareMerge,
    watershed: opts.watershed ?? d.watershed,
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
 * edge map (or, with `watershed: false`, the clusters themselves). Labels are ids 1..count in cluster order
 * (not raster order). Exposed for benchmarks: `markers` and `quantize(edge, o.watershedLevels)` are what a
 * reference watershed gets. Both arrays are scratch, valid until the next call: copy what must outlive it.
 */
export function patchWatershed(
  input: SegmentInput,
  edge: Float32Array,
  o: RegionOptions,
  clock?: { lap(name: string): void },
): { labels: Int32Array; count: number; markers: Int32Array } {
  const { gray, layout, saa } = input;
  const W = gray.width, H = gray.height, n = W * H;
  const { cluster, count: clusters } = mergePatches(saa, layout, o.edgeAwareMerge ? edge : null, o.merge);
  clock?.lap("merge");
  const patchOf = layout.patchOf;
  if (!o.watershed) {
    // Blocky regions: cluster ids + 1 (patches hold pixels, so every pixel has a cluster).
    const ws = scratchInt32("segment.ws", n);
    for (let i = 0; i < n; i++) ws[i] = cluster[patchOf[i]] + 1;
    clock?.lap("seeds");
    return { labels: ws, count: clusters, markers: ws };
  }
  const margin = o.seedMargin * layout.side;
  const markers = seedsFromPatchClusters(
    layout,
    cluster,
    clusters,
    margin,
    scratchInt32("segment.markers", n),
  );
  clock?.lap("seeds");
  // The edge map is quantised on the fly (as `quantize` would). Every cluster keeps a seed, so the flooded
  // ids are exactly 1..clusters (in cluster order, which the small-region merging renumbers by raster order).
  const labels = watershed(edge, markers, W, H, {
    connectivity: o.connectivity,
    quantize: o.watershedLevels,
    out: scratchInt32("segment.ws", n),
  });
  clock?.lap("watershed");
  return { labels, count: clusters, markers };
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
  const n = W * H;
  if (mode === "strokes") {
    const r = strokeRegions(gray, { ...o.strokes, background: o.background });
    for (const [k, v] of Object.entries(r.timings)) clock.timings[k] = v;
    return {
      width: W,
      height: H,
      labels: r.labels,
      count: r.count,
      background: r.background,
      edge: new Float32Array(0), // no edge map is made in this mode
      ink: r.ink,
      inkPixels: r.inkPixels,
      timings: clock.timings,
    };
  }
  // Intermediate maps live in scratch arrays; only the labels returned are allocated.
  const edge = edgeMap(gray, o.edge, scratchFloat32("segment.edge", n)).data;
  clock.lap("edge");
  const lr: LineRegions = lineRegions(
    gray,
    o.lines,
    scratchInt32("segment.lines", n),
    scratchUint8("segment.ink", n),
  );
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

  clock.lap("background");
  const pw = patchWatershed(input, edge, o, clock);
  if (mode === "patches") {
    const m = mergeSmallRegions(pw.labels, W, H, edge, o.small);
    clock.lap("small");
    const background = backgroundFromLines(m.labels, m.count, lr.labels, lineBg, lr.ink, o.background);
    clock.lap("background");
    return { ...base, labels: m.labels, count: m.count, background };
  }
  // hybrid
  const lines = mergeSmallRegions(
    lr.labels,
    W,
    H,
    edge,
    o.linesSmall,
    scratchInt32("segment.linesMerged", n),
  );
  const patches = mergeSmallRegions(pw.labels, W, H, edge, o.small, scratchInt32("segment.patchesMerged", n));
  clock.lap("small");
  const h = hybridRegions(input, lr.ink, lines, patches, o, new Int32Array(n));
  clock.lap("hybrid");
  // Already numbered in raster order, with sizes: merged in place.
  const m = mergeSmallSequential(h.labels, h.count, h.sizes, W, H, edge, o.linesSmall);
  clock.lap("small");
  const background = backgroundFromLines(m.labels, m.count, lr.labels, lineBg, lr.ink, o.background);
  clock.lap("background");
  return { ...base, labels: m.labels, count: m.count, background };
}

/**
 * The hybrid regions: line regions cut by patch regions (pieces of at least `pieceMinPatches` patch areas
 * survive), then neighbours joined where the model's intra similarity (pixel-share eq. 5 on S_aa) is high both
 * ways and the border carries no stroke (at most `maxBorderInk` of its pixels are ink). Labels go into `out`
 * when given.
 */
export function hybridRegions(
  input: SegmentInput,
  ink: Uint8Array,
  lines: { labels: Int32Array; count: number },
  patches: { labels: Int32Array; count: number },
  o: RegionOptions,
  out?: Int32Array,
): { labels: Int32Array; count: number; sizes: Int32Array } {
  const { gray, layout, saa } = input;
  const W = gray.width, H = gray.height, n = W * H;
  // 1. Intersection: connected pieces of equal (line region, patch region).
  const stride = patches.count + 1;
  const keys = scratchInt32("hybrid.keys", n);
  for (let i = 0; i < n; i++) keys[i] = lines.labels[i] * stride + patches.labels[i];
  const pieces = connectedComponents(keys, W, H, scratchInt32("hybrid.pieces", n));
  const pc = pieces.count;
  const size = new Int32Array(pc + 1), lineOf = new Int32Array(pc + 1);
  for (let i = 0; i < n; i++) {
    const r = pieces.labels[i];
    size[r]++;
    lineOf[r] = lines.labels[i];
  }
  // 2. Small pieces rejoin the piece of the same line region they touch most.
  const minPiece = o.hybrid.pieceMinPatches * layout.side * layout.side;
  // The pieces' borders, with the ink on them: step 3 needs the borders of the joined regions, which are the
  // pieces' borders contracted (ink sums are multiples of 1/2, so they add up exactly in any order).
  const piecePairs = borderPairs(pieces.labels, W, H, ink, 1);
  const adj = adjacencyOf(piecePairs, pc);
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
  const rootOf = new Int32Array(pc + 1);
  for (let r = 0; r <= pc; r++) rootOf[r] = uf.find(r);
  // The joined regions, numbered by first pixel: pieces are numbered by first pixel, so a region's id is its
  // smallest piece's rank among the regions' smallest pieces. Kept as a piece -> region map (no pixel pass).
  const idOfPiece = new Int32Array(pc + 1), idOfRoot = new Int32Array(pc + 1);
  let hCount = 0;
  for (let k = 1; k <= pc; k++) {
    const root = rootOf[k];
    if (idOfRoot[root] === 0) idOfRoot[root] = ++hCount;
    idOfPiece[k] = idOfRoot[root];
  }
  // 3. Learned grouping across stroke-free borders.
  const memb = membershipFromPixels(pieces.labels, hCount, layout, idOfPiece);
  const s = regionSimilarity(saa, layout.n, memb, memb);
  const cols = hCount + 1;
  const hPairs = new PairTable(piecePairs.size);
  for (let k = 0; k < piecePairs.size; k++) {
    const u = idOfPiece[piecePairs.a[k]], v = idOfPiece[piecePairs.b[k]];
    if (u !== v) hPairs.add(u, v, piecePairs.length[k], piecePairs.edgeSum[k]);
  }
  const hAdj = adjacencyOf(hPairs, hCount); // meanEdge = share of ink on the border
  const uf2 = new UnionFind(hCount + 1);
  for (let k = 0; k < hAdj.a.length; k++) {
    const i = hAdj.a[k], j = hAdj.b[k];
    if (hAdj.meanEdge[k] > o.hybrid.maxBorderInk) continue;
    const sij = s[i * cols + j], sji = s[j * cols + i];
    if (sij >= o.hybrid.threshold && sji >= o.hybrid.threshold) uf2.union(i, j);
  }
  // Each piece's final group (union-find root of its region), renumbered by first pixel in one pass.
  const groupOfPiece = new Int32Array(pc + 1);
  for (let k = 1; k <= pc; k++) groupOfPiece[k] = uf2.find(idOfPiece[k]);
  return relabelMapped(pieces.labels, groupOfPiece, out);
}
