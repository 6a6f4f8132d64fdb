/**
 * Where a training step's GPU time goes on the WebGPU backend: one forward + backward pass (gradients and
 * their norm, no read-back) under `tf.time`, which on a device with the `timestamp-query` feature times every
 * shader dispatch; the times are summed by shader program (tfjs-webgpu's program classes: `MatMulPackedProgram`,
 * `BinaryOpProgram`, `SoftmaxProgram`, ...) and set against the step's wall time (the rest is the CPU's work:
 * recording, dispatching, uploads, the read-back). This is the profile that decides whether a hand-written
 * WebGPU kernel is worth writing.
 *
 * ```sh
 * deno run -A lib/bench/webgpu_profile.ts --preset paper --batch 4   # prints one JSON line
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../model/backend.ts";
import { modelConfig, patchDim, PRESETS, tokensOf } from "../model/config.ts";
import { decays, PatchSimilarityModel } from "../model/model.ts";
import { AdamW, ADAMW_DEFAULTS, globalNormSquared } from "../train/adamw.ts";
import { contrastiveLoss, LOSS_DEFAULTS, sampleBatch } from "../train/loss.ts";
import { trainStepAsync } from "../train/step.ts";
import { choice, num, parseCommand, runMain } from "../util/cli.ts";
import { Rng } from "../util/rng.ts";

/** One program's share. */
export interface ProgramTime {
  name: string;
  ms: number;
  dispatches: number;
}

/**
 * Sums per-dispatch times by program name, largest first.
 *
 * @example
 * ```ts
 * byProgram([{ name: "A", ms: 1 }, { name: "A", ms: 2 }]); // [{ name: "A", ms: 3, dispatches: 2 }]
 * ```
 */
export function byProgram(items: { name: string; ms: number }[]): ProgramTime[] {
  const m = new Map<string, ProgramTime>();
  for (const { name, ms } of items) {
    const p = m.get(name) ?? { name, ms: 0, dispatches: 0 };
    p.ms += ms;
    p.dispatches++;
    m.set(name, p);
  }
  return [...m.values()].sort((a, b) => b.ms - a.ms);
}

/**
 * Parses tfjs-webgpu's per-dispatch profile string ("MatMulPackedProgram: 0.52, BinaryOpProgram: 0.01, ...").
 *
 * @example
 * ```ts
 * parseProfileInfo("A: 1.5, B: 2"); // [{ name: "A", ms: 1.5 }, { name: "B", ms: 2 }]
 * ```
 */
export function parseProfileInfo(s: string): { name: string; ms: number }[] {
  if (!s.trim()) return [];
  return s.split(", ").map((e) => {
    const k = e.lastIndexOf(": ");
    return { name: k < 0 ? e : e.slice(0, k), ms: k < 0 ? NaN : Number(e.slice(k + 2)) };
  }).filter((e) => Number.isFinite(e.ms));
}

async function main(args: string[]): Promise<void> {
  const a = parseCommand(args, {
    name: "webgpu_profile",
    summary: "GPU time of one training step by shader program (WebGPU, timestamp queries)",
    usage: "deno run -A lib/bench/webgpu_profile.ts [--preset small|paper] [--batch 4]",
    options: {
      preset: { type: "string", help: "model preset", default: "small" },
      batch: { type: "string", help: "pairs per step", default: "4" },
    },
    examples: ["deno run -A lib/bench/webgpu_profile.ts --preset paper --batch 4"],
  });
  const cfg = modelConfig(choice(a, "preset", Object.keys(PRESETS), "small"));
  const batch = num(a, "batch", { def: 4, min: 1, integer: true });
  const info = await initBackend({ backend: "webgpu", kernels: "auto" });
  const N = tokensOf(cfg), P = patchDim(cfg), rng = new Rng(3).fork("profile");
  const patches = Float32Array.from({ length: 2 * batch * N * P }, () => rng.float());
  const labels = Int32Array.from({ length: batch * 2 * N }, () => rng.int(0, 24));
  const b = { pairs: batch, patches, labels };
  const model = PatchSimilarityModel.create(cfg, 1);
  const opt = new AdamW(model.params, ADAMW_DEFAULTS, decays);
  const step = () =>
    trainStepAsync(model, opt, b, sampleBatch(labels, batch, LOSS_DEFAULTS, rng), 1e-4, 1, 0.07);
  await step(); // compile every shader first
  const w0 = performance.now();
  await step();
  const wallMs = performance.now() - w0;
  const x = tf.tensor2d(patches, [2 * batch * N, P]);
  const sample = sampleBatch(labels, batch, LOSS_DEFAULTS, rng);
  // Wall time by phase (works without timestamp queries): forward to the loss; forward + backward to the
  // gradient norm; the rest of a step is clipping and AdamW.
  const phase = async (f: () => tf.Tensor) => {
    await tf.tidy(f).data(); // warm
    const t0 = performance.now();
    const t = tf.tidy(f);
    await t.data();
    t.dispose();
    return performance.now() - t0;
  };
  const fwdMs = await phase(() =>
    contrastiveLoss(model.features(x, 2 * batch), sample, batch, LOSS_DEFAULTS.tau)
  );
  const fwdBwdMs = await phase(() => {
    const { value, grads } = tf.variableGrads(
      () => contrastiveLoss(model.features(x, 2 * batch), sample, batch, LOSS_DEFAULTS.tau),
      model.variables(),
    );
    return tf.add(value, globalNormSquared(new Map(Object.entries(grads))));
  });
  const timing = await tf.time(() => {
    const { value, grads } = tf.variableGrads(
      () => contrastiveLoss(model.features(x, 2 * batch), sample, batch, LOSS_DEFAULTS.tau),
      model.variables(),
    );
    const g = new Map(Object.entries(grads));
    const sq = globalNormSquared(g);
    for (const t of [value, sq, ...g.values()]) t.dispose();
  });
  x.dispose();
  // tfjs-webgpu's getExtraProfileInfo gives "Program: ms, Program: ms, ..." (one entry per dispatch).
  const infoText = (timing as unknown as { getExtraProfileInfo?: () => string }).getExtraProfileInfo?.() ??
    "";
  const extra = parseProfileInfo(infoText);
  const programs = byProgram(extra);
  const gpuMs = programs.reduce((s, p) => s + p.ms, 0);
  opt.dispose();
  model.dispose();
  const report = {
    bench: "webgpu_profile",
    preset: cfg.preset,
    batch,
    backend_line: info.line,
    timestamps: extra.length > 0 && gpuMs > 0,
    step_wall_ms: +wallMs.toFixed(1),
    forward_wall_ms: +fwdMs.toFixed(1),
    forward_backward_wall_ms: +fwdBwdMs.toFixed(1),
    fwd_bwd_wall_ms: +timing.wallMs.toFixed(1),
    fwd_bwd_gpu_ms: +gpuMs.toFixed(1),
    dispatches: extra.length,
    programs: programs.slice(0, 15).map((p) => ({
      name: p.name,
      ms: +p.ms.toFixed(2),
      share: gpuMs > 0 ? +(p.ms / gpuMs).toFixed(4) : null,
      dispatches: p.dispatches,
    })),
  };
  for (const p of report.programs) {
    console.error(`  ${p.name.padEnd(36)} ${p.ms.toFixed(1).padStart(9)} ms  x${p.dispatches}`);
  }
  console.log(JSON.stringify(report));
}

if (import.meta.main) runMain(() => main(Deno.args));
