/**
 * The region head's forward with a hand-written backward pass (plain typed arrays): the same primitives as the
 * inference forward `headScores` (lib/match/region_head.ts: `linear`, `layerNorm`, `relu`), each step keeping
 * what its backward needs. Tests check the scores against `headScores` and the gradients against finite
 * differences.
 *
 * Backward rules used (row-major, x [k, in], W [in, out]):
 * - linear y = xW + b: dx = dy W^T, dW += x^T dy, db += column sums of dy;
 * - parameter-free layer norm xh = (x - mean) r: dx = r (dy - mean(dy) - xh mean(dy xh)) per row;
 * - relu: dx = dy where y > 0;
 * - softmax attention A = softmax(Q K^T s), O = A V: dA = dO V^T, dV = A^T dO, dZ = A (dA - rowsum(dA A)),
 *   dQ = dZ K s, dK = dZ^T Q s.
 *
 * @module
 */
import {
  headInputSize,
  layerNorm,
  linear,
  PRIOR_SCALE,
  priorTerms,
  type RegionHeadConfig,
  relu,
  scaleInputs,
} from "../match/region_head.ts";

/** Gradients by parameter name (same shapes as the parameters). */
export type Grads = Map<string, Float32Array>;

/** dx [k, in] of y = xW (W [in, out]) for dy [k, out]; accumulates dW += x^T dy and db. */
function linearBack(
  x: Float32Array,
  k: number,
  W: Float32Array,
  inD: number,
  outD: number,
  dy: Float32Array,
  dW: Float32Array,
  db?: Float32Array,
): Float32Array {
  const dx = new Float32Array(k * inD);
  for (let r = 0; r < k; r++) {
    const yo = r * outD, xo = r * inD;
    for (let i = 0; i < inD; i++) {
      const wo = i * outD, xv = x[xo + i];
      let s = 0;
      for (let j = 0; j < outD; j++) {
        const g = dy[yo + j];
        s += g * W[wo + j];
        dW[wo + j] += xv * g;
      }
      dx[xo + i] = s;
    }
    if (db) { for (let j = 0; j < outD; j++) db[j] += dy[yo + j]; }
  }
  return dx;
}

/** Backward of the parameter-free layer norm, given its output xh. */
function layerNormBack(
  xh: Float32Array,
  x: Float32Array,
  k: number,
  d: number,
  dy: Float32Array,
): Float32Array {
  const dx = new Float32Array(k * d);
  for (let r = 0; r < k; r++) {
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[r * d + j];
    mean /= d;
    let v = 0;
    for (let j = 0; j < d; j++) v += (x[r * d + j] - mean) ** 2;
    const rs = 1 / Math.sqrt(v / d + 1e-5);
    let m1 = 0, m2 = 0;
    for (let j = 0; j < d; j++) {
      m1 += dy[r * d + j];
      m2 += dy[r * d + j] * xh[r * d + j];
    }
    m1 /= d;
    m2 /= d;
    for (let j = 0; j < d; j++) dx[r * d + j] = rs * (dy[r * d + j] - m1 - xh[r * d + j] * m2);
  }
  return dx;
}

function grad(g: Grads, name: string): Float32Array {
  const v = g.get(name);
  if (!v) throw new Error(`no gradient slot for ${name}`);
  return v;
}

/** Attention forward keeping its intermediates; returns out and a backward giving (dq, dkv). */
function attention(
  P: Map<string, Float32Array>,
  G: Grads,
  p: string,
  c: RegionHeadConfig,
  q: Float32Array,
  kq: number,
  kv: Float32Array,
  kk: number,
) {
  const d = c.dim, H = c.heads, dh = d / H, scale = 1 / Math.sqrt(dh);
  const Wq = P.get(`${p}.q`)!, Wk = P.get(`${p}.k`)!, Wv = P.get(`${p}.v`)!, Wo = P.get(`${p}.o`)!;
  const Q = linear(q, kq, Wq, d, d), K = linear(kv, kk, Wk, d, d), V = linear(kv, kk, Wv, d, d);
  const A = new Float32Array(H * kq * kk), O = new Float32Array(kq * d);
  for (let h = 0; h < H; h++) {
    const ho = h * dh;
    for (let i = 0; i < kq; i++) {
      const ao = (h * kq + i) * kk;
      let mx = -Infinity;
      for (let j = 0; j < kk; j++) {
        let s = 0;
        for (let t = 0; t < dh; t++) s += Q[i * d + ho + t] * K[j * d + ho + t];
        A[ao + j] = s * scale;
        if (A[ao + j] > mx) mx = A[ao + j];
      }
      let z = 0;
      for (let j = 0; j < kk; j++) z += A[ao + j] = Math.exp(A[ao + j] - mx);
      for (let j = 0; j < kk; j++) {
        const w = A[ao + j] /= z;
        for (let t = 0; t < dh; t++) O[i * d + ho + t] += w * V[j * d + ho + t];
      }
    }
  }
  const out = linear(O, kq, Wo, d, d, P.get(`${p}.bo`));
  const back = (dout: Float32Array) => {
    const dO = linearBack(O, kq, Wo, d, d, dout, grad(G, `${p}.o`), grad(G, `${p}.bo`));
    const dQ = new Float32Array(kq * d), dK = new Float32Array(kk * d), dV = new Float32Array(kk * d);
    const dA = new Float64Array(kk);
    for (let h = 0; h < H; h++) {
      const ho = h * dh;
      for (let i = 0; i < kq; i++) {
        const ao = (h * kq + i) * kk;
        let dot = 0;
        for (let j = 0; j < kk; j++) {
          let s = 0;
          for (let t = 0; t < dh; t++) {
            s += dO[i * d + ho + t] * V[j * d + ho + t];
            dV[j * d + ho + t] += A[ao + j] * dO[i * d + ho + t];
          }
          dA[j] = s;
          dot += s * A[ao + j];
        }
        for (let j = 0; j < kk; j++) {
          const dz = A[ao + j] * (dA[j] - dot) * scale;
          if (dz === 0) continue;
          for (let t = 0; t < dh; t++) {
            dQ[i * d + ho + t] += dz * K[j * d + ho + t];
            dK[j * d + ho + t] += dz * Q[i * d + ho + t];
          }
        }
      }
    }
    const dq = linearBack(q, kq, Wq, d, d, dQ, grad(G, `${p}.q`));
    const dk = linearBack(kv, kk, Wk, d, d, dK, grad(G, `${p}.k`));
    const dv = linearBack(kv, kk, Wv, d, d, dV, grad(G, `${p}.v`));
    for (let i = 0; i < dk.length; i++) dk[i] += dv[i];
    return { dq, dkv: dk };
  };
  return { out, back };
}

/** One residual block (attention then MLP) forward; backward gives (dx, dother). */
function block(
  P: Map<string, Float32Array>,
  G: Grads,
  p: string,
  c: RegionHeadConfig,
  x: Float32Array,
  k: number,
  other: Float32Array,
  ko: number,
) {
  const d = c.dim, hd = d * c.mlpRatio;
  const xn = layerNorm(x, k, d), on = layerNorm(other, ko, d);
  const att = attention(P, G, p, c, xn, k, on, ko);
  const y = new Float32Array(k * d);
  for (let i = 0; i < y.length; i++) y[i] = x[i] + att.out[i];
  const yn = layerNorm(y, k, d);
  const W1 = P.get(`${p}.m1`)!, W2 = P.get(`${p}.m2`)!;
  const hid = relu(linear(yn, k, W1, d, hd, P.get(`${p}.mb1`)));
  const m = linear(hid, k, W2, hd, d, P.get(`${p}.mb2`));
  const out = new Float32Array(k * d);
  for (let i = 0; i < out.length; i++) out[i] = y[i] + m[i];
  const back = (dout: Float32Array) => {
    const dhid = linearBack(hid, k, W2, hd, d, dout, grad(G, `${p}.m2`), grad(G, `${p}.mb2`));
    for (let i = 0; i < dhid.length; i++) if (hid[i] <= 0) dhid[i] = 0;
    const dyn = linearBack(yn, k, W1, d, hd, dhid, grad(G, `${p}.m1`), grad(G, `${p}.mb1`));
    const dy = layerNormBack(yn, y, k, d, dyn);
    for (let i = 0; i < dy.length; i++) dy[i] += dout[i];
    const { dq, dkv } = att.back(dy);
    const dx = layerNormBack(xn, x, k, d, dq);
    for (let i = 0; i < dx.length; i++) dx[i] += dy[i];
    return { dx, dother: layerNormBack(on, other, ko, d, dkv) };
  };
  return { out, back };
}

/**
 * The head's scores with a backward: `back(dS, dAlpha)` accumulates every parameter's gradient into `G`.
 *
 * @example
 * ```ts
 * const G = zeroGrads(head.params);
 * const f = headForward(head.params, cfg, xa, m, xb, n, G);
 * f.back(dS, dAlpha);
 * ```
 */
export function headForward(
  P: Map<string, Float32Array>,
  c: RegionHeadConfig,
  xa: Float32Array,
  m: number,
  xb: Float32Array,
  n: number,
  G: Grads,
): { scores: Float32Array; dustbin: number; back: (dS: Float32Array, dAlpha: number) => void } {
  const F = headInputSize(c), d = c.dim;
  const W1 = P.get("enc.w1")!, W2 = P.get("enc.w2")!;
  const enc = (x0: Float32Array, k: number) => {
    const x = scaleInputs(x0, k, c);
    const h1 = relu(linear(x, k, W1, F, d, P.get("enc.b1")));
    const h = linear(h1, k, W2, d, d, P.get("enc.b2"));
    const back = (dh: Float32Array) => {
      const dh1 = linearBack(h1, k, W2, d, d, dh, grad(G, "enc.w2"), grad(G, "enc.b2"));
      for (let i = 0; i < dh1.length; i++) if (h1[i] <= 0) dh1[i] = 0;
      linearBack(x, k, W1, F, d, dh1, grad(G, "enc.w1"), grad(G, "enc.b1"));
    };
    return { h, back };
  };
  const ea = enc(xa, m), eb = enc(xb, n);
  let ha = ea.h, hb = eb.h;
  type Back = (da: Float32Array, db: Float32Array) => { da: Float32Array; db: Float32Array };
  const backs: Back[] = [];
  for (let l = 0; l < c.layers; l++) {
    const sa = block(P, G, `l${l}.self`, c, ha, m, ha, m), sb = block(P, G, `l${l}.self`, c, hb, n, hb, n);
    backs.push((da, db) => {
      const ra = sa.back(da), rb = sb.back(db);
      for (let i = 0; i < ra.dx.length; i++) ra.dx[i] += ra.dother[i];
      for (let i = 0; i < rb.dx.length; i++) rb.dx[i] += rb.dother[i];
      return { da: ra.dx, db: rb.dx };
    });
    ha = sa.out;
    hb = sb.out;
    const ca = block(P, G, `l${l}.cross`, c, ha, m, hb, n), cb = block(P, G, `l${l}.cross`, c, hb, n, ha, m);
    backs.push((da, db) => {
      const ra = ca.back(da), rb = cb.back(db);
      for (let i = 0; i < ra.dx.length; i++) ra.dx[i] += rb.dother[i];
      for (let i = 0; i < rb.dx.length; i++) rb.dx[i] += ra.dother[i];
      return { da: ra.dx, db: rb.dx };
    });
    ha = ca.out;
    hb = cb.out;
  }
  const Wf = P.get("final.w")!;
  const na = layerNorm(ha, m, d), nb = layerNorm(hb, n, d);
  const fa = linear(na, m, Wf, d, d), fb = linear(nb, n, Wf, d, d);
  const s = 1 / Math.sqrt(d), scores = new Float32Array(m * n);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < n; q++) {
      let v = 0;
      for (let t = 0; t < d; t++) v += fa[p * d + t] * fb[q * d + t];
      scores[p * n + q] = v * s;
    }
  }
  const T = c.prior ? priorTerms(xa, m, xb, n, c) : [];
  if (c.prior) {
    const w = P.get("prior")!;
    for (let k = 0; k < m * n; k++) {
      for (let t = 0; t < T.length; t++) scores[k] += PRIOR_SCALE * w[t] * T[t][k];
    }
  }
  const haF = ha, hbF = hb;
  const back = (dS: Float32Array, dAlpha: number) => {
    grad(G, "dustbin")[0] += dAlpha;
    if (c.prior) {
      const dw = grad(G, "prior");
      for (let t = 0; t < T.length; t++) {
        for (let k = 0; k < m * n; k++) dw[t] += PRIOR_SCALE * dS[k] * T[t][k];
      }
    }
    const dfa = new Float32Array(m * d), dfb = new Float32Array(n * d);
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < n; q++) {
        const g = dS[p * n + q] * s;
        if (g === 0) continue;
        for (let t = 0; t < d; t++) {
          dfa[p * d + t] += g * fb[q * d + t];
          dfb[q * d + t] += g * fa[p * d + t];
        }
      }
    }
    let da = layerNormBack(na, haF, m, d, linearBack(na, m, Wf, d, d, dfa, grad(G, "final.w")));
    let db = layerNormBack(nb, hbF, n, d, linearBack(nb, n, Wf, d, d, dfb, grad(G, "final.w")));
    for (let i = backs.length - 1; i >= 0; i--) ({ da, db } = backs[i](da, db));
    ea.back(da);
    eb.back(db);
  };
  return { scores, dustbin: P.get("dustbin")![0], back };
}

/** Zero gradients shaped like the parameters. */
export function zeroGrads(P: Map<string, Float32Array>): Grads {
  return new Map([...P].map(([n, v]) => [n, new Float32Array(v.length)]));
}

/**
 * The loss of one sample and its gradient with respect to the scores and the dustbin: for each reference row
 * in the loss, -log of the row softmax's mass (over [scores, dustbin]) on its positives, and the same for each
 * target column; the mean over rows and the mean over columns, averaged.
 *
 * @param rowPos [m * (n + 1)] 0/1 (last column: dustbin); colPos [(m + 1) * n] (last row: dustbin)
 */
export function dualSoftmaxLoss(
  S: Float32Array,
  m: number,
  n: number,
  alpha: number,
  t: { rowPos: Float32Array; colPos: Float32Array; rowOn: Float32Array; colOn: Float32Array },
): { loss: number; dS: Float32Array; dAlpha: number } {
  const dS = new Float32Array(m * n);
  let dAlpha = 0, loss = 0;
  let nr = 0, nc = 0;
  for (let p = 0; p < m; p++) nr += t.rowOn[p];
  for (let q = 0; q < n; q++) nc += t.colOn[q];
  const wr = nr > 0 ? 0.5 / nr : 0, wc = nc > 0 ? 0.5 / nc : 0;
  // One softmax line: values z (length L), positives pos; adds the loss and writes dz (already weighted).
  const line = (z: Float64Array, pos: (j: number) => boolean, w: number, dz: Float64Array) => {
    let mx = -Infinity;
    for (let j = 0; j < z.length; j++) if (z[j] > mx) mx = z[j];
    let all = 0, pz = 0;
    for (let j = 0; j < z.length; j++) {
      const e = Math.exp(z[j] - mx);
      all += e;
      if (pos(j)) pz += e;
    }
    loss += w * (Math.log(all) - Math.log(pz));
    for (let j = 0; j < z.length; j++) {
      const e = Math.exp(z[j] - mx);
      dz[j] = w * (e / all - (pos(j) ? e / pz : 0));
    }
  };
  const zr = new Float64Array(n + 1), dr = new Float64Array(n + 1);
  for (let p = 0; p < m; p++) {
    if (!t.rowOn[p]) continue;
    for (let q = 0; q < n; q++) zr[q] = S[p * n + q];
    zr[n] = alpha;
    line(zr, (j) => t.rowPos[p * (n + 1) + j] === 1, wr, dr);
    for (let q = 0; q < n; q++) dS[p * n + q] += dr[q];
    dAlpha += dr[n];
  }
  const zc = new Float64Array(m + 1), dc = new Float64Array(m + 1);
  for (let q = 0; q < n; q++) {
    if (!t.colOn[q]) continue;
    for (let p = 0; p < m; p++) zc[p] = S[p * n + q];
    zc[m] = alpha;
    line(zc, (j) => t.colPos[j * n + q] === 1, wc, dc);
    for (let p = 0; p < m; p++) dS[p * n + q] += dc[p];
    dAlpha += dc[m];
  }
  return { loss, dS, dAlpha };
}
