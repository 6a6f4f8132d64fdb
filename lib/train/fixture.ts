/**
 * A tiny PBC-layout dataset for tests and examples: each character is a few filled shapes (rectangles and
 * ellipses) outlined in black on white, drifting a little from frame to frame; each shape is one segment and one
 * label, consistent across the character's frames. Deterministic by seed.
 *
 * @module
 */
import { lineToRgba, writeFrame } from "../data/pbc.ts";
import type { GrayImage, LabelMap } from "../image/types.ts";
import { Rng } from "../util/rng.ts";

/** Options of {@link writeToyDataset}. */
export interface ToyOptions {
  characters: number;
  frames: number;
  /** Image side in pixels. */
  size: number;
  /** Shapes per character. */
  shapes: number;
  seed: number;
}

/** Small defaults: a dataset that writes in well under a second. */
export const TOY_DEFAULTS: ToyOptions = { characters: 3, frames: 4, size: 64, shapes: 4, seed: 1 };

/**
 * Writes the dataset under `root` (PBC layout: line, seg, json_index).
 *
 * @example
 * ```ts
 * await writeToyDataset(await Deno.makeTempDir(), { characters: 2 });
 * ```
 */
export async function writeToyDataset(root: string, opts: Partial<ToyOptions> = {}): Promise<void> {
  const o = { ...TOY_DEFAULTS, ...opts };
  const S = o.size;
  for (let c = 0; c < o.characters; c++) {
    const rng = new Rng(o.seed).fork(`char${c}`);
    const shapes = Array.from({ length: o.shapes }, (_, k) => ({
      ellipse: k % 2 === 1,
      cx: rng.range(0.25, 0.75) * S,
      cy: rng.range(0.25, 0.75) * S,
      rx: rng.range(0.1, 0.25) * S,
      ry: rng.range(0.1, 0.25) * S,
      vx: rng.range(-0.02, 0.02) * S,
      vy: rng.range(-0.02, 0.02) * S,
    }));
    for (let f = 0; f < o.frames; f++) {
      const seg: LabelMap = { width: S, height: S, data: new Int32Array(S * S).fill(1) };
      for (let k = 0; k < shapes.length; k++) {
        const s = shapes[k];
        const cx = s.cx + s.vx * f, cy = s.cy + s.vy * f;
        for (let y = 0; y < S; y++) {
          for (let x = 0; x < S; x++) {
            const dx = (x + 0.5 - cx) / s.rx, dy = (y + 0.5 - cy) / s.ry;
            const inside = s.ellipse ? dx * dx + dy * dy <= 1 : Math.abs(dx) <= 1 && Math.abs(dy) <= 1;
            if (inside) seg.data[y * S + x] = 2 + k;
          }
        }
      }
      // Outline: pixels whose right or lower neighbour is in another segment become line (id 0).
      const line: GrayImage = { width: S, height: S, data: new Uint8Array(S * S).fill(255) };
      const out = seg.data.slice();
      for (let y = 0; y < S; y++) {
        for (let x = 0; x < S; x++) {
          const v = seg.data[y * S + x];
          if (
            (x + 1 < S && seg.data[y * S + x + 1] !== v) || (y + 1 < S && seg.data[(y + 1) * S + x] !== v)
          ) {
            out[y * S + x] = 0;
            line.data[y * S + x] = 0;
          }
        }
      }
      seg.data.set(out);
      const labelOfSeg = new Map<number, number>([[1, -1]]);
      for (let k = 0; k < shapes.length; k++) if (seg.data.includes(2 + k)) labelOfSeg.set(2 + k, k);
      await writeFrame(root, `char${String(c).padStart(3, "0")}`, String(f).padStart(4, "0"), {
        line: lineToRgba(line),
        seg,
        labelOfSeg,
      });
    }
  }
}
