/**
 * Resizing that keeps thin strokes. A 1-px stroke at 1920x1920 covers a quarter of each pixel of a 512x512
 * copy, so an area-average (or bilinear) reduction turns it into a faint grey that a model barely sees, and
 * breaks it where it runs diagonally. Here each output pixel takes the darkest source pixel of its footprint
 * (a min-pool over exactly the source rectangle it covers), so every stroke survives, 1 px wide at least.
 * Enlargements are bilinear.
 *
 * @module
 */
import type { GrayImage, LabelMap } from "./types.ts";

/** Source index ranges [start[i], end[i]) covered by each of `outN` output cells over `inN` input cells. */
function footprints(inN: number, outN: number): { start: Int32Array; end: Int32Array } {
  const start = new Int32Array(outN), end = new Int32Array(outN);
  const scale = inN / outN;
  for (let i = 0; i < outN; i++) {
    const a = i * scale, b = (i + 1) * scale;
    start[i] = Math.min(inN - 1, Math.floor(a + 1e-9));
    end[i] = Math.max(start[i] + 1, Math.min(inN, Math.ceil(b - 1e-9)));
  }
  return { start, end };
}

function bilinear(img: GrayImage, width: number, height: number): GrayImage {
  const out = new Uint8Array(width * height);
  const sx = img.width / width, sy = img.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, Math.min(img.height - 1, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(img.height - 1, y0 + 1), wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.max(0, Math.min(img.width - 1, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(img.width - 1, x0 + 1), wx = fx - x0;
      const d = img.data, w = img.width;
      const v = (d[y0 * w + x0] * (1 - wx) + d[y0 * w + x1] * wx) * (1 - wy) +
        (d[y1 * w + x0] * (1 - wx) + d[y1 * w + x1] * wx) * wy;
      out[y * width + x] = Math.round(v);
    }
  }
  return { width, height, data: out };
}

/**
 * Resizes line art to `width` x `height`, keeping every stroke: reductions take the darkest pixel of each
 * output pixel's footprint (separable min-pool), enlargements are bilinear. An axis that is reduced while the
 * other is enlarged is handled in two passes.
 *
 * @example
 * ```ts
 * const small = resizeLinePreserving(line1920, 512, 512); // 1-px strokes stay visible
 * ```
 */
export function resizeLinePreserving(img: GrayImage, width: number, height: number): GrayImage {
  if (width <= 0 || height <= 0) throw new RangeError(`resizeLinePreserving: bad size ${width}x${height}`);
  if (width === img.width && height === img.height) return { width, height, data: img.data.slice() };
  if (width > img.width || height > img.height) {
    // Reduce first along an axis that shrinks (if any), then enlarge the rest bilinearly.
    const mid = resizeLinePreserving(img, Math.min(width, img.width), Math.min(height, img.height));
    return mid.width === width && mid.height === height ? mid : bilinear(mid, width, height);
  }
  const { width: W, height: H, data } = img;
  // Pass 1: min over x footprints. [H, width]
  const fx = footprints(W, width);
  const tmp = new Uint8Array(H * width);
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let x = 0; x < width; x++) {
      let m = 255;
      for (let k = fx.start[x]; k < fx.end[x]; k++) {
        const v = data[row + k];
        if (v < m) m = v;
      }
      tmp[y * width + x] = m;
    }
  }
  // Pass 2: min over y footprints. [height, width]
  const fy = footprints(H, height);
  const out = new Uint8Array(height * width);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    out.fill(255, o, o + width);
    for (let k = fy.start[y]; k < fy.end[y]; k++) {
      const r = k * width;
      for (let x = 0; x < width; x++) {
        const v = tmp[r + x];
        if (v < out[o + x]) out[o + x] = v;
      }
    }
  }
  return { width, height, data: out };
}

/** Nearest-neighbour resize of a label map (sampling each output pixel's centre). */
export function resizeLabelsNearest(map: LabelMap, width: number, height: number): LabelMap {
  const out = new Int32Array(width * height);
  const sx = map.width / width, sy = map.height / height;
  const xs = new Int32Array(width);
  for (let x = 0; x < width; x++) xs[x] = Math.min(map.width - 1, Math.floor((x + 0.5) * sx));
  for (let y = 0; y < height; y++) {
    const row = Math.min(map.height - 1, Math.floor((y + 0.5) * sy)) * map.width;
    for (let x = 0; x < width; x++) out[y * width + x] = map.data[row + xs[x]];
  }
  return { width, height, data: out };
}
