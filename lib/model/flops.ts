/**
 * FLOPs of the model's matrix products, counted analytically from its config: what the benchmarks turn into
 * GFLOP/s against the machine's sgemm peak.
 *
 * @module
 */
import { type ModelConfig, patchDim, tokensOf } from "./config.ts";

/** Floating-point operations of the model's matrix products, per image pair. */
export interface FlopCount {
  /** Forward pass: features of both images and the pair's Gram matrix. */
  inferPerPair: number;
  /** One training step: the forward pass plus the backward pass (see {@link modelFlops}). */
  trainPerPair: number;
}

/**
 * The model's FLOPs per image pair, from its config, counting the matrix products only (2 FLOPs per
 * multiply-add); LayerNorm, softmax, GELU, the loss's gather and AdamW are elementwise and left out (< 2% here).
 *
 * With N tokens per image, P values per patch, width d, MLP width h = mlpRatio * d, and B = vitLayers +
 * 2 * mtLayers transformer blocks per image (a Multiplex layer is a self block and a cross block; a cross block
 * costs what a self block does, its keys and values are just the partner image's):
 * ```
 *   per image:  embed      N P d
 *               per block  N d (3d + d + h + h) = N d (4d + 2h)   qkv, output projection, MLP up and down
 *                          2 N^2 d                                 Q K^T and A V over all heads (H * N^2 * d/H each)
 *   per pair:   Gram       (2N)^2 d                                F F^T over the pair's 2N tokens
 *   forward MACs = 2 [N P d + B (N d (4d + 2h) + 2 N^2 d)] + (2N)^2 d
 * ```
 * The backward pass as `lib/model/ops.ts` writes it: every linear layer takes two products (dX = dY W^T,
 * dW = X^T dY) except the embedding, whose input is data (dW only); each attention product takes two (dQ, dK
 * from dS; dP = dO V^T and dV = P^T dO); the Gram matrix one (dF = (dS + dS^T) F). So
 * ```
 *   backward MACs = 2 [N P d + B (2 N d (4d + 2h) + 4 N^2 d)] + (2N)^2 d
 *   train MACs    = forward + backward
 * ```
 * For `small` (N = 256, P = 256, d = 128, h = 512, B = 8): 2.248 GFLOP forward and 6.644 GFLOP per training
 * step per pair. The test checks this against a hand count and against the products tfjs actually runs.
 *
 * @example
 * ```ts
 * const f = modelFlops(modelConfig("small")); // f.inferPerPair = 2.248e9, f.trainPerPair = 6.644e9
 * ```
 */
export function modelFlops(c: ModelConfig): FlopCount {
  const N = tokensOf(c), P = patchDim(c), d = c.dim, h = c.mlpRatio * d, B = c.vitLayers + 2 * c.mtLayers;
  const linear = N * d * (4 * d + 2 * h), attn = 2 * N * N * d, embed = N * P * d, gram = 4 * N * N * d;
  const fwd = 2 * (embed + B * (linear + attn)) + gram;
  const bwd = 2 * (embed + B * (2 * linear + 2 * attn)) + gram;
  return { inferPerPair: 2 * fwd, trainPerPair: 2 * (fwd + bwd) };
}
