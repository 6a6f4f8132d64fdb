/**
 * `deno task bench:match`'s run: milliseconds per pair end to end, split into model forward, post-processing
 * (regions), matching and I/O, for each region mode; one image's whole post-processing (edge map to patch vote)
 * and the watershed alone against scikit-image's watershed on the same edge map and seeds
 * (`peers/watershed_skimage.py`), measured in the same run, with the ratios (ours / scikit-image's: below 1 is
 * faster), of the medians and of the fastest runs (the least disturbed on a shared machine); and the model
 * forward against the PyTorch peer at batch 1 after warm-up on both sides, at each of its thread settings
 * (lib/bench/forward_report.ts).
 *
 * With `regionMatcher` (the default), one more row, `region`: the toolkit's default as `deno task colorize` runs
 * it, end to end: decode, the model forward that gives the tokens (`pairTokens`), stroke regions of both drawings,
 * the region matcher (its stages: descriptors, geometry, neighbours, Sinkhorn, alignment, readout), painting the
 * target from the reference's colour frame (`paint`), encoding the region maps and the coloured target. The region
 * matcher reads the model's tokens, never the oracle's similarity, so this row always runs on the model.
 *
 * The pair: two frames (7 apart) of one procedurally generated character, rendered in memory at the bench size
 * from the seed, encoded as PNG (the I/O figure decodes them and encodes the outputs). The forward: a trained
 * model's (`weights`) or a randomly initialised `small` one (same cost). An untrained model's similarities merge
 * nothing, which is not what post-processing sees in use; so without weights post-processing and matching run
 * on the ground-truth oracle's similarity at the model's grid.
 *
 * @module
 */
import type { LINE_STYLES, RenderedFrame } from "../generate/frame.ts";
import { renderPair } from "../generate/pair.ts";
import { edgeMap } from "../image/edge.ts";
import { encodeLabel16, encodePng, readGray } from "../image/io.ts";
import type { ModelConfig } from "../model/config.ts";
import { modelFlops } from "../model/flops.ts";
import type { PatchSimilarityModel } from "../model/model.ts";
import { block, type PairSimilarity, type PairTokens, scoreMatrix } from "../model/similarity.ts";
import { oracleSimilarity } from "../match/oracle.ts";
import { colorizePair } from "../match/colorize_pair.ts";
import { similarityFromTokens } from "../match/descriptors.ts";
import type { GrayImage, RgbaImage, RgbImage } from "../image/types.ts";
import { MATCH_DEFAULTS, matchPair, type MatchPairResult } from "../match/pipeline.ts";
import { patchLayout } from "../regions/patch_layout.ts";
import { patchWatershed, type RegionMode, regionOptions, segment } from "../regions/segment.ts";
import { membershipFromVote, patchVote } from "../regions/vote.ts";
import { quantize, watershed } from "../regions/watershed.ts";
import { UserError } from "../util/errors.ts";
import { matchVisualization } from "../viz/match_vis.ts";
import type { ForwardFigures } from "./forward_report.ts";
import { PEER_THREAD_SETTINGS, type PeerRun, runPeer } from "./peer.ts";
import { type SkimageResult, skimageWatershed } from "./skimage.ts";
import { measurePeak, median, type SpeedRun, timeInfer } from "./timing.ts";

/** The stream of the bench's pair in `renderPair` (frames 0 and 7 of one character, fixed by the seed). */
export const BENCH_PAIR_STREAM = "bench:match";

/** Settings of {@link runMatchBench}. */
export interface MatchBenchOptions {
  size: number;
  /** Timed end-to-end runs per mode (after 2 warm-ups); post-processing alone runs 3x as many. */
  repeats: number;
  seed: number;
  modes: RegionMode[];
  style: typeof LINE_STYLES[number];
  /** Python with scikit-image and torch. */
  python: string;
  /** A trained model folder, or null for a random `small` one. */
  weights: string | null;
  /** What post-processing runs on. */
  similarity: "auto" | "model" | "oracle";
  backend: string;
  /** Run the PyTorch peer. */
  peer: boolean;
  /** Also the default's row (`region`: stroke regions, the region matcher, painting). */
  regionMatcher: boolean;
  /** Warm-up and timed iterations of the forward-alone check, ours and the peer's (batch 1). */
  forwardWarmup: number;
  forwardReps: number;
  log?: (line: string) => void;
}

/** What one mode costs per pair (ms, medians). */
export interface ModeFigures {
  total: number;
  forward: number;
  post: number;
  matching: number;
  io: number;
  /** Painting the target from the reference's colours (the `region` row only; NaN elsewhere). */
  paint: number;
  regions: [number, number];
  matches: number;
  steps: Record<string, number>;
  /** One image's whole post-processing (edge map to vote), timed alone. */
  postOne: number;
  /** Its fastest run (the least disturbed by other jobs on a shared machine). */
  postOneMin: number;
  postOneSteps: Record<string, number>;
}

/** Everything one run measured. */
export interface MatchBenchResult {
  options: MatchBenchOptions;
  modelName: string;
  simName: string;
  width: number;
  height: number;
  clusters: number;
  watershedLevels: number;
  figures: Record<string, ModeFigures>;
  forward: ForwardFigures;
  /** Our watershed alone: median and fastest ms. */
  watershedMs: number;
  watershedMinMs: number;
  skimage: { before: SkimageResult; after: SkimageResult };
}

/** Post-processing and matching shares of a pipeline result's timings. */
function split(r: MatchPairResult): { post: number; matching: number; steps: Record<string, number> } {
  const t = r.timings;
  const postSteps = Object.values(t.post).reduce((a, b) => a + b, 0);
  return {
    post: t.scores + t.resize + postSteps + t.refine,
    matching: t.vote + t.similarity + t.matching + t.context,
    steps: {
      scores: t.scores,
      resize: t.resize,
      ...t.post,
      refine: t.refine,
      vote: t.vote,
      similarity: t.similarity,
      match: t.matching,
      context: t.context,
    },
  };
}

/** Medians of per-run step timings, key by key (the keys of the first run, in its order). */
function medianSteps(runs: readonly Record<string, number>[]): Record<string, number> {
  const steps: Record<string, number> = {};
  for (const key of Object.keys(runs[0])) steps[key] = median(runs.map((s) => s[key] ?? 0));
  return steps;
}

/** One image's post-processing timed alone (ms): median, fastest run, median steps. */
interface PostAlone {
  ms: number;
  min: number;
  steps: Record<string, number>;
}

/** The parts of one timed end-to-end run of a row (ms). */
interface RowRun {
  total: number;
  forward: number;
  post: number;
  matching: number;
  paint: number;
  io: number;
  steps: Record<string, number>;
}

/** A row's figures: medians of its runs, the region and match counts of its last run, its post-processing alone. */
function rowFigures(runs: readonly RowRun[], last: MatchPairResult, alone: PostAlone): ModeFigures {
  const med = (f: (x: RowRun) => number) => median(runs.map(f));
  return {
    total: med((x) => x.total),
    forward: med((x) => x.forward),
    post: med((x) => x.post),
    matching: med((x) => x.matching),
    io: med((x) => x.io),
    paint: med((x) => x.paint),
    regions: [last.countA, last.countB],
    matches: last.matches.length,
    steps: medianSteps(runs.map((x) => x.steps)),
    postOne: alone.ms,
    postOneMin: alone.min,
    postOneSteps: alone.steps,
  };
}

/** One timed end-to-end run of {@link timeEndToEnd} (ms), with what its stage returned. */
interface EndToEndRun<R> {
  total: number;
  read: number;
  forward: number;
  stage: number;
  write: number;
  result: R;
}

/**
 * The end-to-end harness every row runs: `repeats` timed runs after 2 warm-ups, each decoding the pair's PNGs,
 * running `forward` on the two drawings, `stage` (regions and matching) on its output, and `write` (encoding the
 * outputs), each part timed.
 */
async function timeEndToEnd<F, R>(
  repeats: number,
  pngA: Uint8Array,
  pngB: Uint8Array,
  forward: (lineA: GrayImage, lineB: GrayImage) => Promise<F>,
  stage: (lineA: GrayImage, lineB: GrayImage, f: F) => R,
  write: (lineA: GrayImage, lineB: GrayImage, r: R) => Promise<unknown>,
): Promise<EndToEndRun<R>[]> {
  const runs: EndToEndRun<R>[] = [];
  for (let k = 0; k < repeats + 2; k++) {
    const t0 = performance.now();
    const [lineA, lineB] = await Promise.all([
      readGray({ bytes: pngA, name: "a.png" }),
      readGray({ bytes: pngB, name: "b.png" }),
    ]);
    const read = performance.now() - t0;
    let t = performance.now();
    const f = await forward(lineA, lineB);
    const fwd = performance.now() - t;
    t = performance.now();
    const result = stage(lineA, lineB, f);
    const stageMs = performance.now() - t;
    t = performance.now();
    await write(lineA, lineB, result);
    const writeMs = performance.now() - t;
    if (k >= 2) {
      runs.push({
        total: performance.now() - t0,
        read,
        forward: fwd,
        stage: stageMs,
        write: writeMs,
        result,
      });
    }
  }
  return runs;
}

/**
 * One region mode's row end to end, the paper's matcher: decode, the model's similarity (timed; with the oracle,
 * post-processing runs on `pairSim` instead), regions and matching, encoding the region maps and the match picture.
 * Returns the figures and the forward timings of its runs.
 */
async function modeRow(
  o: MatchBenchOptions,
  model: PatchSimilarityModel,
  pngA: Uint8Array,
  pngB: Uint8Array,
  mode: RegionMode,
  oracleSim: PairSimilarity | null,
  alone: PostAlone,
): Promise<{ figures: ModeFigures; forwards: number[] }> {
  const runs = await timeEndToEnd(
    o.repeats,
    pngA,
    pngB,
    (lineA, lineB) => model.similarity(lineA, lineB),
    (lineA, lineB, modelSim) => matchPair(lineA, lineB, oracleSim ?? modelSim, { regions: mode }),
    (lineA, lineB, r) => {
      JSON.stringify(r.matches);
      return Promise.all([
        encodeLabel16(r.regionsA),
        encodeLabel16(r.regionsB),
        encodePng(
          matchVisualization(lineA, r.regionsA, lineB, r.regionsB, r.matches, {
            backgroundA: r.backgroundA,
            backgroundB: r.backgroundB,
          }),
        ),
      ]);
    },
  );
  const rows = runs.map((x): RowRun => {
    const s = split(x.result);
    return {
      total: x.total,
      forward: x.forward,
      post: s.post,
      matching: s.matching,
      paint: NaN,
      io: x.read + x.write,
      steps: s.steps,
    };
  });
  return {
    figures: rowFigures(rows, runs[runs.length - 1].result, alone),
    forwards: runs.map((x) => x.forward),
  };
}

/**
 * The default's row end to end (as `deno task colorize`): decode, the forward giving the tokens, stroke regions,
 * the region matcher, painting, encoding the region maps and the coloured target. Medians of `repeats` runs after
 * 2 warm-ups.
 */
async function regionRow(
  o: MatchBenchOptions,
  model: { pairTokens(a: GrayImage, b: GrayImage): Promise<PairTokens> },
  pngA: Uint8Array,
  pngB: Uint8Array,
  refColor: RgbImage,
  strokesAlone: PostAlone,
): Promise<ModeFigures> {
  const runs = await timeEndToEnd(
    o.repeats,
    pngA,
    pngB,
    (lineA, lineB) => model.pairTokens(lineA, lineB),
    (lineA, lineB, tokens) =>
      colorizePair(refColor, lineA, lineB, similarityFromTokens(tokens), {
        match: { matcher: "region", regions: "auto", tokens },
      }),
    (_a, _b, c) => {
      JSON.stringify(c.match.matches);
      return Promise.all([
        encodeLabel16(c.match.regionsA),
        encodeLabel16(c.match.regionsB),
        encodePng(c.painted),
      ]);
    },
  );
  const rows = runs.map((x): RowRun => {
    const tm = x.result.match.timings;
    const postSteps = Object.values(tm.post).reduce((p, q) => p + q, 0);
    const paint = x.stage - tm.total;
    return {
      total: x.total,
      forward: x.forward,
      post: tm.scores + tm.resize + postSteps + tm.refine,
      matching: tm.matching,
      paint,
      io: x.read + x.write,
      steps: {
        read: x.read,
        forward: x.forward,
        resize: tm.resize,
        ...tm.post,
        refine: tm.refine,
        ...Object.fromEntries(Object.entries(tm.matcher).map(([k, v]) => [`matcher.${k}`, v])),
        paint,
        write: x.write,
      },
    };
  });
  return rowFigures(rows, runs[runs.length - 1].result.match, strokesAlone);
}

/** A colour frame with its transparent background made white (what `readRgb` gives for a file). */
function onWhite(img: RgbaImage): RgbImage {
  const n = img.width * img.height, data = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    const al = img.data[4 * i + 3] / 255;
    for (let c = 0; c < 3; c++) data[3 * i + c] = Math.round(img.data[4 * i + c] * al + 255 * (1 - al));
  }
  return { width: img.width, height: img.height, data };
}

/** The bench's pair, its model and the run's labels, as {@link setUpBench} prepares them. */
interface BenchSetup {
  a: RenderedFrame;
  b: RenderedFrame;
  pngA: Uint8Array;
  pngB: Uint8Array;
  /** Post-processing runs on the ground-truth oracle's similarity (else the model's). */
  useOracle: boolean;
  /** The first model, for the similarity post-processing runs on (the caller disposes of it). */
  model: PatchSimilarityModel;
  /** A fresh model: the trained one (`weights`) or a randomly initialised `small` one. */
  newModel: () => Promise<PatchSimilarityModel>;
  cfg: ModelConfig;
  modelName: string;
  simName: string;
  backendName: string;
  /** Records the sgemm peak now (the run keeps the higher of start and end). */
  peakNow: () => void;
  peaks: number[];
}

/**
 * The pair rendered and encoded, the backend started (tfjs and the native BLAS are loaded here, not at import),
 * the sgemm peak at the start, and the model's description.
 */
async function setUpBench(o: MatchBenchOptions): Promise<BenchSetup> {
  const { size, weights } = o;
  const useOracle = o.similarity === "oracle" || (o.similarity === "auto" && !weights);
  if (size > MATCH_DEFAULTS.maxWorkingSide) {
    throw new UserError(`--size ${size} exceeds the working size ${MATCH_DEFAULTS.maxWorkingSide}`);
  }
  // Input pair, as PNG bytes (the I/O figure decodes them and encodes the outputs).
  const { a, b } = renderPair({ size, seed: o.seed, style: o.style, stream: BENCH_PAIR_STREAM });
  const pngA = await encodePng(a.line), pngB = await encodePng(b.line);

  const m = await import("../model/mod.ts");
  const backend = await m.initBackend({ backend: o.backend as never });
  const peaks: number[] = [];
  const peakNow = () => {
    const p = measurePeak();
    if (p !== null) peaks.push(p);
  };
  peakNow();
  const newModel = async () =>
    weights ? await m.loadModel(weights) : m.PatchSimilarityModel.create(m.modelConfig("small"), o.seed);
  const model = await newModel();
  const cfg = model.config;
  const modelName = weights
    ? `model ${weights} (${cfg.preset}, input ${cfg.inputSize})`
    : `randomly initialised ${cfg.preset} model (input ${cfg.inputSize}; timing only)`;
  const simName = useOracle
    ? `ground-truth oracle at the model's ${cfg.inputSize / cfg.patch}^2 grid`
    : "the model's similarity";
  const backendName = backend.line.split(" |")[0].replace(/^backend: /, "");
  return {
    a,
    b,
    pngA,
    pngB,
    useOracle,
    model,
    newModel,
    cfg,
    modelName,
    simName,
    backendName,
    peakNow,
    peaks,
  };
}

/** Prints what the run times, on what, and how often. */
function announce(o: MatchBenchOptions, s: BenchSetup, say: (line: string) => void): void {
  const { size, repeats } = o;
  say(`pair: generated ${o.style} character ${size}x${size} (seed ${o.seed}), frames 0 and 7`);
  say(`forward: ${s.modelName}; backend ${s.backendName}`);
  say(`post-processing and matching run on: ${s.simName}`);
  say(
    `medians: end to end ${repeats} runs per mode after 2 warm-ups; post-processing alone ${3 * repeats} ` +
      `(round-robin over modes, after 3 warm-ups), scikit-image ${
        2 * Math.ceil(1.5 * repeats)
      } (before and after)`,
  );
  say(
    o.peer
      ? `model forward alone at batch 1, ${o.forwardWarmup} warm-up + ${o.forwardReps} timed, ours and the ` +
        `PyTorch peer's (no_grad) at ${PEER_THREAD_SETTINGS.join(" and ")} threads, in the middle of the run`
      : "PyTorch peer: not run (--peer no)",
  );
}

/** What {@link timePostProcessing} measured on one drawing. */
interface PostFigures {
  /** Whole post-processing (edge map to patch vote), per region mode. */
  postOne: Record<string, PostAlone>;
  /** Our watershed alone, each timed run (ms). */
  wsTimes: number[];
  skimage: { before: SkimageResult; after: SkimageResult };
  width: number;
  height: number;
  /** Merged patch clusters seeding the watershed. */
  clusters: number;
  watershedLevels: number;
}

/**
 * One image's post-processing alone, and the watershed alone, on `line`: scikit-image's watershed on the same
 * edge levels and seeds, then ours alone, then every mode's whole post-processing round-robin (so that load
 * changes on a shared machine touch them alike) after 3 warm-ups, then scikit-image's again.
 */
async function timePostProcessing(
  o: MatchBenchOptions,
  line: GrayImage,
  pairSim: PairSimilarity,
  postModes: readonly RegionMode[],
): Promise<PostFigures> {
  const { repeats } = o;
  const S = scoreMatrix(pairSim.cosine, 2 * pairSim.n, "sigmoid");
  const ro = regionOptions();
  const W = line.width, H = line.height;
  const layout = patchLayout(pairSim.boxA, pairSim.patch, W, H);
  const input = { gray: line, layout, saa: block(S, pairSim.n, "aa") };
  const edge = edgeMap(line, ro.edge).data;
  const pw = patchWatershed(input, edge, ro);
  const levels = quantize(edge, ro.watershedLevels), markers = pw.markers.slice(); // markers: borrowed
  const ours = watershed(levels, markers, W, H, { connectivity: ro.connectivity });
  const skReps = 2 + Math.ceil(1.5 * repeats);
  const before = await skimageWatershed(o.python, levels, markers, ours, W, H, skReps);
  const wsTimes: number[] = [];
  for (let k = 0; k < 3 + 3 * repeats; k++) {
    const t = performance.now();
    watershed(levels, markers, W, H, { connectivity: ro.connectivity });
    if (k >= 3) wsTimes.push(performance.now() - t);
  }
  const postRuns: Record<string, { ms: number[]; steps: Record<string, number>[] }> = {};
  for (const mode of postModes) postRuns[mode] = { ms: [], steps: [] };
  const warm = 3, rounds = 3 * repeats;
  for (let k = 0; k < warm + rounds; k++) {
    for (const mode of postModes) {
      const t = performance.now();
      const seg = segment(input, mode, ro);
      const tv = performance.now();
      membershipFromVote(patchVote(seg.labels, seg.count, layout), seg.count);
      const vote = performance.now() - tv;
      if (k >= warm) {
        postRuns[mode].ms.push(performance.now() - t);
        postRuns[mode].steps.push({ ...seg.timings, vote });
      }
    }
  }
  const postOne: Record<string, PostAlone> = {};
  for (const mode of postModes) {
    const runs = postRuns[mode];
    postOne[mode] = { ms: median(runs.ms), min: Math.min(...runs.ms), steps: medianSteps(runs.steps) };
  }
  const after = await skimageWatershed(o.python, levels, markers, ours, W, H, skReps);
  return {
    postOne,
    wsTimes,
    skimage: { before, after },
    width: W,
    height: H,
    clusters: pw.count,
    watershedLevels: ro.watershedLevels,
  };
}

/** Our model forward alone at batch 1 after warm-up, then the PyTorch peer's at each thread setting. */
async function timeForwardAlone(
  o: MatchBenchOptions,
  model: PatchSimilarityModel,
  cfg: ModelConfig,
): Promise<{ warm: SpeedRun; peers: PeerRun[] }> {
  const warm = await timeInfer(model, 1, o.forwardReps, o.seed + 1, o.forwardWarmup);
  const peers: PeerRun[] = [];
  if (o.peer) {
    for (const threads of PEER_THREAD_SETTINGS) {
      const r = await runPeer(cfg, {
        mode: "infer",
        batch: 1,
        threads,
        warmup: o.forwardWarmup,
        reps: o.forwardReps,
        python: o.python,
      });
      peers.push(r);
      if (r.pairsPerS === null) break; // skipped: the next setting would be too
    }
  }
  return { warm, peers };
}

/**
 * Runs the benchmark and returns its figures ({@link formatMatchBench} and {@link matchBenchReport} print them).
 * In order: set-up, post-processing alone (model released), end-to-end rows per mode with the forward-alone
 * check in the middle (so that the end-to-end runs bracket it), the default's `region` row.
 *
 * @example
 * ```ts
 * const r = await runMatchBench({ ...settings, modes: ["patches"] });
 * console.log(formatMatchBench(r).join("\n"));
 * ```
 */
export async function runMatchBench(o: MatchBenchOptions): Promise<MatchBenchResult> {
  const say = o.log ?? ((l: string) => console.log(l));
  const modes = o.modes;
  const s = await setUpBench(o);
  announce(o, s, say);
  const pairSim: PairSimilarity = s.useOracle
    ? oracleSimilarity(s.a, s.b, { size: s.cfg.inputSize, patch: s.cfg.patch })
    : await s.model.similarity(s.a.line, s.b.line);
  // Post-processing alone is timed first, with the model released (its memory would only slow the garbage
  // collector down for the post-processing's own allocations). The region row's regions are `strokes`: timed
  // alone too.
  s.model.dispose();
  const postModes: RegionMode[] = o.regionMatcher && !modes.includes("strokes")
    ? [...modes, "strokes"]
    : modes;
  const post = await timePostProcessing(o, s.a.line, pairSim, postModes);

  // End to end, per mode: decode, forward, post-processing and matching, encode. The forward-alone check (ours,
  // then the peer at each setting) runs in the middle, so that the end-to-end runs bracket it.
  const model = await s.newModel();
  const figures: Record<string, ModeFigures> = {};
  const forwardAll: number[] = [];
  let alone: { warm: SpeedRun | null; peers: PeerRun[] } = { warm: null, peers: [] };
  for (const [i, mode] of modes.entries()) {
    if (i === modes.length >> 1) alone = await timeForwardAlone(o, model, s.cfg);
    const row = await modeRow(
      o,
      model,
      s.pngA,
      s.pngB,
      mode,
      s.useOracle ? pairSim : null,
      post.postOne[mode],
    );
    figures[mode] = row.figures;
    forwardAll.push(...row.forwards);
  }
  if (o.regionMatcher) {
    figures.region = await regionRow(o, model, s.pngA, s.pngB, onWhite(s.a.gt), post.postOne.strokes);
  }
  model.dispose();
  s.peakNow();
  const wsMs = median(post.wsTimes);
  if (!(wsMs > 0)) throw new UserError("timing failed");
  return {
    options: o,
    modelName: s.modelName,
    simName: s.simName,
    width: post.width,
    height: post.height,
    clusters: post.clusters,
    watershedLevels: post.watershedLevels,
    figures,
    forward: {
      warm: alone.warm,
      warmup: o.forwardWarmup,
      reps: o.forwardReps,
      e2eMs: median(forwardAll),
      e2eRuns: forwardAll.length,
      flopsPerPair: modelFlops(s.cfg).inferPerPair,
      sgemmPeak: s.peaks.length ? Math.max(...s.peaks) : null,
      peers: alone.peers,
      peerAsked: o.peer,
    },
    watershedMs: wsMs,
    watershedMinMs: Math.min(...post.wsTimes),
    skimage: post.skimage,
  };
}
