/**
 * Watershed seeds from patch clusters: a pixel is a seed of its cluster when it lies more than `margin` pixels
 * (Euclidean) from any cluster boundary, so that the watershed, not the blocky patch grid, decides where
 * boundaries run. A cluster left without such a pixel keeps one seed at its most interior pixel, so no cluster
 * vanishes (as the release does).
 *
 * @module
 */
import { squaredDistance } from "./distance.ts";

/**
 * Marks the boundary pixels of a label map: pixels with a 4-neighbour of another label (both sides of each
 * boundary are marked). Returns a 0/1 mask.
 */
export function boundaryMask(labels: Int32Array, width: number, height: number): Uint8Array {
  const W = width, H = height;
  const out = new Uint8Array(W * H);
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
 * Seeds (markers, label = cluster id + 1) from a per-pixel cluster map (ids >= 0; negative = no cluster).
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
): Int32Array {
  const n = width * height;
  const d2 = squaredDistance(boundaryMask(clusters, width, height), width, height);
  const m2 = margin * margin;
  const markers = new Int32Array(n);
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
