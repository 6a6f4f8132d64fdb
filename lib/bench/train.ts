/**
 * `deno task bench:train`'s run: training and inference speed of a preset (`small` by default) against the
 * PyTorch peer (`lib/bench/peers/peer_torch.py`) at the same shape and batch, measured in the same run, with
 * the peer at each of its thread settings ({@link PEER_THREAD_SETTINGS}: 2 and 1) and the ratios against each
 * and against the best; the GFLOP/s our training step and forward pass reach (FLOPs counted analytically,
 * `modelFlops`) against the machine's sgemm peak measured in this run (OpenBLAS at 1024^3; on WebGPU the tfjs
 * matMul peak); CPU seconds per step beside wall time; and the peak RSS of a training step at batch 8 (a fresh
 * subprocess, `rss_probe.ts`).
 *
 * Our figures: forward, backward, clipping and AdamW on random inputs (like the peer) for training; the pair
 * similarity (`cosineBatch`) for inference. `compare` runs our two paths in one invocation (stock wasm kernels,
 * then the native BLAS path). Our figures are the mean of two measurements taken before and after the peer's,
 * so both sides see the same machine load; on a shared machine quote ratios, not absolute figures.
 *
 * @module
 */
import { type BackendInfo, type BackendKind, initBackend } from "../model/backend.ts";
import { headDim, type ModelConfig, tokensOf } from "../model/config.ts";
import { modelFlops } from "../model/flops.ts";
import { PatchSimilarityModel } from "../model/model.ts";
import { webgpuMatmulPeak } from "../model/webgpu.ts";
import { activeBlas, openBlas } from "../native/mod.ts";
import { UserError } from "../util/errors.ts";
import { PEER_THREAD_SETTINGS, type PeerRun, runPeer } from "./peer.ts";
import { rssProbe } from "./rss_probe.ts";
import { meanRun, measurePeak, type SpeedRun, timeInfer, timeTrain } from "./timing.ts";
import type { PathFigures, TrainBenchFigures } from "./train_report.ts";

/** Settings of {@link runTrainBench}. */
export interface TrainBenchOptions {
  cfg: ModelConfig;
  /** Pairs per step, ours and the peer's. */
  batch: number;
  /** Timed training steps per measurement (after 1 warm-up). */
  steps: number;
  /** Timed forward passes per measurement (after 1 warm-up). */
  inferSteps: number;
  backend: BackendKind;
  blas: "auto" | "off";
  kernels: "auto" | "fast" | "tf";
  /** Our two paths (stock wasm, then native) in one run. */
  compare: boolean;
  /** The peer's thread settings (default {@link PEER_THREAD_SETTINGS}; [] for none). */
  peerThreads?: readonly number[];
  /** Where progress lines go (default: stdout). */
  log?: (line: string) => void;
}

/** OpenBLAS variables the peer runs without (`peer.ts`); ours runs without them too. */
export const PEER_CLEARED_BLAS_ENV = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"] as const;

/**
 * Clears {@link PEER_CLEARED_BLAS_ENV} before our BLAS library loads, so that both sides run the kernels
 * OpenBLAS picks for this CPU: the peer is started without them, and a forced `OPENBLAS_CORETYPE=Haswell` (this
 * workplace's environment sets it) gives ours AVX2 kernels at about half the speed of the `SkylakeX` ones
 * OpenBLAS detects on its AMD EPYC, while the peer gets those. Says what it cleared. No effect once the library
 * is loaded (it reads them at load).
 */
export function sameBlasEnvironmentAsPeer(say: (line: string) => void): void {
  const cleared: string[] = [];
  for (const k of PEER_CLEARED_BLAS_ENV) {
    const v = Deno.env.get(k);
    if (v === undefined) continue;
    Deno.env.delete(k);
    cleared.push(`${k}=${v}`);
  }
  if (cleared.length) {
    say(
      `OpenBLAS environment as the peer's: cleared ${cleared.join(", ")} (OpenBLAS detects the CPU itself)`,
    );
  }
}

/** The name of one of our paths: `stock wasm`, `native`, or the backend off wasm. */
export function pathName(info: BackendInfo): string {
  if (info.backend !== "wasm") return info.backend;
  return info.native?.active ? "native" : "stock wasm";
}

/**
 * Runs the benchmark: ours, the peer at each thread setting, ours again; returns every figure.
 *
 * @example
 * ```ts
 * const f = await runTrainBench({ cfg: modelConfig("small"), batch: 4, steps: 5, inferSteps: 10,
 *   backend: "auto", blas: "auto", kernels: "auto", compare: true });
 * console.log(formatTable(f).join("\n"));
 * ```
 */
export async function runTrainBench(o: TrainBenchOptions): Promise<TrainBenchFigures> {
  const say = o.log ?? ((l: string) => console.log(l));
  sameBlasEnvironmentAsPeer(say);
  const { cfg, batch, compare } = o;
  if (compare && o.backend !== "auto" && o.backend !== "wasm") {
    throw new UserError(
      `--compare times the wasm backend's two paths; it does not apply to --backend ${o.backend}`,
    );
  }
  // Our paths, in the order they run: under compare stock wasm first, the main path (native) last.
  const wanted: ("auto" | "off")[] = compare ? ["off", "auto"] : [o.blas];
  const init = (b: "auto" | "off", log: boolean): Promise<BackendInfo> =>
    initBackend({
      backend: compare ? "wasm" : o.backend,
      blas: b,
      kernels: o.kernels,
      log: log ? undefined : null,
    });
  const infos: BackendInfo[] = [];
  for (const b of wanted) infos.push(await init(b, true));
  if (compare && !infos[1].native?.active) {
    say(`--compare: the native path is not available (${infos[1].native?.reason}); stock wasm only`);
    wanted.pop();
    infos.pop();
  }
  const flops = modelFlops(cfg);
  say(
    `model: ${cfg.preset} (d=${cfg.dim}, ${cfg.heads} heads of ${headDim(cfg)}, ${cfg.vitLayers} ViT + ` +
      `${cfg.mtLayers} Multiplex layers, ${tokensOf(cfg)} tokens per image); per pair ` +
      `${(flops.inferPerPair / 1e9).toFixed(3)} GFLOP forward, ${(flops.trainPerPair / 1e9).toFixed(3)} ` +
      "GFLOP per training step (matrix products, analytic)",
  );
  const peaks: number[] = [];
  // On WebGPU the peak is tfjs-webgpu's own matMul at 2048^3 on this GPU (what its kernels can reach), not sgemm.
  const gpu = infos[infos.length - 1].backend === "webgpu";
  const softGpu = gpu && infos[infos.length - 1].line.includes("software:");
  const peakNow = async () => {
    // 512^3 on a software adapter (llvmpipe: ~2.6 GFLOP/s, a 2048^3 product would take seconds each).
    const p = gpu ? await webgpuMatmulPeak(softGpu ? 512 : 2048) : measurePeak();
    if (p !== null) peaks.push(p);
    return p;
  };
  const p0 = await peakNow();
  say(
    gpu
      ? `matMul peak (tfjs-webgpu, ${softGpu ? 512 : 2048}^3, float32): ${
        p0!.toFixed(1)
      } GFLOP/s (the "peak" below)`
      : p0 === null
      ? "sgemm peak: no BLAS library (GFLOP/s are shown without a peak)"
      : `sgemm peak (1024^3, ${activeBlas()?.threads() || openBlas().blas?.threads() || "?"} threads): ${
        p0.toFixed(1)
      } GFLOP/s`,
  );
  const line = (what: string, r: SpeedRun) =>
    say(
      `  ${what}: ${r.pairsPerS.toFixed(2)} pairs/s, ${r.wallSPerStep.toFixed(3)} s/step wall, ${
        r.cpuSPerStep === null ? "-" : r.cpuSPerStep.toFixed(3)
      } s/step CPU`,
    );
  const runOurs = async (seed: number) => {
    const out: { train: SpeedRun; infer: SpeedRun }[] = [];
    for (let i = 0; i < wanted.length; i++) {
      const info = await init(wanted[i], false);
      const name = pathName(info);
      const train = await timeTrain(cfg, batch, o.steps, seed);
      line(`ours ${name} train`, train);
      const model = PatchSimilarityModel.create(cfg, seed);
      const infer = await timeInfer(model, batch, o.inferSteps, seed);
      model.dispose();
      line(`ours ${name} infer`, infer);
      out.push({ train, infer });
    }
    return out;
  };
  // Ours, the peer, ours again: the mean of ours brackets the peer's measurements in time.
  const first = await runOurs(1);
  const peerTrain: PeerRun[] = [], peerInfer: PeerRun[] = [];
  for (const threads of o.peerThreads ?? PEER_THREAD_SETTINGS) {
    for (const mode of ["train", "infer"] as const) {
      const r = await runPeer(cfg, { mode, batch, threads });
      (mode === "train" ? peerTrain : peerInfer).push(r);
      say(`  ${r.note}${r.cpuSPerStep === null ? "" : ` (CPU ${r.cpuSPerStep.toFixed(3)} s/step)`}`);
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
  // Peak RSS at batch 8 in a fresh process (this one's high-water mark includes the runs above); not on
  // WebGPU, where the host's RSS says little about GPU memory.
  const peakRss = gpu ? null : await rssProbe({
    batch: 8,
    backend: compare ? "wasm" : o.backend,
    blas: wanted[wanted.length - 1],
    kernels: o.kernels,
    preset: cfg.preset,
  });
  return {
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
}
