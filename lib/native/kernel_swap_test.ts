import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { KernelSwap } from "./kernel_swap.ts";
import { ensureWasmBackend } from "./wasm_backend.ts";

Deno.test("KernelSwap installs replacements, keeps the stock config, restores the same object", async () => {
  await ensureWasmBackend();
  const stockNeg = tf.getKernel("Neg", "wasm")!;
  const swap = new KernelSwap("wasm");
  let calls = 0;
  swap.install({
    Neg: (stock) => ({
      kernelName: "Neg",
      backendName: "wasm",
      kernelFunc: (args) => {
        calls++;
        return stock!.kernelFunc(args);
      },
    }),
  });
  assertEquals(swap.names, ["Neg"]);
  const stockMM = tf.getKernel("BatchMatMul", "wasm")!;
  const swap2 = new KernelSwap("wasm");
  swap2.install({
    BatchMatMul: (s) => ({ kernelName: "BatchMatMul", backendName: "wasm", kernelFunc: s!.kernelFunc }),
  });
  assert(
    !!stockMM.setupFunc && tf.getKernel("BatchMatMul", "wasm")!.setupFunc === stockMM.setupFunc,
    "setup inherited",
  );
  swap2.restore();
  assert(tf.getKernel("BatchMatMul", "wasm") === stockMM);
  assert(swap.stockOf("Neg") === stockNeg);
  assertEquals(Array.from(tf.tidy(() => tf.neg(tf.tensor1d([1, -2])).dataSync())), [-1, 2]);
  assertEquals(calls, 1);
  swap.restore();
  assert(tf.getKernel("Neg", "wasm") === stockNeg, "stock object back");
  tf.tidy(() => tf.neg(tf.tensor1d([1])).dataSync());
  assertEquals(calls, 1, "replacement no longer called");
  assertEquals(swap.names, []);
  // A kernel the backend lacks is removed again on restore.
  swap.install({
    NoSuchKernelX: () => ({ kernelName: "NoSuchKernelX", backendName: "wasm", kernelFunc: () => [] }),
  });
  assert(!!tf.getKernel("NoSuchKernelX", "wasm"));
  swap.restore();
  assert(!tf.getKernel("NoSuchKernelX", "wasm"));
  assertThrows(
    () => swap.install({ Neg: () => ({ kernelName: "Abs", backendName: "wasm", kernelFunc: () => [] }) }),
    Error,
    "returned Abs/wasm",
  );
});
