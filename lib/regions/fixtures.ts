/**
 * Small random line drawings for the tests of post-processing: strokes, outlines and rings of 1-2 px, some
 * grey, some broken by gaps, on white paper. Deterministic by the given {@link Rng}.
 *
 * @module
 */
import type { GrayImage } from "../image/types.ts";
import type { Rng } from "../util/rng.ts";

/**
 * A `width` x `height` drawing of `strokes` random strokes (segments, box outlines and circles).
 *
 * @example
 * ```ts
 * const img = randomDrawing(new Rng(1), 64, 48, 8); // GrayImage, 0 = ink, 255 = paper
 * ```
 */
export function randomDrawing(rng: Rng, width: number, height: number, strokes = 8): GrayImage {
  const data = new Uint8Array(width * height).fill(255);
  const dot = (x: number, y: number, v: number, thick: boolean) => {
    for (let dy = 0; dy <= (thick ? 1 : 0); dy++) {
      for (let dx = 0; dx <= (thick ? 1 : 0); dx++) {
        const xx = Math.round(x) + dx, yy = Math.round(y) + dy;
        if (xx >= 0 && xx < width && yy >= 0 && yy < height) {
          data[yy * width + xx] = Math.min(data[yy * width + xx], v);
        }
      }
    }
  };
  const line = (x0: number, y0: number, x1: number, y1: number, v: number, thick: boolean, gap: number) => {
    const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2));
    const g0 = gap > 0 ? rng.float() : 2;
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      if (t > g0 && t < g0 + gap) continue;
      dot(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, v, thick);
    }
  };
  for (let k = 0; k < strokes; k++) {
    const v = rng.float() < 0.7 ? 0 : rng.int(40, 150);
    const thick = rng.float() < 0.3;
    const gap = rng.float() < 0.25 ? 0.05 + 0.1 * rng.float() : 0;
    const x0 = rng.float() * width, y0 = rng.float() * height;
    const kind = rng.int(0, 3);
    if (kind === 0) line(x0, y0, rng.float() * width, rng.float() * height, v, thick, gap);
    else if (kind === 1) {
      const x1 = rng.float() * width, y1 = rng.float() * height;
      line(x0, y0, x1, y0, v, thick, gap);
      line(x1, y0, x1, y1, v, thick, 0);
      line(x1, y1, x0, y1, v, thick, 0);
      line(x0, y1, x0, y0, v, thick, 0);
    } else {
      const r = 2 + rng.float() * Math.min(width, height) / 3;
      const steps = Math.ceil(2 * Math.PI * r * 2);
      for (let s = 0; s < steps; s++) {
        const a = (2 * Math.PI * s) / steps;
        if (gap > 0 && s / steps < gap) continue;
        dot(x0 + r * Math.cos(a), y0 + r * Math.sin(a), v, thick);
      }
    }
  }
  return { width, height, data };
}
