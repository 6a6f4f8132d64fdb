/**
 * Colourisation measured as PaintBucket measures it: the target drawing filled from the coloured reference
 * frame by each method, scored against the generator's true colour frame of the target with pixel accuracy
 * (non-stroke pixels) and region accuracy (true colour regions), as {@link colorizationScores} computes them.
 *
 * The methods, in this order ({@link COLORIZE_METHODS}):
 * - `ours (region matcher)`: the toolkit's default (match, colorize, demo): the model's tokens (`pairTokens`)
 *   pooled per stroke region and matched by the region matcher (lib/match/region_matcher.ts), every target region
 *   coloured from its colour source; only when a model with `pairTokens` is given;
 * - `ours (patches)`, `ours (hybrid)`: the model's similarities through `colorizePair` (lib/match) in the
 *   paper's `patches` region mode and in `hybrid` mode (other modes with `paperRegions`: `ours (<mode>)`); only
 *   when a model is given;
 * - `oracle (patches)`: ground-truth patch similarities (`oracleSimilarity`, at the model's grid, or 256 px /
 *   16-px patches without one) through the same `colorizePair`; only when the frames' labels are given;
 * - `flood fill`: the no-learning baseline (regions between strokes matched by position and shape), each
 *   matched target region painted with its reference region's dominant colour; always;
 * - `copy in place` (baseline, with `baselines`): each target region between strokes takes the most frequent
 *   colour of the reference's non-stroke pixels at the same positions (no matching at all: what a method must
 *   beat to show it matched anything);
 * - `all white` (baseline, with `baselines`): nothing painted; it scores the background share in
 *   `pixel_accuracy` and exactly 0 in `pixel_accuracy_fg`.
 *
 * Scores ({@link ColorizationScore}): pixel and region accuracy over the target's foreground (`*_fg`, the
 * headline: BasicPBC's `pix_acc_wobg`, and region accuracy without the background regions), and the same over
 * every non-stroke pixel / region including the background (`*_with_bg`, BasicPBC's `pix_acc` and `acc`).
 *
 * {@link colorizeMethods} runs them on one pair (what notebook 04 shows), {@link evaluateColorization} over a
 * PBC-layout dataset's pairs (what `deno task bench:colorize` prints).
 *
 * @module
 */
import type { PairRef } from "../data/pairs.ts";
import { framePaths, loadFrame } from "../data/pbc.ts";
import { readRgb } from "../image/io.ts";
import type { GrayImage, LabelMap, RgbImage } from "../image/types.ts";
import type { PairSimilarity, PairTokens } from "../model/similarity.ts";
import { floodFillBaseline } from "../match/baseline_floodfill.ts";
import { connectedComponents } from "../util/relabel.ts";
import { colorize, dominantColors } from "../match/colorize.ts";
import { colorizationScores, colorizePair, type ColorizePairResult } from "../match/colorize_pair.ts";
import { type GroundTruthFrame, oracleSimilarity } from "../match/oracle.ts";
import type { MatchPairOptions } from "../match/pipeline.ts";
import type { RegionMode } from "../regions/segment.ts";
import { UserError } from "../util/errors.ts";
import { exists } from "../util/fs.ts";
import { similarityFromTokens } from "../match/descriptors.ts";
import type { RegionHead } from "../match/region_head.ts";
import { hasPairTokens, type SimilarityModel } from "./predictors.ts";

/** Every method's name, in the order {@link colorizeMethods} returns them (those that run). */
export const COLORIZE_METHODS = [
  "ours (region matcher)",
  "ours (patches)",
  "ours (hybrid)",
  "oracle (patches)",
  "flood fill",
  "copy in place",
  "all white",
] as const;

/** A method's name (`ours (<mode>)` for a paper's-matcher row in another region mode, see `paperRegions`). */
export type ColorizeMethodName = typeof COLORIZE_METHODS[number] | `ours (${RegionMode})`;

/** One method's answer for a pair: its regions and matches, and the target coloured from the reference. */
export interface ColorizedMethod {
  name: ColorizeMethodName;
  /** Region maps of the reference and the target, ids 1..count. */
  regionsA: LabelMap;
  regionsB: LabelMap;
  matches: { ref_region: number; tgt_region: number; score: number }[];
  /** Background region ids of each (empty for flood fill). */
  backgroundA: number[];
  backgroundB: number[];
  /** The target painted, strokes kept. */
  painted: RgbImage;
  /** The fills alone (no strokes): what the scores are computed on. */
  fills: RgbImage;
  /**
   * Seconds the method took on this pair: similarity (the model's forward, shared by the `ours (patches)` and
   * `ours (hybrid)` rows and counted in each; the region matcher's own forward; the oracle's), regions, matching
   * and painting.
   */
  seconds: number;
}

/** Options of {@link colorizeMethods}. */
export interface ColorizeMethodsOptions {
  /** The model: runs `ours (patches)` and `ours (hybrid)`, and `ours (region matcher)` when it has `pairTokens`. */
  model?: SimilarityModel | null;
  /** Ground truth of both frames: runs `oracle (patches)`. */
  truth?: { a: GroundTruthFrame; b: GroundTruthFrame } | null;
  /** The oracle's grid (model input side and patch side); default: the model's, else 256 px and 16 px. */
  grid?: { size: number; patch: number };
  /** Also the `copy in place` and `all white` baselines (default false: pictures show the methods only). */
  baselines?: boolean;
  /** Only these methods (default: every one that can run); the others are not run at all. */
  methods?: readonly ColorizeMethodName[];
  /** The region matcher's learned head for `ours (region matcher)` (null or absent: hand-set scores). */
  regionHead?: RegionHead | null;
  /**
   * Region modes of the paper's-matcher rows `ours (<mode>)`, in this order (default `["patches", "hybrid"]`,
   * the rows of {@link COLORIZE_METHODS}).
   */
  paperRegions?: readonly RegionMode[];
  /**
   * Matching settings of the paper's-matcher rows and the oracle's (thresholds; `regions` is each row's own).
   * Default: the release's (`MATCH_DEFAULTS`).
   */
  paperMatch?: Partial<MatchPairOptions>;
  /**
   * One model forward for every `ours` row: the paper's-matcher rows read the similarity of the region
   * matcher's tokens (each row's seconds count that forward) instead of running `model.similarity` on their own.
   * Default false (each row as it runs alone). Only with a model that has `pairTokens`.
   */
  sharedForward?: boolean;
}

/** Grey below this is stroke for the baselines (as line-enclosed regions and the scores). */
const BASELINE_INK = 160;

/**
 * The target's regions between strokes (connected non-stroke areas, ids 1..count; stroke pixels 0).
 *
 * @example
 * ```ts
 * const { labels, count } = strokeRegions(tgtLine);
 * ```
 */
export function strokeRegions(
  line: GrayImage,
  inkThreshold = BASELINE_INK,
): { labels: LabelMap; count: number } {
  const n = line.width * line.height, keys = new Int32Array(n);
  for (let i = 0; i < n; i++) keys[i] = line.data[i] < inkThreshold ? -1 : 0;
  const cc = connectedComponents(keys, line.width, line.height);
  return { labels: { width: line.width, height: line.height, data: cc.labels }, count: cc.count };
}

/**
 * The copy-in-place baseline: each region between the target's strokes painted with the most frequent colour
 * of the reference frame over the same pixels where the reference has no stroke (white when it has none); stroke
 * pixels white. No correspondence at all, so it measures how much the frames overlap.
 *
 * @example
 * ```ts
 * const fills = copyInPlace(refColor, refLine, tgtLine);
 * ```
 */
export function copyInPlace(refColor: RgbImage, refLine: GrayImage, tgtLine: GrayImage): RgbImage {
  const W = tgtLine.width, H = tgtLine.height, n = W * H;
  if (refColor.width !== W || refColor.height !== H || refLine.width !== W || refLine.height !== H) {
    throw new RangeError(
      `copyInPlace: reference ${refColor.width}x${refColor.height} (line ${refLine.width}x${refLine.height}) vs target ${W}x${H}`,
    );
  }
  const { labels, count } = strokeRegions(tgtLine);
  const tally = new Map<number, number>();
  const d = refColor.data;
  for (let i = 0; i < n; i++) {
    const r = labels.data[i];
    if (r <= 0 || refLine.data[i] < BASELINE_INK) continue;
    const key = r * 16777216 + ((d[3 * i] << 16) | (d[3 * i + 1] << 8) | d[3 * i + 2]);
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  const best = new Int32Array(count + 1).fill(0xffffff), bestN = new Int32Array(count + 1);
  for (const [key, c] of tally) {
    const r = Math.floor(key / 16777216), rgb = key - r * 16777216;
    if (c > bestN[r] || (c === bestN[r] && rgb < best[r])) {
      bestN[r] = c;
      best[r] = rgb;
    }
  }
  const out = new Uint8Array(3 * n).fill(255);
  for (let i = 0; i < n; i++) {
    const r = labels.data[i];
    if (r <= 0) continue;
    const c = best[r];
    out[3 * i] = c >> 16, out[3 * i + 1] = (c >> 8) & 255, out[3 * i + 2] = c & 255;
  }
  return { width: W, height: H, data: out };
}

/** The oracle's grid: `grid`, else the model's input and patch sides, else 256 px / 16 px. */
export function oracleGrid(opts: ColorizeMethodsOptions): { size: number; patch: number } {
  return opts.grid ?? { size: opts.model?.config.inputSize ?? 256, patch: opts.model?.config.patch ?? 16 };
}

/**
 * Every method on a pair: the target `lineB` coloured from the reference colour frame `refColor` (whose line
 * art is `lineA`). `ours` rows when a model is given, the oracle when the frames' labels are, flood fill always;
 * in {@link COLORIZE_METHODS} order.
 *
 * @example
 * ```ts
 * const methods = await colorizeMethods(refColor, a.line, b.line, { model, truth: { a, b } });
 * for (const m of methods) console.log(m.name, colorizationScores(m.fills, tgtColor, b.line).pixel.accuracy);
 * ```
 */
export async function colorizeMethods(
  refColor: RgbImage,
  lineA: GrayImage,
  lineB: GrayImage,
  opts: ColorizeMethodsOptions = {},
): Promise<ColorizedMethod[]> {
  const out: ColorizedMethod[] = [];
  const viaPipeline = (
    name: ColorizeMethodName,
    c: ColorizePairResult,
    seconds: number,
  ): ColorizedMethod => ({
    name,
    regionsA: c.match.regionsA,
    regionsB: c.match.regionsB,
    matches: c.match.matches,
    backgroundA: c.match.backgroundA,
    backgroundB: c.match.backgroundB,
    painted: c.painted,
    fills: c.fills,
    seconds,
  });
  const timed = <T>(f: () => T): [T, number] => {
    const t0 = performance.now();
    const r = f();
    return [r, (performance.now() - t0) / 1000];
  };
  const want = (name: ColorizeMethodName) => !opts.methods || opts.methods.includes(name);
  const paperRows = (opts.paperRegions ?? ["patches", "hybrid"])
    .map((regions) => [`ours (${regions})` as const, regions] as const)
    .filter(([n]) => want(n));
  const tokenModel = opts.model && hasPairTokens(opts.model) ? opts.model : null;
  // The tokens' forward (timed): for the region matcher, and for the paper's rows with `sharedForward`.
  let tokens: { tokens: PairTokens; sim: PairSimilarity; forward: number } | null = null;
  if (tokenModel && (want("ours (region matcher)") || (opts.sharedForward && paperRows.length))) {
    const t0 = performance.now();
    const t = await tokenModel.pairTokens(lineA, lineB);
    tokens = { tokens: t, sim: similarityFromTokens(t), forward: (performance.now() - t0) / 1000 };
  }
  if (tokens && want("ours (region matcher)")) {
    // The toolkit's default (match, colorize, demo): the region matcher on stroke regions, from one forward that
    // gives the tokens (its own forward, counted in its time).
    const t = tokens;
    const [c, s] = timed(() =>
      colorizePair(refColor, lineA, lineB, t.sim, {
        match: {
          matcher: "region",
          regions: "auto",
          tokens: t.tokens,
          regionMatcher: { head: opts.regionHead ?? null },
        },
      })
    );
    out.push(viaPipeline("ours (region matcher)", c, t.forward + s));
  }
  if (opts.model && paperRows.length) {
    let sim: PairSimilarity, forward: number;
    if (opts.sharedForward && tokens) ({ sim, forward } = tokens);
    else {
      const t0 = performance.now();
      sim = await opts.model.similarity(lineA, lineB);
      forward = (performance.now() - t0) / 1000;
    }
    for (const [name, regions] of paperRows) {
      const [c, s] = timed(() =>
        colorizePair(refColor, lineA, lineB, sim, { match: { ...opts.paperMatch, regions } })
      );
      out.push(viaPipeline(name, c, forward + s));
    }
  }
  if (opts.truth && want("oracle (patches)")) {
    const { a, b } = opts.truth;
    const [c, s] = timed(() =>
      colorizePair(refColor, lineA, lineB, oracleSimilarity(a, b, oracleGrid(opts)), {
        match: { ...opts.paperMatch, regions: "patches" },
      })
    );
    out.push(viaPipeline("oracle (patches)", c, s));
  }
  const [ff, s] = timed(() => {
    const ff = floodFillBaseline(lineA, lineB);
    const refColors = dominantColors(refColor, ff.regionsA, { line: lineA });
    const paint = (keepLines: boolean) => colorize(lineB, ff.regionsB, refColors, ff.matches, { keepLines });
    return { ...ff, painted: paint(true), fills: paint(false) };
  });
  out.push({
    name: "flood fill",
    regionsA: ff.regionsA,
    regionsB: ff.regionsB,
    matches: ff.matches,
    backgroundA: [],
    backgroundB: [],
    painted: ff.painted,
    fills: ff.fills,
    seconds: s,
  });
  if (opts.baselines) {
    const withLines = (fills: RgbImage): RgbImage => {
      const data = new Uint8Array(fills.data.length);
      for (let i = 0; i < lineB.data.length; i++) {
        const k = lineB.data[i] / 255;
        for (let c = 0; c < 3; c++) data[3 * i + c] = Math.round(fills.data[3 * i + c] * k);
      }
      return { width: fills.width, height: fills.height, data };
    };
    const [copy, sc] = timed(() => copyInPlace(refColor, lineA, lineB));
    const regionsB = strokeRegions(lineB).labels;
    const white: RgbImage = {
      width: lineB.width,
      height: lineB.height,
      data: new Uint8Array(3 * lineB.data.length).fill(255),
    };
    for (const [name, fills, sec] of [["copy in place", copy, sc], ["all white", white, 0]] as const) {
      out.push({
        name,
        regionsA: regionsB,
        regionsB,
        matches: [],
        backgroundA: [],
        backgroundB: [],
        painted: withLines(fills),
        fills,
        seconds: sec,
      });
    }
  }
  return out.filter((m) => want(m.name));
}

/** One method's scores on one pair. */
export interface ColorizationScore {
  /** Fraction of the target's foreground pixels (non-stroke, not background) given their true colour. */
  pixel_accuracy_fg: number;
  /** Fraction of the target's true colour regions other than the background painted right. */
  region_accuracy_fg: number;
  /** Fraction of all the target's non-stroke pixels (background included) given their true colour. */
  pixel_accuracy_with_bg: number;
  /** Fraction of all the target's true colour regions (background included) painted right. */
  region_accuracy_with_bg: number;
  /** Seconds the method took ({@link ColorizedMethod.seconds}). */
  seconds: number;
}

/** One pair's scores, by method (those that ran on it). */
export interface ColorizationPairRecord {
  dir: string;
  reference: string;
  target: string;
  methods: Partial<Record<ColorizeMethodName, ColorizationScore>>;
}

/** One method's means over the pairs it ran on. */
export interface ColorizationSummary {
  name: ColorizeMethodName;
  /** Pairs it ran on. */
  pairs: number;
  pixel_accuracy_fg: number;
  region_accuracy_fg: number;
  pixel_accuracy_with_bg: number;
  region_accuracy_with_bg: number;
  seconds_per_pair: number;
}

/** What {@link evaluateColorization} returns. */
export interface ColorizationEval {
  /** Means by method, in {@link COLORIZE_METHODS} order (methods that ran on no pair left out). */
  methods: ColorizationSummary[];
  perPair: ColorizationPairRecord[];
}

/** Options of {@link evaluateColorization}. */
export interface ColorizationEvalOptions {
  /** The model: adds the `ours` rows. */
  model?: SimilarityModel | null;
  /** The oracle's grid (default: the model's, else 256 px and 16 px). */
  grid?: { size: number; patch: number };
  /** The `copy in place` and `all white` baseline rows (default true). */
  baselines?: boolean;
  /** Only these methods (default: every one that can run). */
  methods?: readonly ColorizeMethodName[];
  /** The region matcher's learned head for `ours (region matcher)` (null or absent: hand-set scores). */
  regionHead?: RegionHead | null;
  /** Called after each pair with its record, its index and the pair count. */
  onPair?: (record: ColorizationPairRecord, index: number, total: number) => void;
}

/**
 * Means of each method's scores over the pairs it ran on, in {@link COLORIZE_METHODS} order (any other
 * `ours (<mode>)` rows after them).
 *
 * @example
 * ```ts
 * summarizeColorization(perPair); // [{ name: "flood fill", pairs: 3, pixel_accuracy_fg: 0.61, ... }]
 * ```
 */
export function summarizeColorization(perPair: readonly ColorizationPairRecord[]): ColorizationSummary[] {
  const out: ColorizationSummary[] = [];
  const others = new Set(perPair.flatMap((p) => Object.keys(p.methods) as ColorizeMethodName[]));
  for (const name of COLORIZE_METHODS) others.delete(name);
  for (const name of [...COLORIZE_METHODS, ...others]) {
    const xs = perPair.map((p) => p.methods[name]).filter((x): x is ColorizationScore => !!x);
    if (xs.length === 0) continue;
    const mean = (k: keyof ColorizationScore) => xs.reduce((t, x) => t + x[k], 0) / xs.length;
    out.push({
      name,
      pairs: xs.length,
      pixel_accuracy_fg: mean("pixel_accuracy_fg"),
      region_accuracy_fg: mean("region_accuracy_fg"),
      pixel_accuracy_with_bg: mean("pixel_accuracy_with_bg"),
      region_accuracy_with_bg: mean("region_accuracy_with_bg"),
      seconds_per_pair: mean("seconds"),
    });
  }
  return out;
}

/**
 * Colourises the target of every pair of the PBC-layout dataset at `root` from its reference's colour frame
 * (`gt/`) with every method ({@link colorizeMethods}), and scores it against the target's true colour frame.
 * The oracle runs on pairs whose frames carry labels. Every pair's `gt/` frames are checked first: a missing one
 * is a {@link UserError} naming it.
 *
 * @example
 * ```ts
 * const pairs = await resolvePairs("data/test-clean");
 * const { methods } = await evaluateColorization("data/test-clean", pairs.slice(0, 5), { model });
 * ```
 */
export async function evaluateColorization(
  root: string,
  pairs: readonly PairRef[],
  opts: ColorizationEvalOptions = {},
): Promise<ColorizationEval> {
  for (const p of pairs) {
    for (const f of [p.reference, p.target]) {
      const gt = framePaths(root, p.dir, f).gt;
      if (!(await exists(gt))) {
        throw new UserError("no true colour frame (gt/): cannot score colourisation", gt);
      }
    }
  }
  const perPair: ColorizationPairRecord[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i];
    const [a, b] = await Promise.all([loadFrame(root, p.dir, p.reference), loadFrame(root, p.dir, p.target)]);
    const [refColor, tgtColor] = await Promise.all([readRgb(a.paths.gt!), readRgb(b.paths.gt!)]);
    const truth = a.labelOfSeg && b.labelOfSeg ? { a, b } : null;
    const methods = await colorizeMethods(refColor, a.line, b.line, {
      model: opts.model,
      truth,
      grid: opts.grid,
      baselines: opts.baselines ?? true,
      methods: opts.methods,
      regionHead: opts.regionHead,
    });
    const record: ColorizationPairRecord = {
      dir: p.dir,
      reference: p.reference,
      target: p.target,
      methods: {},
    };
    for (const m of methods) {
      const s = colorizationScores(m.fills, tgtColor, b.line);
      record.methods[m.name] = {
        pixel_accuracy_fg: s.pixelFg.accuracy,
        region_accuracy_fg: s.regionFg.accuracy,
        pixel_accuracy_with_bg: s.pixel.accuracy,
        region_accuracy_with_bg: s.region.accuracy,
        seconds: m.seconds,
      };
    }
    perPair.push(record);
    opts.onPair?.(record, i, pairs.length);
  }
  return { methods: summarizeColorization(perPair), perPair };
}
