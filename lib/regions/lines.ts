/**
 * Line-enclosed regions with gap closing, for what the paper's patch-level pipeline cannot see: regions
 * smaller than a patch (eyes, brows, highlights) that strokes already outline.
 *
 * The method is trapped-ball filling expressed through a distance transform. Let d be each paper pixel's
 * distance to the nearest ink pixel. A ball of radius r fits wherever d > r, and it cannot pass through a gap
 * narrower than about 2r between stroke ends. So, from the largest radius down to 0:
 * - the connected parts of {d > r} that hold no seed yet become new seeds (one region each), if they reach
 *   at least `minDepth` deeper than r: at the largest radius these are the regions a big ball sees as closed;
 *   at smaller radii, regions too thin for the bigger balls; at 0, every remaining enclosed pocket;
 * - parts that already hold a seed are left alone, so two seeds that meet only through a narrow gap stay two
 *   regions: the gap is closed.
 * Then every pixel is flooded from the seeds in order of decreasing d (a watershed on -d, 4-connected), so
 * the floods meet at the narrowest point of each gap and ink pixels, flooded last, go to the region beside
 * them. Everything is linear in pixels (exact distance transform, one component pass per radius, a bucket-queue
 * flood).
 *
 * Balls must fit inside the image too: distances are clipped at the image border.
 *
 * A gap of g pixels between two stroke ends has its middle at d ~ (g + 1) / 2, so radius r closes gaps up to
 * about 2r - 1 pixels. Narrow necks of a single region (narrower than ~2r) are cut the same way; the hybrid
 * mode joins such pieces back when the model says they are one.
 *
 * @module
 */
import type { GrayImage } from "../image/types.ts";
import { squaredDistance } from "./distance.ts";
import { watershed } from "./watershed.ts";

/** Options of {@link lineRegions}. */
export interface LineRegionOptions {
  /** Grey values below this are ink. */
  inkThreshold: number;
  /** Largest ball radius in pixels of the working image: closes gaps up to about 2r - 1 pixels. */
  maxRadius: number;
  /** A seed found at radius r needs a pixel at least r + minDepth from ink (pixels). */
  minDepth: number;
  /** Flood levels per pixel of distance (the flood order's resolution). */
  levelsPerPixel: number;
  /** Distances beyond this (pixels) flood as one level: order only matters near strokes and gaps. */
  maxDistance: number;
}

/** Defaults (ours; the paper has no such step). */
export const LINE_REGION_DEFAULTS: LineRegionOptions = {
  inkThreshold: 160, // mid-grey: keeps light construction/colour lines of hand-drawn art as ink, drops paper noise
  maxRadius: 3, // closes gaps up to ~5 px at the working size (~8 px of a 1600-px original at 1024)
  minDepth: 1, // bumps of under a pixel along thin strips (corners, stroke wobble) are not regions
  levelsPerPixel: 4, // quarter-pixel flood order is finer than any gap
  maxDistance: 63, // 4 * 63 + 1 = 253 levels: fits the bucket queue's 8-bit range comfortably
};

/** Result of {@link lineRegions}. */
export interface LineRegions {
  /** Region ids 1..count for every pixel (ink pixels included: they go to a neighbouring region). */
  labels: Int32Array;
  count: number;
  /** 1 where the pixel is ink. */
  ink: Uint8Array;
  /** Number of ink pixels. */
  inkPixels: number;
}

/** Ink mask of a grey image. */
export function inkMask(
  gray: GrayImage,
  threshold = LINE_REGION_DEFAULTS.inkThreshold,
): { ink: Uint8Array; count: number } {
  const ink = new Uint8Array(gray.data.length);
  let count = 0;
  for (let i = 0; i < ink.length; i++) if (gray.data[i] < threshold) ink[i] = 1, count++;
  return { ink, count };
}

/**
 * Splits line art into line-enclosed regions, closing small gaps. A blank image (no ink) is one region.
 *
 * @example
 * ```ts
 * const { labels, count } = lineRegions(line); // labels: Int32Array(w * h), ids 1..count
 * ```
 */
export function lineRegions(gray: GrayImage, opts: Partial<LineRegionOptions> = {}): LineRegions {
  const o = { ...LINE_REGION_DEFAULTS, ...opts };
  const W = gray.width, H = gray.height, n = W * H;
  const { ink, count: inkPixels } = inkMask(gray, o.inkThreshold);
  if (inkPixels === 0 || inkPixels === n) {
    return { labels: new Int32Array(n).fill(1), count: 1, ink, inkPixels };
  }
  const d2 = squaredDistance(ink, W, H);
  // A ball must also fit inside the frame: clip the distance at the image border (the border itself is not a
  // stroke). Without this, the wide corners of a thin strip of background along the frame would each trap a
  // ball and split the strip.
  for (let y = 0; y < H; y++) {
    const by = Math.min(y + 1, H - y);
    for (let x = 0; x < W; x++) {
      const b = Math.min(by, x + 1, W - x);
      const p = y * W + x;
      if (b * b < d2[p]) d2[p] = b * b;
    }
  }
  const markers = new Int32Array(n);
  let count = 0;
  // Component labelling scratch: `comp` marks visited pixels of the current level; `queue` holds the pixels
  // of the component being grown (a breadth-first queue that doubles as its member list).
  const comp = new Uint8Array(n);
  const queue = new Int32Array(n);
  for (let r = Math.max(0, Math.floor(o.maxRadius)); r >= 0; r--) {
    const r2 = r * r;
    comp.fill(0);
    for (let s = 0; s < n; s++) {
      if (comp[s] !== 0 || !(d2[s] > r2)) continue;
      comp[s] = 1;
      let head = 0, tail = 0, seeded = false;
      queue[tail++] = s;
      while (head < tail) {
        const p = queue[head++];
        if (markers[p] > 0) seeded = true;
        const y = (p / W) | 0, x = p - y * W;
        if (x > 0 && comp[p - 1] === 0 && d2[p - 1] > r2) comp[queue[tail++] = p - 1] = 1;
        if (x < W - 1 && comp[p + 1] === 0 && d2[p + 1] > r2) comp[queue[tail++] = p + 1] = 1;
        if (y > 0 && comp[p - W] === 0 && d2[p - W] > r2) comp[queue[tail++] = p - W] = 1;
        if (y < H - 1 && comp[p + W] === 0 && d2[p + W] > r2) comp[queue[tail++] = p + W] = 1;
      }
      // A new seed must stand out by `minDepth` above the level (an h-maximum): a shallow bump of a thin strip
      // is not a region of its own. At level 0 every enclosed pocket is one.
      let deep = r === 0;
      if (!seeded && !deep) {
        const need = (r + o.minDepth) * (r + o.minDepth);
        for (let k = 0; k < tail && !deep; k++) if (d2[queue[k]] >= need) deep = true;
      }
      if (!seeded && deep) {
        const id = ++count;
        for (let k = 0; k < tail; k++) markers[queue[k]] = id;
      }
    }
  }
  // Flood in order of decreasing distance to ink.
  const top = Math.round(o.maxDistance * o.levelsPerPixel);
  const levels = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const d = Math.min(o.maxDistance, Math.sqrt(d2[i]));
    levels[i] = top - Math.round(d * o.levelsPerPixel);
  }
  const labels = watershed(levels, markers, W, H, { connectivity: 1 });
  return { labels, count, ink, inkPixels };
}
