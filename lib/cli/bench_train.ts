/**
 * `deno task bench:train`: training and inference speed of the `small` preset against the PyTorch peer
 * (`../shared/bench/peer_torch.py`) at the same shape, measured in the same run, with the ratios; the GFLOP/s
 * our training step and forward pass reach (FLOPs counted analytically, {@link modelFlops}) against the
 * machine's own sgemm peak measured in this run (OpenBLAS at 1024^3); CPU seconds per step beside wall time;
 * and the peak RSS of a training step at batch 8 (a fresh subprocess, /proc/self/status VmHWM).
 *
 * Our figures: forward, backward, clipping and AdamW on random inputs (like the peer) for training; the pair
 * similarity (`cosineBatch`: patchify, features, Gram matrices) for inference. The peer runs with 2 threads (its
 * docstring's setting) and with 1, reported apart; the ratios are against 2 threads. `--compare` runs our two
 * paths in one invocation (stock wasm kernels, then the native BLAS path) so the table shows stock wasm /
 * native / PyTorch side by side. Our figures are the mean of two measurements taken before and after the
 * peer's, so both sides see the same machine load; on a shared machine quote ratios, not absolute figures.
 * When the peer script or python3-torch is absent the peer is skipped with a note and its JSON fields are null.
 * The last line is one JSON object.
 *
 * @module
 */
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { BACKEND_KINDS, type BackendInfo, type BackendKind, initBackend } from "../model/backend.ts";
import { headDim, type ModelConfig, modelConfig, patchDim, PRESETS, tokensOf } from "../model/config.ts";
import { webgpuMatmulPeak } from "../model/webgpu.ts";
import { decays, PatchSimilarityModel } from "../model/model.ts";
import type { KernelMode } from "../model/ops.ts";
import { activeBlas, cpuSeconds, openBlas, sgemmPeak } from "../native/mod.ts";
import { AdamW, ADAMW_DEFAULTS } from "../train/adamw.ts";
import { LOSS_DEFAULTS, sampleBatch } from "../train/loss.ts";
import { trainStepAsync } from "../train/step.ts";
import { choice, num, parseCommand, runMain } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { existsSync } from "../util/fs.ts";
import { REPO_ROOT } from "../util/paths.ts";
import { Rng } from "../util/rng.ts";

// ---------------------------------------------------------------------------------------------------------------
// FLOPs, counted from the config.

/** Floating-point operations of the model's matrix products, per image pair. */
export interface FlopCount {
  /** Forward pass: features of both images and the pair's Gram matrix. */
  inferPerPair: number;
  /** One training step: the forward pass plus the backward pass (see {@link modelFlops}). */
  trainPerPair: number;
}

/**
 * The model's FLOPs per image pair, from its config, counting the matrix products only (2 FLOPs per
 * multiply-add); LayerNorm, softmax, GELU, the loss's gather and AdamW are elementwise and left out (< 2% here).
 *
 * With N tokens per image, P values per patch, width d, MLP width h = mlpRatio * d, and B = vitLayers +
 * 2 * mtLayers transformer blocks per image (a Multiplex layer is a self block and a cross block; a cross block
 * costs what a self block does, its keys and values are just the partner image's):
 * ```
 *   per image:  embed      N P d
 *               per block  N d (3d + d + h + h) = N d (4d + 2h)   qkv, output projection, MLP up and down
 *                          2 N^2 d                                 Q K^T and A V over all heads (H * N^2 * d/H each)
 *   per pair:   Gram       (2N)^2 d                                F F^T over the pair's 2N tokens
 *   forward MACs = 2 [N P d + B (N d (4d + 2h) + 2 N^2 d)] + (2N)^2 d
 * ```
 * The backward pass as `lib/model/ops.ts` writes it: every linear layer takes two products (dX = dY W^T,
 * dW = X^T dY) except the embedding, whose input is data (dW only); each attention product takes two (dQ, dK
 * from dS; dP = dO V^T and dV = P^T dO); the Gram matrix one (dF = (dS + dS^T) F). So
 * ```
 *   backward MACs = 2 [N P d + B (2 N d (4d + 2h) + 4 N^2 d)] + (2N)^2 d
 *   train MACs    = forward + backward
 * ```
 * For `small` (N = 256, P = 256, d = 128, h = 512, B = 8): 2.248 GFLOP forward and 6.644 GFLOP per training
 * step per pair. The test checks this against a hand count and against the products tfjs actually runs.
 *
 * @example
 * ```ts
 * const f = modelFlops(modelConfig("small")); // f.inferPerPair = 2.248e9, f.trainPerPair = 6.644e9
 * ```
 */
export function modelFlops(c: ModelConfig): FlopCount {
  const N = tokensOf(c), P = patchDim(c), d = c.dim, h = c.mlpRatio * d, B = c.vitLayers + 2 * c.mtLayers;
  const linear = N * d * (4 * d + 2 * h), attn = 2 * N * N * d, embed = N * P * d, gram = 4 * N * N * d;
  const fwd = 2 * (embed + B * (linear + attn)) + gram;
  const bwd = 2 * (embed + B * (2 * linear + 2 * attn)) + gram;
  return { inferPerPair: 2 * fwd, trainPerPair: 2 * (fwd + bwd) };
}

// ---------------------------------------------------------------------------------------------------------------
// Our measurements.

/** Speed of one measurement of ours. */
export interface SpeedRun {
  pairsPerS: number;
  /** Wall seconds per step (a step = one batch). */
  wallSPerStep: number;
  /** CPU seconds of this process per step, all threads together (null where /proc is absent). */
  cpuSPerStep: number | null;
}

async function measure(batch: number, steps: number, one: () => Promise<void>): Promise<SpeedRun> {
  await one(); // warm-up: first-call costs (kernel set-up, heap growth, shader compilation on WebGPU)
  const t0 = performance.now(), c0 = cpuSeconds();
  for (let s = 0; s < steps; s++) await one();
  const wall = (performance.now() - t0) / 1000, c1 = cpuSeconds();
  return {
    pairsPerS: (batch * steps) / wall,
    wallSPerStep: wall / steps,
    cpuSPerStep: c0 === null || c1 === null ? null : (c1 - c0) / steps,
  };
}

function randomPatches(cfg: ModelConfig, batch: number, rng: Rng): Float32Array {
  const v = new Float32Array(2 * batch * tokensOf(cfg) * patchDim(cfg));
  for (let i = 0; i < v.length; i++) v[i] = rng.float();
  return v;
}

/**
 * Times `steps` training steps (forward, backward, clipping, AdamW) of a fresh model of `cfg` on a random batch
 * of `batch` pairs, after one warm-up step.
 *
 * @example
 * ```ts
 * const r = await timeTrain(modelConfig("small"), 4, 5); // r.pairsPerS, r.cpuSPerStep
 * ```
 */
export async function timeTrain(cfg: ModelConfig, batch: number, steps: number, seed = 1): Promise<SpeedRun> {
  const model = PatchSimilarityModel.create(cfg, seed);
  const opt = new AdamW(model.params, ADAMW_DEFAULTS, decays);
  const N = tokensOf(cfg), rng = new Rng(seed).fork("bench-train");
  const patches = randomPatches(cfg, batch, rng);
  const labels = Int32Array.from({ length: batch * 2 * N }, () => rng.int(0, 24));
  const b = { pairs: batch, patches, labels };
  try {
    // The asynchronous step (one read of loss and gradient norm per step) runs on every backend, WebGPU included.
    return await measure(batch, steps, async () => {
      await trainStepAsync(model, opt, b, sampleBatch(labels, batch, LOSS_DEFAULTS, rng), 1e-4, 1, LOSS_DEFAULTS.tau);
    });
  } finally {
    opt.dispose();
    model.dispose();
  }
}

/**
 * Times `steps` forward passes (`cosineBatch`: patchify, features, the pairs' Gram matrices, read back) of
 * `model` on `batch` random pairs, after one warm-up pass.
 *
 * @example
 * ```ts
 * const r = await timeInfer(model, 4, 10); // r.pairsPerS
 * ```
 */
export function timeInfer(
  model: PatchSimilarityModel,
  batch: number,
  steps: number,
  seed = 1,
): Promise<SpeedRun> {
  const S = model.config.inputSize, rng = new Rng(seed).fork("bench-infer");
  const images = Array.from(
    { length: 2 * batch },
    () => Uint8Array.from({ length: S * S }, () => rng.int(0, 256)),
  );
  return measure(batch, steps, async () => void await model.cosineBatchAsync(images));
}

// ---------------------------------------------------------------------------------------------------------------
// The PyTorch peer.

/** Where the peer lives: `../shared/bench/peer_torch.py` beside the repository. */
export const PEER_SCRIPT = path.resolve(REPO_ROOT, "..", "shared", "bench", "peer_torch.py");
/** Debian's python (the one with torch; the pyenv python first on PATH has none). */
export const PEER_PYTHON = "/usr/bin/python3";
/** The peer's thread count, from its docstring. */
export const PEER_THREADS = 2;

/** One peer run. */
export interface PeerRun {
  mode: "train" | "infer";
  threads: number;
  /** Null when skipped. */
  pairsPerS: number | null;
  wallSPerStep: number | null;
  /** CPU seconds of the peer's process per timed step (null when not measurable). */
  cpuSPerStep: number | null;
  /** The peer's own line, or why it was skipped. */
  note: string;
}

/**
 * Why the peer cannot run at `cfg`'s shape, or null when it can: its model is fixed at 256x256 grayscale
 * input, 16x16 patches, 4 heads and MLP ratio 4 (width and layer counts are arguments).
 */
export function peerShapeMismatch(cfg: ModelConfig): string | null {
  const why: string[] = [];
  if (cfg.inputSize !== 256) why.push(`input ${cfg.inputSize} (peer: 256)`);
  if (cfg.patch !== 16) why.push(`patch ${cfg.patch} (peer: 16)`);
  if (cfg.channels !== 1) why.push(`${cfg.channels} channels (peer: 1)`);
  if (cfg.heads !== 4) why.push(`${cfg.heads} heads (peer: 4)`);
  if (cfg.mlpRatio !== 4) why.push(`MLP ratio ${cfg.mlpRatio} (peer: 4)`);
  return why.length ? `the peer's model has another shape: ${why.join(", ")}` : null;
}

// Runs the peer inside a wrapper that records CPU time (time.process_time) at each of the peer's perf_counter
// calls: the last two bracket its timed loop. torch is imported first, so that import-time calls come before.
const PEER_WRAPPER = `
import sys, time, runpy
import torch
script = sys.argv[1]; sys.argv = sys.argv[1:]
_pc = time.perf_counter; marks = []
def pc():
    w = _pc(); marks.append((w, time.process_time())); return w
time.perf_counter = pc
runpy.run_path(script, run_name="__main__")
if len(marks) >= 2:
    (w0, c0), (w1, c1) = marks[-2], marks[-1]
    print("peer_timed_loop wall=%.6f cpu=%.6f" % (w1 - w0, c1 - c0))
`;

/**
 * Reads the peer's output: its own line (`... s/step=0.812 pairs/s=4.93 threads=2`) and the wrapper's
 * (`peer_timed_loop wall=4.06 cpu=7.9`). CPU seconds per step are the loop's CPU time over its step count
 * (loop wall / s per step, rounded), and null when the two disagree (the wrapper bracketed something else).
 *
 * @example
 * ```ts
 * parsePeerOutput("torch train d=128 B=4 L=4 M=2 s/step=1.000 pairs/s=4.00 threads=2\npeer_timed_loop wall=5.0 cpu=9.0");
 * // { pairsPerS: 4, wallSPerStep: 1, cpuSPerStep: 1.8, threads: 2, line: "torch train ..." }
 * ```
 */
export function parsePeerOutput(
  stdout: string,
):
  | { pairsPerS: number; wallSPerStep: number; cpuSPerStep: number | null; threads: number; line: string }
  | null {
  const line = stdout.split("\n").find((l) => l.startsWith("torch ") && /pairs\/s=/.test(l));
  if (!line) return null;
  const pairsPerS = Number(line.match(/pairs\/s=([\d.]+)/)?.[1]);
  const wallSPerStep = Number(line.match(/s\/step=([\d.]+)/)?.[1]);
  const threads = Number(line.match(/threads=(\d+)/)?.[1] ?? NaN);
  if (!(pairsPerS > 0) || !(wallSPerStep > 0)) return null;
  let cpuSPerStep: number | null = null;
  const m = stdout.match(/peer_timed_loop wall=([\d.]+) cpu=([\d.]+)/);
  if (m) {
    const wall = Number(m[1]), cpu = Number(m[2]), steps = Math.round(wall / wallSPerStep);
    // s/step is printed with 3 decimals: allow that rounding plus 2%.
    if (steps >= 1 && Math.abs(wall / steps - wallSPerStep) <= 0.0005 + 0.02 * wallSPerStep) {
      cpuSPerStep = cpu / steps;
    }
  }
  return { pairsPerS, wallSPerStep, cpuSPerStep, threads, line };
}

/** Options of {@link runPeer}. */
export interface PeerOptions {
  mode: "train" | "infer";
  batch: number;
  threads: number;
  script?: string;
  python?: string;
}

/**
 * Runs the PyTorch peer at `cfg`'s shape (a subprocess, OpenBLAS variables unset as its docstring asks).
 * Never throws: a missing script, python or torch gives `pairsPerS: null` and a note.
 *
 * @example
 * ```ts
 * const p = await runPeer(modelConfig("small"), { mode: "infer", batch: 4, threads: 2 });
 * console.log(p.pairsPerS ?? p.note);
 * ```
 */
export async function runPeer(cfg: ModelConfig, o: PeerOptions): Promise<PeerRun> {
  const script = o.script ?? PEER_SCRIPT, py = o.python ?? PEER_PYTHON;
  const skipped = (why: string): PeerRun => ({
    mode: o.mode,
    threads: o.threads,
    pairsPerS: null,
    wallSPerStep: null,
    cpuSPerStep: null,
    note: `peer skipped: ${why}`,
  });
  const mismatch = peerShapeMismatch(cfg);
  if (mismatch) return skipped(mismatch);
  if (!existsSync(script)) return skipped(`${script} not found`);
  if (!existsSync(py)) return skipped(`${py} not found`);
  const env = { ...Deno.env.toObject() };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const args = [
    String(cfg.dim),
    String(o.batch),
    String(cfg.vitLayers),
    String(cfg.mtLayers),
    String(o.threads),
  ];
  if (o.mode === "infer") args.push("infer");
  let r: Deno.CommandOutput;
  try {
    r = await new Deno.Command(py, {
      args: ["-c", PEER_WRAPPER, script, ...args],
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    return skipped(`${py} not runnable (${(e as Error).message.split("\n")[0]})`);
  }
  const out = new TextDecoder().decode(r.stdout), err = new TextDecoder().decode(r.stderr);
  const p = r.success ? parsePeerOutput(out) : null;
  if (!p) {
    const why = /No module named 'torch'/.test(err)
      ? "python3-torch not installed (apt-get install python3-torch)"
      : err.trim().split("\n").pop() || "no pairs/s in its output";
    return skipped(why);
  }
  return {
    mode: o.mode,
    threads: o.threads,
    pairsPerS: p.pairsPerS,
    wallSPerStep: p.wallSPerStep,
    cpuSPerStep: p.cpuSPerStep,
    note: p.line,
  };
}

/** The mean of two measurements (pairs/s from the mean seconds per step). */
export function meanRun(a: SpeedRun, b: SpeedRun): SpeedRun {
  const wall = (a.wallSPerStep + b.wallSPerStep) / 2;
  const batch = a.pairsPerS * a.wallSPerStep; // pairs per step
  return {
    pairsPerS: batch / wall,
    wallSPerStep: wall,
    cpuSPerStep: a.cpuSPerStep === null || b.cpuSPerStep === null
      ? null
      : (a.cpuSPerStep + b.cpuSPerStep) / 2,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The report.

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

function peerAt(runs: PeerRun[], threads: number): PeerRun | undefined {
  return runs.find((r) => r.threads === threads);
}

/**
 * The JSON summary (the benchmark's last line). Top-level figures are the main path's (the last one: native
 * under `--compare`); ratios are ours / the peer's with {@link PEER_THREADS} threads (`_1t`: with one); the
 * peer's fields are null when it was skipped.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(benchReport(figures))); // {"bench":"train","pairs_per_s":6.9,...}
 * ```
 */
export function benchReport(f: TrainBenchFigures): Record<string, unknown> {
  const main = f.paths[f.paths.length - 1];
  const r = rates(f, main);
  const pt = peerAt(f.peerTrain, PEER_THREADS), pi = peerAt(f.peerInfer, PEER_THREADS);
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
    peer_threads: PEER_THREADS,
    peer_cpu_s_per_step: round(pt?.cpuSPerStep, 4),
    peer_infer_cpu_s_per_step: round(pi?.cpuSPerStep, 4),
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
  for (const p of f.paths) {
    const ratios = threads.map((t) => {
      const a = peerAt(f.peerTrain, t), b = peerAt(f.peerInfer, t);
      return `vs ${t} thread${t > 1 ? "s" : ""}: train ${n(div(p.train.pairsPerS, a?.pairsPerS))}, infer ${
        n(div(p.infer.pairsPerS, b?.pairsPerS))
      }`;
    });
    if (ratios.length) lines.push(`ratio ours (${p.name}) / PyTorch ${ratios.join("; ")}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// The command.

/** Peak resident set (VmHWM) of this process in MB, or NaN where /proc is absent. */
export function peakRssMb(): number {
  try {
    const m = Deno.readTextFileSync("/proc/self/status").match(/VmHWM:\s+(\d+)\s+kB/);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The machine's sgemm peak now (GFLOP/s at 1024^3, about half a second), through the active library or a freshly
 * opened one; null without a BLAS library.
 *
 * @example
 * ```ts
 * const peak = measurePeak(); // e.g. 150.2, or null
 * ```
 */
export function measurePeak(): number | null {
  const blas = activeBlas() ?? openBlas().blas;
  return blas ? sgemmPeak(blas, 1024, 0.5) : null;
}

async function rssProbe(
  backend: BackendKind,
  blas: string,
  kernels: string,
  preset: string,
): Promise<number | null> {
  const probe = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      path.join(REPO_ROOT, "lib/cli/bench_train.ts"),
      "--rss-probe",
      "--batch",
      "8",
      "--backend",
      backend,
      "--blas",
      blas,
      "--kernels",
      kernels,
      "--preset",
      preset,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  try {
    return JSON.parse(new TextDecoder().decode(probe.stdout).trim().split("\n").pop()!).peak_rss_mb;
  } catch {
    console.log(`rss probe failed: ${new TextDecoder().decode(probe.stderr).trim().split("\n").pop()}`);
    return null;
  }
}

/** Runs the command. */
export async function benchTrainCommand(args: string[]): Promise<void> {
  const a = parseCommand(args, {
    name: "bench:train",
    summary: "train and inference pairs/s of the small preset vs the PyTorch peer (same shape, same run), " +
      "GFLOP/s against the sgemm peak, peak RSS at batch 8",
    usage: "deno task bench:train [--batch 4] [--steps 5] [--infer-steps 10] [--blas auto|off] " +
      "[--kernels auto|fast|tf] [--compare]",
    options: {
      batch: { type: "string", help: "pairs per step (the peer's default is 4)", default: "4" },
      preset: {
        type: "string",
        help: `model preset (${Object.keys(PRESETS).join("|")}; the peer runs at small's shape only)`,
        default: "small",
      },
      steps: { type: "string", help: "timed training steps per measurement (after 1 warm-up)", default: "5" },
      "infer-steps": {
        type: "string",
        help: "timed forward passes per measurement (after 1 warm-up)",
        default: "10",
      },
      backend: { type: "string", help: `tfjs backend (${BACKEND_KINDS.join("|")})`, default: "auto" },
      blas: { type: "string", help: "native BLAS under wasm (auto|off)", default: "auto" },
      kernels: {
        type: "string",
        help: "kernel flavour (auto|fast|tf; auto: fast on stock wasm, tf on native)",
        default: "auto",
      },
      compare: {
        type: "boolean",
        help: "time our two paths in one run: stock wasm kernels, then native BLAS (wasm only)",
      },
      "peer-1t": { type: "string", help: "also run the peer with 1 thread (yes|no)", default: "yes" },
      "rss-probe": { type: "boolean", help: "(internal) run two steps at --batch and print peak RSS" },
    },
    examples: [
      "deno task bench:train",
      "deno task bench:train --compare",
      "deno task bench:train --blas off --kernels fast --steps 3",
    ],
  });
  const batch = num(a, "batch", { def: 4, min: 1, integer: true });
  const steps = num(a, "steps", { def: 5, min: 1, integer: true });
  const inferSteps = num(a, "infer-steps", { def: 10, min: 1, integer: true });
  const backend = choice(a, "backend", BACKEND_KINDS, "auto") as BackendKind;
  const blas = choice(a, "blas", ["auto", "off"] as const, "auto");
  const kernels = choice(a, "kernels", ["auto", "fast", "tf"] as const, "auto");
  const peer1t = choice(a, "peer-1t", ["yes", "no"] as const, "yes") === "yes";
  const compare = a.values.compare === true;
  const cfg = modelConfig(choice(a, "preset", Object.keys(PRESETS), "small"));
  if (a.values["rss-probe"]) {
    await initBackend({ backend, blas, kernels, log: null });
    await timeTrain(cfg, batch, 1);
    console.log(JSON.stringify({ peak_rss_mb: peakRssMb() }));
    return;
  }
  if (compare && backend !== "auto" && backend !== "wasm") {
    throw new UserError(
      `--compare times the wasm backend's two paths; it does not apply to --backend ${backend}`,
    );
  }
  // Our paths, in the order they run: under --compare stock wasm first, the main path (native) last.
  const wanted: ("auto" | "off")[] = compare ? ["off", "auto"] : [blas];
  const init = (b: "auto" | "off", log: boolean): Promise<BackendInfo> =>
    initBackend({ backend: compare ? "wasm" : backend, blas: b, kernels, log: log ? undefined : null });
  const infos: BackendInfo[] = [];
  for (const b of wanted) infos.push(await init(b, true));
  if (compare && !infos[1].native?.active) {
    console.log(`--compare: the native path is not available (${infos[1].native?.reason}); stock wasm only`);
    wanted.pop();
    infos.pop();
  }
  const flops = modelFlops(cfg);
  console.log(
    `model: ${cfg.preset} (d=${cfg.dim}, ${cfg.heads} heads of ${
      headDim(cfg)
    }, ${cfg.vitLayers} ViT + ${cfg.mtLayers}` +
      ` Multiplex layers, ${tokensOf(cfg)} tokens per image); per pair ${
        (flops.inferPerPair / 1e9).toFixed(3)
      } ` +
      `GFLOP forward, ${
        (flops.trainPerPair / 1e9).toFixed(3)
      } GFLOP per training step (matrix products, analytic)`,
  );
  const peaks: number[] = [];
  // On WebGPU the peak is tfjs-webgpu's own matMul at 2048^3 on this GPU (what its kernels can reach), not sgemm.
  const gpu = infos[infos.length - 1].backend === "webgpu";
  const peakNow = async () => {
    const p = gpu ? await webgpuMatmulPeak(2048) : measurePeak();
    if (p !== null) peaks.push(p);
    return p;
  };
  const p0 = await peakNow();
  console.log(
    gpu
      ? `matMul peak (tfjs-webgpu, 2048^3, float32): ${p0!.toFixed(1)} GFLOP/s (the "peak" below)`
      : p0 === null
      ? "sgemm peak: no BLAS library (GFLOP/s are shown without a peak)"
      : `sgemm peak (1024^3, ${activeBlas()?.threads() || openBlas().blas?.threads() || "?"} threads): ${
        p0.toFixed(1)
      } GFLOP/s`,
  );

  const log = (what: string, r: SpeedRun) =>
    console.log(
      `  ${what}: ${r.pairsPerS.toFixed(2)} pairs/s, ${r.wallSPerStep.toFixed(3)} s/step wall, ${
        r.cpuSPerStep === null ? "-" : r.cpuSPerStep.toFixed(3)
      } s/step CPU`,
    );
  const runOurs = async (seed: number) => {
    const out: { train: SpeedRun; infer: SpeedRun }[] = [];
    for (let i = 0; i < wanted.length; i++) {
      const info = await init(wanted[i], false);
      const name = pathName(info);
      const train = await timeTrain(cfg, batch, steps, seed);
      log(`ours ${name} train`, train);
      const model = PatchSimilarityModel.create(cfg, seed);
      const infer = await timeInfer(model, batch, inferSteps, seed);
      model.dispose();
      log(`ours ${name} infer`, infer);
      out.push({ train, infer });
    }
    return out;
  };
  // Ours, the peer, ours again: the mean of ours brackets the peer's measurements in time.
  const first = await runOurs(1);
  const peerTrain: PeerRun[] = [], peerInfer: PeerRun[] = [];
  for (const threads of peer1t ? [PEER_THREADS, 1] : [PEER_THREADS]) {
    for (const mode of ["train", "infer"] as const) {
      const r = await runPeer(cfg, { mode, batch, threads });
      (mode === "train" ? peerTrain : peerInfer).push(r);
      console.log(`  ${r.note}${r.cpuSPerStep === null ? "" : ` (CPU ${r.cpuSPerStep.toFixed(3)} s/step)`}`);
      if (r.pairsPerS === null) break;
    }
    if (peerTrain[peerTrain.length - 1].pairsPerS === null) break; // skipped: no point in trying again
  }
  const second = await runOurs(2);
  await peakNow();
  const paths: PathFigures[] = infos.map((info, i) => ({
    name: pathName(info),
    line: info.line,
    kernels: info.kernels,
    native: info.native?.active ?? false,
    train: meanRun(first[i].train, second[i].train),
    infer: meanRun(first[i].infer, second[i].infer),
  }));
  const main = infos[infos.length - 1];
  // Peak RSS at batch 8 in a fresh process (this one's high-water mark includes the runs above).
  // Not on WebGPU: the host's RSS says little about GPU memory there.
  const peakRss = gpu
    ? null
    : await rssProbe(compare ? "wasm" : backend, wanted[wanted.length - 1], kernels, cfg.preset);
  const figures: TrainBenchFigures = {
    cfg,
    batch,
    flops,
    // The higher of the two measurements (start and end of the run): the least disturbed one.
    sgemmPeak: peaks.length ? Math.max(...peaks) : null,
    paths,
    peerTrain,
    peerInfer,
    peakRssMb: peakRss,
    backend: main.backend,
  };
  console.log("");
  for (const l of formatTable(figures)) console.log(l);
  if (figures.sgemmPeak !== null) {
    console.log(`sgemm peak in this run: ${figures.sgemmPeak.toFixed(1)} GFLOP/s (higher of start and end)`);
  }
  if (peakRss !== null) console.log(`peak RSS of a training step at batch 8: ${peakRss.toFixed(0)} MB`);
  console.log(JSON.stringify(benchReport(figures)));
}

function pathName(info: BackendInfo): string {
  if (info.backend !== "wasm") return info.backend;
  return info.native?.active ? "native" : "stock wasm";
}

if (import.meta.main) runMain(() => benchTrainCommand(Deno.args));
