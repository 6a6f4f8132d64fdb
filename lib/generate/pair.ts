/**
 * One pair of frames of one generated character, in memory: what tests, benchmarks and the demo need when a
 * whole dataset on disk would be too much.
 *
 * @module
 */
import { Rng } from "../util/rng.ts";
import { makeCharacter } from "./character.ts";
import { type LineStyle, type RenderedFrame, renderFrame } from "./frame.ts";
import { type Family, makeSubject } from "./family.ts";
import { makeSequence } from "./pose.ts";
import { renderStyled } from "./styles.ts";

/** Options of {@link renderPair}. */
export interface RenderPairOptions {
  /** Frame side in pixels. 512: the datasets' default size. */
  size: number;
  /** Line style. */
  style: LineStyle;
  /** Frames between the two. 7: the PBC pairs' default gap (lib/data/pairs.ts). */
  gap: number;
  /** Seed of the character, its motion and the hand-drawn strokes. */
  seed: number;
  /** Name of the stream the seed is forked into (keeps pairs of different uses apart). */
  stream: string;
  /** What the pair shows (family.ts); `human` is the original generator. */
  family: Family;
}

/** Defaults of {@link renderPair}. */
export const RENDER_PAIR_DEFAULTS: RenderPairOptions = {
  size: 512,
  style: "clean",
  gap: 7,
  seed: 0,
  stream: "pair",
  family: "human", // the original generator: the demo's and benchmarks' pairs keep their bytes
};

/**
 * Frames 0 and `gap` of one generated character, with their ground truth (seg, labels, colour frame).
 *
 * @example
 * ```ts
 * const { a, b } = renderPair({ size: 512, style: "hand-drawn", seed: 3 });
 * // a.line, b.line: GrayImage; a.gt: RgbaImage colour frame; a.seg + a.labelOfSeg: exact regions
 * ```
 */
export function renderPair(opts: Partial<RenderPairOptions> = {}): { a: RenderedFrame; b: RenderedFrame } {
  const o = { ...RENDER_PAIR_DEFAULTS, ...opts };
  const rng = new Rng(o.seed).fork(o.stream);
  if (o.family !== "human") {
    const subject = makeSubject(o.family, rng, o.stream, o.gap + 1, o.size, o.size);
    const styled = (i: number) =>
      renderStyled(subject.scene(i), subject.labels, { base: o.style, mods: [] }, {
        width: o.size,
        height: o.size,
        rng: rng.fork(`frame:${i}`),
      });
    return { a: styled(0), b: styled(o.gap) };
  }
  const spec = makeCharacter(rng.fork("spec"), o.stream);
  const seq = makeSequence(rng.fork("sequence"), o.gap + 1, o.size);
  const frame = (i: number) =>
    renderFrame(spec, seq.poses[i], seq.cameras[i], {
      style: o.style,
      size: o.size,
      rng: rng.fork(`frame:${i}`),
    });
  return { a: frame(0), b: frame(o.gap) };
}
