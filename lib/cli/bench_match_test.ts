import { assert, assertEquals } from "../testing/asserts.ts";
import type { PeerRun } from "./bench_train.ts";
import { encodeNpy, formatForward, type ForwardFigures, forwardReport, median } from "./bench_match.ts";

Deno.test("encodeNpy writes a numpy 1.0 header padded to 64 bytes, then the data", () => {
  const npy = encodeNpy(Uint16Array.of(1, 2, 3, 4, 5, 6), 2, 3);
  assertEquals(Array.from(npy.subarray(0, 8)), [0x93, 78, 85, 77, 80, 89, 1, 0]);
  const hlen = npy[8] | (npy[9] << 8);
  assertEquals((10 + hlen) % 64, 0);
  const header = new TextDecoder().decode(npy.subarray(10, 10 + hlen));
  assert(
    header.startsWith("{'descr': '<u2', 'fortran_order': False, 'shape': (2, 3), }") && header.endsWith("\n"),
  );
  assertEquals(Array.from(new Uint16Array(npy.slice(10 + hlen).buffer)), [1, 2, 3, 4, 5, 6]);
  assertEquals(median([3, 1, 2]), 2);
  assertEquals(median([4, 1, 2, 3]), 2.5);
});

const peerRun = (pairsPerS: number | null): PeerRun => ({
  mode: "infer",
  threads: 2,
  pairsPerS,
  wallSPerStep: pairsPerS === null ? null : 1 / pairsPerS,
  cpuSPerStep: null,
  note: pairsPerS === null
    ? "peer skipped: python3-torch not installed (apt-get install python3-torch)"
    : `torch infer d=128 B=1 L=4 M=2 s/step=${(1 / pairsPerS).toFixed(3)} pairs/s=${pairsPerS} threads=2`,
});

// 200 ms per pair -> 5 pairs/s; 2 GFLOP per pair -> 10 GFLOP/s, 2/3 of a 15 GFLOP/s peak.
const figures = (peer: PeerRun | null, sgemmPeak: number | null = 15): ForwardFigures => ({
  forwardMs: 200,
  forwardRuns: 9,
  flopsPerPair: 2e9,
  sgemmPeak,
  peer,
});

Deno.test("forwardReport: ours, the peer's, the ratio and GFLOP/s against the sgemm peak", () => {
  const r = forwardReport(figures(peerRun(4)));
  assertEquals(
    [r.infer_pairs_per_s, r.peer_infer_pairs_per_s, r.infer_ratio, r.gflops_infer, r.sgemm_peak_gflops],
    [5, 4, 1.25, 10, 15],
  );
  assertEquals([r.infer_peak_fraction, r.peer_gflops_infer, r.peer_infer_peak_fraction], [0.6667, 8, 0.5333]);
  assertEquals([r.gflop_per_pair_infer, r.infer_batch, r.peer_threads], [2, 1, 2]);
  assert(String(r.peer_note).startsWith("torch infer"));
  assertEquals(JSON.parse(JSON.stringify(r)), r);
});

Deno.test("forwardReport: the peer's fields are null when it is skipped or not run; ours stay", () => {
  for (const peer of [peerRun(null), null]) {
    const r = forwardReport(figures(peer));
    for (
      const k of ["peer_infer_pairs_per_s", "infer_ratio", "peer_gflops_infer", "peer_infer_peak_fraction"]
    ) {
      assertEquals(r[k], null, k);
    }
    assertEquals([r.infer_pairs_per_s, r.gflops_infer, r.sgemm_peak_gflops], [5, 10, 15]);
    assert(String(r.peer_note).includes(peer ? "python3-torch" : "--peer no"), String(r.peer_note));
  }
  assertEquals(forwardReport(figures(null, null)).infer_peak_fraction, null); // no BLAS library: no peak
  assertEquals(forwardReport({ ...figures(peerRun(4)), forwardMs: NaN }).infer_ratio, null); // no runs
});

Deno.test("formatForward: a row each, the peer's note, the ratio; a note line when the peer is absent", () => {
  const lines = formatForward(figures(peerRun(4)));
  assert(
    lines[0].includes("batch 1") && lines[0].includes("2.000 GFLOP per pair") && lines[0].includes("15.0"),
  );
  const ours = lines.find((l) => l.startsWith("ours, median of 9"))!;
  assert(/ 5\.00 +200\.0 +10\.0 +66\.7%$/.test(ours), ours);
  const torch = lines.find((l) => l.startsWith("PyTorch, forward only, batch 1, 2 threads"))!;
  assert(/ 4\.00 +250\.0 +8\.0 +53\.3%$/.test(torch), torch);
  assert(lines.some((l) => l.includes("torch infer d=128 B=1")));
  assert(lines[lines.length - 1].endsWith(": 1.25"), lines[lines.length - 1]);

  const skipped = formatForward(figures(peerRun(null), null));
  assert(skipped[0].includes("no sgemm peak"));
  assert(skipped.some((l) => l.startsWith("PyTorch: peer skipped: python3-torch")));
  assert(skipped.some((l) => l.startsWith("ours,") && l.endsWith("-")), "no share without a peak");
  assert(skipped[skipped.length - 1].includes("- (no peer figure)"));
  assert(formatForward(figures(null)).some((l) => l.includes("not run (--peer no)")));
});
