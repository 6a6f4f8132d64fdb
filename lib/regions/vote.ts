/**
 * From pixels back to patches: the majority vote (each patch takes the region holding most of its pixels, the
 * paper's last post-processing step) and, for regions smaller than a patch, a soft membership (the share of a
 * region's pixels in each patch).
 *
 * @module
 */
import type { PatchLayout } from "./patch_layout.ts";

/**
 * Region id of each patch: the label with the most pixels in the patch (ties to the smaller id); -1 for patches
 * with no pixels or whose pixels are all 0.
 *
 * @example
 * ```ts
 * const regionOfPatch = patchVote(labels, count, layout); // Int32Array(layout.n)
 * ```
 */
export function patchVote(labels: Int32Array, count: number, layout: PatchLayout): Int32Array {
  const { n, rects, width: W } = layout;
  const out = new Int32Array(n).fill(-1);
  const tally = new Int32Array(count + 1);
  const touched: number[] = [];
  for (let i = 0; i < n; i++) {
    const x0 = rects[4 * i], y0 = rects[4 * i + 1], x1 = rects[4 * i + 2], y1 = rects[4 * i + 3];
    if (x1 <= x0 || y1 <= y0) continue;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const v = labels[y * W + x];
        if (v <= 0) continue;
        if (tally[v]++ === 0) touched.push(v);
      }
    }
    let best = -1, bestN = 0;
    for (const v of touched) {
      if (tally[v] > bestN || (tally[v] === bestN && v < best)) {
        best = v;
        bestN = tally[v];
      }
      tally[v] = 0;
    }
    touched.length = 0;
    out[i] = best;
  }
  return out;
}

/**
 * Which patches make up each region, with weights summing to 1 per region (CSR over region ids 0..count;
 * region 0 and regions without patches have none).
 */
export interface Membership {
  count: number;
  /** [count + 2] offsets into `patch` / `weight` for region r: offsets[r] .. offsets[r + 1]. */
  offsets: Int32Array;
  patch: Int32Array;
  weight: Float32Array;
}

function buildMembership(count: number, triples: { r: number; p: number; w: number }[]): Membership {
  const offsets = new Int32Array(count + 2);
  for (const t of triples) offsets[t.r + 1]++;
  for (let i = 1; i < offsets.length; i++) offsets[i] += offsets[i - 1];
  const fill = offsets.slice(0, count + 1);
  const patch = new Int32Array(triples.length), weight = new Float32Array(triples.length);
  const total = new Float64Array(count + 1);
  for (const t of triples) total[t.r] += t.w;
  for (const t of triples) {
    const k = fill[t.r]++;
    patch[k] = t.p;
    weight[k] = t.w / total[t.r];
  }
  return { count, offsets, patch, weight };
}

/**
 * Hard membership from a vote: region r is the patches that voted for it, equally weighted (the paper's eq. 5
 * averages over exactly these).
 */
export function membershipFromVote(regionOfPatch: Int32Array, count: number): Membership {
  const triples: { r: number; p: number; w: number }[] = [];
  for (let p = 0; p < regionOfPatch.length; p++) {
    const r = regionOfPatch[p];
    if (r > 0 && r <= count) triples.push({ r, p, w: 1 });
  }
  return buildMembership(count, triples);
}

/**
 * Soft membership: region r's weight on patch p is the share of r's pixels that lie in p. Every region with
 * pixels has patches, however small it is. With `map`, a pixel's region is `map[labels[i]]` (ids 1..count).
 */
export function membershipFromPixels(
  labels: Int32Array,
  count: number,
  layout: PatchLayout,
  map?: Int32Array,
): Membership {
  const { n, rects, width: W } = layout;
  const triples: { r: number; p: number; w: number }[] = [];
  const tally = new Int32Array(count + 1);
  const touched: number[] = [];
  for (let i = 0; i < n; i++) {
    const x0 = rects[4 * i], y0 = rects[4 * i + 1], x1 = rects[4 * i + 2], y1 = rects[4 * i + 3];
    if (x1 <= x0 || y1 <= y0) continue;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const v = map ? map[labels[y * W + x]] : labels[y * W + x];
        if (v <= 0) continue;
        if (tally[v]++ === 0) touched.push(v);
      }
    }
    for (const v of touched) {
      triples.push({ r: v, p: i, w: tally[v] });
      tally[v] = 0;
    }
    touched.length = 0;
  }
  return buildMembership(count, triples);
}
