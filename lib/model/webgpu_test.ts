import * as tf from "@tensorflow/tfjs-core";
import { assert, assertEquals } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { initBackend } from "./backend.ts";
import { GpuError, gpuGuard, probeAdapter, SOFTWARE_ENV, tryWebgpu, webgpuDevice } from "./webgpu.ts";

const adapter = await probeAdapter();
const opts = { sanitizeResources: false, sanitizeOps: false }; // the GPU device lives for the process

Deno.test({
  name: "--backend webgpu on a software-only machine: one line naming the adapter and how to force it",
  ignore: !adapter.found || !adapter.software,
  ...opts,
  fn: async () => {
    let err: unknown = null;
    try {
      await tryWebgpu(true, false);
    } catch (e) {
      err = e;
    }
    assert(err instanceof UserError, String(err));
    const m = (err as Error).message;
    assert(!m.includes("\n"), m);
    assert(m.includes("only a software adapter was found") && m.includes(adapter.description), m);
    assert(m.includes(`${SOFTWARE_ENV}=1`) && m.includes("--backend wasm"), m);
    // auto never takes it; explicit with the variable does.
    assertEquals(await tryWebgpu(false, false), null);
    const d = await tryWebgpu(true, true);
    assert(d !== null && d.startsWith("software: "), String(d));
    await initBackend({ backend: "wasm", blas: "off", log: null });
  },
});

Deno.test({
  name: "gpuGuard: a buffer above the device's limits becomes one GPU error line naming the batch",
  ignore: !adapter.found,
  ...opts,
  fn: async () => {
    Deno.env.set(SOFTWARE_ENV, "1");
    const info = await initBackend({ backend: "webgpu", log: null });
    assertEquals(info.backend, "webgpu");
    const dev = webgpuDevice()!;
    // One float more than the largest storage binding: WebGPU refuses the buffer (a validation error scope).
    const n = Math.floor(dev.limits.maxStorageBufferBindingSize / 4) + 1;
    let err: unknown = null;
    try {
      await gpuGuard("a training step at batch 99 pairs", async () => {
        const t = tf.tidy(() => tf.add(tf.fill([n], 1), 1));
        try {
          return await t.data();
        } finally {
          t.dispose();
        }
      });
    } catch (e) {
      err = e;
    }
    assert(err !== null, "no error for an oversized buffer");
    const m = (err as Error).message;
    console.log(`message: ${m}`);
    assert(err instanceof GpuError, `${(err as Error).name}: ${m}`);
    assert(m.includes("batch 99 pairs") && m.includes("lower --batch") && !m.includes("\n"), m);
    // The device still works afterwards.
    const ok = await gpuGuard("a small product", () => tf.matMul(tf.ones([2, 2]), tf.ones([2, 2])).data());
    assertEquals(Array.from(ok), [2, 2, 2, 2]);
    await initBackend({ backend: "wasm", blas: "off", log: null });
  },
});
