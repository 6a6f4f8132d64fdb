/**
 * Point-to-point matches between two frames: ORB keypoints and binary descriptors (OpenCV.js, the
 * `@techstark/opencv-js` build of OpenCV 4.12 compiled to WebAssembly), then mutual nearest neighbours in
 * Hamming distance (a brute-force matcher with cross-check). The paper uses LightGlue, whose learned weights
 * cannot be had here; ORB is the classical stand-in that OpenCV.js ships (SIFT is not in its build, AKAZE finds
 * ten times fewer points on line art).
 *
 * OpenCV.js is loaded on first use (about 0.7 s, 13 MB on disk), so modules that do not match points never pay
 * for it. Every OpenCV object is freed in a `finally`.
 *
 * @module
 */
import type { GrayImage } from "../image/types.ts";

/** Matched points: reference (a) and target (b) pixel coordinates, and the descriptor distance. */
export interface PointMatches {
  ax: Float32Array; // [M]
  ay: Float32Array; // [M]
  bx: Float32Array; // [M]
  by: Float32Array; // [M]
  /** Hamming distance of the two descriptors (0-256 bits). */
  distance: Float32Array; // [M]
}

/** Options of {@link matchKeypoints}. */
export interface KeypointOptions {
  /** Most ORB keypoints per image. */
  maxFeatures?: number;
  /** Images are reduced (area averaging) so that their larger side is at most this before detection. */
  maxSide?: number;
  /** Matches whose descriptors differ in more bits than this are dropped. */
  maxHamming?: number;
  /** FAST corner threshold of the detector. */
  fastThreshold?: number;
}

/** Defaults of {@link KeypointOptions}. */
export const KEYPOINT_DEFAULTS: Required<KeypointOptions> = {
  maxFeatures: 3000, // at 512 px a frame yields ~2000 ORB corners; more only adds weak ones
  maxSide: 1024, // ORB's pyramid already covers scale; above 1024 px detection time grows with no gain in votes
  maxHamming: 64, // a quarter of the 256 bits: the usual ORB acceptance bound
  fastThreshold: 20, // OpenCV's default
};

/** The small part of the OpenCV.js API used here. */
interface CvMat {
  rows: number;
  cols: number;
  delete(): void;
}
interface CvVector<T> {
  size(): number;
  get(i: number): T;
  delete(): void;
}
interface CvKeyPoint {
  pt: { x: number; y: number };
}
interface CvDMatch {
  queryIdx: number;
  trainIdx: number;
  distance: number;
}
interface OpenCv {
  Mat: new () => CvMat;
  Size: new (w: number, h: number) => unknown;
  matFromArray(rows: number, cols: number, type: number, data: ArrayLike<number>): CvMat;
  CV_8UC1: number;
  NORM_HAMMING: number;
  INTER_AREA: number;
  resize(src: CvMat, dst: CvMat, size: unknown, fx: number, fy: number, interp: number): void;
  ORB: new (
    nfeatures?: number,
    scaleFactor?: number,
    nlevels?: number,
    edgeThreshold?: number,
    firstLevel?: number,
    WTA_K?: number,
    scoreType?: number,
    patchSize?: number,
    fastThreshold?: number,
  ) => {
    detectAndCompute(img: CvMat, mask: CvMat, kps: CvVector<CvKeyPoint>, desc: CvMat): void;
    delete(): void;
  };
  KeyPointVector: new () => CvVector<CvKeyPoint>;
  DMatchVector: new () => CvVector<CvDMatch>;
  BFMatcher: new (norm: number, crossCheck: boolean) => {
    match(q: CvMat, t: CvMat, out: CvVector<CvDMatch>): void;
    delete(): void;
  };
  onRuntimeInitialized?: () => void;
}

let cvPromise: Promise<{ cv: OpenCv }> | null = null;

/**
 * Loads OpenCV.js once (later calls get the same instance). The module is boxed in `{ cv }` because the
 * Emscripten module object has a `then` method: resolving a promise with it directly would never settle.
 *
 * @example
 * ```ts
 * const { cv } = await loadOpenCv();
 * ```
 */
export function loadOpenCv(): Promise<{ cv: OpenCv }> {
  cvPromise ??= (async () => {
    const mod = await import("@techstark/opencv-js");
    const cv = ((mod as { default?: unknown }).default ?? mod) as OpenCv;
    if (typeof cv.Mat !== "function") {
      await new Promise<void>((resolve) => {
        // The runtime calls onRuntimeInitialized once its WebAssembly is compiled; the poll also catches a
        // runtime that finished before the hook was set.
        const poll = setInterval(() => {
          if (typeof cv.Mat === "function") done();
        }, 25);
        const done = () => {
          clearInterval(poll);
          resolve();
        };
        const prev = cv.onRuntimeInitialized;
        cv.onRuntimeInitialized = () => {
          prev?.();
          done();
        };
      });
    }
    return { cv };
  })();
  return cvPromise;
}

/**
 * ORB keypoints of both images matched by mutual nearest neighbour (Hamming), in the images' own pixel
 * coordinates.
 *
 * @example
 * ```ts
 * const m = await matchKeypoints(grayA, grayB);
 * console.log(m.ax.length, "matches");
 * ```
 */
export async function matchKeypoints(
  a: GrayImage,
  b: GrayImage,
  opts: KeypointOptions = {},
): Promise<PointMatches & { keypointsA: number; keypointsB: number }> {
  const o = { ...KEYPOINT_DEFAULTS, ...opts };
  const { cv } = await loadOpenCv();
  const garbage: { delete(): void }[] = [];
  const keep = <T extends { delete(): void }>(x: T): T => {
    garbage.push(x);
    return x;
  };
  try {
    const prep = (img: GrayImage): { mat: CvMat; scale: number } => {
      const src = keep(cv.matFromArray(img.height, img.width, cv.CV_8UC1, img.data));
      const side = Math.max(img.width, img.height);
      if (side <= o.maxSide) return { mat: src, scale: 1 };
      const s = o.maxSide / side;
      const dst = keep(new cv.Mat());
      cv.resize(
        src,
        dst,
        new cv.Size(Math.round(img.width * s), Math.round(img.height * s)),
        0,
        0,
        cv.INTER_AREA,
      );
      return { mat: dst, scale: s };
    };
    const pa = prep(a), pb = prep(b);
    // ORB(nfeatures, scaleFactor 1.2, nlevels 8, edgeThreshold 31, firstLevel 0, WTA_K 2, HARRIS 0, patch 31, fast)
    const orb = keep(new cv.ORB(o.maxFeatures, 1.2, 8, 31, 0, 2, 0, 31, o.fastThreshold));
    const none = keep(new cv.Mat());
    const ka = keep(new cv.KeyPointVector()), kb = keep(new cv.KeyPointVector());
    const da = keep(new cv.Mat()), db = keep(new cv.Mat());
    orb.detectAndCompute(pa.mat, none, ka, da);
    orb.detectAndCompute(pb.mat, none, kb, db);
    const out: number[][] = [[], [], [], [], []];
    if (ka.size() > 0 && kb.size() > 0 && da.rows > 0 && db.rows > 0) {
      const bf = keep(new cv.BFMatcher(cv.NORM_HAMMING, true));
      const dm = keep(new cv.DMatchVector());
      bf.match(da, db, dm);
      for (let i = 0; i < dm.size(); i++) {
        const m = dm.get(i);
        if (m.distance > o.maxHamming) continue;
        const p = ka.get(m.queryIdx).pt, q = kb.get(m.trainIdx).pt;
        out[0].push(p.x / pa.scale);
        out[1].push(p.y / pa.scale);
        out[2].push(q.x / pb.scale);
        out[3].push(q.y / pb.scale);
        out[4].push(m.distance);
      }
    }
    return {
      ax: Float32Array.from(out[0]),
      ay: Float32Array.from(out[1]),
      bx: Float32Array.from(out[2]),
      by: Float32Array.from(out[3]),
      distance: Float32Array.from(out[4]),
      keypointsA: ka.size(),
      keypointsB: kb.size(),
    };
  } finally {
    for (const g of garbage.reverse()) g.delete();
  }
}
