/**
 * A frame's scene: the list of closed shapes to paint (each with its label, depth and optional clip to the
 * parts it lies on), plus the open strokes a hand-drawn artist adds that bound no region (hair strands, folds).
 * {@link buildScene} assembles the head and the body of a character in a pose seen through a camera.
 *
 * @module
 */
import {
  type Affine,
  chain,
  mapScale,
  type Pts,
  rotate,
  rotateAbout,
  scale,
  transformPts,
  translate,
} from "./geometry.ts";
import type { CharacterSpec } from "./character.ts";
import type { Camera, Pose } from "./pose.ts";
import { buildHead } from "./head.ts";
import { buildBody } from "./body.ts";

/** One closed shape of one part, in pixels. */
export interface ScenePart {
  label: number;
  /** Painting order: larger is in front. Ties keep insertion order. */
  depth: number;
  /** Contours in pixels (non-zero winding). */
  contours: Float64Array[];
  /** When set, the shape is painted only over pixels of these labels (a shadow on its part, an iris in its eye). */
  clip?: number[];
}

/** An open stroke in pixels (hand-drawn style only). */
export interface SceneStroke {
  pts: Float64Array;
  /** Stroke width in pixels at its middle. */
  width: number;
}

/** Depth layers, back to front. */
export const DEPTH = {
  hairBack: 0,
  tails: 0.5,
  sideBack: 0.7,
  armBack: 1,
  legs: 2,
  bottom: 3,
  skirt: 4,
  neck: 5,
  shirt: 6,
  belt: 6.6,
  jacket: 7,
  collar: 8,
  neckwear: 9,
  armSide: 10,
  earBack: 11,
  face: 12,
  earFront: 12.05,
  faceDetail: 12.1,
  sideFront: 13,
  bangs: 14,
  cap: 15,
  hairTop: 16,
  armFront: 17,
} as const;

/**
 * Collects parts and strokes while the head and body are built.
 *
 * @example
 * ```ts
 * const sb = new SceneBuilder();
 * sb.add(spec.L.face, DEPTH.face, headToPx, facePts);
 * ```
 */
export class SceneBuilder {
  readonly parts: ScenePart[] = [];
  readonly strokes: SceneStroke[] = [];

  /**
   * Adds a shape given in some frame, mapped to pixels with `m`.
   *
   * @example
   * ```ts
   * sb.add(spec.L.face, DEPTH.face, headToPx, facePts);
   * ```
   */
  add(
    label: number | undefined,
    depth: number,
    m: Affine,
    pts: Pts | Pts[],
    clip?: (number | undefined)[],
  ): void {
    if (label === undefined) return;
    const list = pts.length > 0 && typeof pts[0] !== "number" ? pts as Pts[] : [pts as Pts];
    const contours = list.filter((p) => p.length >= 6).map((p) => transformPts(m, p));
    if (contours.length === 0) return;
    const c = clip?.filter((x): x is number => x !== undefined);
    this.parts.push({ label, depth, contours, ...(c ? { clip: c } : {}) });
  }

  /** Adds an open stroke given in some frame; `width` is in that frame's units. */
  stroke(m: Affine, pts: Pts, width: number): void {
    if (pts.length < 4) return;
    this.strokes.push({ pts: transformPts(m, pts), width: width * mapScale(m) });
  }
}

/**
 * The map from world (torso frame after lean) to pixels.
 *
 * @example
 * ```ts
 * const toPx = cameraMap({ scale: 80, rot: 0, cx: 256, cy: 256, fx: 0, fy: -1 });
 * ```
 */
export function cameraMap(cam: Camera): Affine {
  return chain(translate(cam.cx, cam.cy), rotate(cam.rot), scale(cam.scale), translate(-cam.fx, -cam.fy));
}

/** A built scene. */
export interface Scene {
  parts: ScenePart[];
  strokes: SceneStroke[];
  /** Pixels per head unit. */
  unit: number;
}

/**
 * Every shape of a character in a pose, through a camera, sorted back to front.
 *
 * @example
 * ```ts
 * const scene = buildScene(spec, seq.poses[0], seq.cameras[0]);
 * ```
 */
export function buildScene(spec: CharacterSpec, pose: Pose, cam: Camera): Scene {
  const sb = new SceneBuilder();
  const b = spec.body;
  // Torso frame: origin at the neck base, y down; the torso leans about the pelvis.
  const torsoToPx = chain(cameraMap(cam), rotateAbout(pose.lean, 0, b.torsoLen));
  // Head frame: origin at the cranium centre; it tilts about the neck top (0.9 below the head centre).
  const headToTorso = chain(translate(0, -b.neckLen), rotate(pose.headTilt), translate(0, -0.9));
  const headToPx = chain(torsoToPx, headToTorso);
  buildHead(spec, pose, sb, headToPx);
  buildBody(spec, pose, sb, torsoToPx, headToPx);
  const order = sb.parts.map((p, i) => ({ p, i })).sort((x, y) => x.p.depth - y.p.depth || x.i - y.i);
  return { parts: order.map((o) => o.p), strokes: sb.strokes, unit: mapScale(torsoToPx) };
}
