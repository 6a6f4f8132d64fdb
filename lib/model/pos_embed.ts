/**
 * Resizing learnt position embeddings to another patch grid by bicubic interpolation (as PyTorch's
 * `F.interpolate(mode="bicubic", align_corners=False)`, A = -0.75, clamped borders), so a model trained at one
 * input size runs at another, and ViT weights from a 14x14 grid load onto 16x16 or 32x32.
 *
 * @module
 */

function cubic(x: number, A = -0.75): number {
  const a = Math.abs(x);
  if (a <= 1) return ((A + 2) * a - (A + 3)) * a * a + 1;
  if (a < 2) return ((A * a - 5 * A) * a + 8 * A) * a - 4 * A;
  return 0;
}

/** Source indices and weights along one axis: out[i] = sum_k w[i][k] * in[idx[i][k]]. */
function axisWeights(src: number, dst: number): { idx: Int32Array; w: Float64Array } {
  const idx = new Int32Array(dst * 4), w = new Float64Array(dst * 4);
  const scale = src / dst;
  for (let i = 0; i < dst; i++) {
    const x = (i + 0.5) * scale - 0.5;
    const x0 = Math.floor(x), t = x - x0;
    for (let k = 0; k < 4; k++) {
      idx[i * 4 + k] = Math.min(src - 1, Math.max(0, x0 - 1 + k));
      w[i * 4 + k] = cubic(t - (k - 1));
    }
  }
  return { idx, w };
}

/**
 * Bicubic resize of a [g*g, d] embedding table (row-major grid) to [g2*g2, d].
 *
 * @example
 * ```ts
 * const pos32 = resizePosEmbed(pos16, 16, 32, 128); // Float32Array(32 * 32 * 128)
 * ```
 */
export function resizePosEmbed(pos: Float32Array, g: number, g2: number, d: number): Float32Array {
  if (pos.length !== g * g * d) {
    throw new RangeError(`resizePosEmbed: ${pos.length} values is not ${g}x${g}x${d}`);
  }
  if (g === g2) return pos.slice();
  const ax = axisWeights(g, g2);
  // Rows first: tmp [g2, g, d].
  const tmp = new Float64Array(g2 * g * d);
  for (let y = 0; y < g2; y++) {
    for (let k = 0; k < 4; k++) {
      const sy = ax.idx[y * 4 + k], wy = ax.w[y * 4 + k];
      if (wy === 0) continue;
      for (let x = 0; x < g; x++) {
        const src = (sy * g + x) * d, dst = (y * g + x) * d;
        for (let c = 0; c < d; c++) tmp[dst + c] += wy * pos[src + c];
      }
    }
  }
  const out = new Float32Array(g2 * g2 * d);
  const acc = new Float64Array(d);
  for (let y = 0; y < g2; y++) {
    for (let x = 0; x < g2; x++) {
      acc.fill(0);
      for (let k = 0; k < 4; k++) {
        const sx = ax.idx[x * 4 + k], wx = ax.w[x * 4 + k];
        if (wx === 0) continue;
        const src = (y * g + sx) * d;
        for (let c = 0; c < d; c++) acc[c] += wx * tmp[src + c];
      }
      out.set(acc, (y * g2 + x) * d);
    }
  }
  return out;
}
