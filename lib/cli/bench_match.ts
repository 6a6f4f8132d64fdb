/**
 * `deno task bench:match`: milliseconds per 512x512 pair end to end, split into model forward, post-processing
 * (regions), matching and I/O, for each region mode; then one image's whole post-processing (edge map to patch
 * vote) and the watershed alone against scikit-image's watershed on the same edge map and seeds, measured in
 * the same run (Debian's `/usr/bin/python3`; skipped cleanly when it or scikit-image is missing), with the
 * ratios (ours / scikit-image's: below 1 is faster), of the medians and of the fastest runs (the least disturbed
 * on a shared machine). The last line is one JSON object of the figures.
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
import { makeCharacter } from "../generate/character.ts";
import { LINE_STYLES, type LineStyle, type RenderedFrame, renderFrame } from "../generate/frame.ts";
import { makeSequence } from "../generate/pose.ts";
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
import { Rng } from "../util/rng.ts";
import { matchVisualization } from "../viz/match_vis.ts";

const SPEC = {
  name: "bench:match",
  summary:
    "ms per pair: forward / post-processing / matching / I/O; post-processing and watershed vs scikit-image",
  usage:
    "deno task bench:match [--size 512] [--repeats 5] [--regions all|patches|lines|hybrid] [--weights DIR]",
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
      help: "python with scikit-image for the reference watershed",
      default: "/usr/bin/python3",
    },
  },
  examples: [
    "deno task bench:match",
    "deno task bench:match --regions patches --repeats 10",
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

/**
 * The bench's drawing pair: frames 0 and 7 of one generated character, `size` px square, fixed by `seed`.
 *
 * @example
 * ```ts
 * const { a, b } = benchPair(512, 0, "clean"); // a.line, b.line: GrayImage; a.seg, a.labelOfSeg: ground truth
 * ```
 */
export function benchPair(
  size: number,
  seed: number,
  style: LineStyle,
): { a: RenderedFrame; b: RenderedFrame } {
  const gap = 7; // the PBC pairs' default gap (lib/data/pairs.ts)
  const rng = new Rng(seed).fork("bench:match");
  const spec = makeCharacter(rng.fork("spec"), "bench");
  const seq = makeSequence(rng.fork("sequence"), gap + 1, size);
  const frame = (i: number) =>
    renderFrame(spec, seq.poses[i], seq.cameras[i], { style, size, rng: rng.fork(`frame:${i}`) });
  return { a: frame(0), b: frame(gap) };
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

    // Input pair, as PNG bytes (the I/O figure decodes them and encodes the outputs).
    const { a, b } = benchPair(size, seed, style);
    const pngA = await encodePng(a.line), pngB = await encodePng(b.line);

    // The model: trained (--weights) or a randomly initialised `small` one; its forward is always timed.
    const m = await import("../model/mod.ts");
    const backend = await m.initBackend({ backend: choice(args, "backend", m.BACKEND_KINDS, "auto") });
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

    // End to end, per mode: decode, forward, post-processing and matching, encode.
    model = await newModel();
    const figures: Record<string, ModeFigures> = {};
    for (const mode of modes) {
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
