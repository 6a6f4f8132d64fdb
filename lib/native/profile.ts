/**
 * Where the time of a tfjs computation goes, kernel by kernel: `tf.profile` timings summed per kernel name (or
 * per name and input shapes), largest first. For finding the hot spots of a training step.
 *
 * `tf.customGrad` ops show up in `tf.profile` as kernels named `forward` (under a gradient computation) or
 * `unnamed scope` (outside one) whose time includes the kernels they run; they are reported apart
 * (`wrapperMs`) and left out of the totals and shares.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Names under which `tf.profile` records `tf.customGrad` wrappers (their time includes nested kernels). */
export const WRAPPER_KERNEL_NAMES: readonly string[] = ["forward", "unnamed scope"];

/** One line of a profile. */
export interface KernelProfileRow {
  /** Kernel name, plus input shapes when grouped by shape. */
  key: string;
  ms: number;
  calls: number;
  /** Share of the summed kernel time, 0..1. */
  share: number;
}

/** A whole profile. */
export interface KernelProfile {
  /** Wall time of the profiled call (includes tfjs's own bookkeeping and the profiler's). */
  wallMs: number;
  /** Sum of the kernels' times (wrappers excluded). */
  kernelMs: number;
  kernelCalls: number;
  /** Time of `tf.customGrad` wrappers, which already contains kernels counted above. */
  wrapperMs: number;
  wrapperCalls: number;
  rows: KernelProfileRow[];
}

/**
 * Runs `f` under `tf.profile` and groups kernel times.
 *
 * @example
 * ```ts
 * const p = await profileKernels(() => trainStepOnce(), { byShape: true });
 * console.log(formatProfile(p, 20));
 * ```
 */
export async function profileKernels(
  f: () => void | tf.TensorContainer,
  opts: { byShape?: boolean } = {},
): Promise<KernelProfile> {
  const t0 = performance.now();
  const info = await tf.profile(() => {
    const r = f();
    return (r ?? []) as tf.TensorContainer;
  });
  const wallMs = performance.now() - t0;
  const groups = new Map<string, { ms: number; calls: number }>();
  let kernelMs = 0, wrapperMs = 0, wrapperCalls = 0, kernelCalls = 0;
  for (const k of info.kernels) {
    if (WRAPPER_KERNEL_NAMES.includes(k.name)) {
      wrapperMs += Number(k.kernelTimeMs) || 0;
      wrapperCalls++;
      continue;
    }
    kernelCalls++;
    const key = opts.byShape ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
    const ms = Number(k.kernelTimeMs) || 0;
    const g = groups.get(key) ?? { ms: 0, calls: 0 };
    g.ms += ms;
    g.calls++;
    groups.set(key, g);
    kernelMs += ms;
  }
  const rows = [...groups.entries()]
    .map(([key, g]) => ({ key, ms: g.ms, calls: g.calls, share: kernelMs > 0 ? g.ms / kernelMs : 0 }))
    .sort((a, b) => b.ms - a.ms);
  return { wallMs, kernelMs, kernelCalls, wrapperMs, wrapperCalls, rows };
}

/** A fixed-width table of the `top` rows, with a header line of totals. */
export function formatProfile(p: KernelProfile, top = 25): string {
  const width = Math.max(20, ...p.rows.slice(0, top).map((r) => r.key.length));
  const lines = [
    `wall ${p.wallMs.toFixed(1)} ms, kernels ${p.kernelMs.toFixed(1)} ms in ${p.kernelCalls} calls` +
    (p.wrapperMs > 0
      ? ` (customGrad wrappers ${p.wrapperMs.toFixed(1)} ms, nested kernels included above)`
      : ""),
    `${"kernel".padEnd(width)} ${"ms".padStart(9)} ${"calls".padStart(6)} ${"share".padStart(6)}`,
  ];
  for (const r of p.rows.slice(0, top)) {
    lines.push(
      `${r.key.padEnd(width)} ${r.ms.toFixed(1).padStart(9)} ${String(r.calls).padStart(6)} ${
        (100 * r.share).toFixed(1).padStart(5)
      }%`,
    );
  }
  return lines.join("\n");
}
