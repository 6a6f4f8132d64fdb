/**
 * Stroke skeletons and stroke endpoints: where a pen stroke stops. A gap in an outline lies between stroke ends
 * (or a stroke end and another stroke's side), while a narrow neck of a closed region lies between two strokes
 * that run on past it; `strokes.ts` tells the two apart by the endpoints near a cut.
 *
 * Thinning is Zhang and Suen's (1984) two-subiteration parallel thinning, run over a list of the ink pixels only
 * (strokes cover a few percent of a drawing), so a pass costs the ink, not the image. Outside the image counts as
 * paper. An endpoint is a skeleton pixel with exactly one skeleton pixel among its 8 neighbours; an isolated
 * skeleton pixel (a dot) is an endpoint too. Endpoints within `borderMargin` px of the image border are not
 * listed: a stroke that runs out of the frame is closed by the frame.
 *
 * @module
 */

/** Result of {@link strokeEndpoints}. */
export interface Endpoints {
  /** 1 on skeleton pixels (the thinned ink). */
  skeleton: Uint8Array;
  /** Pixel indices of the stroke endpoints, in raster order. */
  points: Int32Array;
}

/**
 * Thins the ink mask to a one-pixel skeleton (into `out`, else a new array) and lists the skeleton's endpoints.
 *
 * @example
 * ```ts
 * const { points } = strokeEndpoints(ink, w, h); // a straight stroke has two
 * ```
 */
export function strokeEndpoints(
  ink: Uint8Array,
  width: number,
  height: number,
  out: Uint8Array = new Uint8Array(width * height),
  borderMargin = 2,
): Endpoints {
  const W = width, H = height, n = W * H;
  const sk = out.subarray(0, n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = ink[i] ? 1 : 0;
    sk[i] = v;
    m += v;
  }
  let list = new Int32Array(m);
  for (let i = 0, k = 0; i < n; i++) if (sk[i]) list[k++] = i;
  const del = new Int32Array(m);
  // The 8 neighbours P2..P9 (clockwise from north) of pixel p, 0 outside the image.
  const nb = new Uint8Array(8);
  const load = (p: number) => {
    const y = (p / W) | 0, x = p - y * W;
    const up = y > 0, dn = y < H - 1, lf = x > 0, rt = x < W - 1;
    nb[0] = up ? sk[p - W] : 0;
    nb[1] = up && rt ? sk[p - W + 1] : 0;
    nb[2] = rt ? sk[p + 1] : 0;
    nb[3] = dn && rt ? sk[p + W + 1] : 0;
    nb[4] = dn ? sk[p + W] : 0;
    nb[5] = dn && lf ? sk[p + W - 1] : 0;
    nb[6] = lf ? sk[p - 1] : 0;
    nb[7] = up && lf ? sk[p - W - 1] : 0;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let sub = 0; sub < 2; sub++) {
      let nd = 0;
      for (let k = 0; k < list.length; k++) {
        const p = list[k];
        load(p);
        let b = 0, a = 0;
        for (let j = 0; j < 8; j++) {
          b += nb[j];
          if (nb[j] === 0 && nb[(j + 1) & 7] === 1) a++;
        }
        if (b < 2 || b > 6 || a !== 1) continue;
        // Sub-iteration 1: P2*P4*P6 = 0 and P4*P6*P8 = 0; 2: P2*P4*P8 = 0 and P2*P6*P8 = 0.
        if (
          sub === 0
            ? (nb[0] & nb[2] & nb[4]) || (nb[2] & nb[4] & nb[6])
            : (nb[0] & nb[2] & nb[6]) || (nb[0] & nb[4] & nb[6])
        ) {
          continue;
        }
        del[nd++] = p;
      }
      for (let k = 0; k < nd; k++) sk[del[k]] = 0;
      if (nd > 0) {
        changed = true;
        let w = 0;
        for (let k = 0; k < list.length; k++) if (sk[list[k]]) list[w++] = list[k];
        list = list.subarray(0, w);
      }
    }
  }
  const pts: number[] = [];
  for (let k = 0; k < list.length; k++) {
    const p = list[k];
    const y = (p / W) | 0, x = p - y * W;
    if (x < borderMargin || y < borderMargin || x >= W - borderMargin || y >= H - borderMargin) continue;
    load(p);
    let b = 0;
    for (let j = 0; j < 8; j++) b += nb[j];
    if (b <= 1) pts.push(p);
  }
  return { skeleton: sk, points: Int32Array.from(pts) };
}

/**
 * The outward direction of each stroke at its endpoints: from the skeleton pixel `steps` pixels back along the
 * stroke (or where the trace stops, at a junction) to the endpoint, as unit vectors (x, y) in `[2k, 2k + 1]`;
 * (0, 0) for a dot. A gap that continues a stroke lies ahead of its endpoint, along this direction.
 *
 * @example
 * ```ts
 * const { skeleton, points } = strokeEndpoints(ink, w, h);
 * const dir = endpointDirections(skeleton, points, w, h); // a stroke ending rightwards: (1, 0)
 * ```
 */
export function endpointDirections(
  skeleton: Uint8Array,
  points: Int32Array,
  width: number,
  height: number,
  steps = 8,
): Float32Array {
  const W = width, H = height;
  const out = new Float32Array(2 * points.length);
  const seen = new Set<number>();
  for (let k = 0; k < points.length; k++) {
    const e = points[k];
    seen.clear();
    seen.add(e);
    let p = e;
    for (let s = 0; s < steps; s++) {
      const y = (p / W) | 0, x = p - y * W;
      let next = -1, nNext = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= H) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if ((dx === 0 && dy === 0) || xx < 0 || xx >= W) continue;
          const q = yy * W + xx;
          if (skeleton[q] && !seen.has(q)) {
            // 4-neighbours first: a diagonal step that skips a 4-neighbour is the same pixel run.
            if (next < 0 || (dx === 0 || dy === 0)) next = q;
            nNext++;
          }
        }
      }
      if (next < 0 || nNext > 2) break; // the end of the stroke, or a junction
      // Every unvisited neighbour is marked, so a 4- and a diagonal neighbour of one run are not walked twice.
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy, xx = x + dx;
          if (yy >= 0 && yy < H && xx >= 0 && xx < W && skeleton[yy * W + xx]) seen.add(yy * W + xx);
        }
      }
      p = next;
    }
    const ey = (e / W) | 0, ex = e - ey * W, py = (p / W) | 0, px = p - py * W;
    const dx = ex - px, dy = ey - py, len = Math.hypot(dx, dy);
    if (len > 0) {
      out[2 * k] = dx / len;
      out[2 * k + 1] = dy / len;
    }
  }
  return out;
}
