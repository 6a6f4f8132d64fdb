/**
 * A stand-in model for tests (no tfjs): it knows the frames it will be asked about and answers with their exact
 * tokens (`oracleTokens`: the histogram of true labels under each patch) and the similarity of those tokens, so
 * that the region matcher's rows and the paper pipeline's rows can be compared on the same, perfect features.
 *
 * @module
 */
import type { GrayImage, LabelMap } from "../image/types.ts";
import { similarityFromTokens } from "../match/descriptors.ts";
import { oracleTokens } from "../match/test_tokens.ts";
import type { PairSimilarity, PairTokens } from "../model/similarity.ts";
import type { TokenModel } from "./predictors.ts";

/** What the stand-in needs of a frame. */
export interface KnownFrame {
  line: GrayImage;
  seg: LabelMap;
  labelOfSeg: Map<number, number> | null;
}

/** A frame's key: its size and an FNV-1a hash of its line pixels. */
function keyOf(g: GrayImage): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < g.data.length; i++) h = Math.imul(h ^ g.data[i], 0x01000193);
  return `${g.width}x${g.height}:${h >>> 0}`;
}

/**
 * A {@link TokenModel} that answers for the given frames (found by their line art) with exact tokens; its
 * `similarity` is their cosine (materialised, as a model's is).
 *
 * @example
 * ```ts
 * const model = oracleTokenModel([a, b]); // a, b: PbcFrame or ToyFrame
 * const predict = regionMatcherPredictor(model);
 * ```
 */
export function oracleTokenModel(
  frames: readonly KnownFrame[],
  inputSize = 256,
  patch = 16,
): TokenModel & { calls: number } {
  const byKey = new Map(frames.map((f) => [keyOf(f.line), f]));
  const find = (g: GrayImage): KnownFrame => {
    const f = byKey.get(keyOf(g));
    if (!f) throw new Error(`oracleTokenModel: unknown drawing ${g.width}x${g.height}`);
    return f;
  };
  const model = {
    calls: 0,
    config: { inputSize, patch },
    pairTokens(a: GrayImage, b: GrayImage): Promise<PairTokens> {
      model.calls++;
      const fa = find(a), fb = find(b);
      const la = fa.labelOfSeg ?? new Map(), lb = fb.labelOfSeg ?? new Map();
      return Promise.resolve(oracleTokens(fa.seg, la, fb.seg, lb, inputSize, patch));
    },
    async similarity(a: GrayImage, b: GrayImage): Promise<PairSimilarity> {
      const s = similarityFromTokens(await model.pairTokens(a, b));
      return { ...s, cosine: s.cosine };
    },
  };
  return model;
}
