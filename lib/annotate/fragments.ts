/**
 * Merging small fragments of a colour segmentation into their neighbours, by colour and boundary cues.
 *
 * Fragments come from anti-aliased colour edges, from slivers between a stroke and a colour edge that is not
 * quite on it, and from colours the line art does not close. A fragment is a region smaller than `minSize`, or a
 * thin one (few pixels whose four neighbours are all its own). It joins the neighbour with the highest
 * `border x (floor + colour similarity)`, where a border crossed without a stroke counts fully and a border
 * across a stroke counts `lineWeight` (a stroke is a boundary cue; touching without one is not), and colour
 * similarity is `exp(-d^2 / (2 sigma^2))` of the mean colours.
 *
 * @module
 */

/** Options of {@link mergeFragments}. */
export interface FragmentOptions {
  /** Regions with fewer pixels are fragments. */
  minSize?: number;
  /** Regions whose interior pixels are fewer than this fraction of their size are thin fragments. */
  thinRatio?: number;
  /** Thin regions at or above this size are kept whatever their shape. */
  thinMaxSize?: number;
  /** Weight of a border pixel pair across a stroke, relative to one with no stroke between. */
  lineWeight?: number;
  /** Colour similarity scale (RGB units). */
  colorSigma?: number;
  /** Merging passes (a merged fragment can still be small; it is looked at again in the next pass). */
  passes?: number;
}

/** Defaults of {@link FragmentOptions}. */
export const FRAGMENT_DEFAULTS: Required<FragmentOptions> = {
  minSize: 24, // ~5x5 px: below a tenth of a 16-px model patch, too small to supervise anything
  thinRatio: 0.15, // a strip at most 2 px wide has no interior pixels; 3x3 blobs (1/9) also go
  thinMaxSize: 600, // a long thin region this large is a real part (a ribbon, a strand), not a sliver
  lineWeight: 0.35, // a stroke between two regions says "separate"; touching without one says "same part"
  colorSigma: 40, // RGB units: shades of one colour (~20 apart) stay similar, different parts (~80+) do not
  passes: 4, // a fragment merged into another fragment settles in one or two more passes
};

/** The region adjacency graph the merging works on. */
export interface RegionGraph {
  /** Pixel count of each region. */
  size: Float64Array; // [R]
  /** Sum of the colours of each region's pixels. */
  colorSum: Float64Array; // [R, 3]
  /** Interior pixel count (all four neighbours in the region). */
  interior: Float64Array; // [R]
  /** Per region: neighbour -> [border pairs with no stroke between, border pairs across a stroke]. */
  adj: Map<number, [number, number]>[];
  /** Regions that must not be treated as fragments (the background). */
  keep: Uint8Array; // [R]
}

/**
 * Builds the region graph from region ids of the non-line pixels (`comp`, -1 on line pixels) and the same ids
 * filled into the line pixels (`full`, see `fillNearest`).
 */
export function buildRegionGraph(
  comp: Int32Array,
  full: Int32Array,
  count: number,
  rgb: Uint8Array,
  channels: 3 | 4,
  width: number,
  height: number,
): RegionGraph {
  const n = width * height;
  const size = new Float64Array(count),
    colorSum = new Float64Array(count * 3),
    interior = new Float64Array(count);
  const adj: Map<number, [number, number]>[] = Array.from({ length: count }, () => new Map());
  for (let p = 0, j = 0; p < n; p++, j += channels) {
    const c = comp[p];
    if (c < 0) continue;
    size[c]++;
    colorSum[3 * c] += rgb[j];
    colorSum[3 * c + 1] += rgb[j + 1];
    colorSum[3 * c + 2] += rgb[j + 2];
    const x = p % width;
    if (
      x > 0 && x < width - 1 && p >= width && p < n - width &&
      comp[p - 1] === c && comp[p + 1] === c && comp[p - width] === c && comp[p + width] === c
    ) interior[c]++;
  }
  const addEdge = (a: number, b: number, viaLine: boolean) => {
    let e = adj[a].get(b);
    if (!e) {
      e = [0, 0];
      adj[a].set(b, e);
      adj[b].set(a, [0, 0]);
    }
    const f = adj[b].get(a)!;
    e[viaLine ? 1 : 0]++;
    f[viaLine ? 1 : 0]++;
  };
  for (let p = 0; p < n; p++) {
    const a = full[p];
    if (a < 0) continue;
    const x = p % width;
    if (x < width - 1) {
      const b = full[p + 1];
      if (b >= 0 && b !== a) addEdge(a, b, comp[p] < 0 || comp[p + 1] < 0);
    }
    if (p < n - width) {
      const b = full[p + width];
      if (b >= 0 && b !== a) addEdge(a, b, comp[p] < 0 || comp[p + width] < 0);
    }
  }
  return { size, colorSum, interior, adj, keep: new Uint8Array(count) };
}

/**
 * Merges region `s` into region `t` in place (sizes, colours, adjacency); `parent[s] = t`.
 */
export function mergeRegion(g: RegionGraph, parent: Int32Array, s: number, t: number): void {
  if (s === t) return;
  parent[s] = t;
  g.size[t] += g.size[s];
  g.interior[t] += g.interior[s];
  for (let j = 0; j < 3; j++) g.colorSum[3 * t + j] += g.colorSum[3 * s + j];
  g.keep[t] = g.keep[t] | g.keep[s];
  const at = g.adj[t];
  at.delete(s);
  for (const [nb, w] of g.adj[s]) {
    if (nb === t) continue;
    const an = g.adj[nb];
    an.delete(s);
    const e = at.get(nb);
    if (e) {
      e[0] += w[0];
      e[1] += w[1];
      const f = an.get(t)!;
      f[0] += w[0];
      f[1] += w[1];
    } else {
      at.set(nb, [w[0], w[1]]);
      an.set(t, [w[0], w[1]]);
    }
  }
  g.adj[s] = new Map();
  g.size[s] = 0;
}

/** Whether region `r` of the graph is a fragment under `o`. */
export function isFragment(g: RegionGraph, r: number, o: Required<FragmentOptions>): boolean {
  if (g.keep[r] || g.size[r] === 0) return false;
  if (g.size[r] < o.minSize) return true;
  return g.size[r] < o.thinMaxSize && g.interior[r] < o.thinRatio * g.size[r];
}

/** The neighbour a fragment joins, or -1 when it has none. */
export function bestNeighbour(g: RegionGraph, r: number, o: Required<FragmentOptions>): number {
  let best = -1, bestScore = -1;
  const s2 = 2 * o.colorSigma * o.colorSigma;
  const nr = g.size[r];
  for (const [nb, w] of g.adj[r]) {
    const nn = g.size[nb];
    let d2 = 0;
    for (let j = 0; j < 3; j++) {
      const d = g.colorSum[3 * r + j] / nr - g.colorSum[3 * nb + j] / nn;
      d2 += d * d;
    }
    // The small floor lets a fragment with only dissimilar neighbours still join the one it borders most.
    const score = (w[0] + o.lineWeight * w[1]) * (0.01 + Math.exp(-d2 / s2));
    if (score > bestScore || (score === bestScore && nb < best)) {
      bestScore = score;
      best = nb;
    }
  }
  return best;
}

/**
 * Merges fragments into neighbours (smallest first, several passes) and returns the root region of every
 * original region. Regions with `keep` set are never fragments, but fragments may join them.
 *
 * @example
 * ```ts
 * const g = buildRegionGraph(comp, full, count, rgba.data, 4, w, h);
 * const root = mergeFragments(g, { minSize: 30 });
 * ```
 */
export function mergeFragments(g: RegionGraph, opts: FragmentOptions = {}, parent?: Int32Array): Int32Array {
  const o = { ...FRAGMENT_DEFAULTS, ...opts };
  const count = g.size.length;
  const par = parent ?? Int32Array.from({ length: count }, (_, i) => i);
  for (let pass = 0; pass < o.passes; pass++) {
    const order: number[] = [];
    for (let r = 0; r < count; r++) if (par[r] === r && isFragment(g, r, o)) order.push(r);
    if (order.length === 0) break;
    order.sort((a, b) => g.size[a] - g.size[b] || a - b);
    let merged = 0;
    for (const r of order) {
      if (par[r] !== r || !isFragment(g, r, o)) continue;
      const t = bestNeighbour(g, r, o);
      if (t < 0) continue;
      mergeRegion(g, par, r, t);
      merged++;
    }
    if (merged === 0) break;
  }
  const root = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    let x = r;
    while (par[x] !== x) x = par[x];
    root[r] = x;
  }
  return root;
}
