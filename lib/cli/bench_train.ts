/**
 * `deno task bench:train`: training speed of the `small` preset (forward, backward, clipping, AdamW on random
 * inputs, like the peer), the PyTorch peer's speed at the same shape in the same run
 * (`../shared/bench/peer_torch.py`, skipped with a note when it or python3-torch is absent), their ratio, and the
 * peak RSS of a training step at batch 8 (measured in a fresh subprocess, from /proc/self/status VmHWM).
 * The machine may be shared: quote the ratio, not the absolute figures. The last line is one JSON object.
 *
 * @module
 */
import * as path from "node:path";
import process from "node:process";
import * as tf from "@tensorflow/tfjs-core";
import { BACKEND_KINDS, type BackendKind, initBackend } from "../model/backend.ts";
import { modelConfig, patchDim, tokensOf } from "../model/config.ts";
import { decays, PatchSimilarityModel } from "../model/model.ts";
import { AdamW, ADAMW_DEFAULTS } from "../train/adamw.ts";
import { LOSS_DEFAULTS, sampleBatch } from "../train/loss.ts";
import { trainStep } from "../train/step.ts";
import { choice, num, parseCommand, runMain } from "../util/cli.ts";
import { existsSync } from "../util/fs.ts";
import { REPO_ROOT } from "../util/paths.ts";
import { Rng } from "../util/rng.ts";

/** Peak resident set (VmHWM) of this process in MB, or NaN where /proc is absent. */
export function peakRssMb(): number {
  try {
    const m = Deno.readTextFileSync("/proc/self/status").match(/VmHWM:\s+(\d+)\s+kB/);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/** Times `steps` training steps of the small preset at batch `batch` (after one warm-up step). */
function timeOurs(
  batch: number,
  steps: number,
  seed = 1,
): { pairsPerS: number; cpuPairsPerS: number; loss: number } {
  const cfg = modelConfig("small");
  const model = PatchSimilarityModel.create(cfg, seed);
  const opt = new AdamW(model.params, ADAMW_DEFAULTS, decays);
  const N = tokensOf(cfg), rng = new Rng(seed);
  const patches = new Float32Array(2 * batch * N * patchDim(cfg));
  for (let i = 0; i < patches.length; i++) patches[i] = rng.float();
  const labels = new Int32Array(batch * 2 * N);
  for (let i = 0; i < labels.length; i++) labels[i] = rng.int(0, 24);
  const b = { pairs: batch, patches, labels };
  const one = () =>
    trainStep(model, opt, b, sampleBatch(labels, batch, LOSS_DEFAULTS, rng), 1e-4, 1, LOSS_DEFAULTS.tau);
  one();
  const t0 = performance.now(), c0 = cpuMs();
  let loss = 0;
  for (let s = 0; s < steps; s++) loss = one().loss;
  const wall = (performance.now() - t0) / 1000, cpu = (cpuMs() - c0) / 1000;
  opt.dispose();
  model.dispose();
  return { pairsPerS: (batch * steps) / wall, cpuPairsPerS: (batch * steps) / cpu, loss };
}

/** The peer's pairs/s, or a note saying why not. */
async function timePeer(batch: number, threads: number): Promise<{ pairsPerS: number | null; note: string }> {
  const script = path.resolve(REPO_ROOT, "..", "shared", "bench", "peer_torch.py");
  const py = "/usr/bin/python3";
  if (!existsSync(script)) return { pairsPerS: null, note: `peer skipped: ${script} not found` };
  if (!existsSync(py)) return { pairsPerS: null, note: `peer skipped: ${py} not found` };
  const env = { ...Deno.env.toObject() };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = await new Deno.Command(py, {
    args: [script, "128", String(batch), "4", "2", String(threads)],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(r.stdout), err = new TextDecoder().decode(r.stderr);
  const m = out.match(/pairs\/s=([\d.]+)/);
  if (!r.success || !m) {
    const why = /No module named 'torch'/.test(err)
      ? "python3-torch not installed (apt-get install python3-torch)"
      : err.trim().split("\n").pop();
    return { pairsPerS: null, note: `peer skipped: ${why}` };
  }
  return { pairsPerS: Number(m[1]), note: out.trim() };
}

/** Runs the command. */
export async function benchTrainCommand(args: string[]): Promise<void> {
  const a = parseCommand(args, {
    name: "bench:train",
    summary:
      "training pairs/s of the small preset vs the PyTorch peer (same shape, same run), peak RSS at batch 8",
    usage: "deno task bench:train [--batch 4] [--steps 5] [--backend auto] [--blas auto|off]",
    options: {
      batch: { type: "string", help: "pairs per step (the peer's default is 4)", default: "4" },
      steps: { type: "string", help: "timed steps per measurement", default: "5" },
      threads: { type: "string", help: "threads of the peer", default: "2" },
      backend: { type: "string", help: `tfjs backend (${BACKEND_KINDS.join("|")})`, default: "auto" },
      blas: { type: "string", help: "native BLAS under wasm (auto|off)", default: "auto" },
      kernels: { type: "string", help: "kernel flavour (auto|fast|tf)", default: "auto" },
      "rss-probe": { type: "boolean", help: "(internal) run two steps at --batch and print peak RSS" },
    },
  });
  const batch = num(a, "batch", { def: 4, min: 1, integer: true });
  const steps = num(a, "steps", { def: 5, min: 1, integer: true });
  const threads = num(a, "threads", { def: 2, min: 1, integer: true });
  const backend = choice(a, "backend", BACKEND_KINDS, "auto") as BackendKind;
  const blas = choice(a, "blas", ["auto", "off"] as const, "auto");
  const kernels = choice(a, "kernels", ["auto", "fast", "tf"] as const, "auto");
  const info = await initBackend({ backend, blas, kernels, log: a.values["rss-probe"] ? null : undefined });
  if (a.values["rss-probe"]) {
    timeOurs(batch, 1);
    console.log(JSON.stringify({ peak_rss_mb: peakRssMb() }));
    return;
  }
  // Ours, the peer, ours again: the mean of ours brackets the peer's measurement in time.
  const o1 = timeOurs(batch, steps);
  console.log(
    `ours  train small B=${batch}: ${o1.pairsPerS.toFixed(2)} pairs/s (cpu-time ${
      o1.cpuPairsPerS.toFixed(2)
    })`,
  );
  const peer = await timePeer(batch, threads);
  console.log(peer.note);
  const o2 = timeOurs(batch, steps, 2);
  console.log(
    `ours  train small B=${batch}: ${o2.pairsPerS.toFixed(2)} pairs/s (cpu-time ${
      o2.cpuPairsPerS.toFixed(2)
    })`,
  );
  const ours = (o1.pairsPerS + o2.pairsPerS) / 2;
  // Peak RSS at batch 8 in a fresh process (this one's high-water mark includes the runs above).
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
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  let peakRss: number | null = null;
  try {
    peakRss = JSON.parse(new TextDecoder().decode(probe.stdout).trim().split("\n").pop()!).peak_rss_mb;
  } catch {
    console.log(`rss probe failed: ${new TextDecoder().decode(probe.stderr).trim().split("\n").pop()}`);
  }
  const ratio = peer.pairsPerS ? ours / peer.pairsPerS : null;
  if (ratio !== null) console.log(`ratio ours/peer: ${ratio.toFixed(2)}`);
  if (peakRss !== null) console.log(`peak RSS of a training step at batch 8: ${peakRss.toFixed(0)} MB`);
  console.log(JSON.stringify({
    bench: "train",
    pairs_per_s: +ours.toFixed(3),
    peer_pairs_per_s: peer.pairsPerS,
    ratio: ratio === null ? null : +ratio.toFixed(3),
    peak_rss_mb: peakRss === null ? null : +peakRss.toFixed(0),
    batch,
    backend: info.backend,
    kernels: info.kernels,
    native_blas: info.native?.active ?? false,
    tfjs_version: tf.version_core,
  }));
}

if (import.meta.main) runMain(() => benchTrainCommand(Deno.args));
