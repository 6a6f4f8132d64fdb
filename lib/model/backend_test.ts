import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../testing/asserts.ts";
import { initBackend, installedTfjsNode } from "./backend.ts";
import { kernelMode } from "./ops.ts";

Deno.test("initBackend: cpu runs the tf flavour, wasm the fast one; one line says which", async () => {
  const lines: string[] = [];
  const cpu = await initBackend({ backend: "cpu", log: (s) => lines.push(s) });
  assertEquals([cpu.backend, cpu.kernels, tf.getBackend(), kernelMode()], ["cpu", "tf", "cpu", "tf"]);
  const w = await initBackend({ backend: "wasm", blas: "off", log: (s) => lines.push(s) });
  assertEquals([w.backend, w.kernels, tf.getBackend()], ["wasm", "fast", "wasm"]);
  assertEquals(w.native?.active, false);
  assertEquals(lines.length, 2);
  assert(lines[1].startsWith("backend: wasm") && lines[1].includes("kernels: fast"), lines[1]);
});

Deno.test("initBackend auto: a hardware WebGPU adapter, else tfjs-node only when present, else wasm", async () => {
  const { probeAdapter } = await import("./webgpu.ts");
  const gpu = await probeAdapter();
  const info = await initBackend({ backend: "auto", blas: "off", log: null });
  // Never the software adapter (llvmpipe), even when it is the only one.
  if (gpu.found && !gpu.software) assertEquals(info.backend, "webgpu");
  else if (installedTfjsNode().length === 0) assertEquals(info.backend, "wasm");
  else assertEquals(info.backend, "tensorflow");
  assertEquals(installedTfjsNode("/nonexistent"), []);
});

Deno.test("native BLAS (when lib/native and a library are present): fast-flavour gemms run on sgemm and agree with XNNPACK", async () => {
  const { setNativeGemm } = await import("./heap.ts");
  const { attention, setKernelMode } = await import("./ops.ts");
  const info = await initBackend({ backend: "wasm", blas: "auto", kernels: "fast", log: null });
  if (!info.native?.active) {
    console.log(`skipped: ${info.native?.reason}`);
    return;
  }
  const grads = () =>
    tf.tidy(() => {
      const qkv = tf.tensor2d(Float32Array.from({ length: 24 * 24 }, (_, i) => Math.sin(i * 0.37)), [24, 24]);
      const dy = tf.tensor2d(Float32Array.from({ length: 24 * 8 }, (_, i) => Math.cos(i * 0.11)), [24, 8]);
      return tf.grads((x: tf.Tensor) =>
        attention(x as tf.Tensor2D, { images: 4, tokens: 6, heads: 2, pairing: "cross" })
      )([qkv], dy)[0]
        .dataSync() as Float32Array;
    });
  setKernelMode("fast");
  const viaNative = grads();
  // Count calls through a wrapping gemm to prove the native path is taken.
  let calls = 0;
  setNativeGemm(() => {
    calls++;
    return false; // decline: XNNPACK runs
  });
  const viaXnn = grads();
  assert(calls > 0, "fast flavour did not route its gemms through the plugged gemm");
  viaNative.forEach((v, i) => assert(Math.abs(v - viaXnn[i]) < 1e-4, `native ${v} vs xnnpack ${viaXnn[i]}`));
  // Switching off restores the stock kernels in the same process.
  await initBackend({ backend: "wasm", blas: "off", log: null });
  const kernel = tf.getKernel("BatchMatMul", "wasm")!;
  const { nativeMatmulStatus } = await import(new URL("../native/mod.ts", import.meta.url).href);
  assertEquals(nativeMatmulStatus().active, false, `still native: ${kernel.kernelName}`);
});
