/**
 * Test data for the studio: a tiny generated dataset (one character, two frames, one pair) and helpers that
 * read a frame's files back.
 *
 * @module
 */
import * as path from "node:path";
import { generateDataset } from "../../generate/dataset.ts";
import { loadFrame, type PbcFrame } from "../../data/pbc.ts";

/** Settings of the test dataset: 2 frames of one character at 192x192 (small, fast, still ~40 regions). */
export const FIXTURE = {
  pairs: 1,
  style: "clean" as const,
  seed: 3,
  size: 192,
  gap: 1,
  framesPerCharacter: 2,
};

/**
 * Generates the test dataset into `<dir>/data` and returns its root, character and frames.
 *
 * @example
 * ```ts
 * const fx = await makeFixture(await Deno.makeTempDir());
 * ```
 */
export async function makeFixture(
  dir: string,
): Promise<{ root: string; character: string; frames: [string, string] }> {
  const root = path.join(dir, "data");
  await generateDataset({ ...FIXTURE, out: root, progress: "off" });
  const chars = [...Deno.readDirSync(root)].filter((e) => e.isDirectory && !e.name.startsWith(".")).map((e) =>
    e.name
  );
  const character = chars[0];
  const frames = [...Deno.readDirSync(path.join(root, character, "line"))].map((e) =>
    e.name.replace(/\.png$/, "")
  )
    .sort() as [string, string];
  return { root, character, frames };
}

/** The frame as on disk. */
export function readFrame(root: string, character: string, frame: string): Promise<PbcFrame> {
  return loadFrame(root, character, frame);
}

/** Regions of a frame (id != 0 line, != 1 background) by size, largest first: [id, size, label]. */
export function regionsBySize(f: PbcFrame): [number, number, number][] {
  const sizes = new Map<number, number>();
  for (const id of f.seg.data) sizes.set(id, (sizes.get(id) ?? 0) + 1);
  return [...sizes].filter(([id]) => id > 1).map(([id, n]) =>
    [id, n, f.labelOfSeg!.get(id)!] as [number, number, number]
  )
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

/** A pixel of region `id` near its centre of mass that lies inside it, with its bounding box. */
export function interiorPixel(
  f: PbcFrame,
  id: number,
): { x: number; y: number; box: [number, number, number, number] } {
  const W = f.seg.width;
  let sx = 0, sy = 0, n = 0, x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let i = 0; i < f.seg.data.length; i++) {
    if (f.seg.data[i] !== id) continue;
    const x = i % W, y = Math.floor(i / W);
    sx += x, sy += y, n++;
    x0 = Math.min(x0, x), y0 = Math.min(y0, y), x1 = Math.max(x1, x), y1 = Math.max(y1, y);
  }
  const cx = sx / n, cy = sy / n;
  // The region pixel closest to the centre whose 3x3 neighbourhood is all in the region.
  let best = -1, bd = Infinity;
  for (let i = 0; i < f.seg.data.length; i++) {
    if (f.seg.data[i] !== id) continue;
    const x = i % W, y = Math.floor(i / W);
    let inside = true;
    for (let dy = -1; dy <= 1 && inside; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx, yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= W || yy >= f.seg.height || f.seg.data[yy * W + xx] !== id) {
          inside = false;
          break;
        }
      }
    }
    if (!inside) continue;
    const d = (x - cx) ** 2 + (y - cy) ** 2;
    if (d < bd) bd = d, best = i;
  }
  if (best < 0) throw new Error(`region ${id} has no interior pixel`);
  return { x: best % W, y: Math.floor(best / W), box: [x0, y0, x1, y1] };
}
