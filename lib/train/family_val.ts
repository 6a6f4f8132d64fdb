/**
 * Validation AP and top-1 per generator family (lib/data/families.ts), from one forward pass per pair: the
 * numbers behind "validation AP per family as training goes" (the loop logs them as `val_families` when the
 * validation pairs span more than one family; notebook 02 plots them).
 *
 * @module
 */
import type { FrameCache } from "../data/cache.ts";
import type { PairItem } from "../data/batch.ts";
import { OTHER_FAMILY } from "../data/families.ts";
import { histogramFor, PatchAccumulator } from "../eval/mod.ts";
import type { PatchSimilarityModel } from "../model/model.ts";
import { scoreMatrix } from "../model/similarity.ts";

/** Cross-image patch AP, top-1 and pair count. */
export interface FamilyScore {
  ap: number;
  top1: number;
  pairs: number;
}

/**
 * Pooled cross-image patch AP and mean top-1 over all pairs and per family (the loop's validation, split).
 *
 * @example
 * ```ts
 * const { all, byFamily } = await validateByFamily(model, data.caches, valItems);
 * console.log(byFamily.quadruped.ap);
 * ```
 */
export async function validateByFamily(
  model: PatchSimilarityModel,
  caches: FrameCache[],
  items: PairItem[],
  perForward = 4,
): Promise<{ all: FamilyScore; byFamily: Record<string, FamilyScore> }> {
  const all = new PatchAccumulator(histogramFor("sigmoid"));
  const fam = new Map<string, PatchAccumulator>();
  const c = model.config, N = (c.inputSize / c.patch) ** 2, S = c.inputSize;
  for (let i = 0; i < items.length; i += perForward) {
    const chunk = items.slice(i, i + perForward);
    const images = chunk.flatMap((it) =>
      [it.a, it.b].map((k) => caches[it.source].lines.subarray(k * S * S, (k + 1) * S * S))
    );
    const cos = await model.cosineBatchAsync(images); // async: the form WebGPU can read
    chunk.forEach((it, p) => {
      const lab = caches[it.source].labels;
      const scores = scoreMatrix(cos.subarray(p * 4 * N * N, (p + 1) * 4 * N * N), 2 * N, "sigmoid");
      const la = lab.subarray(it.a * N, (it.a + 1) * N), lb = lab.subarray(it.b * N, (it.b + 1) * N);
      all.add(scores, N, la, lb);
      const f = it.family ?? OTHER_FAMILY;
      if (!fam.has(f)) fam.set(f, new PatchAccumulator(histogramFor("sigmoid")));
      fam.get(f)!.add(scores, N, la, lb);
    });
  }
  const score = (a: PatchAccumulator): FamilyScore => {
    const s = a.summary().cross;
    return { ap: s.ap, top1: s.top1, pairs: a.pairs };
  };
  const byFamily: Record<string, FamilyScore> = {};
  for (const f of [...fam.keys()].sort()) byFamily[f] = score(fam.get(f)!);
  return { all: score(all), byFamily };
}
