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
import { cappedSquaredDistance } from "./distance.ts";
import { scratchFloat32, scratchInt32, scratchUint16, scratchUint8 } from "./scratch.ts";
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

/** Ink mask of a grey image (into `out` when given). */
export function inkMask(
  gray: GrayImage,
  threshold = LINE_REGION_DEFAULTS.inkThreshold,
  out?: Uint8Array,
): { ink: Uint8Array; count: number } {
  const n = gray.data.length, d = gray.data;
  const ink = out ? out.subarray(0, n) : new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = d[i] < threshold ? 1 : 0;
    ink[i] = v;
    count += v;
  }
  return { ink, count };
}

/**
 * Splits line art into line-enclosed regions, closing small gaps. A blank image (no ink) is one region. The
 * labels are written into `out` and the ink mask into `inkOut` when given (at least width * height values).
 *
 * The radius loop is one union-find pass: paper pixels enter in bands of decreasing distance (d > R first, then
 * R-1 < d <= R, ...), joining the components of the pixels already in, so the components after band r are the
 * connected parts of {d > r}. Each component keeps whether it holds a seed, its deepest squared distance, its
 * first pixel (raster order) and its member list; after each band, the unseeded components that are deep enough
 * become seeds, numbered in raster order of their first pixel, as a scan of {d > r} would number them.
 *
 * @example
 * ```ts
 * const { labels, count } = lineRegions(line); // labels: Int32Array(w * h), ids 1..count
 * ```
 */
export function lineRegions(
  gray: GrayImage,
  opts: Partial<LineRegionOptions> = {},
  out?: Int32Array,
  inkOut?: Uint8Array,
): LineRegions {
  const o = { ...LINE_REGION_DEFAULTS, ...opts };
  const W = gray.width, H = gray.height, n = W * H;
  const { ink, count: inkPixels } = inkMask(gray, o.inkThreshold, inkOut);
  if (inkPixels === 0 || inkPixels === n) {
    return { labels: (out ?? new Int32Array(n)).fill(1, 0, n), count: 1, ink, inkPixels };
  }
  const R = Math.max(0, Math.floor(o.maxRadius));
  if (R > 250) throw new RangeError(`lineRegions: maxRadius ${o.maxRadius} is beyond 250 pixels`);
  // Distances are only needed exactly below a few pixels. A pixel left unseeded lies within
  // E = R + max(minDepth, 1) of ink (it entered below the top band, or its top-band part was never deep enough),
  // and the seeds it is flooded from lie within E + 1 (the distance changes by at most 1 per step); the seed
  // tests compare with at most (R + minDepth)^2. So distances are capped at ceil(E) + 1: beyond it, nothing
  // depends on their value.
  const capD = Math.ceil(R + Math.max(o.minDepth, 1)) + 1;
  const d2 = cappedSquaredDistance(ink, W, H, capD, scratchFloat32("lines.d2", n));
  // One pass over the pixels: clip the distance at the image border (a ball must also fit inside the frame;
  // the border itself is not a stroke: without this, the wide corners of a thin strip of background along the
  // frame would each trap a ball and split the strip), then the flood level (squared distances are integers: a
  // table gives each level) and the band the pixel enters the seed search at.
  const top = Math.round(o.maxDistance * o.levelsPerPixel);
  const cap = capD * capD;
  const levelOf = new Uint16Array(cap + 1);
  for (let q = 0; q <= cap; q++) {
    levelOf[q] = top - Math.round(Math.min(o.maxDistance, Math.sqrt(q)) * o.levelsPerPixel);
  }
  const R2 = R * R, topBand = R + 1;
  const bandOf = new Uint8Array(cap + 1); // k with (k - 1)^2 < d2 <= k^2 up to R^2; the top band above
  for (let q = 1, k = 1; q <= cap; q++) {
    while (k <= R && q > k * k) k++;
    bandOf[q] = q > R2 ? topBand : k;
  }
  const levels = scratchUint16("lines.levels", n);
  const band = scratchUint8("lines.band", n);
  const bandCount = new Int32Array(topBand + 1);
  for (let y = 0; y < H; y++) {
    const by = Math.min(y + 1, H - y);
    for (let x = 0; x < W; x++) {
      const b = Math.min(by, x + 1, W - x);
      const p = y * W + x;
      let q = d2[p];
      if (b * b < q) d2[p] = q = b * b;
      levels[p] = levelOf[q];
      const k = bandOf[q];
      band[p] = k;
      bandCount[k]++;
    }
  }
  const markers = scratchInt32("lines.markers", n, 0);
  const count = seedMarkers(d2, band, bandCount, markers, W, H, R, o.minDepth);
  // Flood in order of decreasing distance to ink.
  const labels = watershed(levels, markers, W, H, { connectivity: 1, out });
  return { labels, count, ink, inkPixels };
}

/**
 * Seeds of line regions (into `markers`, zeroed) from clipped squared distances to ink (integers, capped) and each
 * pixel's band (0: ink; k: enters at radius k - 1; `bandCount` pixels per band): for r = R..0, the unseeded
 * connected parts (4-connected) of {d2 > r^2} reaching d2 >= (r + minDepth)^2 (any, at r = 0) become seeds,
 * numbered in order of radius, then of their first pixel. Returns the number of seeds.
 *
 * A union-find over pixels: a set's root is its first pixel (unions keep the smaller index). Its members are kept
 * as a list of horizontal segments, so a new seed is painted with a fill per segment. The top band (most of the
 * paper) enters as horizontal runs, each joined to the runs it touches in the row above; the thin lower bands
 * enter pixel by pixel.
 */
function seedMarkers(
  d2: Float32Array,
  band: Uint8Array,
  bandCount: Int32Array,
  markers: Int32Array,
  W: number,
  H: number,
  R: number,
  minDepth: number,
): number {
  const n = W * H;
  const topBand = R + 1;
  const parent = scratchInt32("lines.parent", n, -1); // -1: not in yet
  const deepest = scratchFloat32("lines.deepest", n);
  const flags = scratchUint8("lines.flags", n, 0); // bit 0: seeded; bits 1..7: listed in this round
  const segHead = scratchInt32("lines.segHead", n), segTail = scratchInt32("lines.segTail", n);
  const segStart = scratchInt32("lines.segStart", n), segEnd = scratchInt32("lines.segEnd", n);
  const segNext = scratchInt32("lines.segNext", n);
  let segs = 0;
  // Lower bands: counting sort, highest band first, raster order within a band.
  const start = new Int32Array(topBand + 1); // start[k]: lower-band pixels in bands above k
  for (let k = topBand - 1; k >= 1; k--) start[k - 1] = start[k] + bandCount[k];
  const order = scratchInt32("lines.order", Math.max(1, start[0]));
  const fill = start.slice();
  if (start[0] > 0) {
    for (let i = 0; i < n; i++) {
      const k = band[i];
      if (k > 0 && k < topBand) order[fill[k]++] = i;
    }
  }
  let count = 0;
  let pending: number[] = []; // unseeded roots after the previous radius
  let pos = 0;
  for (let r = R; r >= 0; r--) {
    const cand: number[] = pending;
    if (r + 1 === topBand) {
      // The top band, as runs: each run one segment, rooted at its first pixel.
      for (let y = 0; y < H; y++) {
        const o = y * W;
        let x = 0;
        while (x < W) {
          if (band[o + x] !== topBand) {
            x++;
            continue;
          }
          const p0 = o + x;
          let deep = d2[p0];
          for (; x < W && band[o + x] === topBand; x++) {
            const p = o + x;
            parent[p] = p0;
            if (d2[p] > deep) deep = d2[p];
          }
          const p1 = o + x; // exclusive
          const sg = segs++;
          segStart[sg] = p0;
          segEnd[sg] = p1;
          segNext[sg] = -1;
          segHead[p0] = segTail[p0] = sg;
          deepest[p0] = deep;
          let root = p0;
          if (y > 0) {
            // Join every run of the row above that this one touches (4-connected: same columns).
            for (let q = p0 - W, e = p1 - W; q < e; q++) {
              if (parent[q] >= 0 && (q === p0 - W || parent[q - 1] < 0)) root = join(root, q);
            }
          }
          if (root === p0) cand.push(p0);
        }
      }
    } else {
      const end = pos + bandCount[r + 1];
      for (; pos < end; pos++) {
        const p = order[pos];
        parent[p] = p;
        deepest[p] = d2[p];
        const sg = segs++;
        segStart[sg] = p;
        segEnd[sg] = p + 1;
        segNext[sg] = -1;
        segHead[p] = segTail[p] = sg;
        let root = p;
        const y = (p / W) | 0, x = p - y * W;
        if (x > 0 && parent[p - 1] >= 0) root = join(root, p - 1);
        if (x < W - 1 && parent[p + 1] >= 0) root = join(root, p + 1);
        if (y > 0 && parent[p - W] >= 0) root = join(root, p - W);
        if (y < H - 1 && parent[p + W] >= 0) root = join(root, p + W);
        if (root === p) cand.push(p); // a new component (merged ones are found through their old roots)
      }
    }
    // Current unseeded roots among the candidates, once each, in raster order of their first pixel.
    const mark = ((r + 1) & 127) << 1;
    const roots: number[] = [];
    for (const c of cand) {
      const root = find(c);
      if ((flags[root] & 1) || (flags[root] & 254) === mark) continue;
      flags[root] = mark;
      roots.push(root);
    }
    roots.sort((a, b) => a - b);
    const need = (r + minDepth) * (r + minDepth);
    pending = [];
    for (const root of roots) {
      flags[root] = 0;
      if (r === 0 || deepest[root] >= need) {
        const id = ++count;
        flags[root] = 1;
        for (let sg = segHead[root]; sg >= 0; sg = segNext[sg]) markers.fill(id, segStart[sg], segEnd[sg]);
      } else pending.push(root);
    }
  }
  return count;

  function find(x: number): number {
    while (parent[x] !== x) {
      const g = parent[parent[x]];
      parent[x] = g;
      x = g;
    }
    return x;
  }
  /** Joins the set of root `a` with the set of pixel `q`; returns the new root. */
  function join(a: number, q: number): number {
    let b = find(q);
    if (b === a) return a;
    if (b < a) {
      const t = a;
      a = b;
      b = t;
    }
    parent[b] = a;
    flags[a] |= flags[b] & 1;
    if (deepest[b] > deepest[a]) deepest[a] = deepest[b];
    segNext[segTail[a]] = segHead[b];
    segTail[a] = segTail[b];
    return a;
  }
}
