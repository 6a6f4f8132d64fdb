/**
 * `deno task bench:match`: milliseconds per 512x512 pair end to end, split into model forward, post-processing
 * (regions), matching and I/O, for each region mode; then one image's whole post-processing (edge map to patch
 * vote) and the watershed alone against scikit-image's watershed on the same edge map and seeds, measured in
 * the same run (Debian's `/usr/bin/python3`; skipped cleanly when it or scikit-image is missing), with the
 * ratios (ours / scikit-image's: below 1 is faster), of the medians and of the fastest runs (the least disturbed
 * on a shared machine). The last line is one JSON object of the figures.
 *
 * The model forward against PyTorch: our forward's pairs/s (one pair per call, batch 1: the median of the
 * end-to-end runs' forward timings over every mode) beside the PyTorch peer's forward-only pairs/s at the
 * model's shape and batch 1 (`../shared/bench/peer_torch.py ... infer`, bench_train.ts's `runPeer`, 2 threads), run in
 * the middle of the end-to-end runs; the ratio (ours / PyTorch's: above 1 is faster); and the GFLOP/s both
 * reach (bench_train.ts's `modelFlops`: matrix products only) against the machine's sgemm peak measured in this run
 * (1024^3, at the start and the end; the higher one). The peer is skipped with a note when its script,
 * python3-torch or the model's shape is missing (its JSON fields are then null), and with `--peer no`.
 *
 * The pair: two frames (7 apart) of one procedurally generated character (`lib/generate`), rendered in memory
 * at the bench size from `--seed`, encoded as PNG (the I/O figure decodes them and encodes the outputs).
 *
 * The forward: the model of `--weights DIR`, or else a randomly initialised `small` model (same cost as a
 * trained one). An untrained model's similarities merge nothing, which is not what post-processing sees in
 * use; so without `--weights` post-processing and matching run on the ground-truth oracle's similarity at the
 * model's grid (`--similarity model` forces the model's). The header line says which.
 *
 * @module
 */
import * as path from "node:path";
import { encodeLabel16, encodePng, readGray } from "../image/io.ts";
import { LINE_STYLES } from "../generate/frame.ts";
import { renderPair } from "../generate/pair.ts";
import { block, type PairSimilarity, scoreMatrix } from "../model/similarity.ts";
import { oracleSimilarity } from "../match/oracle.ts";
import { MATCH_DEFAULTS, matchPair, type MatchPairResult } from "../match/pipeline.ts";
import { patchLayout } from "../regions/patch_layout.ts";
import { patchWatershed, REGION_MODES, type RegionMode, regionOptions, segment } from "../regions/segment.ts";
import { edgeMap } from "../image/edge.ts";
import { membershipFromVote, patchVote } from "../regions/vote.ts";
import { quantize, watershed } from "../regions/watershed.ts";
import { choice, num, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { matchVisualization } from "../viz/match_vis.ts";
// Types only: bench_train.ts (tfjs and the native BLAS) is imported when the command runs.
import type { PeerRun } from "./bench_train.ts";

const SPEC = {
  name: "bench:match",
  summary:
    "ms per pair: forward / post-processing / matching / I/O; post-processing and watershed vs scikit-image; " +
    "model forward vs PyTorch (pairs/s, GFLOP/s against the sgemm peak)",
  usage:
    "deno task bench:match [--size 512] [--repeats 5] [--regions all|patches|lines|hybrid] [--weights DIR] " +
    "[--peer yes|no]",
  options: {
    size: { type: "string" as const, help: "side of the drawings (pixels)", default: "512" },
    repeats: {
      type: "string" as const,
      help: "timed end-to-end runs per mode (median reported) after 2 warm-ups; post-processing alone: 3x",
      default: "5",
    },
    regions: {
      type: "string" as const,
      help: "region mode(s) to time: all, patches, lines or hybrid",
      default: "all",
    },
    seed: {
      type: "string" as const,
      help: "seed of the generated pair (and of the untrained model)",
      default: "0",
    },
    style: { type: "string" as const, help: "line style of the pair: clean or hand-drawn", default: "clean" },
    weights: {
      type: "string" as const,
      help: "a trained model folder: time its forward and use its similarity",
    },
    similarity: {
      type: "string" as const,
      help: "what post-processing runs on: auto (model with --weights, else oracle), model or oracle",
      default: "auto",
    },
    backend: {
      type: "string" as const,
      help: "tfjs backend: auto, tensorflow, wasm or cpu",
      default: "auto",
    },
    python: {
      type: "string" as const,
      help: "python with scikit-image (reference watershed) and torch (the PyTorch peer)",
      default: "/usr/bin/python3",
    },
    peer: {
      type: "string" as const,
      help: "time the PyTorch peer's forward (batch 1) at the model's shape: yes or no",
      default: "yes",
    },
  },
  examples: [
    "deno task bench:match",
    "deno task bench:match --regions patches --repeats 10",
    "deno task bench:match --regions patches --repeats 1 --peer no",
    "deno task bench:match --weights experiments/small-v1",
  ],
};

/** Median of a list (NaN for none). */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** An .npy (format 1.0) file of a C-ordered 2-D array. */
export function encodeNpy(data: Uint16Array | Int32Array, rows: number, cols: number): Uint8Array {
  const descr = data instanceof Uint16Array ? "<u2" : "<i4";
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const pre = 10; // magic (6) + version (2) + header length (2)
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = header.padEnd(total - pre - 1, " ") + "\n";
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, ...new TextEncoder().encode("NUMPY"), 1, 0, header.length & 255, header.length >> 8]);
  out.set(new TextEncoder().encode(header), pre);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

/** The stream of the bench's pair in {@link renderPair} (frames 0 and 7 of one character, fixed by the seed). */
export const BENCH_PAIR_STREAM = "bench:match";

// ---------------------------------------------------------------------------------------------------------------
// The model forward against the PyTorch peer.

/** Our model forward and the PyTorch peer's, as one run measured them. */
export interface ForwardFigures {
  /**
   * Our forward's ms per pair: one pair per call (batch 1; letterbox, patchify, features, Gram matrix, read
   * back), the median of the end-to-end runs' forward timings over every mode.
   */
  forwardMs: number;
  /** Timed forward runs behind the median. */
  forwardRuns: number;
  /** FLOPs of one pair's forward (bench_train.ts's `modelFlops`: matrix products only). */
  flopsPerPair: number;
  /** sgemm GFLOP/s at 1024^3 in this run, the higher of start and end (null without a BLAS library). */
  sgemmPeak: number | null;
  /** The peer's forward-only run at the model's shape, batch 1; null when not asked for (`--peer no`). */
  peer: PeerRun | null;
}

const roundTo = (x: number | null | undefined, digits: number): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : +x.toFixed(digits);
const over = (a: number | null, b: number | null | undefined): number | null =>
  a === null || b === null || b === undefined || !(b > 0) ? null : a / b;

/** Pairs/s, GFLOP/s and shares of the sgemm peak of ours and the peer's (nulls where not measured). */
function forwardRates(f: ForwardFigures) {
  const ours = f.forwardMs > 0 ? 1000 / f.forwardMs : null, peer = f.peer?.pairsPerS ?? null;
  const gflops = (pps: number | null) => (pps === null ? null : (pps * f.flopsPerPair) / 1e9);
  const gOurs = gflops(ours), gPeer = gflops(peer);
  return {
    ours,
    peer,
    ratio: over(ours, peer),
    gOurs,
    gPeer,
    fOurs: over(gOurs, f.sgemmPeak),
    fPeer: over(gPeer, f.sgemmPeak),
  };
}

/**
 * The forward figures' JSON fields (merged into the benchmark's last line): ours always, the peer's and the
 * ratio null when it was skipped or not run, the sgemm peak and shares of it null without a BLAS library.
 *
 * @example
 * ```ts
 * forwardReport({ forwardMs: 200, forwardRuns: 15, flopsPerPair: 2.248e9, sgemmPeak: 150, peer: null });
 * // { infer_pairs_per_s: 5, peer_infer_pairs_per_s: null, infer_ratio: null, gflops_infer: 11.24, ... }
 * ```
 */
export function forwardReport(f: ForwardFigures): Record<string, number | string | null> {
  const r = forwardRates(f);
  return {
    infer_pairs_per_s: roundTo(r.ours, 3),
    peer_infer_pairs_per_s: r.peer,
    infer_ratio: roundTo(r.ratio, 3),
    gflops_infer: roundTo(r.gOurs, 2),
    sgemm_peak_gflops: roundTo(f.sgemmPeak, 1),
    infer_peak_fraction: roundTo(r.fOurs, 4),
    peer_gflops_infer: roundTo(r.gPeer, 2),
    peer_infer_peak_fraction: roundTo(r.fPeer, 4),
    gflop_per_pair_infer: roundTo(f.flopsPerPair / 1e9, 4),
    infer_batch: 1,
    peer_threads: f.peer?.threads ?? null,
    peer_note: f.peer ? f.peer.note : "not run (--peer no)",
  };
}

/**
 * The forward table: ours and the peer's pairs/s, ms per pair, GFLOP/s and share of the sgemm peak, the ratio.
 *
 * @example
 * ```ts
 * console.log(formatForward(figures).join("\n"));
 * ```
 */
export function formatForward(f: ForwardFigures): string[] {
  const r = forwardRates(f);
  const n = (x: number | null, d: number) => (x === null ? "-" : x.toFixed(d));
  const pct = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(1)}%`);
  const row = (label: string, pps: number | null, g: number | null, frac: number | null) =>
    `${label.padEnd(46)}${n(pps, 2).padStart(9)}${n(pps && 1000 / pps, 1).padStart(9)}${n(g, 1).padStart(9)}${
      pct(frac).padStart(8)
    }`;
  const peak = f.sgemmPeak === null
    ? "no BLAS library: no sgemm peak"
    : `sgemm peak in this run ${f.sgemmPeak.toFixed(1)} GFLOP/s (1024^3, higher of start and end)`;
  const lines = [
    `model forward, one pair per call (batch 1), ${(f.flopsPerPair / 1e9).toFixed(3)} GFLOP per pair ` +
    `(matrix products); ${peak}`,
    `${"".padEnd(46)}${"pairs/s".padStart(9)}${"ms/pair".padStart(9)}${"GFLOP/s".padStart(9)}${
      "%peak".padStart(8)
    }`,
    row(`ours, median of ${f.forwardRuns} end-to-end forward runs`, r.ours, r.gOurs, r.fOurs),
  ];
  if (f.peer === null) lines.push("PyTorch peer: not run (--peer no)");
  else if (f.peer.pairsPerS === null) lines.push(`PyTorch: ${f.peer.note}`);
  else {
    const t = f.peer.threads;
    lines.push(
      row(`PyTorch, forward only, batch 1, ${t} thread${t > 1 ? "s" : ""}`, r.peer, r.gPeer, r.fPeer),
    );
    lines.push(`  (peer: ${f.peer.note})`);
  }
  lines.push(
    `ratio ours / PyTorch (forward pairs/s, above 1: ours faster): ${
      r.ratio === null ? "- (no peer figure)" : r.ratio.toFixed(2)
    }`,
  );
  return lines;
}

const PY_WATERSHED = `
import json, sys, time
import numpy as np
from skimage.segmentation import watershed
levels = np.load(sys.argv[1]); markers = np.load(sys.argv[2]); ours = np.load(sys.argv[3]); reps = int(sys.argv[4])
img = levels.astype(np.float64)
out = watershed(img, markers, connectivity=2)
times = []
for _ in range(reps):
    t = time.perf_counter(); out = watershed(img, markers, connectivity=2); times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"times": times, "agreement": float((out == ours).mean()),
                  "version": __import__("skimage").__version__}))
`;

/** scikit-image's watershed on the same arrays, timed inside Python (start-up and file I/O excluded). */
async function skimageWatershed(
  python: string,
  levels: Uint16Array,
  markers: Int32Array,
  ours: Int32Array,
  w: number,
  h: number,
  repeats: number,
): Promise<{ times: number[]; agreement: number; version: string } | { skipped: string }> {
  const dir = await Deno.makeTempDir({ prefix: "mm-bench-ws-" });
  try {
    const files = ["levels.npy", "markers.npy", "ours.npy", "ws.py"].map((f) => path.join(dir, f));
    await Deno.writeFile(files[0], encodeNpy(levels, h, w));
    await Deno.writeFile(files[1], encodeNpy(markers, h, w));
    await Deno.writeFile(files[2], encodeNpy(ours, h, w));
    await Deno.writeTextFile(files[3], PY_WATERSHED);
    let out: Deno.CommandOutput;
    try {
      out = await new Deno.Command(python, {
        args: [files[3], files[0], files[1], files[2], String(repeats)],
        stdout: "piped",
        stderr: "piped",
      }).output();
    } catch (e) {
      return { skipped: `${python} not runnable (${(e as Error).message.split("\n")[0]})` };
    }
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr).trim().split("\n").pop() ?? "";
      return { skipped: `${python}: ${err}` };
    }
    return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** What one mode costs per pair (ms, medians). */
interface ModeFigures {
  total: number;
  forward: number;
  post: number;
  matching: number;
  io: number;
  regions: [number, number];
  matches: number;
  steps: Record<string, number>;
  /** One image's whole post-processing (edge map to vote), timed alone. */
  postOne: number;
  /** Its fastest run (the least disturbed by other jobs on a shared machine). */
  postOneMin: number;
  postOneSteps: Record<string, number>;
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

if (import.meta.main) {
  runMain(async () => {
    const args = parseCommand(Deno.args, SPEC);
    const size = num(args, "size", { def: 512, min: 64, max: 4096, integer: true });
    const repeats = num(args, "repeats", { def: 5, min: 1, max: 100, integer: true });
    const seed = num(args, "seed", { def: 0, min: 0, max: 2 ** 31, integer: true });
    const which = choice(args, "regions", ["all", ...REGION_MODES] as const, "all");
    const modes: RegionMode[] = which === "all" ? [...REGION_MODES] : [which];
    const style = choice(args, "style", LINE_STYLES, "clean");
    const python = str(args, "python") ?? "/usr/bin/python3";
    const weights = str(args, "weights");
    const simChoice = choice(args, "similarity", ["auto", "model", "oracle"] as const, "auto");
    const useOracle = simChoice === "oracle" || (simChoice === "auto" && !weights);
    const peerOn = choice(args, "peer", ["yes", "no"] as const, "yes") === "yes";

    // Input pair, as PNG bytes (the I/O figure decodes them and encodes the outputs).
    const { a, b } = renderPair({ size, seed, style, stream: BENCH_PAIR_STREAM });
    const pngA = await encodePng(a.line), pngB = await encodePng(b.line);

    // The model: trained (--weights) or a randomly initialised `small` one; its forward is always timed.
    const m = await import("../model/mod.ts");
    const backend = await m.initBackend({ backend: choice(args, "backend", m.BACKEND_KINDS, "auto") });
    const bt = await import("./bench_train.ts");
    // The sgemm peak at the start and at the end of the run (the higher one: the least disturbed).
    const peaks: number[] = [];
    const peakNow = () => {
      const p = bt.measurePeak();
      if (p !== null) peaks.push(p);
    };
    peakNow();
    const newModel = async () =>
      weights ? await m.loadModel(weights) : m.PatchSimilarityModel.create(m.modelConfig("small"), seed);
    let model = await newModel();
    const cfg = model.config;
    const modelName = weights
      ? `model ${weights} (${cfg.preset}, input ${cfg.inputSize})`
      : `randomly initialised ${cfg.preset} model (input ${cfg.inputSize}; timing only)`;
    const simName = useOracle
      ? `ground-truth oracle at the model's ${cfg.inputSize / cfg.patch}^2 grid`
      : "the model's similarity";
    console.log(`pair: generated ${style} character ${size}x${size} (seed ${seed}), frames 0 and 7`);
    console.log(`forward: ${modelName}; backend ${backend.line.split(" |")[0].replace(/^backend: /, "")}`);
    console.log(`post-processing and matching run on: ${simName}`);
    console.log(
      `medians: end to end ${repeats} runs per mode after 2 warm-ups; post-processing alone ${3 * repeats} ` +
        `(round-robin over modes, after 3 warm-ups), scikit-image ${
          2 * Math.ceil(1.5 * repeats)
        } (before and after)`,
    );
    console.log(
      peerOn
        ? `PyTorch peer: forward only (no_grad), batch 1, ${bt.PEER_THREADS} threads, at the model's shape, ` +
          `run in the middle of the end-to-end runs; ours: the end-to-end runs' forward (batch 1)`
        : "PyTorch peer: not run (--peer no)",
    );
    const pairSim: PairSimilarity = useOracle
      ? oracleSimilarity(a, b, { size: cfg.inputSize, patch: cfg.patch })
      : await model.similarity(a.line, b.line);
    // Post-processing alone is timed first, with the model released (its memory would only slow the
    // garbage collector down for the post-processing's own allocations).
    model.dispose();

    // One image's post-processing alone, and the watershed alone, on drawing a at the working size (the bench
    // size is at most the pipeline's working size, so the drawing itself).
    if (size > MATCH_DEFAULTS.maxWorkingSide) {
      throw new UserError(`--size ${size} exceeds the working size ${MATCH_DEFAULTS.maxWorkingSide}`);
    }
    const S = scoreMatrix(pairSim.cosine, 2 * pairSim.n, "sigmoid");
    const o = regionOptions();
    const W = a.line.width, H = a.line.height;
    const layout = patchLayout(pairSim.boxA, pairSim.patch, W, H);
    const input = { gray: a.line, layout, saa: block(S, pairSim.n, "aa") };
    const edge = edgeMap(a.line, o.edge).data;
    const pw = patchWatershed(input, edge, o);
    const levels = quantize(edge, o.watershedLevels), markers = pw.markers.slice(); // markers: borrowed
    const clusters = pw.count;
    const ours = watershed(levels, markers, W, H, { connectivity: o.connectivity });

    const skBefore = await skimageWatershed(
      python,
      levels,
      markers,
      ours,
      W,
      H,
      2 + Math.ceil(1.5 * repeats),
    );
    const wsTimes: number[] = [];
    for (let k = 0; k < 3 + 3 * repeats; k++) {
      const t = performance.now();
      watershed(levels, markers, W, H, { connectivity: o.connectivity });
      if (k >= 3) wsTimes.push(performance.now() - t);
    }
    // Round-robin over the modes (so that load changes on a shared machine touch them alike), after warm-ups
    // of every mode; three times the repeats, as one run is short.
    const postOne: Record<string, { ms: number; min: number; steps: Record<string, number> }> = {};
    const postRuns: Record<string, { ms: number[]; steps: Record<string, number>[] }> = {};
    for (const mode of modes) postRuns[mode] = { ms: [], steps: [] };
    const warm = 3, rounds = 3 * repeats;
    for (let k = 0; k < warm + rounds; k++) {
      for (const mode of modes) {
        const t = performance.now();
        const seg = segment(input, mode, o);
        const tv = performance.now();
        membershipFromVote(patchVote(seg.labels, seg.count, layout), seg.count);
        const vote = performance.now() - tv;
        if (k >= warm) {
          postRuns[mode].ms.push(performance.now() - t);
          postRuns[mode].steps.push({ ...seg.timings, vote });
        }
      }
    }
    for (const mode of modes) {
      const runs = postRuns[mode];
      const steps: Record<string, number> = {};
      for (const key of Object.keys(runs.steps[0])) steps[key] = median(runs.steps.map((s) => s[key] ?? 0));
      postOne[mode] = { ms: median(runs.ms), min: Math.min(...runs.ms), steps };
    }
    const skAfter = await skimageWatershed(python, levels, markers, ours, W, H, 2 + Math.ceil(1.5 * repeats));
    const oursWs = median(wsTimes), oursWsMin = Math.min(...wsTimes);

    // End to end, per mode: decode, forward, post-processing and matching, encode. The PyTorch peer runs in
    // the middle (before the middle mode), so that our forward timings bracket it where there are modes to.
    model = await newModel();
    const figures: Record<string, ModeFigures> = {};
    const forwardAll: number[] = [];
    let peer: PeerRun | null = null;
    for (const [i, mode] of modes.entries()) {
      if (peerOn && i === modes.length >> 1) {
        peer = await bt.runPeer(cfg, { mode: "infer", batch: 1, threads: bt.PEER_THREADS, python });
      }
      const runs: {
        total: number;
        forward: number;
        post: number;
        matching: number;
        io: number;
        steps: Record<string, number>;
        r: MatchPairResult;
      }[] = [];
      for (let k = 0; k < repeats + 2; k++) {
        const t0 = performance.now();
        const [lineA, lineB] = await Promise.all([
          readGray({ bytes: pngA, name: "a.png" }),
          readGray({ bytes: pngB, name: "b.png" }),
        ]);
        const tRead = performance.now() - t0;
        let t = performance.now();
        const modelSim: PairSimilarity = await model.similarity(lineA, lineB);
        const fwd = performance.now() - t;
        const r = matchPair(lineA, lineB, useOracle ? pairSim : modelSim, { regions: mode });
        t = performance.now();
        await Promise.all([
          encodeLabel16(r.regionsA),
          encodeLabel16(r.regionsB),
          encodePng(
            matchVisualization(lineA, r.regionsA, lineB, r.regionsB, r.matches, {
              backgroundA: r.backgroundA,
              backgroundB: r.backgroundB,
            }),
          ),
        ]);
        JSON.stringify(r.matches);
        const tWrite = performance.now() - t;
        const s = split(r);
        if (k >= 2) {
          runs.push({
            total: performance.now() - t0,
            forward: fwd,
            post: s.post,
            matching: s.matching,
            io: tRead + tWrite,
            steps: s.steps,
            r,
          });
        }
      }
      forwardAll.push(...runs.map((x) => x.forward));
      const med = (f: (x: typeof runs[number]) => number) => median(runs.map(f));
      const steps: Record<string, number> = {};
      for (const key of Object.keys(runs[0].steps)) steps[key] = med((x) => x.steps[key] ?? 0);
      const last = runs[runs.length - 1].r;
      figures[mode] = {
        total: med((x) => x.total),
        forward: med((x) => x.forward),
        post: med((x) => x.post),
        matching: med((x) => x.matching),
        io: med((x) => x.io),
        regions: [last.countA, last.countB],
        matches: last.matches.length,
        steps,
        postOne: postOne[mode].ms,
        postOneMin: postOne[mode].min,
        postOneSteps: postOne[mode].steps,
      };
    }
    model.dispose();
    peakNow();
    const fwd: ForwardFigures = {
      forwardMs: median(forwardAll),
      forwardRuns: forwardAll.length,
      flopsPerPair: bt.modelFlops(cfg).inferPerPair,
      sgemmPeak: peaks.length ? Math.max(...peaks) : null,
      peer,
    };

    const f1 = (x: number | null) => (x === null || Number.isNaN(x) ? "-" : x.toFixed(1));
    console.log(
      `\n${"mode".padEnd(8)} ${"total".padStart(8)} ${"forward".padStart(8)} ${"post".padStart(8)} ${
        "match".padStart(8)
      } ${"I/O".padStart(8)}  regions  matches   (ms per pair, both drawings)`,
    );
    for (const [mode, f] of Object.entries(figures)) {
      console.log(
        `${mode.padEnd(8)} ${f1(f.total).padStart(8)} ${f1(f.forward).padStart(8)} ${
          f1(f.post).padStart(8)
        } ${f1(f.matching).padStart(8)} ${f1(f.io).padStart(8)}  ${
          `${f.regions[0]}/${f.regions[1]}`.padStart(7)
        }  ${String(f.matches).padStart(7)}`,
      );
    }
    const fmtSteps = (s: Record<string, number>) =>
      Object.entries(s).filter(([, v]) => v >= 0.05).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ");
    for (const [mode, f] of Object.entries(figures)) {
      console.log(`  ${mode} steps (both drawings): ${fmtSteps(f.steps)}`);
    }
    console.log("");
    for (const l of formatForward(fwd)) console.log(l);

    const skTimes = [skBefore, skAfter].flatMap((s) => ("times" in s ? s.times.slice(2) : []));
    const skMs = skTimes.length ? median(skTimes) : null;
    const skMin = skTimes.length ? Math.min(...skTimes) : null;
    const sk = "times" in skAfter ? skAfter : "times" in skBefore ? skBefore : null;
    console.log(
      `\none ${W}x${H} drawing, ${clusters} merged patch clusters seeding an 8-connected watershed over ${o.watershedLevels} levels:`,
    );
    if (!sk) {
      const why = "skipped" in skAfter ? skAfter.skipped : "";
      console.log(`  scikit-image: skipped (${why})`);
    } else {
      console.log(
        `  scikit-image ${sk.version} watershed (heap), same edge levels and seeds: ${skMs!.toFixed(2)} ms ` +
          `(median of ${skTimes.length}, measured before and after ours); labels agree with ours on ${
            (100 * sk.agreement).toFixed(2)
          }% of pixels`,
      );
    }
    const ratio = (x: number) => (skMs ? x / skMs : null);
    const ratioMin = (x: number) => (skMin ? x / skMin : null);
    const rtxt = (x: number, xMin: number) => {
      const r = ratio(x), rm = ratioMin(xMin);
      return r === null || rm === null
        ? ""
        : ` = ${r.toFixed(2)}x scikit-image's watershed time (${
          (1 / r).toFixed(1)
        }x faster); fastest runs: ` +
          `${xMin.toFixed(2)} ms = ${rm.toFixed(2)}x`;
    };
    console.log(`  ours, watershed alone (bucket queue): ${oursWs.toFixed(2)} ms${rtxt(oursWs, oursWsMin)}`);
    for (const [mode, f] of Object.entries(figures)) {
      console.log(
        `  ours, whole post-processing, ${mode} (edge map to patch vote): ${f.postOne.toFixed(2)} ms${
          rtxt(f.postOne, f.postOneMin)
        }`,
      );
      console.log(`    ${fmtSteps(f.postOneSteps)}`);
    }
    if (skMin !== null) console.log(`  (scikit-image's fastest run: ${skMin.toFixed(2)} ms)`);
    if (!(oursWs > 0)) throw new UserError("timing failed");
    const round = (x: number | null) => (x === null || Number.isNaN(x) ? null : Math.round(x * 100) / 100);
    const main = figures.patches ?? Object.values(figures)[0];
    console.log(JSON.stringify({
      bench: "match",
      size,
      repeats,
      style,
      seed,
      forward: modelName,
      similarity: simName,
      mode: figures.patches ? "patches" : modes[0],
      ms_per_pair: round(main.total),
      forward_ms: round(main.forward),
      postprocess_ms: round(main.post),
      matching_ms: round(main.matching),
      io_ms: round(main.io),
      watershed_ms: round(oursWs),
      skimage_watershed_ms: round(skMs),
      watershed_ratio: round(ratio(oursWs)),
      postprocess_one_ms: round(main.postOne),
      postprocess_vs_skimage_ratio: round(ratio(main.postOne)),
      skimage_watershed_min_ms: round(skMin),
      watershed_min_ratio: round(ratioMin(oursWsMin)),
      postprocess_one_min_ms: round(main.postOneMin),
      postprocess_vs_skimage_min_ratio: round(ratioMin(main.postOneMin)),
      watershed_agreement: sk ? Math.round(sk.agreement * 1e5) / 1e5 : null,
      ...forwardReport(fwd),
      modes: Object.fromEntries(
        Object.entries(figures).map(([mo, f]) => [mo, {
          ms_per_pair: round(f.total),
          forward_ms: round(f.forward),
          postprocess_ms: round(f.post),
          matching_ms: round(f.matching),
          io_ms: round(f.io),
          postprocess_one_ms: round(f.postOne),
          postprocess_vs_skimage_ratio: round(ratio(f.postOne)),
          postprocess_one_min_ms: round(f.postOneMin),
          postprocess_vs_skimage_min_ratio: round(ratioMin(f.postOneMin)),
          regions: f.regions,
          matches: f.matches,
        }]),
      ),
    }));
  });
}
