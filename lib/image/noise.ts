/**
 * Smooth random fields: value noise on a coarse grid, interpolated with a smoothstep. The hand-drawn line styles
 * use it (line wobble, stroke width, gaps) and so do the image warps' elastic fields. Deterministic by the
 * {@link Rng} passed in.
 *
 * @module
 */
import type { Rng } from "../util/rng.ts";

/**
 * A `width x height` field of smooth noise in [-1, 1] whose features are about `cell` pixels across.
 *
 * @example
 * ```ts
 * const gaps = valueNoise(new Rng(1), 512, 512, 24); // Float32Array(512*512)
 * ```
 */
export function valueNoise(
  rng: Rng,
  width: number,
  height: number,
  cell: number,
  out?: Float32Array,
): Float32Array {
  const res = out ?? new Float32Array(width * height);
  const gw = Math.ceil(width / cell) + 2, gh = Math.ceil(height / cell) + 2;
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = 2 * rng.float() - 1;
  // Interpolation weights along x are the same for every row: compute them once.
  const gx = new Int32Array(width), wx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const fx = x / cell;
    const ix = Math.floor(fx), t = fx - ix;
    gx[x] = ix;
    wx[x] = t * t * (3 - 2 * t);
  }
  for (let y = 0; y < height; y++) {
    const fy = y / cell;
    const iy = Math.floor(fy), t = fy - iy, wy = t * t * (3 - 2 * t);
    const r0 = iy * gw, r1 = r0 + gw;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const ix = gx[x], w = wx[x];
      const a = grid[r0 + ix] + (grid[r0 + ix + 1] - grid[r0 + ix]) * w;
      const b = grid[r1 + ix] + (grid[r1 + ix + 1] - grid[r1 + ix]) * w;
      res[row + x] = a + (b - a) * wy;
    }
  }
  return res;
}
