/**
 * The scikit-image reference of `deno task bench:match`: `lib/bench/peers/watershed_skimage.py` run on the same
 * edge levels, seeds and our labels, passed as .npy files. Needs Debian's python3-skimage; without it the run is
 * skipped with a reason, never a throw.
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** The committed reference script. */
export const SKIMAGE_WATERSHED_SCRIPT = fileURLToPath(
  new URL("./peers/watershed_skimage.py", import.meta.url),
);

/**
 * An .npy (format 1.0) file of a C-ordered 2-D array.
 *
 * @example
 * ```ts
 * await Deno.writeFile("levels.npy", encodeNpy(levels, h, w));
 * ```
 */
export function encodeNpy(data: Uint16Array | Int32Array, rows: number, cols: number): Uint8Array {
  const descr = data instanceof Uint16Array ? "<u2" : "<i4";
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const pre = 10; // magic (6) + version (2) + header length (2)
  const total = Math.ceil((pre + header.length + 1) / 64) * 64;
  header = header.padEnd(total - pre - 1, " ") + "\n";
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, ...new TextEncoder().encode("NUMPY"), 1, 0, header.length & 255, header.length >> 8]);
  out.set(new TextEncoder().encode(header), pre);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

/** What the reference run gives: its times (ms), its agreement with our labels, its version; or why not. */
export type SkimageResult = { times: number[]; agreement: number; version: string } | { skipped: string };

/**
 * scikit-image's watershed on the same arrays, timed inside Python (start-up and file I/O excluded).
 *
 * @example
 * ```ts
 * const r = await skimageWatershed("/usr/bin/python3", levels, markers, ours, W, H, 8);
 * if ("times" in r) console.log(r.version, r.agreement);
 * ```
 */
export async function skimageWatershed(
  python: string,
  levels: Uint16Array,
  markers: Int32Array,
  ours: Int32Array,
  w: number,
  h: number,
  repeats: number,
  script = SKIMAGE_WATERSHED_SCRIPT,
): Promise<SkimageResult> {
  const dir = await Deno.makeTempDir({ prefix: "mm-bench-ws-" });
  try {
    const files = ["levels.npy", "markers.npy", "ours.npy"].map((f) => path.join(dir, f));
    await Deno.writeFile(files[0], encodeNpy(levels, h, w));
    await Deno.writeFile(files[1], encodeNpy(markers, h, w));
    await Deno.writeFile(files[2], encodeNpy(ours, h, w));
    let out: Deno.CommandOutput;
    try {
      out = await new Deno.Command(python, {
        args: [script, files[0], files[1], files[2], String(repeats)],
        stdout: "piped",
        stderr: "piped",
      }).output();
    } catch (e) {
      return { skipped: `${python} not runnable (${(e as Error).message.split("\n")[0]})` };
    }
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr).trim().split("\n").pop() ?? "";
      return { skipped: `${python}: ${err}` };
    }
    return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
