/**
 * Marker-based watershed by flooding, with a bucket queue over quantised levels: every pixel enters the queue
 * once and leaves it once, and the "lowest level first" order costs one pointer step per level, so the whole
 * flood is O(pixels + levels). (A binary heap, as scikit-image uses, costs O(pixels log pixels).)
 *
 * Semantics follow scikit-image's `segmentation.watershed(image, markers, connectivity, mask)` without
 * watershed lines: markers keep their labels; every other reachable pixel takes the label of the neighbour it
 * is first reached from, and pixels are expanded lowest level first, ties first-in first-out (scikit-image:
 * by age). A pixel reached at a level below the current one goes into its own, lower bucket and the scan
 * steps back to it, as a heap would pop it next; so an unmarked basin entered over a ridge floods from its
 * bottom up. Ties between equal pixels can still resolve differently from scikit-image (its heap breaks ties
 * among the initial markers arbitrarily, and its neighbour order differs), so results agree on all but a few
 * boundary pixels.
 *
 * @module
 */

/** Options of {@link watershed}. */
export interface WatershedOptions {
  /** 1: 4-neighbours; 2: 8-neighbours (scikit-image's connectivity). */
  connectivity: 1 | 2;
  /** Optional mask: pixels where it is 0 are never labelled (stay 0). */
  mask?: Uint8Array;
}

/** Defaults. */
export const WATERSHED_DEFAULTS: WatershedOptions = {
  connectivity: 2, // release: connectivity=2 with its 8-neighbour mode
};

/**
 * Quantises values in [0, 1] to integer levels 0..levels-1 (rounding; values outside are clamped).
 *
 * @example
 * ```ts
 * const q = quantize(edge.data, 256); // Uint16Array
 * ```
 */
export function quantize(values: Float32Array, levels = 256): Uint16Array {
  const out = new Uint16Array(values.length);
  const top = levels - 1;
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i] * top);
    out[i] = v < 0 ? 0 : v > top ? top : v;
  }
  return out;
}

/**
 * Floods `levels` (integers in [0, nLevels)) from `markers` (label > 0; 0 = unlabelled). Returns a new label
 * array; pixels that no marker reaches (other mask components, or no markers at all) stay 0.
 *
 * @example
 * ```ts
 * const labels = watershed(quantize(edge.data), markers, w, h); // Int32Array(w * h)
 * ```
 */
export function watershed(
  levels: Uint16Array | Uint8Array,
  markers: Int32Array,
  width: number,
  height: number,
  opts: Partial<WatershedOptions> = {},
): Int32Array {
  const o = { ...WATERSHED_DEFAULTS, ...opts };
  const W = width, H = height, n = W * H;
  if (levels.length !== n || markers.length !== n) {
    throw new RangeError(
      `watershed: arrays of ${levels.length} and ${markers.length} values for a ${W}x${H} image`,
    );
  }
  let nLevels = 1;
  for (let i = 0; i < n; i++) if (levels[i] + 1 > nLevels) nLevels = levels[i] + 1;
  const out = markers.slice();
  const mask = o.mask;
  if (mask) { for (let i = 0; i < n; i++) if (!mask[i]) out[i] = 0; }
  const head = new Int32Array(nLevels).fill(-1), tail = new Int32Array(nLevels).fill(-1);
  const next = new Int32Array(n);
  let cur = 0;
  const push = (p: number, lev: number) => {
    if (lev < cur) cur = lev;
    next[p] = -1;
    if (tail[lev] < 0) head[lev] = p;
    else next[tail[lev]] = p;
    tail[lev] = p;
  };
  const eight = o.connectivity === 2;
  // Blocked pixels (mask 0) are marked with -1 while flooding and reset at the end.
  if (mask) { for (let i = 0; i < n; i++) if (!mask[i]) out[i] = -1; }
  // Only markers with an unlabelled neighbour can spread: queue those (scikit-image queues every marker; the
  // others would be popped without effect).
  for (let p = 0; p < n; p++) {
    if (out[p] <= 0) continue;
    const y = (p / W) | 0, x = p - y * W;
    const l = x > 0, r = x < W - 1, u = y > 0, d = y < H - 1;
    if (
      (l && out[p - 1] === 0) || (r && out[p + 1] === 0) || (u && out[p - W] === 0) ||
      (d && out[p + W] === 0) ||
      (eight && ((u && l && out[p - W - 1] === 0) || (u && r && out[p - W + 1] === 0) ||
        (d && l && out[p + W - 1] === 0) || (d && r && out[p + W + 1] === 0)))
    ) push(p, levels[p]);
  }
  cur = 0;
  while (true) {
    while (cur < nLevels && head[cur] < 0) cur++;
    if (cur === nLevels) break;
    const p = head[cur];
    head[cur] = next[p];
    if (head[cur] < 0) tail[cur] = -1;
    const lab = out[p];
    const y = (p / W) | 0, x = p - y * W;
    const hasL = x > 0, hasR = x < W - 1, hasU = y > 0, hasD = y < H - 1;
    let q: number;
    if (hasL && out[q = p - 1] === 0) {
      out[q] = lab;
      push(q, levels[q]);
    }
    if (hasR && out[q = p + 1] === 0) {
      out[q] = lab;
      push(q, levels[q]);
    }
    if (hasU && out[q = p - W] === 0) {
      out[q] = lab;
      push(q, levels[q]);
    }
    if (hasD && out[q = p + W] === 0) {
      out[q] = lab;
      push(q, levels[q]);
    }
    if (eight) {
      if (hasU && hasL && out[q = p - W - 1] === 0) {
        out[q] = lab;
        push(q, levels[q]);
      }
      if (hasU && hasR && out[q = p - W + 1] === 0) {
        out[q] = lab;
        push(q, levels[q]);
      }
      if (hasD && hasL && out[q = p + W - 1] === 0) {
        out[q] = lab;
        push(q, levels[q]);
      }
      if (hasD && hasR && out[q = p + W + 1] === 0) {
        out[q] = lab;
        push(q, levels[q]);
      }
    }
  }
  if (mask) { for (let i = 0; i < n; i++) if (out[i] < 0) out[i] = 0; }
  return out;
}
