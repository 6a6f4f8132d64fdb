import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../testing/asserts.ts";
import { initBackend } from "../model/backend.ts";
import { modelConfig, patchDim, tokensOf } from "../model/config.ts";
import { PatchSimilarityModel } from "../model/model.ts";
import { pairGram, setKernelMode } from "../model/ops.ts";
import { contrastiveLoss, sampleBatch } from "../train/loss.ts";
import { Rng } from "../util/rng.ts";
import {
  benchReport,
  formatTable,
  meanRun,
  modelFlops,
  parsePeerOutput,
  peerShapeMismatch,
  runPeer,
  timeInfer,
  timeTrain,
  type TrainBenchFigures,
} from "./bench_train.ts";

// A tiny config for hand counts: 8x8 input, 4 px patches -> N = 4 tokens, P = 16, d = 8, 2 heads, h = 32,
// 1 ViT + 1 Multiplex layer -> 3 blocks per image.
const tiny = modelConfig("small", { inputSize: 8, patch: 4, dim: 8, heads: 2, vitLayers: 1, mtLayers: 1 });

Deno.test("modelFlops: a hand count of a tiny config, and the small preset", () => {
  // Multiply-adds per image. Embedding: N P d = 4 * 16 * 8 = 512.
  // Per block: qkv 4*8*24 = 768, projection 4*8*8 = 256, fc1 4*8*32 = 1024, fc2 4*32*8 = 1024 -> 3072;
  // attention: Q K^T over 2 heads of 4: 2 * (4*4*4) = 128, A V the same 128 -> 256. Block: 3328; 3 blocks 9984.
  // Image forward: 512 + 9984 = 10496. Pair: 2 * 10496 + Gram 8*8*8 = 512 -> 21504 MACs = 43008 FLOPs.
  // Backward per image: embedding dW 512; blocks 3 * (2 * 3072 + 4 * 128) = 19968 -> 20480; pair: 40960 + Gram
  // backward 512 = 41472. Train: 21504 + 41472 = 62976 MACs = 125952 FLOPs.
  assertEquals(modelFlops(tiny), { inferPerPair: 43008, trainPerPair: 125952 });
  // small: per image 256*256*128 = 8388608 (embed) + 8 blocks * (256*128*1536 + 2*256^2*128 = 67108864);
  // pair 2 * 545259520 + 512^2*128 = 1124073472 MACs forward; backward per block 2 * 50331648 (linear) +
  // 4 * 256^2*128 (attention) = 134217728, pair 2 * (8388608 + 8 * 134217728) + 33554432 = 2197815296.
  const s = modelFlops(modelConfig("small"));
  assertEquals(s.inferPerPair, 2 * 1124073472);
  assertEquals(s.trainPerPair, 2 * (1124073472 + 2197815296)); // 6.644 GFLOP
});

/** Multiply-adds of the matrix-product kernels tfjs ran inside `f` (any transpose flags, batch broadcasting). */
async function profiledMacs(f: () => tf.TensorContainer): Promise<number> {
  const info = await tf.profile(f);
  let macs = 0;
  for (const k of info.kernels) {
    if (k.name !== "BatchMatMul" && k.name !== "_FusedMatMul") continue;
    const a = k.inputShapes[0], out = k.outputShapes[0];
    // out = [..batch, m, n]; A = [..batchA, m, k] or [..batchA, k, m]: A's last two dims hold m * k.
    const outSize = out.reduce((x, y) => x * y, 1), aMat = a[a.length - 1] * a[a.length - 2];
    macs += (outSize * aMat) / out[out.length - 2];
  }
  return macs;
}

Deno.test("modelFlops: equals the products tfjs runs in a forward pass and a training step (tf flavour)", async () => {
  await initBackend({ backend: "wasm", blas: "off", log: null });
  setKernelMode("tf"); // every product through tf.matMul, so the profiler sees them all
  try {
    const pairs = 2, N = tokensOf(tiny), rng = new Rng(5);
    const m = PatchSimilarityModel.create(tiny, 3);
    const x = tf.tensor2d(
      Float32Array.from({ length: 2 * pairs * N * patchDim(tiny) }, () => rng.float()),
      [2 * pairs * N, patchDim(tiny)],
    );
    const fwd = await profiledMacs(() => tf.tidy(() => pairGram(m.features(x, 2 * pairs), pairs)));
    const labels = Int32Array.from({ length: pairs * 2 * N }, () => rng.int(0, 3));
    const sample = sampleBatch(labels, pairs, { positives: 8, negatives: 4, tau: 0.1 }, rng);
    const train = await profiledMacs(() =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => contrastiveLoss(m.features(x, 2 * pairs), sample, pairs, 0.1),
          m.variables(),
        );
        return [value, ...Object.values(grads)];
      })
    );
    const f = modelFlops(tiny);
    assertEquals(2 * fwd, pairs * f.inferPerPair);
    assertEquals(2 * train, pairs * f.trainPerPair);
    x.dispose();
    m.dispose();
  } finally {
    setKernelMode("auto");
  }
});

Deno.test("parsePeerOutput: the peer's line and the wrapper's CPU time", () => {
  const p = parsePeerOutput(
    "torch train d=128 B=4 L=4 M=2 s/step=0.812 pairs/s=4.93 threads=2\npeer_timed_loop wall=4.060 cpu=7.900\n",
  )!;
  assertEquals([p.pairsPerS, p.wallSPerStep, p.threads], [4.93, 0.812, 2]);
  assert(Math.abs(p.cpuSPerStep! - 7.9 / 5) < 1e-12, `${p.cpuSPerStep}`);
  // The wrapper bracketed something else than the timed loop: no CPU figure rather than a wrong one.
  assertEquals(
    parsePeerOutput(
      "torch infer d=128 B=1 L=4 M=2 s/step=0.100 pairs/s=10.00 threads=1\npeer_timed_loop wall=0.75 cpu=1",
    )!
      .cpuSPerStep,
    null,
  );
  assertEquals(
    parsePeerOutput("torch infer d=128 B=1 L=4 M=2 s/step=0.100 pairs/s=10.00 threads=1")!.cpuSPerStep,
    null,
  );
  assertEquals(parsePeerOutput("Traceback (most recent call last):"), null);
});

Deno.test("peerShapeMismatch: the peer runs the small preset only at its fixed input shape", () => {
  assertEquals(peerShapeMismatch(modelConfig("small")), null);
  assertEquals(peerShapeMismatch(modelConfig("small", { dim: 64, vitLayers: 2 })), null); // arguments of the peer
  const why = peerShapeMismatch(modelConfig("paper"))!;
  assert(/input 512/.test(why) && /3 channels/.test(why) && /12 heads/.test(why), why);
});

Deno.test("runPeer: skipped with a note (never a throw) when the script or python is missing", async () => {
  const r = await runPeer(modelConfig("small"), {
    mode: "infer",
    batch: 1,
    threads: 1,
    script: "/nonexistent/peer_torch.py",
  });
  assertEquals([r.pairsPerS, r.cpuSPerStep], [null, null]);
  assert(r.note.startsWith("peer skipped:") && r.note.includes("/nonexistent/peer_torch.py"), r.note);
  const s = await runPeer(modelConfig("paper"), { mode: "train", batch: 1, threads: 1 });
  assert(s.pairsPerS === null && /another shape/.test(s.note), s.note);
});

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
    peerTrain: peer ? [peerRun("train", 2, 4), peerRun("train", 1, 3)] : [peerRun("train", 2, 4)],
    peerInfer: peer ? [peerRun("infer", 2, 10), peerRun("infer", 1, 8)] : [],
    peakRssMb: 1100.4,
    backend: "wasm",
  };
}

Deno.test("benchReport: required keys, ratios and GFLOP/s of the main path; nulls when the peer is absent", () => {
  const r = benchReport(figures(true));
  assertEquals(Object.keys(r).slice(0, 5), [
    "bench",
    "pairs_per_s",
    "peer_pairs_per_s",
    "ratio",
    "peak_rss_mb",
  ]);
  assertEquals(
    [r.bench, r.pairs_per_s, r.peer_pairs_per_s, r.ratio, r.peak_rss_mb],
    ["train", 6, 4, 1.5, 1100],
  );
  assertEquals([r.infer_pairs_per_s, r.peer_infer_pairs_per_s, r.infer_ratio], [20, 10, 2]);
  // 6 pairs/s * 6 GFLOP = 36 GFLOP/s = 24% of 150; 20 * 2 = 40 GFLOP/s.
  assertEquals([r.gflops_train, r.gflops_infer, r.sgemm_peak_gflops], [36, 40, 150]);
  assertEquals([r.train_peak_fraction, r.infer_peak_fraction], [0.24, 0.2667]);
  assertEquals([r.peer_pairs_per_s_1t, r.ratio_1t, r.peer_infer_pairs_per_s_1t, r.infer_ratio_1t], [
    3,
    2,
    8,
    2.5,
  ]);
  assertEquals([r.cpu_s_per_step, r.wall_s_per_step], [3, 0.6667]);
  const paths = r.paths as Record<string, Record<string, unknown>>;
  assertEquals([paths["stock wasm"].ratio, paths["stock wasm"].infer_ratio, paths.native.ratio], [
    0.5,
    0.8,
    1.5,
  ]);
  assertEquals(JSON.parse(JSON.stringify(r)), r);

  const n = benchReport(figures(false));
  for (const k of ["peer_pairs_per_s", "ratio", "peer_infer_pairs_per_s", "infer_ratio", "ratio_1t"]) {
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
  const none = formatTable(figures(false));
  assert(none.some((l) => l.startsWith("PyTorch, 2 threads") && l.includes(" -")));
});

Deno.test("meanRun, timeTrain and timeInfer measure a tiny model", async () => {
  await initBackend({ backend: "wasm", blas: "off", log: null });
  const m = meanRun({ pairsPerS: 4, wallSPerStep: 1, cpuSPerStep: 1 }, {
    pairsPerS: 2,
    wallSPerStep: 2,
    cpuSPerStep: null,
  });
  assertEquals([m.pairsPerS, m.wallSPerStep, m.cpuSPerStep], [4 / 1.5, 1.5, null]);
  const before = tf.memory().numTensors;
  const t = await timeTrain(tiny, 2, 2);
  const model = PatchSimilarityModel.create(tiny, 1);
  const i = await timeInfer(model, 2, 2);
  model.dispose();
  assertEquals(tf.memory().numTensors, before, "tensors leaked");
  for (const r of [t, i]) {
    assert(r.pairsPerS > 0 && Math.abs(r.pairsPerS * r.wallSPerStep - 2) < 1e-9, JSON.stringify(r));
    assert(r.cpuSPerStep === null || r.cpuSPerStep >= 0);
  }
});
