import { assertEquals } from "../testing/asserts.ts";
import { modelConfig } from "./config.ts";
import { modelFlops } from "./flops.ts";

// A tiny config for hand counts: 8x8 input, 4 px patches -> N = 4 tokens, P = 16, d = 8, 2 heads, h = 32,
// 1 ViT + 1 Multiplex layer -> 3 blocks per image.
const tiny = modelConfig("small", { inputSize: 8, patch: 4, dim: 8, heads: 2, vitLayers: 1, mtLayers: 1 });

Deno.test("modelFlops: a hand count of a tiny config, and the small preset", () => {
  // Multiply-adds per image. Embedding: N P d = 4 * 16 * 8 = 512.
  // Per block: qkv 4*8*24 = 768, projection 4*8*8 = 256, fc1 4*8*32 = 1024, fc2 4*32*8 = 1024 -> 3072;
  // attention: Q K^T over 2 heads of 4: 2 * (4*4*4) = 128, A V the same 128 -> 256. Block: 3328; 3 blocks 9984.
  // Image forward: 512 + 9984 = 10496. Pair: 2 * 10496 + Gram 8*8*8 = 512 -> 21504 MACs = 43008 FLOPs.
  // Backward per image: embedding dW 512; blocks 3 * (2 * 3072 + 4 * 128) = 19968 -> 20480; pair: 40960 + Gram
  // backward 512 = 41472. Train: 21504 + 41472 = 62976 MACs = 125952 FLOPs.
  assertEquals(modelFlops(tiny), { inferPerPair: 43008, trainPerPair: 125952 });
  // small: per image 256*256*128 = 8388608 (embed) + 8 blocks * (256*128*1536 + 2*256^2*128 = 67108864);
  // pair 2 * 545259520 + 512^2*128 = 1124073472 MACs forward; backward per block 2 * 50331648 (linear) +
  // 4 * 256^2*128 (attention) = 134217728, pair 2 * (8388608 + 8 * 134217728) + 33554432 = 2197815296.
  const s = modelFlops(modelConfig("small"));
  assertEquals(s.inferPerPair, 2 * 1124073472);
  assertEquals(s.trainPerPair, 2 * (1124073472 + 2197815296)); // 6.644 GFLOP
});
