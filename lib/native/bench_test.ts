import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../testing/asserts.ts";
import { benchHeapKernels, benchMatmul, cpuSeconds, smallPresetCases, timeCalls } from "./bench.ts";
import { ensureWasmBackend } from "./wasm_backend.ts";

Deno.test("smallPresetCases describe the small preset's products", () => {
  const c = smallPresetCases();
  assertEquals(c.map((x) => x.name), [
    "linear",
    "linear_dx",
    "linear_dw",
    "attn_qk",
    "attn_av",
    "similarity",
  ]);
  const qk = c.find((x) => x.name === "attn_qk")!;
  assertEquals([qk.aShape, qk.bShape, qk.transB], [[16, 256, 32], [16, 256, 32], true]);
});

Deno.test("timeCalls and cpuSeconds measure work", () => {
  let n = 0;
  const ms = timeCalls(() => {
    const t = performance.now();
    while (performance.now() - t < 1) n++;
  }, 0.02);
  assert(ms >= 1 && ms < 50, `ms per call ${ms}`);
  const c0 = cpuSeconds();
  if (c0 !== null) {
    // Spinning must show up as CPU time (within 10 s of wall time even on a crowded machine).
    const t = performance.now();
    while (cpuSeconds()! - c0 < 0.05 && performance.now() - t < 10_000) n++;
    assert(cpuSeconds()! - c0 >= 0.05, "cpuSeconds did not grow while spinning");
  }
});

Deno.test("benchMatmul and benchHeapKernels run on tiny cases and leave stock kernels in place", async () => {
  const cases = [{
    name: "t",
    role: "tiny",
    aShape: [2, 8, 4],
    bShape: [4, 8],
    transA: false,
    transB: false,
  }];
  await ensureWasmBackend();
  const before = ["BatchMatMul", "Sum", "SplitV"].map((k) => tf.getKernel(k, "wasm"));
  const r = await benchMatmul({ secondsPerCase: 0.01, cases, threadVariants: false });
  assertEquals(r.cases.length, 1);
  assertEquals([r.cases[0].m, r.cases[0].n, r.cases[0].k, r.cases[0].batch], [8, 8, 4, 2]);
  assert(r.cases[0].stockGflops > 0);
  if (r.status.active) assert(r.cases[0].nativeGflops! > 0 && r.peakGflops! > 0);
  const h = await benchHeapKernels(0.01, 16, 8);
  assertEquals(h.length, 4);
  assert(h.every((x) => x.stockMs > 0 && x.heapMs > 0));
  ["BatchMatMul", "Sum", "SplitV"].forEach((k, i) =>
    assert(tf.getKernel(k, "wasm") === before[i], `${k} is stock`)
  );
});
