/**
 * One generated frame: a character in a pose through a camera, painted into a part map, given line art in the
 * chosen style, and split into PBC segments with labels. The result is what `writeFrame` stores.
 *
 * @module
 */
import type { GrayImage, LabelMap, RgbaImage } from "../image/types.ts";
import type { Rng } from "../util/rng.ts";
import type { CharacterSpec } from "./character.ts";
import { handDrawnLines, type HandDrawnOptions } from "./hand_drawn.ts";
import type { Camera, Pose } from "./pose.ts";
import { colorFrame, rasterizeParts } from "./render.ts";
import { buildScene, type Scene } from "./scene.ts";
import type { Rgb } from "./palette.ts";
import { cleanLines, type Segmentation, segmentParts } from "./segments.ts";

/** Line styles. */
export const LINE_STYLES = ["clean", "hand-drawn"] as const;
/** A line style: closed 1-px contours (3-D rendered PBC look) or hand-drawn (XDoG, open, variable width). */
export type LineStyle = typeof LINE_STYLES[number];

/** Options of {@link renderFrame}. */
export interface RenderOptions {
  style: LineStyle;
  /** Frame side in pixels. */
  size: number;
  /** Randomness of the hand-drawn style (unused by the clean style). */
  rng: Rng;
  handDrawn?: Partial<HandDrawnOptions>;
}

/** A rendered frame. */
export interface RenderedFrame extends Segmentation {
  /** Line art, 0 = ink, 255 = paper. */
  line: GrayImage;
  /** Colour frame with the lines drawn in black, background transparent. */
  gt: RgbaImage;
  /** Part label per pixel before lines (-1 = background). */
  parts: LabelMap;
  /** Ink mask (1 = line pixel). */
  ink: Uint8Array;
}

/**
 * Renders one frame.
 *
 * @example
 * ```ts
 * const f = renderFrame(spec, seq.poses[3], seq.cameras[3], { style: "clean", size: 512, rng });
 * await writeFrame(root, spec.name, "0003", { line: lineToRgba(f.line), seg: f.seg, labelOfSeg: f.labelOfSeg });
 * ```
 */
export function renderFrame(
  spec: CharacterSpec,
  pose: Pose,
  cam: Camera,
  opts: RenderOptions,
): RenderedFrame {
  const { size } = opts;
  const scene = buildScene(spec, pose, cam);
  return renderScene(scene, spec.labels.map((l) => l.color), {
    style: opts.style,
    width: size,
    height: size,
    rng: opts.rng,
    handDrawn: opts.handDrawn,
  });
}

/** Options of {@link renderScene}. */
export interface RenderSceneOptions {
  style: LineStyle;
  width: number;
  height: number;
  /** Randomness of the hand-drawn style (unused by the clean style). */
  rng: Rng;
  handDrawn?: Partial<HandDrawnOptions>;
}

/**
 * Renders a built scene (any family) onto a `width x height` canvas in a base line style.
 *
 * @example
 * ```ts
 * const f = renderScene(scene, colors, { style: "clean", width: 640, height: 480, rng });
 * ```
 */
export function renderScene(
  scene: Pick<Scene, "parts" | "strokes">,
  colors: readonly Rgb[],
  opts: RenderSceneOptions,
): RenderedFrame {
  const { width, height } = opts;
  let parts = rasterizeParts(scene.parts, width, height, colors.length);
  let ink: Uint8Array;
  if (opts.style === "clean") {
    ink = cleanLines(parts);
  } else {
    const hd = handDrawnLines(parts, colors, scene.strokes, opts.rng, opts.handDrawn);
    parts = hd.parts;
    ink = hd.ink;
  }
  const segs = segmentParts(parts, ink, colors);
  const line: GrayImage = { width, height, data: new Uint8Array(width * height) };
  for (let i = 0; i < ink.length; i++) line.data[i] = ink[i] ? 0 : 255;
  return { ...segs, line, gt: colorFrame(parts, colors, ink), parts, ink };
}
