/**
 * Watershed seeds from patch clusters: a pixel is a seed of its cluster when it lies more than `margin` pixels
 * (Euclidean) from any cluster boundary, so that the watershed, not the blocky patch grid, decides where
 * boundaries run. A cluster left without such a pixel keeps one seed at its most interior pixel, so no cluster
 * vanishes (as the release does).
 *
 * @module
 */
import { squaredDistanceInto } from "./distance.ts";
import type { PatchLayout } from "./patch_layout.ts";
import { scratchFloat32, scratchUint8 } from "./scratch.ts";

/**
 * Marks the boundary pixels of a label map: pixels with a 4-neighbour of another label (both sides of each
 * boundary are marked). Returns a 0/1 mask (`out` when given).
 */
export function boundaryMask(
  labels: Int32Array,
  width: number,
  height: number,
  out: Uint8Array = new Uint8Array(width * height),
): Uint8Array {
  const W = width, H = height;
  out.fill(0, 0, W * H);
  for (let y = 0; y < H; y++) {
    const o = y * W;
    for (let x = 0; x < W; x++) {
      const p = o + x, v = labels[p];
      if (x + 1 < W && labels[p + 1] !== v) out[p] = out[p + 1] = 1;
      if (y + 1 < H && labels[p + W] !== v) out[p] = out[p + W] = 1;
    }
  }
  return out;
}

/**
 * Seeds (markers, label = cluster id + 1) from a per-pixel cluster map (ids >= 0; negative = no cluster), into
 * `out` when given (of at least width * height values).
 *
 * @example
 * ```ts
 * const markers = seedsFromClusters(clusterOfPixel, w, h, layout.side / 2); // Int32Array, 0 = no seed
 * ```
 */
export function seedsFromClusters(
  clusters: Int32Array,
  width: number,
  height: number,
  margin: number,
  out?: Int32Array,
): Int32Array {
  const n = width * height;
  const bm = boundaryMask(clusters, width, height, scratchUint8("seeds.boundary", n));
  const d2 = squaredDistanceInto(bm, width, height, scratchFloat32("seeds.d2", n));
  const m2 = margin * margin;
  const markers = out ?? new Int32Array(n);
  if (out) out.fill(0, 0, n);
  let maxId = -1;
  for (let i = 0; i < n; i++) if (clusters[i] > maxId) maxId = clusters[i];
  const seeded = new Uint8Array(maxId + 1);
  const bestD = new Float32Array(maxId + 1).fill(-1), bestP = new Int32Array(maxId + 1).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = clusters[i];
    if (c < 0) continue;
    if (d2[i] > m2) {
      markers[i] = c + 1;
      seeded[c] = 1;
    } else if (d2[i] > bestD[c]) {
      bestD[c] = d2[i];
      bestP[c] = i;
    }
  }
  for (let c = 0; c <= maxId; c++) if (!seeded[c] && bestP[c] >= 0) markers[bestP[c]] = c + 1;
  return markers;
}

/**
 * {@link seedsFromClusters} for clusters of whole patches: pixel i belongs to cluster `cluster[layout.patchOf[i]]`
 * (`count` clusters, ids 0..count-1). Boundaries can only run along patch edges, so the boundary mask is found
 * along those lines alone, with no per-pixel cluster map; the result is the same.
 *
 * @example
 * ```ts
 * const { cluster, count } = mergePatches(saa, layout, edge);
 * const markers = seedsFromPatchClusters(layout, cluster, count, layout.side / 2);
 * ```
 */
export function seedsFromPatchClusters(
  layout: PatchLayout,
  cluster: Int32Array,
  count: number,
  margin: number,
  out?: Int32Array,
): Int32Array {
  const { width: W, height: H, patchOf } = layout;
  const n = W * H;
  const bm = scratchUint8("seeds.boundary", n, 0);
  const cl = (i: number) => cluster[patchOf[i]];
  // Vertical lines: x | x + 1 where the patch column changes (patchOf differs along the whole column pair).
  for (let x = 0; x + 1 < W; x++) {
    if (patchOf[x] === patchOf[x + 1]) continue;
    for (let y = 0, p = x; y < H; y++, p += W) if (cl(p) !== cl(p + 1)) bm[p] = bm[p + 1] = 1;
  }
  for (let y = 0; y + 1 < H; y++) {
    const o = y * W;
    if (patchOf[o] === patchOf[o + W]) continue;
    for (let p = o; p < o + W; p++) if (cl(p) !== cl(p + W)) bm[p] = bm[p + W] = 1;
  }
  const d2 = squaredDistanceInto(bm, W, H, scratchFloat32("seeds.d2", n));
  const m2 = margin * margin;
  const markers = out ?? new Int32Array(n);
  if (out) out.fill(0, 0, n);
  const seeded = new Uint8Array(count);
  const bestD = new Float32Array(count).fill(-1), bestP = new Int32Array(count).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = cluster[patchOf[i]];
    if (c < 0) continue;
    if (d2[i] > m2) {
      markers[i] = c + 1;
      seeded[c] = 1;
    } else if (d2[i] > bestD[c]) {
      bestD[c] = d2[i];
      bestP[c] = i;
    }
  }
  for (let c = 0; c < count; c++) if (!seeded[c] && bestP[c] >= 0) markers[bestP[c]] = c + 1;
  return markers;
}
