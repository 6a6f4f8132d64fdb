/**
 * The report of `deno task bench:train`: the JSON figures and the side-by-side table of our paths and the
 * PyTorch peer's thread settings, with the ratios against each setting and against the best one.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ModelConfig } from "../model/config.ts";
import type { FlopCount } from "../model/flops.ts";
import type { KernelMode } from "../model/ops.ts";
import { bestPeer, peerAt, type PeerRun } from "./peer.ts";
import type { SpeedRun } from "./timing.ts";

/** One of our paths, measured. */
export interface PathFigures {
  /** `stock wasm` or `native` (or the backend's name off wasm). */
  name: string;
  /** initBackend's line. */
  line: string;
  kernels: KernelMode;
  native: boolean;
  train: SpeedRun;
  infer: SpeedRun;
}

/** Everything one run measured. */
export interface TrainBenchFigures {
  cfg: ModelConfig;
  batch: number;
  flops: FlopCount;
  /** Raw sgemm GFLOP/s at 1024^3 in this run (null without a BLAS library). */
  sgemmPeak: number | null;
  /** Our paths; the last is the main one (the JSON's top-level figures). */
  paths: PathFigures[];
  peerTrain: PeerRun[];
  peerInfer: PeerRun[];
  peakRssMb: number | null;
  backend: string;
}

const round = (x: number | null | undefined, digits = 3): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : +x.toFixed(digits);
const div = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || !b ? null : a / b;

/** GFLOP/s of a path (train or infer) and its fraction of the sgemm peak. */
function rates(f: TrainBenchFigures, p: PathFigures) {
  const gTrain = (p.train.pairsPerS * f.flops.trainPerPair) / 1e9,
    gInfer = (p.infer.pairsPerS * f.flops.inferPerPair) / 1e9;
  return { gTrain, gInfer, fTrain: div(gTrain, f.sgemmPeak), fInfer: div(gInfer, f.sgemmPeak) };
}

/**
 * The JSON summary (the benchmark's last line). Top-level figures are the main path's (the last one: native
 * under `--compare`); `ratio` and `infer_ratio` are ours / the peer's BEST thread setting (its fastest run,
 * `peer_threads` / `peer_infer_threads` say which), `_2t` and `_1t` against each setting; the peer's fields are
 * null when it was skipped.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(benchReport(figures))); // {"bench":"train","pairs_per_s":6.9,...}
 * ```
 */
export function benchReport(f: TrainBenchFigures): Record<string, unknown> {
  const main = f.paths[f.paths.length - 1];
  const r = rates(f, main);
  const pt = bestPeer(f.peerTrain), pi = bestPeer(f.peerInfer);
  const pt2 = peerAt(f.peerTrain, 2), pi2 = peerAt(f.peerInfer, 2);
  const pt1 = peerAt(f.peerTrain, 1), pi1 = peerAt(f.peerInfer, 1);
  const pathJson = (p: PathFigures) => {
    const q = rates(f, p);
    return {
      kernels: p.kernels,
      native_blas: p.native,
      pairs_per_s: round(p.train.pairsPerS),
      infer_pairs_per_s: round(p.infer.pairsPerS),
      ratio: round(div(p.train.pairsPerS, pt?.pairsPerS)),
      infer_ratio: round(div(p.infer.pairsPerS, pi?.pairsPerS)),
      gflops_train: round(q.gTrain, 2),
      gflops_infer: round(q.gInfer, 2),
      train_peak_fraction: round(q.fTrain, 4),
      infer_peak_fraction: round(q.fInfer, 4),
      wall_s_per_step: round(p.train.wallSPerStep, 4),
      cpu_s_per_step: round(p.train.cpuSPerStep, 4),
      infer_wall_s_per_step: round(p.infer.wallSPerStep, 4),
      infer_cpu_s_per_step: round(p.infer.cpuSPerStep, 4),
    };
  };
  return {
    bench: "train",
    pairs_per_s: round(main.train.pairsPerS),
    peer_pairs_per_s: pt?.pairsPerS ?? null,
    ratio: round(div(main.train.pairsPerS, pt?.pairsPerS)),
    peak_rss_mb: round(f.peakRssMb, 0),
    infer_pairs_per_s: round(main.infer.pairsPerS),
    peer_infer_pairs_per_s: pi?.pairsPerS ?? null,
    infer_ratio: round(div(main.infer.pairsPerS, pi?.pairsPerS)),
    gflops_train: round(r.gTrain, 2),
    gflops_infer: round(r.gInfer, 2),
    sgemm_peak_gflops: round(f.sgemmPeak, 1),
    train_peak_fraction: round(r.fTrain, 4),
    infer_peak_fraction: round(r.fInfer, 4),
    gflop_per_pair_train: round(f.flops.trainPerPair / 1e9, 4),
    gflop_per_pair_infer: round(f.flops.inferPerPair / 1e9, 4),
    wall_s_per_step: round(main.train.wallSPerStep, 4),
    cpu_s_per_step: round(main.train.cpuSPerStep, 4),
    infer_wall_s_per_step: round(main.infer.wallSPerStep, 4),
    infer_cpu_s_per_step: round(main.infer.cpuSPerStep, 4),
    peer_threads: pt?.threads ?? null,
    peer_infer_threads: pi?.threads ?? null,
    peer_cpu_s_per_step: round(pt?.cpuSPerStep, 4),
    peer_infer_cpu_s_per_step: round(pi?.cpuSPerStep, 4),
    peer_pairs_per_s_2t: pt2?.pairsPerS ?? null,
    peer_infer_pairs_per_s_2t: pi2?.pairsPerS ?? null,
    ratio_2t: round(div(main.train.pairsPerS, pt2?.pairsPerS)),
    infer_ratio_2t: round(div(main.infer.pairsPerS, pi2?.pairsPerS)),
    peer_pairs_per_s_1t: pt1?.pairsPerS ?? null,
    peer_infer_pairs_per_s_1t: pi1?.pairsPerS ?? null,
    ratio_1t: round(div(main.train.pairsPerS, pt1?.pairsPerS)),
    infer_ratio_1t: round(div(main.infer.pairsPerS, pi1?.pairsPerS)),
    peer_gflops_train: round(div((pt?.pairsPerS ?? NaN) * f.flops.trainPerPair, 1e9), 2),
    peer_gflops_infer: round(div((pi?.pairsPerS ?? NaN) * f.flops.inferPerPair, 1e9), 2),
    batch: f.batch,
    backend: f.backend,
    kernels: main.kernels,
    native_blas: main.native,
    paths: Object.fromEntries(f.paths.map((p) => [p.name, pathJson(p)])),
    tfjs_version: tf.version_core,
  };
}

/**
 * The side-by-side table: one row per path of ours and per peer thread count, training and inference.
 *
 * @example
 * ```ts
 * console.log(formatTable(figures).join("\n"));
 * ```
 */
export function formatTable(f: TrainBenchFigures): string[] {
  const n = (
    x: number | null | undefined,
    d = 2,
  ) => (x === null || x === undefined || !Number.isFinite(x) ? "-" : x.toFixed(d));
  const pct = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(1)}%`);
  const cols = (c: (string | number)[]) =>
    `${String(c[0]).padEnd(24)}` + c.slice(1).map((x, i) => String(x).padStart(i % 5 === 0 ? 9 : 8)).join("");
  const head = cols([
    "",
    "train",
    "wall s",
    "cpu s",
    "GFLOP/s",
    "%peak",
    "infer",
    "wall s",
    "cpu s",
    "GFLOP/s",
    "%peak",
  ]);
  const lines = [
    `batch ${f.batch}: pairs/s, seconds per step (wall, CPU of all threads), GFLOP/s and share of the sgemm peak`,
    head,
  ];
  for (const p of f.paths) {
    const r = rates(f, p);
    lines.push(cols([
      `ours, ${p.name} (${p.kernels})`,
      n(p.train.pairsPerS),
      n(p.train.wallSPerStep, 3),
      n(p.train.cpuSPerStep, 3),
      n(r.gTrain, 1),
      pct(r.fTrain),
      n(p.infer.pairsPerS),
      n(p.infer.wallSPerStep, 3),
      n(p.infer.cpuSPerStep, 3),
      n(r.gInfer, 1),
      pct(r.fInfer),
    ]));
  }
  const threads = [...new Set([...f.peerTrain, ...f.peerInfer].map((r) => r.threads))];
  for (const t of threads) {
    const a = peerAt(f.peerTrain, t), b = peerAt(f.peerInfer, t);
    const gA = a?.pairsPerS ? (a.pairsPerS * f.flops.trainPerPair) / 1e9 : null,
      gB = b?.pairsPerS ? (b.pairsPerS * f.flops.inferPerPair) / 1e9 : null;
    lines.push(cols([
      `PyTorch, ${t} thread${t > 1 ? "s" : ""}`,
      n(a?.pairsPerS),
      n(a?.wallSPerStep, 3),
      n(a?.cpuSPerStep, 3),
      n(gA, 1),
      pct(div(gA, f.sgemmPeak)),
      n(b?.pairsPerS),
      n(b?.wallSPerStep, 3),
      n(b?.cpuSPerStep, 3),
      n(gB, 1),
      pct(div(gB, f.sgemmPeak)),
    ]));
  }
  const bt = bestPeer(f.peerTrain), bi = bestPeer(f.peerInfer);
  for (const p of f.paths) {
    const ratios = threads.map((t) => {
      const a = peerAt(f.peerTrain, t), b = peerAt(f.peerInfer, t);
      return `vs ${t} thread${t > 1 ? "s" : ""}: train ${n(div(p.train.pairsPerS, a?.pairsPerS))}, infer ${
        n(div(p.infer.pairsPerS, b?.pairsPerS))
      }`;
    });
    if (ratios.length) lines.push(`ratio ours (${p.name}) / PyTorch ${ratios.join("; ")}`);
    if (bt || bi) {
      lines.push(
        `ratio ours (${p.name}) / PyTorch's best setting: train ${
          n(div(p.train.pairsPerS, bt?.pairsPerS))
        } ` +
          `(vs ${bt?.threads ?? "-"} thread${bt?.threads === 1 ? "" : "s"}), infer ${
            n(div(p.infer.pairsPerS, bi?.pairsPerS))
          } (vs ${bi?.threads ?? "-"} thread${bi?.threads === 1 ? "" : "s"})`,
      );
    }
  }
  return lines;
}
