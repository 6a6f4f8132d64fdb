/**
 * `deno task bench:match`: milliseconds per 512x512 pair end to end, split into model forward, post-processing
 * (regions), matching and I/O, for each region mode; then the watershed alone against scikit-image's on the
 * same quantised edge map and seeds, in the same run (Debian's `/usr/bin/python3`; skipped cleanly when it or
 * scikit-image is missing), with the ratio and the share of pixels on which the two agree. The last line is one
 * JSON object of the figures.
 *
 * The pair is the toy figure of `lib/match/toy_pair.ts` (a face with sub-patch eyes, 2-px strokes) and its
 * similarity comes from the ground-truth oracle. Until a trained model exists, the forward time is absent;
 * `--weights DIR` (a trained model) or `--random-model PRESET` (an untrained one of that shape, for timing only)
 * put the model's forward in its place.
 *
 * @module
 */
import * as path from "node:path";
import { encodeLabel16, encodePng, readGray } from "../image/io.ts";
import type { GrayImage } from "../image/types.ts";
import { block, type PairSimilarity, scoreMatrix } from "../model/similarity.ts";
import { oracleSimilarity } from "../match/oracle.ts";
import { matchPair, type MatchPairResult } from "../match/pipeline.ts";
import { toyPair } from "../match/toy_pair.ts";
import { patchLayout } from "../regions/patch_layout.ts";
import { patchWatershed, REGION_MODES, type RegionMode, regionOptions } from "../regions/segment.ts";
import { edgeMap } from "../image/edge.ts";
import { watershed } from "../regions/watershed.ts";
import { choice, num, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { matchVisualization } from "../viz/match_vis.ts";

const SPEC = {
  name: "bench:match",
  summary: "ms per pair: forward / post-processing / matching / I/O, and our watershed vs scikit-image's",
  usage:
    "deno task bench:match [--size 512] [--repeats 5] [--regions all|patches|lines|hybrid] [--weights DIR]",
  options: {
    size: { type: "string" as const, help: "side of the drawings (pixels)", default: "512" },
    repeats: {
      type: "string" as const,
      help: "timed runs per figure (median reported), after 2 warm-ups",
      default: "5",
    },
    regions: {
      type: "string" as const,
      help: "region mode(s) to time: all, patches, lines or hybrid",
      default: "all",
    },
    seed: { type: "string" as const, help: "seed of the toy pair", default: "0" },
    weights: {
      type: "string" as const,
      help: "a trained model folder: time its forward instead of the oracle",
    },
    "random-model": {
      type: "string" as const,
      help: "time the forward of an untrained model of this preset (small|paper)",
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
    "deno task bench:match --random-model small",
  ],
};

/** Median of a list. */
export function median(xs: number[]): number {
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
print(json.dumps({"ms": float(np.median(times)), "agreement": float((out == ours).mean()),
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
): Promise<{ ms: number; agreement: number; version: string } | { skipped: string }> {
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
  forward: number | null;
  oracle: number | null;
  post: number;
  matching: number;
  io: number;
  regions: [number, number];
  matches: number;
  steps: Record<string, number>;
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
    const python = str(args, "python") ?? "/usr/bin/python3";

    // Input pair, as PNG bytes (the I/O figure decodes them and encodes the outputs).
    const { a, b } = toyPair(size, seed);
    const pngA = await encodePng(a.line), pngB = await encodePng(b.line);

    // The similarity: the model's forward (hook) or the oracle standing in for it.
    let forward: ((x: GrayImage, y: GrayImage) => Promise<PairSimilarity>) | null = null;
    let forwardName = "none (oracle similarity stands in for the model)";
    const weights = str(args, "weights"), preset = str(args, "random-model");
    if (weights || preset) {
      const m = await import("../model/mod.ts");
      await m.initBackend();
      const model = weights
        ? await m.loadModel(weights, { inputSize: size })
        : m.PatchSimilarityModel.create(m.modelConfig(preset!, { inputSize: size }), seed);
      forward = (x, y) => model.similarity(x, y);
      forwardName = weights ? `model ${weights}` : `untrained ${preset} preset (timing only)`;
    }
    const oracle = () => oracleSimilarity(a, b, { size: 512, patch: 32 });
    console.log(
      `pair: toy figure ${size}x${size} (seed ${seed}); forward: ${forwardName}; ${repeats} timed runs after 2 warm-ups`,
    );

    const figures: Record<string, ModeFigures> = {};
    for (const mode of modes) {
      const runs: {
        total: number;
        forward: number | null;
        oracle: number | null;
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
        let sim: PairSimilarity;
        let fwd: number | null = null, orc: number | null = null;
        if (forward) {
          sim = await forward(lineA, lineB);
          fwd = performance.now() - t;
        } else {
          sim = oracle();
          orc = performance.now() - t;
        }
        const r = matchPair(lineA, lineB, sim, { regions: mode });
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
            oracle: orc,
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
        forward: forward ? med((x) => x.forward!) : null,
        oracle: forward ? null : med((x) => x.oracle!),
        post: med((x) => x.post),
        matching: med((x) => x.matching),
        io: med((x) => x.io),
        regions: [last.countA, last.countB],
        matches: last.matches.length,
        steps,
      };
    }

    const f1 = (x: number | null) => (x === null ? "-" : x.toFixed(1));
    console.log(
      `\n${"mode".padEnd(8)} ${"total".padStart(8)} ${"forward".padStart(8)} ${"(oracle)".padStart(9)} ${
        "post".padStart(8)
      } ${"match".padStart(8)} ${"I/O".padStart(8)}  regions  matches   (ms per pair, median)`,
    );
    for (const [mode, f] of Object.entries(figures)) {
      console.log(
        `${mode.padEnd(8)} ${f1(f.total).padStart(8)} ${f1(f.forward).padStart(8)} ${
          f1(f.oracle).padStart(9)
        } ${f1(f.post).padStart(8)} ${f1(f.matching).padStart(8)} ${f1(f.io).padStart(8)}  ${
          `${f.regions[0]}/${f.regions[1]}`.padStart(7)
        }  ${String(f.matches).padStart(7)}`,
      );
    }
    for (const [mode, f] of Object.entries(figures)) {
      console.log(
        `  ${mode} steps (both images): ${
          Object.entries(f.steps).filter(([, v]) => v >= 0.05).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(
            ", ",
          )
        }`,
      );
    }

    // The watershed alone, ours against scikit-image's, on image a's quantised edge map and seeds.
    const sim = oracle();
    const S = scoreMatrix(sim.cosine, 2 * sim.n, "sigmoid");
    const o = regionOptions();
    const layout = patchLayout(sim.boxA, sim.patch, a.line.width, a.line.height);
    const edge = edgeMap(a.line, o.edge).data;
    const pw = patchWatershed({ gray: a.line, layout, saa: block(S, sim.n, "aa") }, edge, o);
    const W = a.line.width, H = a.line.height;
    const times: number[] = [];
    let ours: Int32Array = new Int32Array(0);
    for (let k = 0; k < repeats + 2; k++) {
      const t = performance.now();
      ours = watershed(pw.levels, pw.markers, W, H, { connectivity: 2 });
      if (k >= 2) times.push(performance.now() - t);
    }
    const oursMs = median(times);
    const postA = figures.patches ? figures.patches.post / 2 : null;
    const sk = await skimageWatershed(python, pw.levels, pw.markers, ours, W, H, repeats);
    console.log(
      `\nwatershed alone (${W}x${H}, ${
        new Set(pw.markers).size - 1
      } seeded clusters, 8-connectivity, ${o.watershedLevels} levels):`,
    );
    console.log(`  ours (bucket queue): ${oursMs.toFixed(2)} ms`);
    let skMs: number | null = null, ratio: number | null = null, agreement: number | null = null;
    if ("skipped" in sk) {
      console.log(`  scikit-image: skipped (${sk.skipped})`);
    } else {
      skMs = sk.ms;
      ratio = sk.ms / oursMs;
      agreement = sk.agreement;
      console.log(
        `  scikit-image ${sk.version} (heap): ${sk.ms.toFixed(2)} ms  -> ours is ${
          ratio.toFixed(1)
        }x faster; labels agree on ${(100 * sk.agreement).toFixed(2)}% of pixels`,
      );
      if (postA !== null) {
        console.log(
          `  our whole post-processing of one image (patches mode, edge map to small-region merge): ${
            postA.toFixed(1)
          } ms = ${(postA / sk.ms).toFixed(2)}x scikit-image's watershed alone`,
        );
      }
    }
    if (!(oursMs > 0)) throw new UserError("timing failed");
    const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
    console.log(JSON.stringify({
      bench: "match",
      size,
      repeats,
      forward: forwardName,
      modes: Object.fromEntries(
        Object.entries(figures).map(([m, f]) => [m, {
          total_ms: round(f.total),
          forward_ms: round(f.forward),
          oracle_ms: round(f.oracle),
          post_ms: round(f.post),
          matching_ms: round(f.matching),
          io_ms: round(f.io),
          regions: f.regions,
          matches: f.matches,
        }]),
      ),
      watershed_ms: round(oursMs),
      skimage_watershed_ms: round(skMs),
      skimage_over_ours: round(ratio),
      watershed_agreement: agreement === null ? null : Math.round(agreement * 1e5) / 1e5,
      post_one_image_ms: round(postA),
    }));
  });
}
