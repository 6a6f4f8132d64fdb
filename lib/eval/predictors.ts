/**
 * The methods the evaluation compares, as predictors for {@link evaluateDataset}: the learned model (or any
 * similarity source) followed by the post-processing and matching pipeline (`matchPair`), the oracle (the same
 * pipeline on ground-truth similarities: the upper bound of post-processing), and the flood-fill baseline.
 *
 * Patch size. `patch` is in model-input pixels. The native patch is the model's own (`config.patch`, 16 in both
 * presets); `2 * config.patch` is the official release's default, "patch 32": the final 16-px tokens averaged
 * 2x2 *before* L2 normalisation, then normalised, then the cosine. That pooling is {@link poolTokens} +
 * {@link l2NormalizeRows} + {@link cosineGram} here, on typed arrays. It needs the model's final tokens before
 * normalisation, which `PatchSimilarityModel.pairTokens` gives ({@link TokenModel}).
 *
 * The oracle runs at the same input size as the model (the small preset's 256 px when there is none), so its
 * patch grid is the model's: at 256 px, 16-px patches cover 32 px of a 512-px frame (the release's patch in
 * frame pixels).
 *
 * @module
 */
import type { PbcFrame } from "../data/pbc.ts";
import type { GrayImage } from "../image/types.ts";
import { floodFillBaseline, type FloodFillOptions } from "../match/baseline_floodfill.ts";
import { type OracleOptions, oracleSimilarity } from "../match/oracle.ts";
import { similarityFromTokens } from "../match/descriptors.ts";
import { matchPair, type MatchPairOptions } from "../match/pipeline.ts";
import { SMALL } from "../model/config.ts";
import type { PairSimilarity, PairTokens } from "../model/similarity.ts";
import { UserError } from "../util/errors.ts";
import type { RegionMatch } from "./region_matching.ts";
import type { Predictor } from "./run.ts";

/** The methods of `deno task evaluate --method`. */
export type Method = "model" | "oracle" | "floodfill";
export const METHODS: readonly Method[] = ["model", "oracle", "floodfill"];

/** Final tokens of a pair, as the patch-32 pooling needs them. */
export type { PairTokens };

/**
 * What the evaluation needs of a model. `PatchSimilarityModel` (lib/model) fits; tests pass stand-ins.
 */
export interface SimilarityModel {
  config: { inputSize: number; patch: number };
  similarity(lineA: GrayImage, lineB: GrayImage): Promise<PairSimilarity>;
}

/**
 * A model that gives its final tokens before L2 normalisation: what `--patch 32` (the release's pooling) needs
 * from lib/model. `PatchSimilarityModel` is one: its
 * `pairTokens` is the same forward as `similarity`, stopped before the L2 normalisation.
 */
export interface TokenModel extends SimilarityModel {
  pairTokens(lineA: GrayImage, lineB: GrayImage): Promise<PairTokens>;
}

/** Whether a model offers {@link TokenModel.pairTokens}. */
export function hasPairTokens(m: SimilarityModel): m is TokenModel {
  return typeof (m as Partial<TokenModel>).pairTokens === "function";
}

/**
 * Averages each `factor` x `factor` block of tokens: [images * grid^2, dim] -> [images * (grid/factor)^2, dim],
 * each image's grid row-major (PyTorch's `avg_pool2d(kernel=factor, stride=factor)` on the token grid).
 *
 * @example
 * ```ts
 * const pooled = poolTokens(tokens, 2, 16, 128); // two images, 16x16 -> 8x8 tokens of width 128
 * ```
 */
export function poolTokens(
  tokens: Float32Array,
  images: number,
  grid: number,
  dim: number,
  factor = 2,
): Float32Array {
  if (tokens.length !== images * grid * grid * dim) {
    throw new RangeError(`poolTokens: ${tokens.length} values is not ${images} x ${grid}^2 x ${dim}`);
  }
  if (!Number.isInteger(factor) || factor < 1 || grid % factor !== 0) {
    throw new RangeError(`poolTokens: a ${grid}-token grid does not split into ${factor}x${factor} blocks`);
  }
  const g2 = grid / factor, inv = 1 / (factor * factor);
  const out = new Float32Array(images * g2 * g2 * dim); // [images * g2^2, dim]
  const acc = new Float64Array(dim);
  for (let k = 0; k < images; k++) {
    for (let py = 0; py < g2; py++) {
      for (let px = 0; px < g2; px++) {
        acc.fill(0);
        for (let dy = 0; dy < factor; dy++) {
          for (let dx = 0; dx < factor; dx++) {
            const src = (k * grid * grid + (py * factor + dy) * grid + px * factor + dx) * dim;
            for (let c = 0; c < dim; c++) acc[c] += tokens[src + c];
          }
        }
        const dst = (k * g2 * g2 + py * g2 + px) * dim;
        for (let c = 0; c < dim; c++) out[dst + c] = acc[c] * inv;
      }
    }
  }
  return out;
}

/**
 * Rows scaled to unit length (x / max(|x|, eps), as PyTorch's `F.normalize`), into a new array.
 *
 * @example
 * ```ts
 * l2NormalizeRows(Float32Array.of(3, 4), 2); // [0.6, 0.8]
 * ```
 */
export function l2NormalizeRows(x: Float32Array, dim: number, eps = 1e-12): Float32Array {
  if (dim < 1 || x.length % dim !== 0) {
    throw new RangeError(`l2NormalizeRows: ${x.length} values, width ${dim}`);
  }
  const out = new Float32Array(x.length);
  for (let o = 0; o < x.length; o += dim) {
    let s = 0;
    for (let c = 0; c < dim; c++) s += x[o + c] * x[o + c];
    const k = 1 / Math.max(Math.sqrt(s), eps);
    for (let c = 0; c < dim; c++) out[o + c] = x[o + c] * k;
  }
  return out;
}

/**
 * The Gram matrix F Fᵀ of `rows` feature rows ([rows, dim] -> [rows, rows]); of unit rows, their cosines.
 *
 * @example
 * ```ts
 * const cos = cosineGram(l2NormalizeRows(f, d), 2 * n, d); // [2N, 2N]
 * ```
 */
export function cosineGram(f: Float32Array, rows: number, dim: number): Float32Array {
  if (f.length !== rows * dim) throw new RangeError(`cosineGram: ${f.length} values is not ${rows} x ${dim}`);
  const out = new Float32Array(rows * rows); // [rows, rows]
  for (let i = 0; i < rows; i++) {
    const a = i * dim;
    for (let j = i; j < rows; j++) {
      const b = j * dim;
      let s = 0;
      for (let c = 0; c < dim; c++) s += f[a + c] * f[b + c];
      out[i * rows + j] = out[j * rows + i] = s;
    }
  }
  return out;
}

/**
 * The pair similarity of pooled tokens: average `factor` x `factor` blocks (before normalisation), L2-normalise,
 * cosine. With `factor` 2 on 16-px tokens this is the release's patch-32 similarity.
 *
 * @example
 * ```ts
 * const sim = pooledSimilarity(await model.pairTokens(lineA, lineB)); // grid 16 -> 8, patch 16 -> 32
 * ```
 */
export function pooledSimilarity(t: PairTokens, factor = 2): PairSimilarity {
  const pooled = poolTokens(t.tokens, 2, t.grid, t.dim, factor); // [2 * N', d]
  const grid = t.grid / factor, n = grid * grid;
  const cosine = cosineGram(l2NormalizeRows(pooled, t.dim), 2 * n, t.dim); // [2N', 2N']
  return { grid, n, patch: t.patch * factor, cosine, boxA: t.boxA, boxB: t.boxB };
}

/**
 * Final tokens of a pair, before L2 normalisation (the release's pooling input), from a model's `pairTokens`.
 *
 * @example
 * ```ts
 * const t = await modelTokens(model, lineA, lineB); // t.tokens [2N, d]
 * ```
 */
export function modelTokens(
  model: SimilarityModel,
  lineA: GrayImage,
  lineB: GrayImage,
  what = "--patch 32",
): Promise<PairTokens> {
  if (hasPairTokens(model)) return model.pairTokens(lineA, lineB);
  throw new UserError(
    `${what} needs the model's per-patch tokens (pairTokens); this model gives only similarities`,
  );
}

/** A pair's similarity, from a model or from ground truth. */
export type SimilaritySource = (a: PbcFrame, b: PbcFrame) => Promise<PairSimilarity>;

/** What a patch setting means for a model: its native tokens, or them averaged 2x2 before normalisation. */
export function patchPlan(model: SimilarityModel, patch: number): "native" | "pool2" {
  if (patch === model.config.patch) return "native";
  if (patch === 2 * model.config.patch) return "pool2";
  throw new UserError(
    `--patch ${patch} does not fit this model: use ${model.config.patch} (its tokens) or ${
      2 * model.config.patch
    } (its tokens averaged 2x2, the release's default)`,
  );
}

/**
 * The model's similarity at a patch size (model-input pixels): native, or pooled 2x2 ({@link pooledSimilarity}).
 *
 * @example
 * ```ts
 * const source = modelSource(await loadModel("experiments/small-v1"), 32);
 * ```
 */
export function modelSource(model: SimilarityModel, patch = model.config.patch): SimilaritySource {
  const plan = patchPlan(model, patch);
  if (plan === "native") return (a, b) => model.similarity(a.line, b.line);
  return async (a, b) => pooledSimilarity(await modelTokens(model, a.line, b.line), 2);
}

/** Options of {@link oracleSource}. */
export interface OracleSourceOptions extends Partial<OracleOptions> {
  /** Model input side the oracle imitates (its patch grid is inputSize / patch). */
  inputSize: number;
  patch: number;
}

/** Defaults: the small preset's input and patch (32 px of a 512-px frame per patch, as the release). */
export const ORACLE_SOURCE_DEFAULTS: OracleSourceOptions = {
  inputSize: SMALL.inputSize, // the shipped model's input, so oracle and model rows share one patch grid
  patch: SMALL.patch, // its patch
};

/**
 * Ground-truth similarities (`oracleSimilarity`) on the model's patch grid.
 *
 * @example
 * ```ts
 * const source = oracleSource({ inputSize: 256, patch: 16 });
 * ```
 */
export function oracleSource(opts: Partial<OracleSourceOptions> = {}): SimilaritySource {
  const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const { inputSize, patch, ...rest } = { ...ORACLE_SOURCE_DEFAULTS, ...given } as OracleSourceOptions;
  if (inputSize % patch !== 0) {
    throw new UserError(`--patch ${patch} does not divide the input size ${inputSize}`);
  }
  return (a, b) => {
    if (!a.labelOfSeg || !b.labelOfSeg) {
      throw new UserError("the oracle needs segment labels (json_index or seg json)", a.paths.seg);
    }
    return Promise.resolve(oracleSimilarity(a, b, { ...rest, size: inputSize, patch }));
  };
}

/** Matches of the pipeline as the metrics read them (context matches count for both directions). */
function asEvalMatches(
  ms: readonly { ref_region: number; tgt_region: number; score: number; direction: string }[],
) {
  return ms.map((m): RegionMatch => ({
    ref_region: m.ref_region,
    tgt_region: m.tgt_region,
    score: m.score,
    direction: m.direction === "ab" || m.direction === "ba" ? m.direction : "both",
  }));
}

/**
 * A similarity source followed by the post-processing and matching pipeline.
 *
 * @example
 * ```ts
 * const predict = pipelinePredictor(oracleSource(), { regions: "hybrid" });
 * const metrics = await evaluateDataset(root, pairs, predict);
 * ```
 */
export function pipelinePredictor(
  source: SimilaritySource,
  match: Partial<MatchPairOptions> = {},
): Predictor {
  return async ({ a, b }) => {
    const sim = await source(a, b);
    const r = matchPair(a.line, b.line, sim, match);
    return { sim, regionsA: r.regionsA, regionsB: r.regionsB, matches: asEvalMatches(r.matches) };
  };
}

/**
 * The model + pipeline.
 *
 * @example
 * ```ts
 * const predict = modelPredictor(model, { patch: 16, match: { regions: "patches", score: "sigmoid" } });
 * ```
 */
export function modelPredictor(
  model: SimilarityModel,
  opts: { patch?: number; match?: Partial<MatchPairOptions> } = {},
): Predictor {
  return pipelinePredictor(modelSource(model, opts.patch ?? model.config.patch), opts.match);
}

/**
 * The model + the region matcher (issue 10; the toolkit's default in match/colorize/demo): one forward
 * (`pairTokens`) gives the tokens the matcher pools and, through `similarityFromTokens`, the patch similarity the
 * patch metrics read (the same values as `model.similarity`). Regions default to `strokes` (the pipeline's `auto`
 * under the region matcher); `match` may set `regions` and `regionMatcher` (MATCHER_DEFAULTS) knobs.
 *
 * @example
 * ```ts
 * const predict = regionMatcherPredictor(model);                                   // strokes, MATCHER_DEFAULTS
 * const lines = regionMatcherPredictor(model, { regions: "lines" });
 * const noAlign = regionMatcherPredictor(model, { regionMatcher: { alignRounds: 0 } });
 * ```
 */
export function regionMatcherPredictor(
  model: SimilarityModel,
  match: Partial<MatchPairOptions> = {},
): Predictor {
  if (!hasPairTokens(model)) {
    throw new UserError(
      "the region matcher needs the model's per-patch tokens (pairTokens); this model gives only similarities",
    );
  }
  return async ({ a, b }) => {
    const tokens = await model.pairTokens(a.line, b.line);
    const sim = similarityFromTokens(tokens);
    const r = matchPair(a.line, b.line, sim, { regions: "auto", ...match, matcher: "region", tokens });
    return { sim, regionsA: r.regionsA, regionsB: r.regionsB, matches: asEvalMatches(r.matches) };
  };
}

/**
 * The oracle + pipeline: the upper bound of post-processing and matching.
 *
 * @example
 * ```ts
 * const predict = oraclePredictor({ inputSize: 256, patch: 16 }, { regions: "patches" });
 * ```
 */
export function oraclePredictor(
  oracle: Partial<OracleSourceOptions> = {},
  match: Partial<MatchPairOptions> = {},
): Predictor {
  return pipelinePredictor(oracleSource(oracle), match);
}

/**
 * The flood-fill baseline (no similarity, so no patch metrics).
 *
 * @example
 * ```ts
 * const metrics = await evaluateDataset(root, pairs, floodFillMethod());
 * ```
 */
export function floodFillMethod(opts: Partial<FloodFillOptions> = {}): Predictor {
  return ({ a, b }) => Promise.resolve(floodFillBaseline(a.line, b.line, opts));
}

/** FNV-1a hash of an image's size and pixels (a cache key). */
function imageKey(g: GrayImage): string {
  let h = 0x811c9dc5;
  const d = g.data;
  for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i], 0x01000193);
  return `${g.width}x${g.height}:${(h >>> 0).toString(16)}`;
}

/**
 * A model whose similarities are kept (up to `maxBytes` of cosine matrices, oldest dropped first), so that
 * several rows of an ablation over the same pairs run the forward pass once per pair; its tokens (`pairTokens`,
 * when the model has them: the region matcher's rows) likewise, in a cache of their own. Everything else is the
 * wrapped model's.
 *
 * @example
 * ```ts
 * const m = cachedSimilarity(model); // rows "paper", "lines", "hybrid"... share one forward per pair
 * ```
 */
export function cachedSimilarity<M extends SimilarityModel>(
  model: M,
  opts: { maxBytes?: number } = {},
): M & { cacheHits: () => number } {
  const maxBytes = opts.maxBytes ?? 512 * 2 ** 20; // 512 MiB: 500 pairs of the small model's 512^2 matrix
  const cache = new Map<string, PairSimilarity>();
  let bytes = 0, hits = 0;
  const similarity = async (a: GrayImage, b: GrayImage): Promise<PairSimilarity> => {
    const key = `${imageKey(a)}|${imageKey(b)}`;
    const got = cache.get(key);
    if (got) {
      hits++;
      return got;
    }
    const sim = await model.similarity(a, b);
    cache.set(key, sim);
    bytes += sim.cosine.byteLength;
    for (const [k, v] of cache) {
      if (bytes <= maxBytes) break;
      cache.delete(k);
      bytes -= v.cosine.byteLength;
    }
    return sim;
  };
  // Tokens (`pairTokens`, what the region matcher and patch 32 read) are kept the same way, when the model has them.
  const tokenCache = new Map<string, PairTokens>();
  let tokenBytes = 0;
  const pairTokens = async (a: GrayImage, b: GrayImage): Promise<PairTokens> => {
    const key = `${imageKey(a)}|${imageKey(b)}`;
    const got = tokenCache.get(key);
    if (got) {
      hits++;
      return got;
    }
    const t = await (model as unknown as TokenModel).pairTokens(a, b);
    tokenCache.set(key, t);
    tokenBytes += t.tokens.byteLength;
    for (const [k, v] of tokenCache) {
      if (tokenBytes <= maxBytes) break;
      tokenCache.delete(k);
      tokenBytes -= v.tokens.byteLength;
    }
    return t;
  };
  return new Proxy(model, {
    get(target, prop, receiver) {
      if (prop === "similarity") return similarity;
      if (prop === "pairTokens" && hasPairTokens(target)) return pairTokens;
      if (prop === "cacheHits") return () => hits;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  }) as M & { cacheHits: () => number };
}
