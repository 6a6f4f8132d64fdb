/**
 * The model's differentiable operations, each a `tf.customGrad` with its backward pass written out.
 *
 * Why not tfjs autodiff: tfjs-core's npm build registers no gradients when loaded from Deno (they live in ESM
 * files Deno cannot load, or in the 300 MB `@tensorflow/tfjs` union package), and its MatMul gradient uses
 * transpose flags, which take the slow path on the wasm backend. Written-out backward passes need no registered
 * gradient and put every product where it is fast.
 *
 * Two flavours of the inner products, chosen once per process by {@link setKernelMode}:
 * - `fast`: the wasm backend's XNNPACK gemm on heap views and JavaScript transposes (`heap.ts`); every product
 *   is a plain 2-D `A @ B`.
 * - `tf`: plain tfjs ops (matMul with transpose flags, batched matMul), for the cpu and tensorflow backends and
 *   for the native-BLAS kernels of `lib/native/`, where flags and batches are fast. It is also the reference
 *   the tests check the fast flavour against.
 *
 * All activations are 2-D, [T, d] with T = images * tokens; images of a batch are interleaved (a0, b0, a1, b1,
 * ...), so the two images of a pair are neighbours and a cross block pairs image i with image i ^ 1.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type HeapKernels, heapKernels, type HeapSgemm, heapSgemm } from "./heap.ts";

/**
 * Wraps a backward pass: its temporaries are freed when it returns (tfjs would otherwise keep every tensor made
 * during back-propagation until the whole gradient computation ends), and so are the tensors saved for it,
 * which nothing needs afterwards.
 */
export function backward(f: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[]) {
  return (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const out = tf.tidy(() => f(dy, saved));
    for (const t of saved) t.dispose();
    return out;
  };
}

/** Which implementation of the inner products runs. */
export type KernelMode = "fast" | "tf";

let mode: KernelMode = "tf";

/**
 * Picks the kernel flavour: `auto` is `fast` on the stock wasm backend (when its internals are reachable) and
 * `tf` elsewhere. Returns the mode now in force.
 */
export function setKernelMode(m: KernelMode | "auto"): KernelMode {
  if (m === "auto") mode = heapKernels() ? "fast" : "tf";
  else if (m === "fast" && !heapKernels()) {
    throw new Error(`kernel mode "fast" needs the wasm backend (now ${tf.getBackend()})`);
  } else mode = m;
  return mode;
}

/** The kernel flavour in force. */
export function kernelMode(): KernelMode {
  return mode;
}

function heap(): HeapKernels | null {
  return mode === "fast" ? heapKernels() : null;
}

/**
 * The native path: the `tf` flavour on the wasm backend with `lib/native`'s strided sgemm plugged in. It runs
 * attention as per-head sgemms on the fused projection where it lies and LayerNorm, GELU and the softmax
 * gradient as one-pass heap kernels (`heap.ts`), where the stock path chains many small wasm kernels.
 */
function native(): { h: HeapKernels; gemm: HeapSgemm } | null {
  if (mode !== "tf") return null;
  const gemm = heapSgemm();
  const h = gemm ? heapKernels() : null;
  return h && gemm ? { h, gemm } : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Non-differentiable helpers (used inside forward and backward passes, never recorded on the tape).

/** x^T for a 2-D tensor. */
function t2(x: tf.Tensor): tf.Tensor {
  const h = heap();
  return h ? h.transposeLast2(x) : tf.transpose(x);
}

/** a @ b^T. */
function mmNT(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return heap()
    ? tf.matMul(a as tf.Tensor2D, t2(b) as tf.Tensor2D)
    : tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true);
}

/** a^T @ b. */
function mmTN(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return heap()
    ? tf.matMul(t2(a) as tf.Tensor2D, b as tf.Tensor2D)
    : tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false);
}

/** Sum over rows: [R, C] -> [C]. */
function colSum(x: tf.Tensor): tf.Tensor {
  const h = heap();
  return h ? h.colSum(x) : tf.sum(x, 0);
}

// Relative costs per element measured on the wasm backend (ns): XNNPACK packs its B operand with a strided
// gather (~5.6), a JavaScript transpose moves ~1.1.
const PACK_NS = 5.6, TRANSPOSE_NS = 1.1;

// ---------------------------------------------------------------------------------------------------------------
// Differentiable operations.

/**
 * y = x @ w + b. x [T, din], w [din, dout], b [dout] -> [T, dout].
 *
 * @example
 * ```ts
 * const y = linear(x, w, b); // [T, dout]
 * ```
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return linearOp(x, w, b) as tf.Tensor2D;
}

const linearOp = tf.customGrad((x, w, b, save) => {
  const X = x as tf.Tensor2D, W = w as tf.Tensor2D;
  (save as tf.GradSaveFunc)([X, W]);
  // On the native path the bias is sgemm's accumulator (the native _FusedMatMul): no separate add.
  const value = native()
    ? tf.engine().runKernel("_FusedMatMul", { a: X, b: W, bias: b as tf.Tensor }, {
      transposeA: false,
      transposeB: false,
      activation: "linear",
    }) as tf.Tensor
    : tf.add(tf.matMul(X, W), b as tf.Tensor);
  return {
    value,
    gradFunc: backward((dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as tf.Tensor2D[];
      const T = sx.shape[0], din = sx.shape[1], dout = sw.shape[1];
      const dx = mmNT(dy, sw); // [T, din]
      const h = heap();
      if (!h) return [dx, tf.matMul(sx, dy as tf.Tensor2D, true, false), tf.sum(dy, 0)];
      // Pack the smaller operand: (i) dW = x^T @ dy packs dy; (ii) dW^T = dy^T @ x packs x.
      const costI = TRANSPOSE_NS * T * din + PACK_NS * T * dout + T * dout;
      const costII = TRANSPOSE_NS * T * dout + PACK_NS * T * din + TRANSPOSE_NS * din * dout;
      if (costI <= costII) {
        return [dx, tf.matMul(h.transposeLast2(sx) as tf.Tensor2D, dy as tf.Tensor2D), h.colSum(dy)];
      }
      const dyT = h.transposeLast2(dy) as tf.Tensor2D; // [dout, T]
      const dwT = tf.matMul(dyT, sx); // [dout, din]
      return [dx, h.transposeLast2(dwT), tf.sum(dyT, -1)];
    }),
  };
});

/**
 * LayerNorm over the last axis with gain g and bias b. x [T, d].
 */
export function layerNorm(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D, eps: number): tf.Tensor2D {
  return layerNormOp(eps)(x, g, b) as tf.Tensor2D;
}

const lnOps = new Map<number, (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor>();
function layerNormOp(eps: number) {
  let op = lnOps.get(eps);
  if (op) return op;
  op = tf.customGrad((x, g, b, save) => {
    const X = x as tf.Tensor;
    const nat = native();
    if (nat) {
      const [y, xhat, rstd] = nat.h.layerNormForward(X, g as tf.Tensor, b as tf.Tensor, eps);
      (save as tf.GradSaveFunc)([xhat, rstd, g as tf.Tensor]);
      return {
        value: y,
        gradFunc: backward((dy: tf.Tensor, saved: tf.Tensor[]) =>
          nat.h.layerNormBackward(dy, saved[0], saved[1], saved[2])
        ),
      };
    }
    const mu = tf.mean(X, -1, true); // [T, 1]
    const xc = tf.sub(X, mu);
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), eps)); // [T, 1]
    const xhat = tf.mul(xc, rstd); // [T, d]
    (save as tf.GradSaveFunc)([xhat, rstd, g as tf.Tensor]);
    return {
      value: tf.add(tf.mul(xhat, g as tf.Tensor), b as tf.Tensor),
      gradFunc: backward((dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxhat, srstd, sg] = saved;
        const gy = tf.mul(dy, sg); // [T, d]
        const m1 = tf.mean(gy, -1, true), m2 = tf.mean(tf.mul(gy, sxhat), -1, true); // [T, 1]
        const dx = tf.mul(srstd, tf.sub(tf.sub(gy, m1), tf.mul(sxhat, m2)));
        return [dx, colSum(tf.mul(dy, sxhat)), colSum(dy)];
      }),
    };
  });
  lnOps.set(eps, op);
  return op;
}

// GELU, tanh form written with a sigmoid: 0.5 x (1 + tanh(z)) = x sigmoid(2z), z = sqrt(2/pi) (x + 0.044715 x^3).
// tfjs-wasm's tanh and erf cost ~20 ns per element, its sigmoid ~1.2; the tanh form is within 1e-3 of exact GELU.
const GELU_C = 2 * Math.sqrt(2 / Math.PI), GELU_A = 0.044715;

/** GELU (tanh approximation). */
export function gelu(x: tf.Tensor2D): tf.Tensor2D {
  return geluOp(x) as tf.Tensor2D;
}

const geluOp = tf.customGrad((x, save) => {
  const X = x as tf.Tensor;
  const nat = native();
  if (nat) {
    const s = tf.sigmoid(nat.h.geluArg(X, GELU_C, GELU_A));
    (save as tf.GradSaveFunc)([X, s]);
    return {
      value: tf.mul(X, s),
      gradFunc: backward((dy: tf.Tensor, saved: tf.Tensor[]) => [
        nat.h.geluBackward(dy, saved[0], saved[1], GELU_C, GELU_A),
      ]),
    };
  }
  const x2 = tf.square(X);
  const s = tf.sigmoid(tf.mul(X, tf.add(tf.mul(x2, GELU_C * GELU_A), GELU_C)));
  (save as tf.GradSaveFunc)([X, s]);
  return {
    value: tf.mul(X, s),
    gradFunc: backward((dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, ss] = saved;
      // d/dx [x s(u)] = s + x s (1 - s) u', u' = c (1 + 3 a x^2)
      const du = tf.add(tf.mul(tf.square(sx), 3 * GELU_C * GELU_A), GELU_C);
      const ds = tf.mul(tf.mul(ss, tf.sub(1, ss)), tf.mul(sx, du));
      return [tf.mul(dy, tf.add(ss, ds))];
    }),
  };
});

/** x + y (same shapes), the residual connection. */
export function residual(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  return residualOp(x, y) as tf.Tensor2D;
}

const residualOp = tf.customGrad((x, y) => ({
  value: tf.add(x as tf.Tensor, y as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => [dy, tf.clone(dy)],
}));

/**
 * Patch embedding plus position embedding: patches [I*N, P] (data, not differentiated), w [P, d], b [d],
 * pos [N, d] -> [I*N, d].
 */
export function embed(patches: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, pos: tf.Tensor2D): tf.Tensor2D {
  const tokens = pos.shape[0], d = pos.shape[1], images = patches.shape[0] / tokens;
  const op = tf.customGrad((w, b, pos, save) => {
    (save as tf.GradSaveFunc)([patches]);
    const y = tf.add(tf.matMul(patches, w as tf.Tensor2D), b as tf.Tensor); // [I*N, d]
    const value = tf.reshape(tf.add(tf.reshape(y, [images, tokens, d]), pos as tf.Tensor), [
      images * tokens,
      d,
    ]);
    return {
      value,
      gradFunc: backward((dy: tf.Tensor, saved: tf.Tensor[]) => {
        const dw = mmTN(saved[0], dy); // [P, d]
        const dpos = tf.reshape(colSum(tf.reshape(dy, [images, tokens * d])), [tokens, d]);
        return [dw, colSum(dy), dpos];
      }),
    };
  });
  return op(w, b, pos) as tf.Tensor2D;
}

/** Rows scaled to unit L2 norm. x [T, d]. */
export function l2normalize(x: tf.Tensor2D): tf.Tensor2D {
  return l2Op(x) as tf.Tensor2D;
}

const l2Op = tf.customGrad((x, save) => {
  const X = x as tf.Tensor;
  const inv = tf.rsqrt(tf.add(tf.sum(tf.square(X), -1, true), 1e-12)); // [T, 1]
  const y = tf.mul(X, inv);
  (save as tf.GradSaveFunc)([y, inv]);
  return {
    value: y,
    gradFunc: backward((dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sy, sinv] = saved;
      return [tf.mul(tf.sub(dy, tf.mul(sy, tf.sum(tf.mul(dy, sy), -1, true))), sinv)];
    }),
  };
});

/** How the tokens of an attention call are laid out. */
export interface AttentionLayout {
  /** Images in the batch (interleaved pairs for cross attention). */
  images: number;
  /** Tokens per image. */
  tokens: number;
  heads: number;
  /** `self`: each image attends to itself; `cross`: image i's queries attend to image i ^ 1's keys and values. */
  pairing: "self" | "cross";
}

/**
 * Multi-head softmax attention from a fused projection qkv [T, 3d] (columns: q | k | v, each heads x headDim)
 * to [T, d], before the output projection.
 *
 * @example
 * ```ts
 * const a = attention(linear(h, wqkv, bqkv), { images: 2 * B, tokens: 256, heads: 4, pairing: "cross" });
 * ```
 */
export function attention(qkv: tf.Tensor2D, layout: AttentionLayout): tf.Tensor2D {
  const { images: I, tokens: N, heads: H, pairing } = layout;
  const T = qkv.shape[0], d3 = qkv.shape[1], d = d3 / 3, dh = d / H;
  if (T !== I * N || d3 % 3 !== 0 || d % H !== 0) {
    throw new Error(`attention: qkv ${qkv.shape} does not fit ${I} images x ${N} tokens x ${H} heads`);
  }
  if (pairing === "cross" && I % 2 !== 0) {
    throw new Error(`attention: cross pairing needs an even image count, got ${I}`);
  }
  const partner = (i: number) => (pairing === "cross" ? i ^ 1 : i);
  const scale = 1 / Math.sqrt(dh);
  const h = heap(), nat = native();
  const op = h
    ? attentionFast(h, I, N, H, dh, scale, partner)
    : nat
    ? attentionNative(nat.h, nat.gemm, I, N, H, dh, scale, partner)
    : attentionTf(I, N, H, dh, scale, partner);
  return op(qkv) as tf.Tensor2D;
}

/**
 * Native flavour: every per-head product is one strided sgemm on the operands where they lie — q, k, v as
 * column blocks of qkv [T, 3d] (leading dimension 3d), dO as a column block of dy [T, d], the output and the
 * gradient written straight into [T, d] and [T, 3d] — so no split, transpose, gather or stack is needed. The
 * softmax scale is sgemm's alpha; the softmax gradient dS = P (dP - rowsum(dO O)) is one heap pass.
 */
function attentionNative(
  h: HeapKernels,
  gemm: HeapSgemm,
  I: number,
  N: number,
  H: number,
  dh: number,
  scale: number,
  partner: (i: number) => number,
) {
  const d = H * dh, d3 = 3 * d, NN = N * N;
  // Float offset of head j's q (s = 0), k (1) or v (2) columns of image i in a [T, 3d] tensor at `base`.
  const at = (base: number, i: number, s: number, j: number) => base + i * N * d3 + s * d + j * dh;
  return tf.customGrad((qkv, save) => {
    const Q = qkv as tf.Tensor;
    const S = h.alloc([I * H * N, N]);
    const oq = h.off(Q), oS = h.off(S);
    for (let i = 0; i < I; i++) {
      const p = partner(i);
      for (let j = 0; j < H; j++) {
        gemm(
          false,
          true,
          N,
          N,
          dh,
          scale,
          at(oq, i, 0, j),
          d3,
          at(oq, p, 1, j),
          d3,
          0,
          oS + (i * H + j) * NN,
          N,
        );
      }
    }
    const P = tf.softmax(S); // [I*H*N, N]
    const O = h.alloc([I * N, d]);
    const oP = h.off(P), oO = h.off(O);
    for (let i = 0; i < I; i++) {
      const p = partner(i);
      for (let j = 0; j < H; j++) {
        gemm(
          false,
          false,
          N,
          dh,
          N,
          1,
          oP + (i * H + j) * NN,
          N,
          at(oq, p, 2, j),
          d3,
          0,
          oO + i * N * d + j * dh,
          d,
        );
      }
    }
    (save as tf.GradSaveFunc)([Q, P, O]);
    return {
      value: O,
      gradFunc: backward((dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sP, sO] = saved;
        const dP = h.alloc([I * H * N, N]);
        const dQKV = h.alloc([I * N, d3]);
        const q = h.off(sq),
          oPs = h.off(sP),
          oOs = h.off(sO),
          ody = h.off(dy),
          odP = h.off(dP),
          od = h.off(dQKV);
        for (let i = 0; i < I; i++) {
          const p = partner(i);
          for (let j = 0; j < H; j++) {
            // dP = dO V^T
            gemm(
              false,
              true,
              N,
              N,
              dh,
              1,
              ody + i * N * d + j * dh,
              d,
              at(q, p, 2, j),
              d3,
              0,
              odP + (i * H + j) * NN,
              N,
            );
          }
        }
        // dS = P (dP - D), D = rowsum(dO O) per (image, head, query), in place over dP (ours alone).
        const f = h.f32;
        for (let i = 0; i < I; i++) {
          for (let n = 0; n < N; n++) {
            const r = (i * N + n) * d;
            for (let j = 0; j < H; j++) {
              let D = 0;
              for (let c = 0; c < dh; c++) D += f[ody + r + j * dh + c] * f[oOs + r + j * dh + c];
              const row = ((i * H + j) * N + n) * N;
              for (let m = 0; m < N; m++) f[odP + row + m] = f[oPs + row + m] * (f[odP + row + m] - D);
            }
          }
        }
        for (let i = 0; i < I; i++) {
          const p = partner(i);
          for (let j = 0; j < H; j++) {
            const g = (i * H + j) * NN;
            gemm(false, false, N, dh, N, scale, odP + g, N, at(q, p, 1, j), d3, 0, at(od, i, 0, j), d3); // dQ_i = s dS K_p
            gemm(true, false, N, dh, N, scale, odP + g, N, at(q, i, 0, j), d3, 0, at(od, p, 1, j), d3); // dK_p = s dS^T Q_i
            gemm(true, false, N, dh, N, 1, oPs + g, N, ody + i * N * d + j * dh, d, 0, at(od, p, 2, j), d3); // dV_p = P^T dO_i
          }
        }
        return [dQKV];
      }),
    };
  });
}

/** Heap flavour: per-head products as plain gemms on views, no copies of per-head blocks. */
function attentionFast(
  h: HeapKernels,
  I: number,
  N: number,
  H: number,
  dh: number,
  scale: number,
  partner: (i: number) => number,
) {
  const d = H * dh, NN = N * N, blk = N * dh;
  // Float offset of block (image i, slot s in {q:0, k:1, v:2}, head j) in an [I, 3H, N, dh] (or [.., dh, N]) tensor.
  const at = (base: number, i: number, s: number, j: number) => base + ((i * 3 + s) * H + j) * blk;
  return tf.customGrad((qkv, save) => {
    const qkv4 = tf.transpose(tf.reshape(qkv as tf.Tensor, [I, N, 3 * H, dh]), [0, 2, 1, 3]); // [I, 3H, N, dh]
    const qkvT = tf.transpose(tf.reshape(qkv4, [I * 3 * H, N, dh]), [0, 2, 1]); // [I*3H, dh, N]
    const S = h.alloc([I * H * N, N]); // [I*H, N, N] scores
    // Offsets are stable (memory growth replaces the buffer object, not the addresses).
    const o4 = h.off(qkv4), oT = h.off(qkvT), oS = h.off(S);
    for (let i = 0; i < I; i++) {
      const p = partner(i);
      for (let j = 0; j < H; j++) h.gemm(at(o4, i, 0, j), at(oT, p, 1, j), oS + (i * H + j) * NN, N, dh, N);
    }
    const P = tf.softmax(tf.mul(S, scale)); // [I*H*N, N]
    const O = h.alloc([I, H, N, dh]);
    const oP = h.off(P), oO = h.off(O);
    for (let i = 0; i < I; i++) {
      const p = partner(i);
      for (let j = 0; j < H; j++) {
        h.gemm(oP + (i * H + j) * NN, at(o4, p, 2, j), oO + (i * H + j) * blk, N, N, dh);
      }
    }
    (save as tf.GradSaveFunc)([qkv4, qkvT, P, O]);
    const value = tf.reshape(tf.transpose(O, [0, 2, 1, 3]), [I * N, d]); // [I, N, H, dh] -> [T, d]
    return {
      value,
      gradFunc: backward((dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sqkv4, sqkvT, sP, sO] = saved;
        const dO = tf.transpose(tf.reshape(dy, [I, N, H, dh]), [0, 2, 1, 3]); // [I, H, N, dh]
        const D = tf.reshape(tf.sum(tf.mul(dO, sO), -1), [I * H * N, 1]); // rowsum(dP * P) = rowsum(dO * O)
        const dP = h.alloc([I * H * N, N]);
        const q4 = h.off(sqkv4), qT = h.off(sqkvT), odO = h.off(dO), odP = h.off(dP);
        for (let i = 0; i < I; i++) {
          const p = partner(i);
          for (let j = 0; j < H; j++) {
            h.gemm(odO + (i * H + j) * blk, at(qT, p, 2, j), odP + (i * H + j) * NN, N, dh, N);
          }
        }
        const dS = tf.mul(tf.mul(sP, tf.sub(dP, D)), scale); // [I*H*N, N]
        const dST = h.transposeLast2(tf.reshape(dS, [I * H, N, N]));
        const PT = h.transposeLast2(tf.reshape(sP, [I * H, N, N]));
        const dQKV = h.alloc([I, 3 * H, N, dh]);
        const odS = h.off(dS), odST = h.off(dST), oPT = h.off(PT), od = h.off(dQKV);
        for (let i = 0; i < I; i++) {
          const p = partner(i);
          for (let j = 0; j < H; j++) {
            const g = i * H + j;
            h.gemm(odS + g * NN, at(q4, p, 1, j), at(od, i, 0, j), N, N, dh); // dQ_i = dS K_p
            h.gemm(odST + g * NN, at(q4, i, 0, j), at(od, p, 1, j), N, N, dh); // dK_p = dS^T Q_i
            h.gemm(oPT + g * NN, odO + g * blk, at(od, p, 2, j), N, N, dh); // dV_p = P^T dO_i
          }
        }
        return [tf.reshape(tf.transpose(dQKV, [0, 2, 1, 3]), [I * N, 3 * d])];
      }),
    };
  });
}

/** tfjs flavour: batched matMul with transpose flags. */
function attentionTf(
  I: number,
  N: number,
  H: number,
  dh: number,
  scale: number,
  partner: (i: number) => number,
) {
  const d = H * dh;
  // partner is an involution (identity or i ^ 1), so the same gather undoes the reordering. The index tensor is
  // made inside each pass, whose scope frees it.
  const reorder = (x: tf.Tensor) =>
    tf.gather(x, tf.tensor1d(Array.from({ length: I }, (_, i) => partner(i)), "int32"), 0);
  return tf.customGrad((qkv, save) => {
    const parts = tf.unstack(tf.transpose(tf.reshape(qkv as tf.Tensor, [I, N, 3, H, dh]), [2, 0, 3, 1, 4])); // 3 x [I, H, N, dh]
    const q = parts[0], k = reorder(parts[1]), v = reorder(parts[2]);
    const P = tf.softmax(tf.mul(tf.matMul(q, k, false, true), scale)); // [I, H, N, N]
    const O = tf.matMul(P, v); // [I, H, N, dh]
    (save as tf.GradSaveFunc)([q, k, v, P, O]);
    return {
      value: tf.reshape(tf.transpose(O, [0, 2, 1, 3]), [I * N, d]),
      gradFunc: backward((dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, sP, sO] = saved;
        const dO = tf.transpose(tf.reshape(dy, [I, N, H, dh]), [0, 2, 1, 3]); // [I, H, N, dh]
        const D = tf.sum(tf.mul(dO, sO), -1, true); // [I, H, N, 1]
        const dP = tf.matMul(dO, sv, false, true);
        const dS = tf.mul(tf.mul(sP, tf.sub(dP, D)), scale);
        const dq = tf.matMul(dS, sk);
        const dk = reorder(tf.matMul(dS, sq, true, false));
        const dv = reorder(tf.matMul(sP, dO, true, false));
        const d5 = tf.stack([dq, dk, dv]); // [3, I, H, N, dh]
        return [tf.reshape(tf.transpose(d5, [1, 3, 0, 2, 4]), [I * N, 3 * d])];
      }),
    };
  });
}

/**
 * The Gram matrices of pairs: features F [B*2N, d] (each pair's 2N rows contiguous) -> S [B, 2N, 2N] with
 * S[p] = F_p F_p^T. Not differentiable on its own; see {@link pairGramGrad}.
 */
export function pairGram(f: tf.Tensor2D, pairs: number): tf.Tensor3D {
  const rows = f.shape[0] / pairs, d = f.shape[1];
  const h = heap();
  if (!h) {
    const f3 = tf.reshape(f, [pairs, rows, d]) as tf.Tensor3D;
    return tf.matMul(f3, f3, false, true);
  }
  const fT = h.transposeLast2(tf.reshape(f, [pairs, rows, d])); // [B, d, 2N]
  const S = h.alloc([pairs, rows, rows]);
  const of = h.off(f), oT = h.off(fT), oS = h.off(S);
  for (let p = 0; p < pairs; p++) {
    h.gemm(of + p * rows * d, oT + p * d * rows, oS + p * rows * rows, rows, d, rows);
  }
  fT.dispose();
  return S as tf.Tensor3D;
}

/** Gradient of a loss through S = F F^T per pair: dF_p = (dS_p + dS_p^T) F_p. dS [B, 2N, 2N], F [B*2N, d]. */
export function pairGramGrad(dS: tf.Tensor3D, f: tf.Tensor2D): tf.Tensor2D {
  const [pairs, rows] = dS.shape, d = f.shape[1];
  const h = heap();
  if (!h) {
    const sym = tf.add(dS, tf.transpose(dS, [0, 2, 1]));
    return tf.reshape(tf.matMul(sym, tf.reshape(f, [pairs, rows, d]) as tf.Tensor3D), [pairs * rows, d]);
  }
  const sym = tf.add(dS, h.transposeLast2(dS));
  const out = h.alloc([pairs * rows, d]);
  const oS = h.off(sym), of = h.off(f), oo = h.off(out);
  for (let p = 0; p < pairs; p++) {
    h.gemm(oS + p * rows * rows, of + p * rows * d, oo + p * rows * d, rows, rows, d);
  }
  return out as tf.Tensor2D;
}
