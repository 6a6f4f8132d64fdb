/**
 * The WebGPU backend (`@tensorflow/tfjs-backend-webgpu`): finding an adapter, telling a hardware GPU from a
 * software fallback, and the guards the model and the training step use on it.
 *
 * - Deno has WebGPU built in (`navigator.gpu`). On a machine without a GPU it offers a software adapter
 *   (Mesa's llvmpipe through Vulkan's lavapipe: correct but slow, ~2.6 GFLOP/s for a 512^3 matMul), which
 *   `--backend auto` never takes and `--backend webgpu` takes only when {@link SOFTWARE_ENV} is set.
 * - Synchronous reads (`dataSync`, `arraySync`) need a canvas on this backend and fail in Deno, so every read
 *   the model and the training loop make on it is asynchronous (`data()`): `cosineBatchAsync`,
 *   `valuesAsync`, `trainStepAsync`, `AdamW.stateAsync`.
 * - GPU errors (out of memory, a buffer above the device's limits) surface as WebGPU error scopes, not as
 *   exceptions; {@link gpuGuard} turns them into one line naming the batch that failed.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { UserError } from "../util/errors.ts";

/** Setting this environment variable to 1 lets `--backend webgpu` run on a software adapter (llvmpipe). */
export const SOFTWARE_ENV = "MANGAMATCH_WEBGPU_SOFTWARE";

/** What `navigator.gpu.requestAdapter()` gave. */
export interface AdapterProbe {
  /** Whether an adapter was found at all. */
  found: boolean;
  /** A software (CPU) implementation: a fallback adapter, llvmpipe, lavapipe or SwiftShader. */
  software: boolean;
  /** The adapter's description (vendor, device), or why there is none. */
  description: string;
}

/** Adapter descriptions that name a CPU implementation of Vulkan/WebGPU. */
const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|software|cpu/i;

/**
 * Asks WebGPU for its high-performance adapter and says what it is. Never throws.
 *
 * @example
 * ```ts
 * const a = await probeAdapter(); // { found: true, software: true, description: "llvmpipe (LLVM 15.0.6, 256 bits)" }
 * ```
 */
export async function probeAdapter(): Promise<AdapterProbe> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (!gpu) return { found: false, software: false, description: "this runtime has no navigator.gpu" };
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (e) {
    return { found: false, software: false, description: `requestAdapter failed: ${firstLine(e)}` };
  }
  if (!adapter) {
    return {
      found: false,
      software: false,
      description: "requestAdapter() returned no adapter (no Vulkan driver?)",
    };
  }
  const info = (adapter as unknown as { info?: Record<string, unknown> }).info ?? {};
  const parts = [
    info.description,
    info.vendor && `vendor ${info.vendor}`,
    info.device && `device ${info.device}`,
  ]
    .filter((s) => typeof s === "string" && s.length > 0) as string[];
  const description = parts.join(", ") || "unnamed adapter";
  const fallback = info.isFallbackAdapter === true ||
    (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return {
    found: true,
    software: fallback || SOFTWARE_NAMES.test(String(info.description ?? "")),
    description,
  };
}

/** Whether the user allowed the software adapter ({@link SOFTWARE_ENV}=1). */
export function softwareAllowed(): boolean {
  try {
    return Deno.env.get(SOFTWARE_ENV) === "1";
  } catch {
    return false; // no --allow-env
  }
}

/**
 * Switches tfjs to WebGPU if the adapter qualifies. `explicit` (`--backend webgpu`): a missing or software-only
 * adapter (without {@link SOFTWARE_ENV}=1) is a {@link UserError} naming what was found and how to force it;
 * otherwise (`auto`) null is returned and the caller tries the next backend.
 *
 * @returns the adapter's description, or null when not switched (auto only)
 */
export async function tryWebgpu(
  explicit: boolean,
  allowSoftware = softwareAllowed(),
): Promise<string | null> {
  const a = await probeAdapter();
  if (!a.found) {
    if (!explicit) return null;
    throw new UserError(
      `--backend webgpu: no WebGPU adapter (${a.description}); on an NVIDIA machine install the Vulkan loader ` +
        `(libvulkan1) and driver, or use --backend wasm`,
    );
  }
  if (a.software && !(explicit && allowSoftware)) {
    if (!explicit) return null;
    throw new UserError(
      `--backend webgpu: only a software adapter was found (${a.description}); set ${SOFTWARE_ENV}=1 to run on ` +
        `it anyway (slow), or use --backend wasm`,
    );
  }
  try {
    await import("@tensorflow/tfjs-backend-webgpu"); // registers "webgpu" (once)
    if (!(await tf.setBackend("webgpu"))) throw new Error(`setBackend("webgpu") returned false`);
    await tf.ready();
  } catch (e) {
    if (!explicit) return null;
    throw new UserError(`--backend webgpu: the adapter (${a.description}) failed to start: ${firstLine(e)}`);
  }
  return `${a.software ? "software" : "hardware"}: ${a.description}`;
}

/** Whether the WebGPU backend is the one in force. */
export function onWebgpu(): boolean {
  return tf.getBackend() === "webgpu";
}

/** The GPUDevice of the tfjs WebGPU backend in force, or null off WebGPU. */
export function webgpuDevice(): GPUDevice | null {
  if (!onWebgpu()) return null;
  return (tf.backend() as unknown as { device?: GPUDevice }).device ?? null;
}

/** An error the GPU raised, as one line. */
export class GpuError extends UserError {}

/**
 * Runs `f` (work that submits to the GPU and reads its results asynchronously) inside WebGPU error scopes and
 * turns an out-of-memory or validation error (a buffer above the device's limits) into one line naming `what`
 * (e.g. "a training step at batch 8"). Off WebGPU it just runs `f`.
 *
 * @example
 * ```ts
 * const loss = await gpuGuard("a training step at batch 8 pairs", async () => (await t.data())[0]);
 * ```
 */
export async function gpuGuard<T>(what: string, f: () => Promise<T>): Promise<T> {
  const device = webgpuDevice();
  if (!device) return await f();
  device.pushErrorScope("validation");
  device.pushErrorScope("out-of-memory");
  let value: T | undefined, thrown: unknown = null;
  try {
    value = await f();
  } catch (e) {
    thrown = e;
  }
  const oom = await device.popErrorScope();
  const invalid = await device.popErrorScope();
  if (oom) {
    throw new GpuError(`GPU out of memory in ${what}: ${firstLine(oom.message)}; lower --batch`);
  }
  if (invalid) {
    throw new GpuError(
      `GPU error in ${what} (a buffer above the device's limits?): ${
        firstLine(invalid.message)
      }; lower --batch`,
    );
  }
  if (thrown) {
    const m = firstLine(thrown);
    if (
      /out of memory|allocation|mapAsync|OperationError|buffer/i.test(m) && !(thrown instanceof UserError)
    ) {
      throw new GpuError(`GPU failure in ${what}: ${m}; lower --batch`);
    }
    throw thrown;
  }
  return value as T;
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split("\n")[0];
}

/**
 * GFLOP/s of tfjs-webgpu's own float32 `matMul` at n^3 on the GPU in force (what its stock kernels reach: the
 * ceiling the model's products are measured against on WebGPU). Runs `reps` chained products after one warm-up
 * and waits for the last by reading one element.
 *
 * @example
 * ```ts
 * const peak = await webgpuMatmulPeak(2048); // GFLOP/s
 * ```
 */
export async function webgpuMatmulPeak(n = 2048, reps = 10): Promise<number> {
  const a = tf.randomUniform([n, n], -1, 1, "float32", 1), b = tf.randomUniform([n, n], -1, 1, "float32", 2);
  const once = async (k: number) => {
    let last: tf.Tensor | null = null;
    for (let r = 0; r < k; r++) {
      last?.dispose();
      last = tf.matMul(a, b);
    }
    const probe = tf.slice(last!, [0, 0], [1, 1]);
    await probe.data();
    probe.dispose();
    last!.dispose();
  };
  try {
    await once(1); // shader compilation
    const t0 = performance.now();
    await once(reps);
    return (2 * n ** 3 * reps) / ((performance.now() - t0) / 1000) / 1e9;
  } finally {
    a.dispose();
    b.dispose();
  }
}
