/**
 * Running the Python reference implementations (`mangamatch_numpy.py`, `mangamatch_torch.py`) from Deno: which
 * interpreter, whether numpy / torch import, `.npy` files in and out. Used by the tests that compare our
 * similarity matrices with the references.
 *
 * Interpreter: `MANGAMATCH_PYTHON` when set, else `/usr/bin/python3` when it exists (Debian's, which sees the
 * apt packages `python3-numpy` and `python3-torch` that `.ci/run` installs; a pyenv or venv `python3` earlier
 * on PATH may lack them), else `python3` from PATH.
 *
 * @module
 */
import * as path from "node:path";
import { existsSync } from "../../util/fs.ts";

/** Folder of the reference scripts. */
export const REFERENCE_DIR = import.meta.dirname!;

/**
 * The Python interpreter the references run under (see the module doc).
 *
 * @example
 * ```ts
 * const py = pythonInterpreter(); // "/usr/bin/python3" on Debian
 * ```
 */
export function pythonInterpreter(): string {
  const env = Deno.env.get("MANGAMATCH_PYTHON");
  if (env) return env;
  return existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

/** Whether `module` imports under `python`; the reason when it does not. */
export async function pythonHas(python: string, module: string): Promise<{ ok: boolean; reason: string }> {
  try {
    const r = await new Deno.Command(python, {
      args: ["-c", `import ${module}; print(${module}.__version__)`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(r.success ? r.stdout : r.stderr).trim().split("\n").pop() ?? "";
    return { ok: r.success, reason: r.success ? `${module} ${out}` : `${python}: ${out}` };
  } catch (e) {
    return { ok: false, reason: `${python}: ${(e as Error).message}` };
  }
}

/** `.npy` (format 1.0) bytes of a C-order uint8 or float32 array. */
export function encodeNpy(data: Uint8Array | Float32Array, shape: number[]): Uint8Array {
  const descr = data instanceof Uint8Array ? "|u1" : "<f4";
  let h = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(", ")}${
    shape.length === 1 ? "," : ""
  }), }`;
  h += " ".repeat((64 - ((10 + h.length + 1) % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + h.length + data.byteLength);
  out.set([0x93, ...new TextEncoder().encode("NUMPY"), 1, 0]);
  new DataView(out.buffer).setUint16(8, h.length, true);
  out.set(new TextEncoder().encode(h), 10);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof Float32Array) {
    const dv = new DataView(out.buffer, 10 + h.length);
    for (let i = 0; i < data.length; i++) dv.setFloat32(4 * i, data[i], true);
  } else out.set(body, 10 + h.length);
  return out;
}

/** A little-endian float32 C-order `.npy` file's values and shape. */
export function decodeNpyF32(bytes: Uint8Array, file: string): { data: Float32Array; shape: number[] } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0x93 || new TextDecoder().decode(bytes.subarray(1, 6)) !== "NUMPY") {
    throw new Error(`${file}: not a .npy file`);
  }
  const major = bytes[6];
  const hl = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true), h0 = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(h0, h0 + hl));
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header)) {
    throw new Error(`${file}: expected a little-endian float32 C-order array, header ${header.trim()}`);
  }
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? "").split(",").map((s) => s.trim())
    .filter((s) => s).map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = dv.getFloat32(h0 + hl + 4 * i, true);
  return { data, shape };
}

/**
 * Runs one reference (`numpy` or `torch`) on a safetensors file and a pair of model-input images; returns its
 * [2N, 2N] similarities. Throws with the script's stderr when it fails.
 *
 * @example
 * ```ts
 * const sim = await runReference("numpy", "out/m/model.safetensors", [a, b], 256);
 * ```
 */
export async function runReference(
  impl: "numpy" | "torch",
  weights: string,
  pair: [Uint8Array, Uint8Array],
  size: number,
  python = pythonInterpreter(),
): Promise<{ sim: Float32Array; shape: number[]; stdout: string }> {
  const dir = await Deno.makeTempDir({ prefix: "mm-ref-" });
  try {
    const input = new Uint8Array(2 * size * size);
    input.set(pair[0], 0);
    input.set(pair[1], size * size);
    const pairFile = path.join(dir, "pair.npy"), outFile = path.join(dir, "sim.npy");
    await Deno.writeFile(pairFile, encodeNpy(input, [2, size, size]));
    const script = path.join(REFERENCE_DIR, `mangamatch_${impl}.py`);
    const r = await new Deno.Command(python, {
      args: [script, weights, "--pair", pairFile, "--out", outFile],
      env: { PYTHONDONTWRITEBYTECODE: "1" }, // no __pycache__ in the source tree
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(r.stdout), stderr = new TextDecoder().decode(r.stderr);
    if (!r.success) throw new Error(`${python} ${script} failed (${r.code}): ${stderr.trim()}`);
    const { data, shape } = decodeNpyF32(await Deno.readFile(outFile), outFile);
    return { sim: data, shape, stdout };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Largest absolute difference of two equal-length arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`maxAbsDiff: lengths ${a.length} and ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
