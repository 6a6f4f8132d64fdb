/**
 * The PyTorch peer of the speed benchmarks: `lib/bench/peers/peer_torch.py` (the same patch transformer in
 * PyTorch on the CPU) run through `peers/peer_wrapper.py` (CPU time of its timed loop) at a model's shape, and
 * the best of its thread settings. Debian's `python3-torch` is needed; without it every run is skipped with a
 * note, never a throw.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import type { ModelConfig } from "../model/config.ts";
import { existsSync } from "../util/fs.ts";

/** The PyTorch peer, committed: `lib/bench/peers/peer_torch.py`. */
export const PEER_SCRIPT = fileURLToPath(new URL("./peers/peer_torch.py", import.meta.url));
/** The wrapper that adds the CPU time of the peer's timed loop: `lib/bench/peers/peer_wrapper.py`. */
export const PEER_WRAPPER = fileURLToPath(new URL("./peers/peer_wrapper.py", import.meta.url));
/** Debian's python (the one with torch; the pyenv python first on PATH has none). */
export const PEER_PYTHON = "/usr/bin/python3";
/** The thread counts the benchmarks time the peer with (the comparison is against the best of them). */
export const PEER_THREAD_SETTINGS: readonly number[] = [2, 1];

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
  /** Untimed steps before the timed ones (default 1, the peer's own). */
  warmup?: number;
  /** Timed steps (default 5, the peer's own). */
  reps?: number;
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
  if (!existsSync(PEER_WRAPPER)) return skipped(`${PEER_WRAPPER} not found`);
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
  args.push(o.mode, String(o.warmup ?? 1), String(o.reps ?? 5));
  let r: Deno.CommandOutput;
  try {
    r = await new Deno.Command(py, {
      args: [PEER_WRAPPER, script, ...args],
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

/**
 * The fastest of the peer's runs (highest pairs/s; skipped runs left out), or null when none ran: the setting
 * the speed claims compare against.
 *
 * @example
 * ```ts
 * bestPeer([{ threads: 2, pairsPerS: 3.4, ... }, { threads: 1, pairsPerS: 7.5, ... }])?.threads; // 1
 * ```
 */
export function bestPeer(runs: readonly PeerRun[]): PeerRun | null {
  let best: PeerRun | null = null;
  for (const r of runs) {
    if (r.pairsPerS !== null && (best === null || r.pairsPerS > best.pairsPerS!)) best = r;
  }
  return best;
}

/** The run with `threads` threads, if any. */
export function peerAt(runs: readonly PeerRun[], threads: number): PeerRun | undefined {
  return runs.find((r) => r.threads === threads);
}
