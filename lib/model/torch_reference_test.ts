/**
 * The whole model against an independent PyTorch implementation of the same architecture: Conv2d patch
 * embedding, nn.MultiheadAttention (in_proj q|k|v, 2 heads), nn.LayerNorm(eps 1e-6), nn.GELU("tanh"), a cross
 * block as MultiheadAttention(query = LN1(a), key = value = LN1(b)), 3-channel ImageNet-normalised input, final
 * LayerNorm, L2 normalisation. Weights follow a formula both sides compute; the expected features were printed
 * by that PyTorch script (float64) and are pinned here. This checks patch order, weight layouts (ours are the
 * transposes of torch's Linear weights), head split, cross pairing and the RGB input mode, i.e. the mapping
 * documented in IMAGENET.md.
 */
import * as tf from "@tensorflow/tfjs-core";
import { assertAlmostEquals } from "../testing/asserts.ts";
import { initBackend } from "./backend.ts";
import { modelConfig } from "./config.ts";
import { paramShapes, patchify, PatchSimilarityModel } from "./model.ts";
import { setKernelMode } from "./ops.ts";

await initBackend({ backend: "wasm", blas: "off", log: null });

const EXPECTED = [
  0.161999,
  -0.405033,
  -0.310256,
  0.503701,
  -0.028326,
  -0.536636,
  0.027972,
  0.412514,
  -0.09271,
  -0.433458,
  0.206536,
  0.491232,
  -0.263817,
  -0.382196,
  0.499676,
  0.232817,
  -0.320195,
  0.276016,
  0.453901,
  -0.382021,
  -0.170293,
  0.468099,
  0.194106,
  -0.428404,
  -0.274219,
  0.352976,
  0.340177,
  -0.464035,
  -0.098072,
  0.509986,
  0.038341,
  -0.444959,
  0.153982,
  -0.411597,
  -0.292581,
  0.509958,
  -0.03809,
  -0.537336,
  0.048216,
  0.410744,
  -0.357827,
  0.031448,
  0.602394,
  -0.101858,
  -0.304409,
  0.258467,
  0.503343,
  -0.291365,
  -0.335852,
  0.234262,
  0.497452,
  -0.335852,
  -0.201307,
  0.438843,
  0.262778,
  -0.412202,
  -0.34359,
  -0.067471,
  0.603771,
  0.016757,
  -0.332775,
  0.152665,
  0.577225,
  -0.212927,
  -0.188775,
  0.422929,
  0.151732,
  -0.530718,
  0.005982,
  0.517426,
  -0.177474,
  -0.426085,
  -0.318791,
  -0.152973,
  0.579673,
  0.121529,
  -0.346329,
  0.052193,
  0.61903,
  -0.135331,
  -0.193377,
  -0.359069,
  0.387921,
  0.385866,
  -0.321423,
  -0.237593,
  0.603221,
  0.103255,
  -0.244584,
  0.384637,
  0.272488,
  -0.495844,
  -0.058928,
  0.519692,
  -0.043978,
  -0.443438,
  -0.155466,
  0.436093,
  0.0827,
  -0.540162,
  0.040724,
  0.506739,
  -0.247379,
  -0.409146,
  -0.100406,
  -0.429571,
  0.220916,
  0.485289,
  -0.268966,
  -0.37289,
  0.509363,
  0.224139,
  -0.142135,
  -0.403579,
  0.297504,
  0.447294,
  -0.294848,
  -0.317647,
  0.557066,
  0.173734,
  -0.233206,
  0.394412,
  0.247249,
  -0.505263,
  -0.044882,
  0.521125,
  -0.073182,
  -0.441237,
];

Deno.test("model features match an independent PyTorch implementation (pinned), both kernel flavours", () => {
  const cfg = modelConfig("small", {
    inputSize: 8,
    patch: 4,
    channels: 3,
    dim: 8,
    heads: 2,
    vitLayers: 1,
    mtLayers: 1,
  });
  const values = new Map<string, Float32Array>();
  paramShapes(cfg).forEach(([name, shape], k) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = Float32Array.from(
      { length: n },
      (_, i) => 0.3 * Math.sin(1.7 * i + 0.9 * k + 0.3) + (name.endsWith(".g") ? 1 : 0),
    );
    values.set(name, v);
  });
  const m = new PatchSimilarityModel(cfg, values);
  const imgs = [0, 1, 2, 3].map((mm) =>
    Uint8Array.from({ length: 64 }, (_, i) => (37 * i + 11 * mm + 5 * Math.floor(i / 8) ** 2) % 256)
  );
  const x = patchify(imgs, cfg);
  for (const mode of ["fast", "tf"] as const) {
    setKernelMode(mode);
    const f = tf.tidy(() => m.features(tf.tensor2d(x, [16, 48]), 4).dataSync());
    EXPECTED.forEach((v: number, i: number) => assertAlmostEquals(f[i], v, 2e-5, `${mode} feature ${i}`));
  }
  setKernelMode("auto");
  m.dispose();
});
