/**
 * Connected regions on a pixel grid: 4-connected components of equal class (line pixels excluded), and the
 * filling of excluded pixels with the nearest component (multi-source breadth-first search), both linear-time on
 * typed arrays.
 *
 * @module
 */

/**
 * 4-connected components of pixels with the same class; pixels of class < 0 are excluded (component -1).
 * Components are numbered 0.. in raster order of their first pixel. 4-connectivity keeps regions on either side
 * of a one-pixel diagonal stroke apart.
 *
 * @example
 * ```ts
 * const { comp, count } = connectedComponents(classes, width, height);
 * ```
 */
export function connectedComponents(
  classes: Int32Array,
  width: number,
  height: number,
): { comp: Int32Array; count: number } {
  const n = width * height;
  if (classes.length !== n) {
    throw new RangeError(`connectedComponents: ${classes.length} classes for ${width}x${height}`);
  }
  const comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (comp[s] !== -1 || classes[s] < 0) continue;
    const cls = classes[s];
    const id = count++;
    let top = 0;
    stack[top++] = s;
    comp[s] = id;
    while (top > 0) {
      const p = stack[--top];
      const x = p % width;
      if (x > 0 && comp[p - 1] === -1 && classes[p - 1] === cls) {
        comp[p - 1] = id;
        stack[top++] = p - 1;
      }
      if (x < width - 1 && comp[p + 1] === -1 && classes[p + 1] === cls) {
        comp[p + 1] = id;
        stack[top++] = p + 1;
      }
      if (p >= width && comp[p - width] === -1 && classes[p - width] === cls) {
        comp[p - width] = id;
        stack[top++] = p - width;
      }
      if (p < n - width && comp[p + width] === -1 && classes[p + width] === cls) {
        comp[p + width] = id;
        stack[top++] = p + width;
      }
    }
  }
  return { comp, count };
}

/**
 * Gives every pixel of label < 0 the label of the nearest labelled pixel (4-connected geodesic distance; ties
 * go to the label that reaches it first in raster-ordered breadth-first search). Line pixels so take the label
 * of the region they border, and two regions separated by a stroke meet along its middle. Pixels that no
 * labelled pixel reaches stay -1.
 *
 * @example
 * ```ts
 * const full = fillNearest(seg, width, height); // no -1 left when any pixel is labelled
 * ```
 */
export function fillNearest(
  labels: Int32Array,
  width: number,
  height: number,
  classes?: Int32Array,
): Int32Array {
  const n = width * height;
  const out = Int32Array.from(labels);
  const queue = new Int32Array(n);
  let head = 0, tail = 0;
  for (let p = 0; p < n; p++) if (out[p] >= 0) queue[tail++] = p;
  // With `classes`, a label spreads only to unlabelled pixels of its own pixel's class.
  const ok = classes ? (p: number, q: number) => classes[q] === classes[p] : () => true;
  while (head < tail) {
    const p = queue[head++];
    const v = out[p], x = p % width;
    if (x > 0 && out[p - 1] < 0 && ok(p, p - 1)) {
      out[p - 1] = v;
      queue[tail++] = p - 1;
    }
    if (x < width - 1 && out[p + 1] < 0 && ok(p, p + 1)) {
      out[p + 1] = v;
      queue[tail++] = p + 1;
    }
    if (p >= width && out[p - width] < 0 && ok(p, p - width)) {
      out[p - width] = v;
      queue[tail++] = p - width;
    }
    if (p < n - width && out[p + width] < 0 && ok(p, p + width)) {
      out[p + width] = v;
      queue[tail++] = p + width;
    }
  }
  return out;
}

/** The mask grown by `r` pixels (square neighbourhood), in two separable passes. */
export function dilate(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  if (r <= 0) return mask.slice();
  const tmp = new Uint8Array(mask.length), out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!mask[row + x]) continue;
      for (let k = Math.max(0, x - r); k <= Math.min(width - 1, x + r); k++) tmp[row + k] = 1;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!tmp[y * width + x]) continue;
      for (let k = Math.max(0, y - r); k <= Math.min(height - 1, y + r); k++) out[k * width + x] = 1;
    }
  }
  return out;
}

/**
 * Components with small gaps in the strokes closed: components are found with the ink grown by `r` pixels
 * (closing gaps up to 2r px wide, as hand-drawn strokes leave them), then the grown band is handed back to
 * the component of its own class that reaches it first; band pixels that none reaches (a part thinner than the
 * band) form components of their own. Pixels of class < 0 stay excluded.
 */
export function componentsClosingGaps(
  classes: Int32Array,
  width: number,
  height: number,
  r: number,
): { comp: Int32Array; count: number } {
  if (r <= 0) return connectedComponents(classes, width, height);
  const n = width * height;
  const ink = new Uint8Array(n);
  for (let p = 0; p < n; p++) ink[p] = classes[p] < 0 ? 1 : 0;
  const grown = dilate(ink, width, height, r);
  const inner = Int32Array.from(classes);
  for (let p = 0; p < n; p++) if (grown[p]) inner[p] = -1;
  const first = connectedComponents(inner, width, height);
  const filled = fillNearest(first.comp, width, height, classes);
  // Band pixels nobody of their class reached: their own components.
  const rest = new Int32Array(n).fill(-1);
  let any = false;
  for (let p = 0; p < n; p++) {
    if (classes[p] >= 0 && filled[p] < 0) {
      rest[p] = classes[p];
      any = true;
    }
  }
  let count = first.count;
  if (any) {
    const extra = connectedComponents(rest, width, height);
    for (let p = 0; p < n; p++) if (extra.comp[p] >= 0) filled[p] = first.count + extra.comp[p];
    count += extra.count;
  }
  for (let p = 0; p < n; p++) if (classes[p] < 0) filled[p] = -1;
  // Renumber in raster order of first pixel, as connectedComponents does.
  const remap = new Int32Array(count).fill(-1);
  let next = 0;
  for (let p = 0; p < n; p++) {
    const c = filled[p];
    if (c < 0) continue;
    if (remap[c] < 0) remap[c] = next++;
    filled[p] = remap[c];
  }
  return { comp: filled, count: next };
}
