import { assert, assertEquals } from "../testing/asserts.ts";
import { formatForward, type ForwardFigures, forwardReport } from "./forward_report.ts";
import type { PeerRun } from "./peer.ts";

const peerRun = (threads: number, pairsPerS: number | null): PeerRun => ({
  mode: "infer",
  threads,
  pairsPerS,
  wallSPerStep: pairsPerS === null ? null : 1 / pairsPerS,
  cpuSPerStep: null,
  note: pairsPerS === null
    ? "peer skipped: python3-torch not installed (apt-get install python3-torch)"
    : `torch infer d=128 B=1 L=4 M=2 s/step=${
      (1 / pairsPerS).toFixed(3)
    } pairs/s=${pairsPerS} threads=${threads}`,
});

// Ours warm: 5 pairs/s (200 ms); end to end 250 ms -> 4 pairs/s. 2 GFLOP per pair -> 10 GFLOP/s, 2/3 of 15.
const figures = (peers: PeerRun[], sgemmPeak: number | null = 15, peerAsked = true): ForwardFigures => ({
  warm: { pairsPerS: 5, wallSPerStep: 0.2, cpuSPerStep: null },
  warmup: 3,
  reps: 10,
  e2eMs: 250,
  e2eRuns: 9,
  flopsPerPair: 2e9,
  sgemmPeak,
  peers,
  peerAsked,
});

Deno.test("forwardReport: ratios against the peer's best setting and each; GFLOP/s against the sgemm peak", () => {
  // 2 threads: 4 pairs/s, 1 thread: 2.5 -> best is 2 threads.
  const r = forwardReport(figures([peerRun(2, 4), peerRun(1, 2.5)]));
  assertEquals(
    [
      r.infer_pairs_per_s,
      r.infer_e2e_pairs_per_s,
      r.peer_infer_pairs_per_s,
      r.peer_infer_threads,
      r.infer_ratio,
    ],
    [5, 4, 4, 2, 1.25],
  );
  assertEquals([r.infer_ratio_2t, r.infer_ratio_1t, r.peer_infer_pairs_per_s_1t], [1.25, 2, 2.5]);
  assertEquals([r.gflops_infer, r.sgemm_peak_gflops, r.infer_peak_fraction], [10, 15, 0.6667]);
  assertEquals([r.peer_gflops_infer, r.peer_infer_peak_fraction], [8, 0.5333]);
  assertEquals([r.gflop_per_pair_infer, r.infer_batch, r.infer_warmup, r.infer_reps], [2, 1, 3, 10]);
  assert(String(r.peer_note).startsWith("torch infer"));
  assertEquals(JSON.parse(JSON.stringify(r)), r);
  // 1 thread faster: the headline follows it.
  const s = forwardReport(figures([peerRun(2, 2), peerRun(1, 4)]));
  assertEquals([s.peer_infer_threads, s.infer_ratio, s.infer_ratio_2t], [1, 1.25, 2.5]);
});

Deno.test("forwardReport: the peer's fields are null when it is skipped or not run; ours stay", () => {
  for (const [peers, asked] of [[[peerRun(2, null)], true], [[], false]] as const) {
    const r = forwardReport(figures([...peers], 15, asked));
    for (const k of ["peer_infer_pairs_per_s", "infer_ratio", "peer_gflops_infer", "peer_infer_threads"]) {
      assertEquals(r[k], null, k);
    }
    assertEquals([r.infer_pairs_per_s, r.gflops_infer, r.sgemm_peak_gflops], [5, 10, 15]);
    assert(String(r.peer_note).includes(asked ? "python3-torch" : "--peer no"), String(r.peer_note));
  }
  assertEquals(forwardReport(figures([], null)).infer_peak_fraction, null); // no BLAS library: no peak
  assertEquals(forwardReport({ ...figures([peerRun(2, 4)]), warm: null }).infer_ratio, null);
});

Deno.test("formatForward: a row each, the peers' notes, the ratios; a note line when the peer is absent", () => {
  const lines = formatForward(figures([peerRun(2, 4), peerRun(1, 2.5)]));
  assert(
    lines[0].includes("batch 1") && lines[0].includes("2.000 GFLOP per pair") && lines[0].includes("15.0"),
  );
  const ours = lines.find((l) => l.startsWith("ours, forward alone (3 warm-up, 10 timed)"))!;
  assert(/ 5\.00 +200\.0 +10\.0 +66\.7%$/.test(ours), ours);
  const torch = lines.find((l) => l.startsWith("PyTorch, forward only, 2 threads"))!;
  assert(/ 4\.00 +250\.0 +8\.0 +53\.3%$/.test(torch), torch);
  assert(lines.some((l) => l.startsWith("PyTorch, forward only, 1 thread ")));
  assert(lines.some((l) => l.includes("torch infer d=128 B=1")));
  const last = lines[lines.length - 1];
  assert(
    last.includes(": 1.25 against its best setting (2 threads); vs 2 threads 1.25, vs 1 thread 2.00"),
    last,
  );

  const skipped = formatForward(figures([peerRun(2, null)], null));
  assert(skipped[0].includes("no sgemm peak"));
  assert(skipped.some((l) => l.startsWith("PyTorch: peer skipped: python3-torch")));
  assert(skipped.some((l) => l.startsWith("ours,") && l.endsWith("-")), "no share without a peak");
  assert(skipped[skipped.length - 1].includes("- (no peer figure)"));
  assert(formatForward(figures([], 15, false)).some((l) => l.includes("not run (--peer no)")));
});
