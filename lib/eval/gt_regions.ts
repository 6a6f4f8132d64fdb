/**
 * Region ground truth for the region-level evaluation (the paper's Table 2), from a PBC frame:
 *
 * - a ground-truth region is a PBC segment: seg id >= 2 whose label is not -1 (line pixels, id 0, and background
 *   segments are not regions; the official release counted the line pixels as one more region, we do not);
 * - valid pixels are the pixels of ground-truth regions; every region metric looks at valid pixels only;
 * - two regions of a pair correspond when their segments carry the same label index (PBC's json_index), and the
 *   correspondences are grouped into connected components (union-find over the bipartite graph; for
 *   label-derived truth, one group per label present in both images).
 *
 * @module
 */
import { BACKGROUND_ID, BACKGROUND_LABEL, LINE_ID } from "../data/pbc.ts";
import type { LabelMap } from "../image/types.ts";
import { UnionFind } from "../util/union_find.ts";

/** Whether segment `id` is a ground-truth region (labelOfSeg null: every id >= 2 is). */
export function isRegionSegment(id: number, labelOfSeg: Map<number, number> | null): boolean {
  if (id === LINE_ID || id === BACKGROUND_ID || id < 0) return false;
  if (!labelOfSeg) return true;
  const l = labelOfSeg.get(id);
  return l !== undefined && l !== BACKGROUND_LABEL && l >= 0;
}

/**
 * 1 for valid pixels (pixels of ground-truth regions), with their count.
 *
 * @example
 * ```ts
 * const { valid, count } = validMask(frame.seg, frame.labelOfSeg);
 * ```
 */
export function validMask(
  seg: LabelMap,
  labelOfSeg: Map<number, number> | null,
): { valid: Uint8Array; count: number } {
  const d = seg.data, valid = new Uint8Array(d.length);
  let count = 0, lastId = -2, lastOk = false;
  for (let i = 0; i < d.length; i++) {
    const id = d[i];
    if (id !== lastId) {
      lastId = id;
      lastOk = isRegionSegment(id, labelOfSeg);
    }
    if (lastOk) valid[i] = 1, count++;
  }
  return { valid, count };
}

/** Segment ids present on valid pixels, sorted. */
export function regionIds(seg: LabelMap, valid: Uint8Array): number[] {
  const s = new Set<number>();
  let last = -2;
  for (let i = 0; i < seg.data.length; i++) {
    if (!valid[i]) continue;
    const id = seg.data[i];
    if (id !== last) s.add(last = id);
  }
  return [...s].sort((a, b) => a - b);
}

/** A ground-truth correspondence between a segment of a and a segment of b. */
export type GtPair = [number, number];

/**
 * Ground-truth correspondences of a pair: every (segment of a, segment of b) with the same label, over the
 * regions present on valid pixels. With `labelOfSeg` null there are none.
 */
export function groundTruthMatches(
  idsA: number[],
  labelOfSegA: Map<number, number> | null,
  idsB: number[],
  labelOfSegB: Map<number, number> | null,
): GtPair[] {
  if (!labelOfSegA || !labelOfSegB) return [];
  const byLabel = new Map<number, number[]>();
  for (const b of idsB) {
    const l = labelOfSegB.get(b)!;
    const list = byLabel.get(l);
    if (list) list.push(b);
    else byLabel.set(l, [b]);
  }
  const out: GtPair[] = [];
  for (const a of idsA) for (const b of byLabel.get(labelOfSegA.get(a)!) ?? []) out.push([a, b]);
  return out;
}

/** Correspondence groups: each segment's group index (segments in no correspondence are absent). */
export interface GtGroups {
  count: number;
  groupOfA: Map<number, number>;
  groupOfB: Map<number, number>;
}

/**
 * Groups correspondences into connected components of the bipartite graph a-segments / b-segments (the
 * release's "GT match groups"): many-to-many matches of one part count once.
 *
 * @example
 * ```ts
 * groupMatches([[2, 5], [3, 5], [4, 6]]).count; // 2
 * ```
 */
export function groupMatches(pairs: GtPair[]): GtGroups {
  const ia = new Map<number, number>(), ib = new Map<number, number>();
  for (const [a, b] of pairs) {
    if (!ia.has(a)) ia.set(a, ia.size);
    if (!ib.has(b)) ib.set(b, ib.size);
  }
  const uf = new UnionFind(ia.size + ib.size);
  for (const [a, b] of pairs) uf.union(ia.get(a)!, ia.size + ib.get(b)!);
  const { ids, count } = uf.labels();
  const groupOfA = new Map<number, number>(), groupOfB = new Map<number, number>();
  for (const [a, k] of ia) groupOfA.set(a, ids[k]);
  for (const [b, k] of ib) groupOfB.set(b, ids[ia.size + k]);
  return { count, groupOfA, groupOfB };
}
