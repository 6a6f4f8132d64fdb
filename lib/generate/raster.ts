/**
 * Scanline polygon filling on typed arrays: pixel centres inside a set of closed contours (non-zero winding, so
 * a reversed inner contour cuts a hole) are set to a value. An active-edge list keeps it linear in the number
 * of edges plus filled pixels; scratch buffers are reused, so there is no allocation per pixel or per row.
 *
 * @module
 */

/** Something to paint into: one value per pixel, row-major. */
export interface FillTarget {
  width: number;
  height: number;
  data: Int32Array | Uint8Array;
}

/** One contour as a flat point list, or several (non-zero winding). */
export type Contours = ArrayLike<number> | ArrayLike<number>[];

// Reused scratch: edges (x0, y0, x1, y1, dir) and per-row crossings.
let edgeBuf = new Float64Array(5 * 512);
let order = new Int32Array(512);
let active = new Int32Array(512);
let xsBuf = new Float64Array(512);
let dirBuf = new Int8Array(512);

function isList(c: Contours): c is ArrayLike<number>[] {
  return Array.isArray(c) && (c.length === 0 || typeof c[0] !== "number");
}

/**
 * Calls `span(y, x0, x1)` for every run of pixels `x0..x1` (inclusive) of row `y` whose centre lies inside the
 * contours, rows top to bottom. Returns the number of pixels covered.
 *
 * @example
 * ```ts
 * let n = 0;
 * scanSpans([0, 0, 4, 0, 4, 4, 0, 4], 8, 8, (_y, a, b) => { n += b - a + 1; }); // n = 16
 * ```
 */
export function scanSpans(
  contours: Contours,
  width: number,
  height: number,
  span: (y: number, x0: number, x1: number) => void,
): number {
  const list: ArrayLike<number>[] = isList(contours) ? contours : [contours as ArrayLike<number>];
  let ne = 0;
  for (const c of list) ne += c.length >> 1;
  if (edgeBuf.length < 5 * ne) {
    edgeBuf = new Float64Array(10 * ne);
    order = new Int32Array(2 * ne);
    active = new Int32Array(2 * ne);
    xsBuf = new Float64Array(2 * ne);
    dirBuf = new Int8Array(2 * ne);
  }
  // Collect non-horizontal edges with y0 < y1.
  let m = 0;
  let ymin = Infinity, ymax = -Infinity;
  for (const c of list) {
    const n = c.length >> 1;
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      const ax = c[2 * i], ay = c[2 * i + 1], bx = c[2 * j], by = c[2 * j + 1];
      if (
        ay === by ||
        !(Number.isFinite(ax) && Number.isFinite(ay) && Number.isFinite(bx) && Number.isFinite(by))
      ) continue;
      const o = 5 * m;
      if (ay < by) {
        edgeBuf[o] = ax, edgeBuf[o + 1] = ay, edgeBuf[o + 2] = bx, edgeBuf[o + 3] = by, edgeBuf[o + 4] = 1;
      } else {
        edgeBuf[o] = bx, edgeBuf[o + 1] = by, edgeBuf[o + 2] = ax, edgeBuf[o + 3] = ay, edgeBuf[o + 4] = -1;
      }
      if (edgeBuf[o + 1] < ymin) ymin = edgeBuf[o + 1];
      if (edgeBuf[o + 3] > ymax) ymax = edgeBuf[o + 3];
      order[m] = m;
      m++;
    }
  }
  if (m === 0) return 0;
  // Sort edge indices by top y (insertion sort is fine for the few hundred edges of a part).
  for (let i = 1; i < m; i++) {
    const k = order[i], ky = edgeBuf[5 * k + 1];
    let j = i - 1;
    while (j >= 0 && edgeBuf[5 * order[j] + 1] > ky) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = k;
  }
  const yStart = Math.max(0, Math.ceil(ymin - 0.5));
  const yEnd = Math.min(height - 1, Math.floor(ymax - 0.5));
  let next = 0, na = 0, covered = 0;
  for (let y = yStart; y <= yEnd; y++) {
    const yc = y + 0.5;
    while (next < m && edgeBuf[5 * order[next] + 1] <= yc) active[na++] = order[next++];
    // Drop finished edges, compute crossings of the rest.
    let nx = 0;
    for (let i = 0; i < na; i++) {
      const o = 5 * active[i];
      if (edgeBuf[o + 3] <= yc) {
        active[i--] = active[--na];
        continue;
      }
      const x = edgeBuf[o] +
        ((yc - edgeBuf[o + 1]) * (edgeBuf[o + 2] - edgeBuf[o])) / (edgeBuf[o + 3] - edgeBuf[o + 1]);
      // Insert sorted.
      let j = nx - 1;
      while (j >= 0 && xsBuf[j] > x) {
        xsBuf[j + 1] = xsBuf[j];
        dirBuf[j + 1] = dirBuf[j];
        j--;
      }
      xsBuf[j + 1] = x;
      dirBuf[j + 1] = edgeBuf[o + 4];
      nx++;
    }
    let wind = 0, start = 0;
    for (let i = 0; i < nx; i++) {
      const before = wind;
      wind += dirBuf[i];
      if (before === 0 && wind !== 0) start = xsBuf[i];
      else if (before !== 0 && wind === 0) {
        const a = Math.max(0, Math.ceil(start - 0.5));
        const b = Math.min(width - 1, Math.ceil(xsBuf[i] - 0.5) - 1);
        if (b >= a) {
          span(y, a, b);
          covered += b - a + 1;
        }
      }
    }
  }
  return covered;
}

/**
 * Sets every pixel inside the contours to `value`. With `clip` (a table indexed by `old value + 1`), only
 * pixels whose current value is allowed there are painted: a shadow drawn only onto its parent part.
 *
 * @example
 * ```ts
 * const map = { width: 8, height: 8, data: new Int32Array(64).fill(-1) };
 * fillPolygon(map, ellipse(4, 4, 3, 2), 5);
 * ```
 */
export function fillPolygon(
  target: FillTarget,
  contours: Contours,
  value: number,
  clip: Uint8Array | null = null,
): number {
  const { width, data } = target;
  if (clip === null) {
    return scanSpans(
      contours,
      width,
      target.height,
      (y, a, b) => data.fill(value, y * width + a, y * width + b + 1),
    );
  }
  return scanSpans(contours, width, target.height, (y, a, b) => {
    const row = y * width;
    for (let x = a; x <= b; x++) {
      const v = data[row + x] + 1;
      if (v >= 0 && v < clip.length && clip[v] === 1) data[row + x] = value;
    }
  });
}
