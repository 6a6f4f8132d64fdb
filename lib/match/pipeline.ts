/**
 * From a pair of drawings and the model's patch similarities to region correspondences: scores from cosines,
 * each drawing's regions (`lib/regions/segment.ts`, mode `patches`, `lines` or `hybrid`), the patches of each
 * region, region similarity (eq. 5) both ways, threshold matching both ways, and the region maps brought back
 * to each drawing's own resolution.
 *
 * Post-processing runs on a working copy whose longer side is at most `maxWorkingSide` (strokes kept by the
 * min-pool reduction); the label maps returned are at each input's own size, ids 1..count, 0 only for pixels
 * in no region.
 *
 * @module
 */
import { gridSide } from "../image/letterbox.ts";
import { resizeLabelsNearest, resizeLinePreserving } from "../image/resize.ts";
import type { GrayImage, LabelMap } from "../image/types.ts";
import {
  block,
  type PairSimilarity,
  type PairTokens,
  type ScoreKind,
  scoreMatrix,
} from "../model/similarity.ts";
import { backgroundFromOutside, borderRegions, outsideMask } from "../regions/background.ts";
import { inkMask, lineRegions } from "../regions/lines.ts";
import { type PatchLayout, patchLayout } from "../regions/patch_layout.ts";
import {
  type DeepPartial,
  type RegionMode,
  type RegionOptions,
  regionOptions,
  segment,
  type Segmentation,
} from "../regions/segment.ts";
import { scratchUint8 } from "../util/scratch.ts";
import { upscaleLabels } from "../regions/upscale.ts";
import { type Membership, membershipFromPixels, membershipFromVote, patchVote } from "../regions/vote.ts";
import { UserError } from "../util/errors.ts";
import { MATCHING_DEFAULTS, type MatchingOptions, matchRegions, type RegionMatch } from "./matching.ts";
import { type ContextOptions, propagateMatches, regionGeometry } from "./context.ts";
import { regionSimilarity } from "./region_similarity.ts";
import { matchRegionSets, type RegionMatcherOptions } from "./region_matcher.ts";
import { type RegionSet, similarityFromTokens } from "./descriptors.ts";

/** Which matcher turns regions into correspondences. */
export type MatcherKind = "paper" | "region";

/** The matchers, for option parsing. */
export const MATCHER_KINDS: readonly MatcherKind[] = ["paper", "region"];

/** Options of {@link matchPair}. */
export interface MatchPairOptions {
  /**
   * `paper`: patch votes, eq. 5 region similarity, threshold matching both ways and context propagation (the
   * paper's pipeline); `region`: region descriptors pooled from the model's tokens, geometry and adjacency,
   * Sinkhorn with a dustbin and a coarse alignment (`region_matcher.ts`; needs `tokens`); `auto`: `region` when
   * `tokens` are given, else `paper`.
   */
  matcher: MatcherKind | "auto";
  /** Options of the region matcher (MATCHER_DEFAULTS). */
  regionMatcher: Partial<RegionMatcherOptions>;
  /** The model's tokens of the pair (`pairTokens`): what the region matcher pools. */
  tokens?: PairTokens;
  /** How regions are made; `auto`: `strokes` for the region matcher, `hybrid` for the paper's. */
  regions: RegionMode | "auto";
  /** Cosine to score transform; the thresholds below are on the sigmoid scale. */
  score: ScoreKind;
  /** Longer side of the working copy post-processing runs on. */
  maxWorkingSide: number;
  /** Re-flood boundaries at the original resolution when the working copy is smaller. */
  refine: boolean;
  /**
   * Region-making options (edge map, merging, watershed, small regions, lines, hybrid, background, and the
   * ablation switches `edgeAwareMerge` and `watershed`).
   */
  region: DeepPartial<RegionOptions>;
  /** Shorthand for `region.edgeAwareMerge` (wins over it when set): false merges patches on similarity alone. */
  edgeAwareMerge?: boolean;
  /** Shorthand for `region.watershed` (wins over it when set): false keeps the blocky merged patch clusters. */
  watershed?: boolean;
  /** Matching threshold and rule. */
  matching: MatchingOptions;
  /**
   * Which patches stand for a region in eq. 5: `majority` (the paper: the patches whose majority vote it won;
   * regions that win none get no similarity) or `pixels` (every patch it covers, weighted by its pixel share).
   * Measured on PBC with the oracle, `pixels` lets small regions that sit inside one pure patch outscore the
   * large region they belong to, and argmax then picks them: precision fell from 1.0 to 0.17, so `majority`.
   */
  weights: "majority" | "pixels";
  /**
   * Context propagation (`context.ts`) for regions the vote leaves without patches: `auto` = on for the `lines`
   * and `hybrid` modes (which keep such regions), off for `patches` (which merges them away).
   */
  context: "auto" | boolean;
  contextOptions: Partial<ContextOptions>;
  /** Whether background regions take part in matching. */
  matchBackground: boolean;
  /** Ready-made regions for either image (ids >= 1, at that image's own size), used instead of segmenting. */
  regionsA?: LabelMap;
  regionsB?: LabelMap;
}

/** Defaults. */
export const MATCH_DEFAULTS: MatchPairOptions = {
  // Measured on the validation splits (shipped model, 20 pairs each, frames i -> i+7): the region matcher
  // on stroke regions colours 79.5% / 36.6% of the true colour regions right (val-clean / val-hand) against 38.1% /
  // 11.7% for the paper's matcher on hybrid regions.
  matcher: "auto",
  regionMatcher: {},
  // auto = strokes under the region matcher (val: 79.5 / 36.6% colour-region accuracy, against 77.6 / 25.1% on
  // `lines` regions), hybrid under the paper's: line-enclosed regions grouped by the learned similarity. Measured
  // (deno task ablate, shipped model): against the paper's patch regions hybrid raises region recall on both line
  // styles and ARI on both; `lines` does a little better on clean art but falls apart where hand-drawn strokes
  // leave gaps. See the README's ablation table.
  regions: "auto",
  score: "sigmoid", // release: sigmoid(cosine); its thresholds (0.72, 0.6) are on this scale
  maxWorkingSide: 1024, // twice the model input: keeps 1-px strokes of 1920-px frames apart, 3.5x fewer pixels
  refine: true, // boundaries on the original strokes
  region: {},
  matching: MATCHING_DEFAULTS, // release: argmax partner if >= 0.6, both directions, union
  weights: "majority", // the paper's eq. 5 (see the option's note for the measurement)
  context: "auto",
  contextOptions: {}, // CONTEXT_DEFAULTS
  matchBackground: false, // background patches are ignored in training and evaluation: their scores mean little
};

/** Milliseconds per stage, summed over both images. */
export interface MatchTimings {
  scores: number;
  resize: number;
  /** Post-processing steps (edge, lines, background, merge, seeds, watershed, small, hybrid). */
  post: Record<string, number>;
  vote: number;
  similarity: number;
  matching: number;
  context: number;
  /** Region matcher stages (descriptors, geometry, neighbours, cosines, scores, sinkhorn, alignment, readout). */
  matcher: Record<string, number>;
  refine: number;
  total: number;
}

/** Result of {@link matchPair}. */
export interface MatchPairResult {
  /** Region maps at each input's own size, ids 1..count (0 = no region). */
  regionsA: LabelMap;
  regionsB: LabelMap;
  countA: number;
  countB: number;
  /** Background region ids of each image. */
  backgroundA: number[];
  backgroundB: number[];
  matches: RegionMatch[];
  /** Directional region similarities: simAB[i * (countB + 1) + j], simBA[j * (countA + 1) + i] (NaN = none). */
  simAB: Float32Array;
  simBA: Float32Array;
  /**
   * Region matcher only: for every target region, the reference region whose colour it takes (0: none), so
   * every target region is coloured, several from one reference region where occlusion split a part.
   */
  colourSource?: Int32Array;
  timings: MatchTimings;
  /** Things a user should know (blank drawings, very different sizes). */
  warnings: string[];
}

/** The region mode an `auto` setting stands for under a matcher. */
export function resolveRegionMode(regions: RegionMode | "auto", matcher: MatcherKind): RegionMode {
  return regions !== "auto" ? regions : matcher === "region" ? "strokes" : "hybrid";
}

/** Merges {@link MatchPairOptions} over the defaults. */
export function matchOptions(opts: Partial<MatchPairOptions> = {}): MatchPairOptions {
  return {
    ...MATCH_DEFAULTS,
    ...opts,
    matching: { ...MATCH_DEFAULTS.matching, ...opts.matching },
    region: { ...opts.region },
  };
}

function checkPair(lineA: GrayImage, lineB: GrayImage, sim: PairSimilarity, scores: boolean): void {
  const n = sim.n;
  if (sim.grid * sim.grid !== n) throw new UserError(`similarity grid ${sim.grid}^2 is not its ${n} patches`);
  if (scores && sim.cosine.length !== 4 * n * n) {
    throw new UserError(
      `similarity matrix holds ${sim.cosine.length} values, not (2*${n})^2 for ${n} patches per image`,
    );
  }
  for (const [name, img, box] of [["reference", lineA, sim.boxA], ["target", lineB, sim.boxB]] as const) {
    if (box.srcWidth !== img.width || box.srcHeight !== img.height) {
      throw new UserError(
        `${name} drawing is ${img.width}x${img.height} but the similarity was computed for ${box.srcWidth}x${box.srcHeight}`,
      );
    }
    if (gridSide(box, sim.patch) !== sim.grid) {
      throw new UserError(
        `${name} letterbox gives a ${gridSide(box, sim.patch)}-patch grid, the similarity ${sim.grid}`,
      );
    }
  }
}

function checkRegions(name: string, img: GrayImage, r: LabelMap | undefined): void {
  if (r && (r.width !== img.width || r.height !== img.height)) {
    throw new UserError(
      `${name} regions are ${r.width}x${r.height} but the drawing is ${img.width}x${img.height}`,
    );
  }
}

interface Side {
  work: GrayImage;
  layout: PatchLayout;
  labels: Int32Array;
  count: number;
  background: Uint8Array;
  given: boolean;
}

/** Largest label of a map. */
function maxLabel(d: Int32Array): number {
  let m = 0;
  for (let i = 0; i < d.length; i++) if (d[i] > m) m = d[i];
  return m;
}

/** Options of one {@link matchPair} call with `auto` resolved. */
type ResolvedMatchOptions = MatchPairOptions & { matcher: MatcherKind; regions: RegionMode };

/** What the stages of one {@link matchPair} call share: its options, scores, timings and warnings. */
interface PairRun {
  o: ResolvedMatchOptions;
  ro: RegionOptions;
  sim: PairSimilarity;
  /** Patch scores [2N, 2N], or null when nothing reads them. */
  S: Float32Array | null;
  timings: MatchTimings;
  warnings: string[];
  /** Start of the stage being timed. */
  t: number;
}

/** Milliseconds since the stage being timed began; starts the next one. */
function lap(run: PairRun): number {
  const now = performance.now(), d = now - run.t;
  run.t = now;
  return d;
}

function emptyTimings(): MatchTimings {
  return {
    scores: 0,
    resize: 0,
    post: {},
    vote: 0,
    similarity: 0,
    matching: 0,
    context: 0,
    matcher: {},
    refine: 0,
    total: 0,
  };
}

/**
 * Regions of both drawings and their correspondences.
 *
 * @example
 * ```ts
 * const sim = oracleSimilarity(frameA, frameB);            // or the model's output
 * const r = matchPair(frameA.line, frameB.line, sim, { regions: "hybrid" });
 * r.matches; // [{ ref_region, tgt_region, score, ... }]
 * ```
 */
export function matchPair(
  lineA: GrayImage,
  lineB: GrayImage,
  sim: PairSimilarity,
  opts: Partial<MatchPairOptions> = {},
): MatchPairResult {
  const o0 = matchOptions(opts);
  const matcher: MatcherKind = o0.matcher === "auto" ? (o0.tokens ? "region" : "paper") : o0.matcher;
  const o = { ...o0, matcher, regions: resolveRegionMode(o0.regions, matcher) };
  const ro = regionOptions({
    ...o.region,
    edgeAwareMerge: o.edgeAwareMerge ?? o.region.edgeAwareMerge,
    watershed: o.watershed ?? o.region.watershed,
  });
  // Patch scores feed the paper's matcher and the patches / hybrid regions; the region matcher on stroke or line
  // regions reads none (and a similarity made by similarityFromTokens then never computes them).
  const needsScores = o.matcher === "paper" || o.regions === "patches" || o.regions === "hybrid";
  checkPair(lineA, lineB, sim, needsScores);
  checkRegions("reference", lineA, o.regionsA);
  checkRegions("target", lineB, o.regionsB);
  const t0 = performance.now();
  const run: PairRun = { o, ro, sim, S: null, timings: emptyTimings(), warnings: [], t: performance.now() };
  run.S = needsScores ? scoreMatrix(sim.cosine, 2 * sim.n, o.score) : null; // [2N, 2N]
  run.timings.scores = lap(run);
  warnSizes(run, lineA, lineB);

  // Regions of each drawing, then the matcher, then the region maps at the inputs' own sizes.
  const a = segmentSide(run, "reference", lineA, "aa", o.regionsA);
  const b = segmentSide(run, "target", lineB, "bb", o.regionsB);
  run.t = performance.now();
  const m = o.matcher === "region" ? regionMatcherStage(run, a, b) : paperMatcherStage(run, a, b);
  const regionsA = fullRegions(run, a, lineA, o.regionsA), regionsB = fullRegions(run, b, lineB, o.regionsB);
  run.timings.refine = lap(run);
  run.timings.total = performance.now() - t0;
  const ids = (bg: Uint8Array) => [...bg.keys()].filter((r) => bg[r] === 1);
  return {
    regionsA,
    regionsB,
    countA: a.count,
    countB: b.count,
    backgroundA: ids(a.background),
    backgroundB: ids(b.background),
    ...m,
    timings: run.timings,
    warnings: run.warnings,
  };
}

/** Warns when the two drawings differ in size by more than 4x (both are fitted to one model input). */
function warnSizes(run: PairRun, lineA: GrayImage, lineB: GrayImage): void {
  const sideRatio = Math.max(lineA.width, lineA.height) / Math.max(lineB.width, lineB.height);
  if (sideRatio > 4 || sideRatio < 0.25) {
    run.warnings.push(
      `the drawings differ in size by ${
        Math.max(sideRatio, 1 / sideRatio).toFixed(1)
      }x (${lineA.width}x${lineA.height} vs ${lineB.width}x${lineB.height}); both are fitted to the same model input, so detail of the larger one is lost`,
    );
  }
}

/**
 * One drawing's regions on its working copy (longer side at most `maxWorkingSide`): the given regions resized
 * (with their background found from the strokes), one region for a blank drawing, or `segment`'s.
 */
function segmentSide(
  run: PairRun,
  name: string,
  line: GrayImage,
  which: "aa" | "bb",
  given?: LabelMap,
): Side {
  const { o, ro, sim, S, timings, warnings } = run;
  const n = sim.n;
  const box = which === "aa" ? sim.boxA : sim.boxB;
  const f = Math.min(1, o.maxWorkingSide / Math.max(line.width, line.height));
  const w = Math.max(1, Math.round(line.width * f)), h = Math.max(1, Math.round(line.height * f));
  run.t = performance.now();
  const work = f < 1 ? resizeLinePreserving(line, w, h) : line;
  const layout = patchLayout(box, sim.patch, w, h);
  timings.resize += lap(run);
  const inkPixels = inkMask(work, ro.lines.inkThreshold, scratchUint8("pipeline.ink", w * h)).count;
  if (inkPixels === 0) {
    warnings.push(
      `the ${name} drawing has no strokes (blank): it is one background region and nothing matches it`,
    );
  }
  if (given) {
    const lr = lineRegions(work, ro.lines);
    const small = f < 1 ? resizeLabelsNearest(given, w, h).data : given.data;
    const count = maxLabel(given.data);
    const lineBg = borderRegions(lr.labels, lr.count, w, h, lr.ink, ro.background);
    const background = backgroundFromOutside(
      small,
      count,
      outsideMask(lr.labels, lineBg, lr.ink),
      lr.ink,
      ro.background,
    );
    timings.post.background = (timings.post.background ?? 0) + lap(run);
    return { work, layout, labels: small, count, background, given: true };
  }
  if (inkPixels === 0) {
    const background = Uint8Array.of(0, 1);
    lap(run);
    return { work, layout, labels: new Int32Array(w * h).fill(1), count: 1, background, given: false };
  }
  lap(run);
  const saa = S ? block(S, n, which) : new Float32Array(n * n); // unread by the strokes and lines modes
  const seg: Segmentation = segment({ gray: work, layout, saa }, o.regions, ro);
  for (const [k, v] of Object.entries(seg.timings)) timings.post[k] = (timings.post[k] ?? 0) + v;
  run.t = performance.now();
  return { work, layout, labels: seg.labels, count: seg.count, background: seg.background, given: false };
}

/** A side's regions at its drawing's own size (refined along the strokes when the working copy was smaller). */
function fullRegions(run: PairRun, s: Side, line: GrayImage, given?: LabelMap): LabelMap {
  if (given) return { width: given.width, height: given.height, data: given.data.slice() };
  if (s.work === line) return { width: line.width, height: line.height, data: s.labels };
  return {
    width: line.width,
    height: line.height,
    data: upscaleLabels(s.labels, s.work.width, s.work.height, line, {
      refine: run.o.refine,
      edge: run.ro.edge,
    }),
  };
}

/** What a matcher stage gives {@link matchPair}'s result. */
type MatcherOutput = Pick<MatchPairResult, "matches" | "simAB" | "simBA" | "colourSource">;

/** The region matcher: descriptors pooled from the model's tokens, Sinkhorn, alignment (`region_matcher.ts`). */
function regionMatcherStage(run: PairRun, a: Side, b: Side): MatcherOutput {
  const { o, timings } = run;
  if (!o.tokens) throw new UserError("the region matcher needs the model's tokens (pairTokens)");
  const set = (s: Side) => ({
    width: s.work.width,
    height: s.work.height,
    labels: s.labels,
    count: s.count,
    background: s.background,
  });
  const rm = matchRegionSets(set(a), set(b), o.tokens, o.regionMatcher);
  timings.matcher = rm.timings;
  timings.matching = lap(run);
  return { matches: rm.matches, simAB: rm.simAB, simBA: rm.simBA, colourSource: rm.colourSource };
}

/**
 * Both drawings' regions exactly as {@link matchPair} makes them for the region matcher (working copies, ids,
 * background flags), without matching: what the region head is trained on (`lib/train/region_head.ts`).
 *
 * @example
 * ```ts
 * const { a, b } = pairRegionSets(lineA, lineB, tokens);
 * const r = matchRegionSets(a, b, tokens);
 * ```
 */
export function pairRegionSets(
  lineA: GrayImage,
  lineB: GrayImage,
  tokens: PairTokens,
  opts: Partial<MatchPairOptions> = {},
): { a: RegionSet; b: RegionSet } {
  const o0 = matchOptions({ ...opts, tokens });
  const o = { ...o0, matcher: "region" as const, regions: resolveRegionMode(o0.regions, "region") };
  const ro = regionOptions({ ...o.region });
  const sim = similarityFromTokens(tokens);
  const needsScores = o.regions === "patches" || o.regions === "hybrid";
  checkPair(lineA, lineB, sim, needsScores);
  const run: PairRun = { o, ro, sim, S: null, timings: emptyTimings(), warnings: [], t: performance.now() };
  run.S = needsScores ? scoreMatrix(sim.cosine, 2 * sim.n, o.score) : null;
  const set = (s: Side): RegionSet => ({
    width: s.work.width,
    height: s.work.height,
    labels: s.labels,
    count: s.count,
    background: s.background,
  });
  return {
    a: set(segmentSide(run, "reference", lineA, "aa")),
    b: set(segmentSide(run, "target", lineB, "bb")),
  };
}

/** The paper's matcher: patch votes, eq. 5 region similarity both ways, threshold matching, context propagation. */
function paperMatcherStage(run: PairRun, a: Side, b: Side): MatcherOutput {
  const { o, S, sim, timings } = run;
  const n = sim.n;
  const useMajority = o.weights === "majority";
  const memb = (s: Side): Membership =>
    useMajority
      ? membershipFromVote(patchVote(s.labels, s.count, s.layout), s.count)
      : membershipFromPixels(s.labels, s.count, s.layout);
  const mA = memb(a), mB = memb(b);
  timings.vote = lap(run);
  const simAB = regionSimilarity(block(S!, n, "ab"), n, mA, mB);
  const simBA = regionSimilarity(block(S!, n, "ba"), n, mB, mA);
  timings.similarity = lap(run);
  const skipA = o.matchBackground ? undefined : a.background,
    skipB = o.matchBackground ? undefined : b.background;
  let matches = matchRegions(simAB, simBA, a.count, b.count, { ...o.matching, skipA, skipB });
  timings.matching = lap(run);
  if (o.context === true || (o.context === "auto" && o.regions !== "patches")) {
    const ga = regionGeometry(a.labels, a.work.width, a.work.height, a.count);
    const gb = regionGeometry(b.labels, b.work.width, b.work.height, b.count);
    const extra = propagateMatches(matches, ga, gb, {
      ...o.contextOptions,
      skipA,
      skipB,
      simAB,
      simBA,
      threshold: o.matching.threshold,
    });
    matches = [...matches, ...extra].sort((x, y) =>
      x.ref_region - y.ref_region || x.tgt_region - y.tgt_region
    );
  }
  timings.context = lap(run);
  return { matches, simAB, simBA };
}
