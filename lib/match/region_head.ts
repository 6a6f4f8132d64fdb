/**
 * The learned region head (issue 10, part 2): a small self + cross attention network over the region tokens of
 * two drawings (the paper's Multiplex idea one level up, as BasicPBC and LightGlue do over segments/keypoints),
 * whose dot-product scores replace the hand-set score of `region_matcher.ts` before the Sinkhorn and alignment
 * rounds. Read top to bottom:
 *
 * 1. inputs per region ({@link regionHeadFeatures}): the backbone's tokens pooled in the region (`poolRegionTokens`,
 *    tokenDim values), its neighbours' pooled tokens (tokenDim), and geometry: centroid (2), Fourier features of
 *    the centroid (4 per frequency), log area share, box sides and second-moment spreads (5);
 * 2. encoder: x [k, F] -> relu(x W1 + b1) W2 + b2 -> h [k, d];
 * 3. `layers` times: self-attention within each drawing, then cross-attention to the other drawing (pre-norm
 *    residual blocks, each followed by an MLP), the same weights for both drawings;
 * 4. scores S[p, q] = <LN(ha[p]) Wf, LN(hb[q]) Wf> / sqrt(d), and one learned dustbin logit `alpha`.
 *
 * The forward here is plain typed arrays (no tfjs): it runs inside the synchronous matcher on any backend (WebGPU
 * cannot read tensors synchronously) in a few milliseconds, and there is no tensor to leak. The trainer
 * (`lib/train/region_head_grad.ts`) runs the same primitives with a hand-written backward pass (tfjs-core here
 * registers no stock gradients: lib/model writes its own), checked against finite differences and against
 * {@link headScores} in tests.
 *
 * Weights: a folder with `head.json` (format, config, parameter manifest, sha256 of `weights.bin`, the backbone it
 * was trained on) and `weights.bin` (float32, little-endian, manifest order). A head belongs to one backbone: the
 * pooled tokens mean nothing to another, so {@link loadRegionHead} refuses a head whose backbone sha256 differs.
 *
 * @module
 */
import * as path from "node:path";
import { UserError } from "../util/errors.ts";
import { atomicWrite, atomicWriteJson, existsSync, readJson } from "../util/fs.ts";
import { Rng } from "../util/rng.ts";
import type { RegionGeometryFeatures } from "./descriptors.ts";

/** The head's shape. */
export interface RegionHeadConfig {
  /** Width of the backbone's tokens (the pooled descriptors). */
  tokenDim: number;
  /** Width of the head. */
  dim: number;
  /** Attention heads (dim must divide by it). */
  heads: number;
  /** Self + cross layer pairs. */
  layers: number;
  /** MLP hidden width over dim. */
  mlpRatio: number;
  /** Frequencies of the centroid's Fourier features (cycles per drawing box). */
  freqs: number[];
  /** Include the neighbourhood descriptor. */
  neighbours: boolean;
  /**
   * Add the hand-set matcher's score as a prior ({@link priorTerms}: descriptor and neighbour cosines, centroid
   * distance, log-area difference, each with a learned weight started at the hand-set weight over its
   * temperature), so the network learns a correction to it rather than the whole score.
   */
  prior: boolean;
}

/** Defaults, each with its reason. */
export const REGION_HEAD_DEFAULTS: RegionHeadConfig = {
  tokenDim: 128, // the shipped backbone (small-v1) has d = 128
  dim: 32, // 3.4x faster to train than 64 (2.1 vs 0.6 steps/s of 4 pairs on this loaded 2-core machine); 64 held out no better after an epoch
  heads: 4, // 16 per head: one head can look at position while another looks at appearance
  layers: 2, // two self + cross rounds: enough for "left of the matched face" reasoning (LightGlue stops early at 2-3 on easy pairs)
  mlpRatio: 2, // small MLP: the head is data-starved (a few hundred pairs), not capacity-starved
  freqs: [1, 2, 4], // positions vary by ~0.1 of the drawing between frames; periods 1, 0.5, 0.25 resolve that without aliasing
  neighbours: true, // the hand-set matcher's neighbour cosine was its strongest term after the descriptor
  prior: true, // a head without it trailed the hand-set matcher by 40 points of val-clean colour-region accuracy after one epoch
};

/**
 * Initial prior weights: the hand-set matcher's feature 1, neighbour 1.5, position 3, area 0.15; each term is
 * multiplied by {@link PRIOR_SCALE} (so Adam's steps move them at a useful rate).
 */
export const PRIOR_INIT = [1, 1.5, 3, 0.15];
/**
 * 1 / temperature of the prior: 5 (T = 0.2), not the hand-set matcher's 20 (T = 0.05). Same held-out accuracy
 * of the prior alone on 40 train-mix pairs (35.6% of target regions), loss 2.47 instead of 7.11: the
 * over-confident start left the learned part unable to move the softmax.
 */
export const PRIOR_SCALE = 5;
/** Initial dustbin logit with the prior: the hand-set dustbin 0.6 times {@link PRIOR_SCALE}. */
export const PRIOR_DUSTBIN_INIT = 3;

/** Geometry inputs besides the Fourier features: cx, cy, log area share, box width, height, major, minor. */
const GEOMETRY_INPUTS = 7;

/** Input width F of a config. */
export function headInputSize(c: RegionHeadConfig): number {
  return c.tokenDim * (c.neighbours ? 2 : 1) + GEOMETRY_INPUTS + 4 * c.freqs.length;
}

/** Which backbone a head belongs to. */
export interface HeadBackbone {
  /** The backbone folder's name, for messages (e.g. "small-v1"). */
  name: string;
  /** sha256 of the backbone's weights.bin (its model.json's `weightsSha256`). */
  sha256: string;
}

/** A loaded head: config, parameters by name, and its backbone. */
export interface RegionHead {
  config: RegionHeadConfig;
  params: Map<string, Float32Array>;
  backbone: HeadBackbone;
}

/**
 * Parameter names and shapes, in manifest order (matrices are [in, out], row-major).
 *
 * @example
 * ```ts
 * for (const [name, shape] of headParamShapes(REGION_HEAD_DEFAULTS)) console.log(name, shape);
 * ```
 */
export function headParamShapes(c: RegionHeadConfig): [string, number[]][] {
  const F = headInputSize(c), d = c.dim, h = d * c.mlpRatio;
  const out: [string, number[]][] = [["enc.w1", [F, d]], ["enc.b1", [d]], ["enc.w2", [d, d]], ["enc.b2", [
    d,
  ]]];
  for (let l = 0; l < c.layers; l++) {
    for (const kind of ["self", "cross"]) {
      const p = `l${l}.${kind}`;
      out.push([`${p}.q`, [d, d]], [`${p}.k`, [d, d]], [`${p}.v`, [d, d]], [`${p}.o`, [d, d]], [`${p}.bo`, [
        d,
      ]]);
      out.push([`${p}.m1`, [d, h]], [`${p}.mb1`, [h]], [`${p}.m2`, [h, d]], [`${p}.mb2`, [d]]);
    }
  }
  out.push(["final.w", [d, d]], ["dustbin", [1]]);
  if (c.prior) out.push(["prior", [PRIOR_INIT.length]]);
  return out;
}

/**
 * Seeded initial parameters: matrices N(0, 1/in) (LeCun), the residual blocks' output matrices scaled down
 * (each block starts near identity), biases 0, dustbin 1.
 */
export function initHeadParams(c: RegionHeadConfig, seed = 0): Map<string, Float32Array> {
  const rng = new Rng(seed);
  const out = new Map<string, Float32Array>();
  for (const [name, shape] of headParamShapes(c)) {
    const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name === "dustbin") v[0] = c.prior ? PRIOR_DUSTBIN_INIT : 1;
    else if (name === "prior") v.set(PRIOR_INIT);
    else if (shape.length === 2) {
      const small = /\.(o|m2)$/.test(name) ? 0.3 : 1;
      const std = small / Math.sqrt(shape[0]);
      for (let i = 0; i < v.length; i++) v[i] = rng.normal(0, std);
    }
    out.set(name, v);
  }
  return out;
}

/**
 * The head's inputs for some regions of one drawing: [ids.length * F] row-major (see the module note for the
 * layout). `desc` and `nbr` are [(count + 1) * tokenDim] (`poolRegionTokens`, `neighbourDescriptors`).
 *
 * @example
 * ```ts
 * const x = regionHeadFeatures(ids, desc, nbr, regionGeometryFeatures(set), head.config);
 * ```
 */
export function regionHeadFeatures(
  ids: readonly number[],
  desc: Float32Array,
  nbr: Float32Array,
  g: RegionGeometryFeatures,
  c: RegionHeadConfig,
): Float32Array {
  const F = headInputSize(c), D = c.tokenDim;
  if (desc.length !== (g.count + 1) * D) {
    throw new UserError(
      `region head: descriptors are ${
        desc.length / (g.count + 1)
      }-wide, the head expects ${D} (another backbone?)`,
    );
  }
  const x = new Float32Array(ids.length * F);
  ids.forEach((r, k) => {
    const o = k * F;
    x.set(desc.subarray(r * D, (r + 1) * D), o);
    let i = o + D;
    if (c.neighbours) {
      x.set(nbr.subarray(r * D, (r + 1) * D), i);
      i += D;
    }
    // Centred, roughly unit-scale geometry.
    x[i++] = 2 * g.cx[r] - 1;
    x[i++] = 2 * g.cy[r] - 1;
    x[i++] = (g.logArea[r] + 5) / 3; // log shares span about -11..0
    x[i++] = 2 * g.bw[r] - 0.5;
    x[i++] = 2 * g.bh[r] - 0.5;
    x[i++] = 4 * g.major[r] - 0.5;
    x[i++] = 8 * g.minor[r] - 0.5;
    for (const f of c.freqs) {
      const ax = 2 * Math.PI * f * g.cx[r], ay = 2 * Math.PI * f * g.cy[r];
      x[i++] = Math.sin(ax);
      x[i++] = Math.cos(ax);
      x[i++] = Math.sin(ay);
      x[i++] = Math.cos(ay);
    }
  });
  return x;
}

/**
 * The hand-set score's terms from the head's inputs, each [m * n]: descriptor cosine, neighbour cosine (the
 * pooled descriptors are L2-normalised, so dot products), minus the centroid distance in drawing-box units, minus
 * |log area ratio|. Weighted by the `prior` parameter and added to the learned scores.
 */
export function priorTerms(
  xa: Float32Array,
  m: number,
  xb: Float32Array,
  n: number,
  c: RegionHeadConfig,
): Float32Array[] {
  const F = headInputSize(c), D = c.tokenDim, g = D * (c.neighbours ? 2 : 1);
  const out = PRIOR_INIT.map(() => new Float32Array(m * n));
  for (let p = 0; p < m; p++) {
    const a = p * F;
    for (let q = 0; q < n; q++) {
      const b = q * F, k = p * n + q;
      let f = 0, nb = 0;
      for (let t = 0; t < D; t++) f += xa[a + t] * xb[b + t];
      if (c.neighbours) { for (let t = D; t < 2 * D; t++) nb += xa[a + t] * xb[b + t]; }
      out[0][k] = f;
      out[1][k] = nb;
      // Inputs hold 2 cx - 1, 2 cy - 1 and (log area + 5) / 3.
      out[2][k] = -0.5 * Math.hypot(xa[a + g] - xb[b + g], xa[a + g + 1] - xb[b + g + 1]);
      out[3][k] = -3 * Math.abs(xa[a + g + 2] - xb[b + g + 2]);
    }
  }
  return out;
}

/**
 * The encoder's view of the inputs: the unit-length descriptors (entries ~1/sqrt(tokenDim)) scaled by
 * sqrt(tokenDim) so that they weigh like the unit-scale geometry; a copy. Exported for the trainer.
 */
export function scaleInputs(x: Float32Array, k: number, c: RegionHeadConfig): Float32Array {
  const F = headInputSize(c), D = c.tokenDim * (c.neighbours ? 2 : 1), f = Math.sqrt(c.tokenDim);
  const y = x.slice();
  for (let r = 0; r < k; r++) for (let i = 0; i < D; i++) y[r * F + i] *= f;
  return y;
}

// ---- typed-array forward -------------------------------------------------------------------------------------

/** y [k, out] = x [k, in] W [in, out] (+ b). Exported for the trainer (lib/train/region_head_grad.ts). */
export function linear(
  x: Float32Array,
  k: number,
  W: Float32Array,
  inD: number,
  outD: number,
  b?: Float32Array,
): Float32Array {
  const y = new Float32Array(k * outD);
  for (let r = 0; r < k; r++) {
    const yo = r * outD, xo = r * inD;
    if (b) y.set(b, yo);
    for (let i = 0; i < inD; i++) {
      const xv = x[xo + i];
      if (xv === 0) continue;
      const wo = i * outD;
      for (let j = 0; j < outD; j++) y[yo + j] += xv * W[wo + j];
    }
  }
  return y;
}

/** Parameter-free layer norm over rows (eps 1e-5). Exported for the trainer. */
export function layerNorm(x: Float32Array, k: number, d: number): Float32Array {
  const y = new Float32Array(k * d);
  for (let r = 0; r < k; r++) {
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[r * d + j];
    mean /= d;
    let v = 0;
    for (let j = 0; j < d; j++) v += (x[r * d + j] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / d + 1e-5);
    for (let j = 0; j < d; j++) y[r * d + j] = (x[r * d + j] - mean) * inv;
  }
  return y;
}

/** ReLU in place. Exported for the trainer. */
export function relu<T extends Float32Array>(x: T): T {
  for (let i = 0; i < x.length; i++) if (x[i] < 0) x[i] = 0;
  return x;
}

/** Multi-head attention of queries from q [kq, d] over keys/values from kv [kk, d]; returns [kq, d]. */
function attention(
  P: Map<string, Float32Array>,
  p: string,
  c: RegionHeadConfig,
  q: Float32Array,
  kq: number,
  kv: Float32Array,
  kk: number,
): Float32Array {
  const d = c.dim, H = c.heads, dh = d / H, scale = 1 / Math.sqrt(dh);
  const Q = linear(q, kq, P.get(`${p}.q`)!, d, d), K = linear(kv, kk, P.get(`${p}.k`)!, d, d);
  const V = linear(kv, kk, P.get(`${p}.v`)!, d, d);
  const O = new Float32Array(kq * d), a = new Float64Array(Math.max(1, kk));
  for (let h = 0; h < H; h++) {
    const ho = h * dh;
    for (let i = 0; i < kq; i++) {
      let mx = -Infinity;
      for (let j = 0; j < kk; j++) {
        let s = 0;
        for (let t = 0; t < dh; t++) s += Q[i * d + ho + t] * K[j * d + ho + t];
        a[j] = s * scale;
        if (a[j] > mx) mx = a[j];
      }
      let z = 0;
      for (let j = 0; j < kk; j++) z += a[j] = Math.exp(a[j] - mx);
      for (let j = 0; j < kk; j++) {
        const w = a[j] / z;
        for (let t = 0; t < dh; t++) O[i * d + ho + t] += w * V[j * d + ho + t];
      }
    }
  }
  return linear(O, kq, P.get(`${p}.o`)!, d, d, P.get(`${p}.bo`));
}

/** x + attention(LN(x), LN(other)), then + MLP(LN(.)): one residual block (in place of a copy). */
function block(
  P: Map<string, Float32Array>,
  p: string,
  c: RegionHeadConfig,
  x: Float32Array,
  k: number,
  other: Float32Array,
  ko: number,
): Float32Array {
  const d = c.dim, hd = d * c.mlpRatio;
  const msg = attention(P, p, c, layerNorm(x, k, d), k, layerNorm(other, ko, d), ko);
  const y = new Float32Array(k * d);
  for (let i = 0; i < y.length; i++) y[i] = x[i] + msg[i];
  const hid = relu(linear(layerNorm(y, k, d), k, P.get(`${p}.m1`)!, d, hd, P.get(`${p}.mb1`)));
  const m = linear(hid, k, P.get(`${p}.m2`)!, hd, d, P.get(`${p}.mb2`));
  for (let i = 0; i < y.length; i++) y[i] += m[i];
  return y;
}

/** What {@link headScores} returns. */
export interface HeadScores {
  /** [m * n] row-major: reference region p (row) against target region q (column). */
  scores: Float32Array;
  /** The learned dustbin logit. */
  dustbin: number;
}

/**
 * The head's scores for m reference and n target regions.
 *
 * @param xa [m * F] reference inputs ({@link regionHeadFeatures}); xb: [n * F]
 * @example
 * ```ts
 * const { scores, dustbin } = headScores(head, xa, ia.length, xb, ib.length);
 * ```
 */
export function headScores(
  head: RegionHead,
  xa: Float32Array,
  m: number,
  xb: Float32Array,
  n: number,
): HeadScores {
  const c = head.config, P = head.params, F = headInputSize(c), d = c.dim;
  if (xa.length !== m * F || xb.length !== n * F) {
    throw new RangeError(
      `headScores: inputs ${xa.length}, ${xb.length} for ${m}, ${n} regions of width ${F}`,
    );
  }
  const enc = (x: Float32Array, k: number) =>
    linear(
      relu(linear(scaleInputs(x, k, c), k, P.get("enc.w1")!, F, d, P.get("enc.b1"))),
      k,
      P.get("enc.w2")!,
      d,
      d,
      P.get("enc.b2"),
    );
  let ha: Float32Array = enc(xa, m), hb: Float32Array = enc(xb, n);
  for (let l = 0; l < c.layers; l++) {
    ha = block(P, `l${l}.self`, c, ha, m, ha, m);
    hb = block(P, `l${l}.self`, c, hb, n, hb, n);
    const ca = block(P, `l${l}.cross`, c, ha, m, hb, n), cb = block(P, `l${l}.cross`, c, hb, n, ha, m);
    ha = ca;
    hb = cb;
  }
  const fa = linear(layerNorm(ha, m, d), m, P.get("final.w")!, d, d);
  const fb = linear(layerNorm(hb, n, d), n, P.get("final.w")!, d, d);
  const scores = new Float32Array(m * n), s = 1 / Math.sqrt(d);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < n; q++) {
      let v = 0;
      for (let t = 0; t < d; t++) v += fa[p * d + t] * fb[q * d + t];
      scores[p * n + q] = v * s;
    }
  }
  if (c.prior) {
    const w = P.get("prior")!, T = priorTerms(xa, m, xb, n, c);
    for (let k = 0; k < m * n; k++) {
      for (let t = 0; t < T.length; t++) scores[k] += PRIOR_SCALE * w[t] * T[t][k];
    }
  }
  return { scores, dustbin: P.get("dustbin")![0] };
}

// ---- weights on disk -----------------------------------------------------------------------------------------

/** Format tag of head.json. */
export const HEAD_FORMAT = "mangamatch/region-head";
/** File names of a head folder. */
export const HEAD_JSON = "head.json", HEAD_BIN = "weights.bin";

/** head.json. */
export interface HeadJson {
  format: string;
  formatVersion: 1;
  config: RegionHeadConfig;
  backbone: HeadBackbone;
  weights: { name: string; shape: number[] }[];
  weightsSha256: string;
  /** Free-form facts (the command, data, validation figures). */
  training?: Record<string, unknown>;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return [...h].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Writes a head folder atomically (weights first, head.json last, so a folder with head.json is complete).
 *
 * @example
 * ```ts
 * await saveRegionHead("experiments/region-head-v1", head, { command: "deno task train:head ..." });
 * ```
 */
export async function saveRegionHead(
  dir: string,
  head: RegionHead,
  training?: Record<string, unknown>,
): Promise<void> {
  const shapes = headParamShapes(head.config);
  const total = shapes.reduce((s, [, sh]) => s + sh.reduce((a, b) => a * b, 1), 0);
  const all = new Float32Array(total);
  let o = 0;
  for (const [name, sh] of shapes) {
    const v = head.params.get(name);
    const size = sh.reduce((a, b) => a * b, 1);
    if (!v || v.length !== size) {
      throw new RangeError(`saveRegionHead: parameter ${name} missing or mis-sized`);
    }
    all.set(v, o);
    o += size;
  }
  const bytes = new Uint8Array(all.buffer);
  await atomicWrite(path.join(dir, HEAD_BIN), bytes);
  const json: HeadJson = {
    format: HEAD_FORMAT,
    formatVersion: 1,
    config: head.config,
    backbone: head.backbone,
    weights: shapes.map(([name, shape]) => ({ name, shape })),
    weightsSha256: await sha256Hex(bytes),
    ...(training ? { training } : {}),
  };
  await atomicWriteJson(path.join(dir, HEAD_JSON), json);
}

/**
 * Loads a head folder, checking format, shapes and checksum; with `backboneSha256`, refuses (one line) a head
 * trained on another backbone.
 *
 * @example
 * ```ts
 * const head = await loadRegionHead("experiments/region-head-v1", { backboneSha256: modelJson.weightsSha256 });
 * ```
 */
export async function loadRegionHead(
  dir: string,
  opts: { backboneSha256?: string; backboneName?: string } = {},
): Promise<RegionHead & { training?: Record<string, unknown> }> {
  const jf = path.join(dir, HEAD_JSON);
  if (!existsSync(jf)) throw new UserError(`not a region head folder (no ${HEAD_JSON})`, dir);
  const j = await readJson<HeadJson>(jf);
  if (j.format !== HEAD_FORMAT || j.formatVersion !== 1) {
    throw new UserError(`not a region head (format ${j.format} v${j.formatVersion})`, jf);
  }
  const config = { ...REGION_HEAD_DEFAULTS, ...j.config };
  const shapes = headParamShapes(config);
  if (
    j.weights.length !== shapes.length ||
    j.weights.some((w, i) => w.name !== shapes[i][0] || w.shape.join("x") !== shapes[i][1].join("x"))
  ) throw new UserError("parameter list does not match its config", jf);
  if (opts.backboneSha256 && j.backbone.sha256 !== opts.backboneSha256) {
    throw new UserError(
      `this head was trained for backbone ${j.backbone.name} (sha256 ${
        j.backbone.sha256.slice(0, 12)
      }...), ` +
        `not ${opts.backboneName ?? "the loaded model"} (${
          opts.backboneSha256.slice(0, 12)
        }...): retrain it ` +
        "with deno task train:head --model MODEL_DIR, or pass --head none",
      dir,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path.join(dir, HEAD_BIN));
  } catch {
    throw new UserError(`missing ${HEAD_BIN}`, dir);
  }
  if ((await sha256Hex(bytes)) !== j.weightsSha256) {
    throw new UserError(`checksum mismatch: ${HEAD_BIN} is not the file ${HEAD_JSON} names`, dir);
  }
  const total = shapes.reduce((s, [, sh]) => s + sh.reduce((a, b) => a * b, 1), 0);
  if (bytes.byteLength !== 4 * total) {
    throw new UserError(`${HEAD_BIN} holds ${bytes.byteLength} bytes, not ${4 * total}`, dir);
  }
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const params = new Map<string, Float32Array>();
  let o = 0;
  for (const [name, sh] of shapes) {
    const size = sh.reduce((a, b) => a * b, 1);
    params.set(name, all.slice(o, o + size));
    o += size;
  }
  return { config, params, backbone: j.backbone, training: j.training };
}

/** The backbone identity of a model folder (name = folder name, sha256 from its model.json). */
export async function backboneOf(modelDir: string): Promise<HeadBackbone> {
  const j = await readJson<{ weightsSha256?: string }>(path.join(modelDir, "model.json"));
  if (typeof j.weightsSha256 !== "string") {
    throw new UserError("model.json has no weightsSha256: cannot tie a region head to it", modelDir);
  }
  return { name: path.basename(path.resolve(modelDir)), sha256: j.weightsSha256 };
}

/** The head shipped beside the default backbone, relative to the repository root. */
export const DEFAULT_HEAD = "experiments/region-head-v1";

/**
 * The head to use with a backbone: `none` -> null; a folder -> that head (refused when trained for another
 * backbone); `auto` -> `defaultDir` when it holds a head trained for this backbone, else null (the hand-set
 * matcher).
 *
 * @example
 * ```ts
 * const head = await resolveRegionHead("auto", "experiments/small-v1", repoPath(DEFAULT_HEAD));
 * ```
 */
export async function resolveRegionHead(
  choice: string,
  modelDir: string,
  defaultDir: string,
): Promise<RegionHead | null> {
  if (choice === "none") return null;
  const bb = await backboneOf(modelDir);
  if (choice !== "auto") {
    return await loadRegionHead(choice, { backboneSha256: bb.sha256, backboneName: bb.name });
  }
  if (!existsSync(path.join(defaultDir, HEAD_JSON))) return null;
  const j = await readJson<HeadJson>(path.join(defaultDir, HEAD_JSON));
  if (j.backbone?.sha256 !== bb.sha256) return null;
  return await loadRegionHead(defaultDir, { backboneSha256: bb.sha256 });
}
