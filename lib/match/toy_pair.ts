/**
 * A tiny procedural drawing pair with full ground truth, for tests and benchmarks that must not depend on
 * outside data: a face-like figure (body, neck, head, hair, eyes with pupils and highlights, brows, mouth) of
 * flat-filled ellipses and boxes, outlined with 1-2 px strokes, and a second frame of the same figure moved,
 * scaled and slightly re-posed. Eyes, pupils and brows are smaller than a 32-px patch at 512 px: the case the
 * paper's pipeline merges away.
 *
 * @module
 */
import type { GrayImage, LabelMap, RgbImage } from "../image/types.ts";
import { BACKGROUND_ID, BACKGROUND_LABEL, LINE_ID } from "../data/pbc.ts";
import { Rng } from "../util/rng.ts";

/** One generated frame, in the PBC conventions (seg 0 = line, 1 = background; label of each segment). */
export interface ToyFrame {
  line: GrayImage;
  seg: LabelMap;
  labelOfSeg: Map<number, number>;
  /** The coloured frame: each label's flat colour, lines black, background white. */
  color: RgbImage;
}

interface Shape {
  kind: "ellipse" | "box";
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  label: number;
}

/** Part names by label (label = index). */
export const TOY_PARTS = [
  "body",
  "neck",
  "head",
  "hair",
  "eye_l",
  "eye_r",
  "pupil_l",
  "pupil_r",
  "shine_l",
  "shine_r",
  "brow_l",
  "brow_r",
  "mouth",
  "collar",
] as const;

/** Flat colour of each part. */
export const TOY_COLORS: [number, number, number][] = [
  [70, 90, 160],
  [240, 210, 190],
  [250, 220, 200],
  [150, 60, 40],
  [255, 255, 250],
  [255, 255, 250],
  [60, 120, 60],
  [60, 120, 60],
  [250, 250, 250],
  [250, 250, 250],
  [110, 50, 30],
  [110, 50, 30],
  [200, 80, 90],
  [230, 230, 240],
];

/** The figure's shapes in unit coordinates (0..1), drawn in order. */
function figure(pose: { dx: number; dy: number; s: number; tilt: number; blink: number }): Shape[] {
  const { dx, dy, s, tilt, blink } = pose;
  const P = (cx: number, cy: number) => [0.5 + (cx - 0.5) * s + dx, 0.5 + (cy - 0.5) * s + dy];
  const sh = (kind: Shape["kind"], cx: number, cy: number, rx: number, ry: number, label: number): Shape => {
    const [x, y] = P(cx, cy);
    return { kind, cx: x, cy: y, rx: rx * s, ry: ry * s, label };
  };
  const t = tilt;
  return [
    sh("ellipse", 0.5, 0.98, 0.34, 0.22, 0), // body
    sh("box", 0.5, 0.74, 0.05, 0.06, 1), // neck
    sh("ellipse", 0.5, 0.5, 0.2, 0.23, 2), // head
    sh("ellipse", 0.5, 0.34, 0.23, 0.11, 3), // hair cap (clear of the brows and eyes)
    sh("ellipse", 0.42 + t, 0.5, 0.045, 0.035 * blink, 4),
    sh("ellipse", 0.58 + t, 0.5, 0.045, 0.035 * blink, 5),
    sh("ellipse", 0.425 + t, 0.505, 0.022, 0.022 * blink, 6),
    sh("ellipse", 0.585 + t, 0.505, 0.022, 0.022 * blink, 7),
    sh("ellipse", 0.415 + t, 0.49, 0.008, 0.008, 8),
    sh("ellipse", 0.575 + t, 0.49, 0.008, 0.008, 9),
    sh("box", 0.42 + t, 0.435, 0.045, 0.008, 10),
    sh("box", 0.58 + t, 0.435, 0.045, 0.008, 11),
    sh("ellipse", 0.5 + t, 0.62, 0.04, 0.015, 12),
    sh("box", 0.5, 0.82, 0.14, 0.03, 13), // collar
  ];
}

function inside(sh: Shape, u: number, v: number): boolean {
  const a = (u - sh.cx) / sh.rx, b = (v - sh.cy) / sh.ry;
  return sh.kind === "ellipse" ? a * a + b * b <= 1 : Math.abs(a) <= 1 && Math.abs(b) <= 1;
}

/** Renders one frame of the figure at `size` x `size` (strokes 1 px below 384 px, 2 px from there). */
export function renderToyFrame(
  size: number,
  pose = { dx: 0, dy: 0, s: 1, tilt: 0, blink: 1 },
): ToyFrame {
  const shapes = figure(pose);
  const n = size * size;
  const lab = new Int32Array(n).fill(-1);
  for (let y = 0; y < size; y++) {
    const v = (y + 0.5) / size;
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      for (const sh of shapes) if (inside(sh, u, v)) lab[y * size + x] = sh.label;
    }
  }
  // Strokes where the label changes (right or down neighbour), thickened for large frames.
  const ink = new Uint8Array(n);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = y * size + x;
      if ((x + 1 < size && lab[p + 1] !== lab[p]) || (y + 1 < size && lab[p + size] !== lab[p])) ink[p] = 1;
    }
  }
  if (size >= 384) {
    const thick = ink.slice();
    for (let p = 0; p < n; p++) if (ink[p] && (p % size) + 1 < size) thick[p + 1] = 1;
    ink.set(thick);
  }
  const line: GrayImage = { width: size, height: size, data: new Uint8Array(n).fill(255) };
  const seg: LabelMap = { width: size, height: size, data: new Int32Array(n) };
  const color: RgbImage = { width: size, height: size, data: new Uint8Array(3 * n).fill(255) };
  for (let p = 0; p < n; p++) {
    if (ink[p]) {
      line.data[p] = 0;
      seg.data[p] = LINE_ID;
      color.data[3 * p] = color.data[3 * p + 1] = color.data[3 * p + 2] = 0;
    } else if (lab[p] < 0) {
      seg.data[p] = BACKGROUND_ID;
    } else {
      seg.data[p] = lab[p] + 2;
      color.data.set(TOY_COLORS[lab[p]], 3 * p);
    }
  }
  const labelOfSeg = new Map<number, number>([[LINE_ID, BACKGROUND_LABEL], [
    BACKGROUND_ID,
    BACKGROUND_LABEL,
  ]]);
  for (let k = 0; k < TOY_PARTS.length; k++) labelOfSeg.set(k + 2, k);
  return { line, seg, labelOfSeg, color };
}

/**
 * A reference frame and a target frame of the figure: the target is moved, scaled and re-posed by a seeded
 * amount.
 *
 * @example
 * ```ts
 * const { a, b } = toyPair(256, 1);
 * ```
 */
export function toyPair(size: number, seed = 0): { a: ToyFrame; b: ToyFrame } {
  const rng = new Rng(seed);
  const a = renderToyFrame(size, { dx: rng.range(-0.03, 0.03), dy: 0, s: 1, tilt: 0, blink: 1 });
  const b = renderToyFrame(size, {
    dx: rng.range(-0.06, 0.06),
    dy: rng.range(-0.04, 0.04),
    s: rng.range(0.88, 1.02),
    tilt: rng.range(-0.015, 0.015),
    blink: rng.range(0.75, 1),
  });
  return { a, b };
}
