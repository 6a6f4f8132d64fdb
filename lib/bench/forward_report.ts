/**
 * The model-forward part of `deno task bench:match`: our forward at batch 1 (one pair per call, as `match` runs
 * it) against the PyTorch peer's forward-only run at the same shape and batch, after warm-up iterations on
 * both sides, the peer at each thread setting; the ratio against the best setting and each; GFLOP/s against the
 * sgemm peak measured in the same run.
 *
 * Two figures of ours: `warm`, a warmed-up timing of the forward alone on random images of the model's input
 * size (`timeInfer` at batch 1: the same work as the peer's), the one the ratios use; and `e2eMs`, the median of
 * the end-to-end runs' forward timings (letterbox and patchify of the real drawings included).
 *
 * @module
 */
import { bestPeer, peerAt, type PeerRun } from "./peer.ts";
import type { SpeedRun } from "./timing.ts";

/** Our model forward and the PyTorch peer's, as one run measured them. */
export interface ForwardFigures {
  /** Our forward alone at batch 1, warmed up (`timeInfer`); null when not measured. */
  warm: SpeedRun | null;
  /** Warm-up and timed steps of that measurement and of the peer's. */
  warmup: number;
  reps: number;
  /** Median ms per pair of the end-to-end runs' forward (batch 1; letterbox and patchify included). */
  e2eMs: number;
  /** Timed end-to-end forward runs behind the median. */
  e2eRuns: number;
  /** FLOPs of one pair's forward (`modelFlops`: matrix products only). */
  flopsPerPair: number;
  /** sgemm GFLOP/s at 1024^3 in this run, the higher of start and end (null without a BLAS library). */
  sgemmPeak: number | null;
  /** The peer's forward-only runs at the model's shape, batch 1, one per thread setting; [] when not run. */
  peers: PeerRun[];
  /** False with `--peer no`. */
  peerAsked: boolean;
}

const roundTo = (x: number | null | undefined, digits: number): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : +x.toFixed(digits);
const over = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || !(b > 0) ? null : a / b;

function rates(f: ForwardFigures) {
  const ours = f.warm?.pairsPerS ?? null, e2e = f.e2eMs > 0 ? 1000 / f.e2eMs : null;
  const best = bestPeer(f.peers);
  const g = (
    pps: number | null | undefined,
  ) => (pps === null || pps === undefined ? null : (pps * f.flopsPerPair) / 1e9);
  return {
    ours,
    e2e,
    best,
    ratio: over(ours, best?.pairsPerS),
    gOurs: g(ours),
    gPeer: g(best?.pairsPerS),
    fOurs: over(g(ours), f.sgemmPeak),
    fPeer: over(g(best?.pairsPerS), f.sgemmPeak),
  };
}

/**
 * The forward figures' JSON fields (merged into the benchmark's last line): ours always, the peer's and the
 * ratios null when it was skipped or not run, the sgemm peak and shares of it null without a BLAS library.
 *
 * @example
 * ```ts
 * forwardReport(figures); // { infer_pairs_per_s: 5, peer_infer_pairs_per_s: 4, infer_ratio: 1.25, ... }
 * ```
 */
export function forwardReport(f: ForwardFigures): Record<string, number | string | null> {
  const r = rates(f);
  const p2 = peerAt(f.peers, 2), p1 = peerAt(f.peers, 1);
  return {
    infer_pairs_per_s: roundTo(r.ours, 3),
    infer_e2e_pairs_per_s: roundTo(r.e2e, 3),
    peer_infer_pairs_per_s: r.best?.pairsPerS ?? null,
    peer_infer_threads: r.best?.threads ?? null,
    infer_ratio: roundTo(r.ratio, 3),
    peer_infer_pairs_per_s_2t: p2?.pairsPerS ?? null,
    infer_ratio_2t: roundTo(over(r.ours, p2?.pairsPerS), 3),
    peer_infer_pairs_per_s_1t: p1?.pairsPerS ?? null,
    infer_ratio_1t: roundTo(over(r.ours, p1?.pairsPerS), 3),
    gflops_infer: roundTo(r.gOurs, 2),
    sgemm_peak_gflops: roundTo(f.sgemmPeak, 1),
    infer_peak_fraction: roundTo(r.fOurs, 4),
    peer_gflops_infer: roundTo(r.gPeer, 2),
    peer_infer_peak_fraction: roundTo(r.fPeer, 4),
    gflop_per_pair_infer: roundTo(f.flopsPerPair / 1e9, 4),
    infer_batch: 1,
    infer_warmup: f.warmup,
    infer_reps: f.reps,
    peer_note: !f.peerAsked ? "not run (--peer no)" : f.peers.map((p) => p.note).join(" | ") || "no run",
  };
}

/**
 * The forward table: ours (warmed up, and end to end) and each peer setting's pairs/s, ms per pair, GFLOP/s and
 * share of the sgemm peak; the ratios.
 *
 * @example
 * ```ts
 * console.log(formatForward(figures).join("\n"));
 * ```
 */
export function formatForward(f: ForwardFigures): string[] {
  const r = rates(f);
  const n = (x: number | null, d: number) => (x === null ? "-" : x.toFixed(d));
  const pct = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(1)}%`);
  const g = (pps: number | null) => (pps === null ? null : (pps * f.flopsPerPair) / 1e9);
  const row = (label: string, pps: number | null) =>
    `${label.padEnd(52)}${n(pps, 2).padStart(9)}${n(pps && 1000 / pps, 1).padStart(9)}${
      n(g(pps), 1).padStart(9)
    }${pct(over(g(pps), f.sgemmPeak)).padStart(8)}`;
  const peak = f.sgemmPeak === null
    ? "no BLAS library: no sgemm peak"
    : `sgemm peak in this run ${f.sgemmPeak.toFixed(1)} GFLOP/s (1024^3, higher of start and end)`;
  const lines = [
    `model forward, one pair per call (batch 1), ${(f.flopsPerPair / 1e9).toFixed(3)} GFLOP per pair ` +
    `(matrix products); ${peak}`,
    `${"".padEnd(52)}${"pairs/s".padStart(9)}${"ms/pair".padStart(9)}${"GFLOP/s".padStart(9)}${
      "%peak".padStart(8)
    }`,
    row(`ours, forward alone (${f.warmup} warm-up, ${f.reps} timed)`, r.ours),
    row(`ours, end-to-end runs' forward (median of ${f.e2eRuns})`, r.e2e),
  ];
  if (!f.peerAsked) lines.push("PyTorch peer: not run (--peer no)");
  for (const p of f.peers) {
    if (p.pairsPerS === null) {
      lines.push(`PyTorch: ${p.note}`);
      continue;
    }
    lines.push(
      row(
        `PyTorch, forward only, ${p.threads} thread${p.threads > 1 ? "s" : ""} (${f.warmup} warm-up)`,
        p.pairsPerS,
      ),
    );
  }
  for (const p of f.peers) if (p.pairsPerS !== null) lines.push(`  (peer: ${p.note})`);
  const each = f.peers.filter((p) => p.pairsPerS !== null).map((p) =>
    `vs ${p.threads} thread${p.threads > 1 ? "s" : ""} ${n(over(r.ours, p.pairsPerS), 2)}`
  );
  lines.push(
    `ratio ours / PyTorch (forward alone, batch 1; above 1: ours faster): ${
      r.ratio === null
        ? "- (no peer figure)"
        : `${r.ratio.toFixed(2)} against its best setting (${r.best!.threads} thread${
          r.best!.threads > 1 ? "s" : ""
        }); ${each.join(", ")}`
    }`,
  );
  return lines;
}
