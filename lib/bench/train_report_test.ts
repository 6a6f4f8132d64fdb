import { assert, assertEquals } from "../testing/asserts.ts";
import { modelConfig } from "../model/config.ts";
import { benchReport, formatTable, type TrainBenchFigures } from "./train_report.ts";

// A tiny config: 8x8 input, 4 px patches -> N = 4 tokens, d = 8, 2 heads, 1 ViT + 1 Multiplex layer.
const tiny = modelConfig("small", { inputSize: 8, patch: 4, dim: 8, heads: 2, vitLayers: 1, mtLayers: 1 });

function figures(peer: boolean): TrainBenchFigures {
  const run = (pairsPerS: number, cpu: number | null) => ({
    pairsPerS,
    wallSPerStep: 4 / pairsPerS,
    cpuSPerStep: cpu,
  });
  const peerRun = (mode: "train" | "infer", threads: number, pairsPerS: number) => ({
    mode,
    threads,
    pairsPerS: peer ? pairsPerS : null,
    wallSPerStep: peer ? 4 / pairsPerS : null,
    cpuSPerStep: null,
    note: peer ? "torch ..." : "peer skipped: python3-torch not installed",
  });
  return {
    cfg: tiny,
    batch: 4,
    flops: { inferPerPair: 2e9, trainPerPair: 6e9 },
    sgemmPeak: 150,
    paths: [
      {
        name: "stock wasm",
        line: "",
        kernels: "fast",
        native: false,
        train: run(2, 2.1),
        infer: run(8, 0.5),
      },
      { name: "native", line: "", kernels: "tf", native: true, train: run(6, 3.0), infer: run(20, 0.4) },
    ],
    peerTrain: peer ? [peerRun("train", 2, 4), peerRun("train", 1, 5)] : [peerRun("train", 2, 4)],
    peerInfer: peer ? [peerRun("infer", 2, 10), peerRun("infer", 1, 8)] : [],
    peakRssMb: 1100.4,
    backend: "wasm",
  };
}

Deno.test("benchReport: ratios against the best peer setting and each; GFLOP/s; nulls without the peer", () => {
  const r = benchReport(figures(true));
  assertEquals(Object.keys(r).slice(0, 5), [
    "bench",
    "pairs_per_s",
    "peer_pairs_per_s",
    "ratio",
    "peak_rss_mb",
  ]);
  // Training: the peer is faster on 1 thread (5 pairs/s) than on 2 (4): the headline ratio is against 1 thread.
  assertEquals(
    [r.bench, r.pairs_per_s, r.peer_pairs_per_s, r.peer_threads, r.ratio, r.peak_rss_mb],
    ["train", 6, 5, 1, 1.2, 1100],
  );
  assertEquals([r.peer_pairs_per_s_2t, r.ratio_2t], [4, 1.5]);
  // Inference: 2 threads (10) beat 1 (8).
  assertEquals([r.infer_pairs_per_s, r.peer_infer_pairs_per_s, r.peer_infer_threads, r.infer_ratio], [
    20,
    10,
    2,
    2,
  ]);
  // 6 pairs/s * 6 GFLOP = 36 GFLOP/s = 24% of 150; 20 * 2 = 40 GFLOP/s.
  assertEquals([r.gflops_train, r.gflops_infer, r.sgemm_peak_gflops], [36, 40, 150]);
  assertEquals([r.train_peak_fraction, r.infer_peak_fraction], [0.24, 0.2667]);
  assertEquals([r.peer_pairs_per_s_1t, r.ratio_1t, r.peer_infer_pairs_per_s_1t, r.infer_ratio_1t], [
    5,
    1.2,
    8,
    2.5,
  ]);
  assertEquals([r.cpu_s_per_step, r.wall_s_per_step], [3, 0.6667]);
  const paths = r.paths as Record<string, Record<string, unknown>>;
  assertEquals([paths["stock wasm"].ratio, paths["stock wasm"].infer_ratio, paths.native.ratio], [
    0.4,
    0.8,
    1.2,
  ]);
  assertEquals(JSON.parse(JSON.stringify(r)), r);

  const n = benchReport(figures(false));
  for (
    const k of [
      "peer_pairs_per_s",
      "ratio",
      "peer_infer_pairs_per_s",
      "infer_ratio",
      "ratio_1t",
      "peer_threads",
    ]
  ) {
    assertEquals(n[k], null, k);
  }
  assertEquals([n.pairs_per_s, n.infer_pairs_per_s, n.gflops_train], [6, 20, 36]);
});

Deno.test("formatTable: one row per path and per peer thread count, with ratios", () => {
  const lines = formatTable(figures(true));
  assert(
    lines.some((l) => l.startsWith("ours, stock wasm (fast)") && l.includes("2.00") && l.includes("8.00")),
  );
  assert(lines.some((l) => l.startsWith("ours, native (tf)") && l.includes("24.0%")));
  assert(
    lines.some((l) => l.startsWith("PyTorch, 2 threads")) &&
      lines.some((l) => l.startsWith("PyTorch, 1 thread")),
  );
  assert(lines.some((l) => l.includes("ratio ours (native) / PyTorch vs 2 threads: train 1.50, infer 2.00")));
  assert(
    lines.some((l) =>
      l.includes(
        "ratio ours (native) / PyTorch's best setting: train 1.20 (vs 1 thread), infer 2.00 (vs 2 threads)",
      )
    ),
    lines.join("\n"),
  );
  const none = formatTable(figures(false));
  assert(none.some((l) => l.startsWith("PyTorch, 2 threads") && l.includes(" -")));
});
