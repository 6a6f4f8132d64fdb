/**
 * mangamatch: region-wise correspondence between manga line-art images.
 *
 * The public API, what notebooks and scripts import from one place. Data flows one way:
 * image -> patches -> similarity matrix S -> regions -> matches -> metrics / pictures.
 *
 * - flat: `util`, `image`, `data` (PBC layout, pairs, patch ground truth), `model` (presets, backends,
 *   `loadModel`, similarity), `train`, `regions`, `match` (the pair pipeline, colourisation), `eval` (metrics,
 *   tables, ablations, predictors, test splits), `viz` (pictures, plotly figures, notebook display);
 * - namespaces, for the two workflows whose helper names would clash with the stages above:
 *   `generate` (procedural data: `generate.generateDataset`) and `annotate` (labels from coloured frames:
 *   `annotate.annotateDataset`).
 *
 * Names that exist in two stages resolve to the earlier stage's: `RegionMatch` is lib/match's (a matcher's
 * output; lib/eval's is the subset its metrics read, reachable as `EvalRegionMatch`), `strokeRegions` is
 * lib/regions'. `deno task check` fails on a new clash, so it gets resolved here when it appears.
 *
 * @example
 * ```ts
 * import { defaultWeights, loadEvalModel, matchPair, readGray, showImage, matchVisualization } from "../lib/mod.ts";
 * const { model } = await loadEvalModel(defaultWeights()!);
 * const [a, b] = [await readGray("ref.png"), await readGray("tgt.png")];
 * const r = matchPair(a, b, await model.similarity(a, b));
 * await showImage(matchVisualization(a, r.regionsA, b, r.regionsB, r.matches));
 * ```
 *
 * @module
 */
export * from "./util/mod.ts";
export * from "./image/mod.ts";
export * from "./data/mod.ts";
export * from "./model/mod.ts";
export * from "./train/mod.ts";
export * from "./regions/mod.ts";
export * from "./match/mod.ts";
export * from "./eval/mod.ts";
export * from "./viz/mod.ts";
export * as generate from "./generate/mod.ts";
export * as annotate from "./annotate/mod.ts";
export type { RegionMatch } from "./match/matching.ts";
export type { RegionMatch as EvalRegionMatch } from "./eval/region_matching.ts";
export { strokeRegions } from "./regions/strokes.ts";
