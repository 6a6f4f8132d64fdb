/**
 * Per-pixel region labels of a cached dataset at half the model's input resolution, for augmentations that move
 * pixels (warps, crops): after the warp, each patch's label is recomputed from the moved pixels with the 55%
 * rule, so the patch ground truth follows the drawing. Each frame stores one byte per cell (a local index,
 * 0 = ignored: line, background or unlabelled) and a table of up to 255 labels; line cells are those where the
 * cached input line art has ink, so the labels agree with what the model sees.
 *
 * Half resolution keeps it small (16 KB per frame at input 256: 180 MB for 11k frames); a 16-px patch is 8x8
 * cells, enough for the majority rule. Stored beside the frame cache as `<key>.px<side>.bin`.
 *
 * @module
 */
import * as path from "node:path";
import { atomicWrite, exists } from "../util/fs.ts";
import { Progress } from "../util/progress.ts";
import type { FrameCache } from "./cache.ts";
import { squareSeg } from "./cache.ts";
import { IGNORE, segmentLabeler } from "./patch_gt.ts";
import { loadFrame } from "./pbc.ts";

const MAGIC = "MMPXLAB1";

/** Per-pixel labels of every frame of a cache. */
export interface PixelLabels {
  /** Cells per side (input size / 2). */
  side: number;
  /** [frames * side * side] local label index per cell, 0 = ignored. */
  data: Uint8Array;
  /** [frames * 256] label of each local index (index 0 unused, -1). */
  table: Int32Array;
}

/**
 * The cell labels of one frame: seg (any size, squared like the line art) sampled at cell centres; cells whose
 * 2x2 input pixels hold ink (< 128) are ignored.
 *
 * @example
 * ```ts
 * const { cells, table } = frameCells(frame.seg, frame.labelOfSeg, cachedLine, 256);
 * ```
 */
export function frameCells(
  seg: Parameters<typeof squareSeg>[0],
  labelOfSeg: Map<number, number> | null,
  line: Uint8Array,
  size: number,
): { cells: Uint8Array; table: Int32Array } {
  const sq = squareSeg(seg);
  const side = size / 2, n = sq.width;
  const labelOf = segmentLabeler(labelOfSeg);
  const cells = new Uint8Array(side * side), table = new Int32Array(256).fill(-1);
  const local = new Map<number, number>();
  for (let v = 0; v < side; v++) {
    const sy = Math.min(n - 1, Math.floor(((v + 0.5) * n) / side));
    for (let u = 0; u < side; u++) {
      const y = 2 * v, x = 2 * u;
      if (
        line[y * size + x] + line[y * size + x + 1] + line[(y + 1) * size + x] +
            line[(y + 1) * size + x + 1] < 384
      ) continue; // three or four of its pixels dark: ink
      const sx = Math.min(n - 1, Math.floor(((u + 0.5) * n) / side));
      const lab = labelOf(sq.data[sy * n + sx]);
      if (lab === IGNORE) continue;
      let k = local.get(lab);
      if (k === undefined) {
        if (local.size >= 255) continue; // more than 255 labels in a frame: the rest are ignored
        k = local.size + 1;
        local.set(lab, k);
        table[k] = lab;
      }
      cells[v * side + u] = k;
    }
  }
  return { cells, table };
}

/**
 * Loads (building when needed) the per-pixel labels of a loaded frame cache.
 *
 * @example
 * ```ts
 * const c = await loadCache("data/train-clean", { size: 256, patch: 16 });
 * const px = await loadPixelLabels(c);
 * ```
 */
export async function loadPixelLabels(
  c: FrameCache,
  opts: { progress?: boolean } = {},
): Promise<PixelLabels> {
  const side = c.size / 2, F = c.frames.length;
  const file = c.file ? c.file.replace(/\.bin$/, `.px${side}.bin`) : "";
  if (file && (await exists(file))) {
    const bytes = await Deno.readFile(file);
    const expect = 8 + F * side * side + F * 256 * 4;
    if (bytes.length === expect && new TextDecoder().decode(bytes.subarray(0, 8)) === MAGIC) {
      const data = bytes.slice(8, 8 + F * side * side);
      const table = new Int32Array(F * 256);
      const dv = new DataView(bytes.buffer, bytes.byteOffset + 8 + F * side * side);
      for (let i = 0; i < table.length; i++) table[i] = dv.getInt32(4 * i, true);
      return { side, data, table };
    }
  }
  const data = new Uint8Array(F * side * side), table = new Int32Array(F * 256);
  const bar = opts.progress === false
    ? null
    : new Progress({ total: F, label: `pixel labels ${path.basename(c.root)}`, unit: "frames" });
  const S = c.size;
  for (let i0 = 0; i0 < F; i0 += 8) {
    await Promise.all(
      c.frames.slice(i0, i0 + 8).map(async ({ character, frame }, j) => {
        const k = i0 + j;
        const f = await loadFrame(c.root, character, frame);
        const r = frameCells(f.seg, f.labelOfSeg, c.lines.subarray(k * S * S, (k + 1) * S * S), S);
        data.set(r.cells, k * side * side);
        table.set(r.table, k * 256);
      }),
    );
    bar?.set(Math.min(F, i0 + 8));
  }
  await bar?.done();
  if (file) {
    const bytes = new Uint8Array(8 + data.length + table.length * 4);
    bytes.set(new TextEncoder().encode(MAGIC), 0);
    bytes.set(data, 8);
    const dv = new DataView(bytes.buffer, 8 + data.length);
    for (let i = 0; i < table.length; i++) dv.setInt32(4 * i, table[i], true);
    try {
      await atomicWrite(file, bytes);
    } catch (e) {
      if (!(e instanceof Deno.errors.PermissionDenied)) throw e;
    }
  }
  return { side, data, table };
}
