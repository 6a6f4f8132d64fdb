/**
 * Our similarity matrices against the Python references, through a `.safetensors` export: the numpy-only
 * forward (`mangamatch_numpy.py`) always where numpy imports — and in CI (CI=true) it must, a missing numpy
 * fails instead of skipping — and the PyTorch `nn.Module` (`mangamatch_torch.py`) where torch imports (skipped
 * with the reason printed otherwise). Small configs with non-trivial weights (every bias and gain away from its
 * initial value), grayscale and 3-channel ImageNet input. The shipped model at a real-size input is checked by
 * lib/cli/export_test.ts (through `deno task export`).
 */
import * as path from "node:path";
import { assert, assertEquals } from "../../testing/asserts.ts";
import { Rng } from "../../util/rng.ts";
import { initBackend } from "../backend.ts";
import { type ModelConfig, modelConfig } from "../config.ts";
import { paramShapes, PatchSimilarityModel } from "../model.ts";
import { encodeSafetensors, torchTensors, writeSafetensors } from "../safetensors.ts";
import { loadWeights } from "../weights.ts";
import { maxAbsDiff, pythonHas, pythonInterpreter, runReference } from "./run.ts";

await initBackend({ log: null });

const PY = pythonInterpreter();
const NUMPY = await pythonHas(PY, "numpy");
const TORCH = NUMPY.ok ? await pythonHas(PY, "torch") : { ok: false, reason: "numpy missing" };
const CI = Deno.env.get("CI") === "true";
if (!NUMPY.ok) {
  console.log(`numpy reference ${CI ? "REQUIRED in CI but unavailable" : "skipped"}: ${NUMPY.reason}`);
}
if (!TORCH.ok) console.log(`torch reference skipped: ${TORCH.reason}`);
const TOL = 1e-4;

/** Random weights: matrices ~0.2 scale, biases ~0.1, gains 1 +- 0.3 (so a mapping slip shows). */
function weights(c: ModelConfig, seed: number): Map<string, Float32Array> {
  const rng = new Rng(seed);
  const out = new Map<string, Float32Array>();
  for (const [name, shape] of paramShapes(c)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const s = name.endsWith(".w") ? 0.4 / Math.sqrt(shape[0]) : name === "pos" ? 0.5 : 0.1;
    out.set(
      name,
      Float32Array.from({ length: n }, () => (name.endsWith(".g") ? 1 : 0) + s * rng.range(-1, 1)),
    );
  }
  return out;
}

/** Two fixed line-art-like images (strokes on paper), different from each other. */
function pair(size: number): [Uint8Array, Uint8Array] {
  const img = (k: number) =>
    Uint8Array.from({ length: size * size }, (_, i) => {
      const x = i % size, y = Math.floor(i / size);
      const ring = Math.abs(Math.hypot(x - size * (0.4 + 0.1 * k), y - size / 2) - size / 4) < 1.5;
      const line = (x + 2 * y + 5 * k) % 11 === 0;
      return ring || line ? 10 * k : 255 - ((x * y + k) % 7);
    });
  return [img(0), img(1)];
}

const CASES: [string, ModelConfig][] = [
  [
    "grayscale",
    modelConfig("small", { inputSize: 32, patch: 8, dim: 16, heads: 2, vitLayers: 2, mtLayers: 2 }),
  ],
  [
    "3-channel ImageNet input, no final norm",
    modelConfig("small", {
      inputSize: 24,
      patch: 4,
      channels: 3,
      dim: 12,
      heads: 3,
      vitLayers: 1,
      mtLayers: 1,
      mlpRatio: 2,
      finalNorm: false,
      lnEps: 1e-5,
    }),
  ],
];

for (const impl of ["numpy", "torch"] as const) {
  const avail = impl === "numpy" ? NUMPY : TORCH;
  Deno.test({
    name:
      `${impl} reference reproduces our similarities from a .safetensors export (small configs, within ${TOL})`,
    ignore: !avail.ok && !(impl === "numpy" && CI),
    fn: async () => {
      assert(
        avail.ok,
        `CI needs numpy for the reference check (apt-get install python3-numpy): ${avail.reason}`,
      );
      const dir = await Deno.makeTempDir({ prefix: "mm-st-ref-" });
      try {
        for (const [k, [label, cfg]] of CASES.entries()) {
          const values = weights(cfg, 7 + k);
          const model = new PatchSimilarityModel(cfg, values);
          const [a, b] = pair(cfg.inputSize);
          const ours = model.cosineBatch([a, b]);
          model.dispose();
          const file = await writeSafetensors(path.join(dir, `m${k}`), cfg, values);
          const ref = await runReference(impl, file, [a, b], cfg.inputSize, PY);
          const n2 = 2 * (cfg.inputSize / cfg.patch) ** 2;
          assertEquals(ref.shape, [n2, n2]);
          const diff = maxAbsDiff(ours, ref.sim);
          console.log(`${impl} vs ours, ${label}: max |diff| ${diff.toExponential(2)} over ${n2}x${n2}`);
          assert(diff <= TOL, `${label}: max |diff| ${diff} > ${TOL}`);
          // The check has teeth: the same file with one square weight in our [in, out] layout instead of
          // torch's [out, in] (a layout slip the shapes cannot catch) is far off.
          if (k === 0) {
            const bad = torchTensors(cfg, values).map((t) =>
              t.name === "mt.0.cross.attn.proj.weight" ? { ...t, data: values.get("mt.0.cross.proj.w")! } : t
            );
            const badFile = path.join(dir, "bad.safetensors");
            await Deno.writeFile(
              badFile,
              encodeSafetensors(bad, { "mangamatch.config": JSON.stringify(cfg) }),
            );
            const wrong = await runReference(impl, badFile, [a, b], cfg.inputSize, PY);
            const d2 = maxAbsDiff(ours, wrong.sim);
            assert(d2 > 100 * TOL, `a transposed weight should be detected, max |diff| only ${d2}`);
          }
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

Deno.test({
  name:
    "convert_vit.py: timm- and torchvision-named ViT weights become an export that loadWeights (--init) reads",
  ignore: !NUMPY.ok && !CI,
  fn: async () => {
    assert(
      NUMPY.ok,
      `CI needs numpy for the reference check (apt-get install python3-numpy): ${NUMPY.reason}`,
    );
    const cfg = modelConfig("small", {
      inputSize: 32,
      patch: 8,
      channels: 3,
      dim: 16,
      heads: 2,
      vitLayers: 2,
      mtLayers: 0,
    });
    const values = weights(cfg, 3);
    const ours = torchTensors(cfg, values);
    const d = cfg.dim, N = 16;
    // As timm stores a ViT: a class token, its position row first, a classification head.
    const timm = ours.map((t) => {
      if (t.name !== "pos_embed") return t;
      const data = new Float32Array((N + 1) * d);
      data.set(t.data, d); // row 0: the class token's position
      return { ...t, shape: [1, N + 1, d], data };
    });
    timm.push({ name: "cls_token", shape: [1, 1, d], data: new Float32Array(d) });
    timm.push({ name: "head.weight", shape: [5, d], data: new Float32Array(5 * d) });
    timm.push({ name: "head.bias", shape: [5], data: new Float32Array(5) });
    // The same as torchvision names it.
    const tv = timm.map((t) => ({
      ...t,
      name: t.name.replace(/^patch_embed\.proj\./, "conv_proj.").replace(
        /^pos_embed$/,
        "encoder.pos_embedding",
      )
        .replace(/^cls_token$/, "class_token").replace(/^head\./, "heads.head.").replace(
          /^norm\./,
          "encoder.ln.",
        )
        .replace(/^blocks\.(\d+)\.norm1\./, "encoder.layers.encoder_layer_$1.ln_1.")
        .replace(/^blocks\.(\d+)\.norm2\./, "encoder.layers.encoder_layer_$1.ln_2.")
        .replace(
          /^blocks\.(\d+)\.attn\.qkv\.(weight|bias)$/,
          "encoder.layers.encoder_layer_$1.self_attention.in_proj_$2",
        )
        .replace(/^blocks\.(\d+)\.attn\.proj\./, "encoder.layers.encoder_layer_$1.self_attention.out_proj.")
        .replace(/^blocks\.(\d+)\.mlp\.fc1\./, "encoder.layers.encoder_layer_$1.mlp.0.")
        .replace(/^blocks\.(\d+)\.mlp\.fc2\./, "encoder.layers.encoder_layer_$1.mlp.3."),
    }));
    assert(tv.some((t) => t.name === "encoder.layers.encoder_layer_1.mlp.3.bias"));
    const dir = await Deno.makeTempDir({ prefix: "mm-convert-" });
    try {
      for (const [label, tensors] of [["timm", timm], ["torchvision", tv]] as const) {
        const src = path.join(dir, `${label}.safetensors`), out = path.join(dir, label);
        await Deno.writeFile(src, encodeSafetensors(tensors));
        const r = await new Deno.Command(PY, {
          args: [path.join(import.meta.dirname!, "convert_vit.py"), src, out, "--heads", "2"],
          env: { PYTHONDONTWRITEBYTECODE: "1" },
          stdout: "piped",
          stderr: "piped",
        }).output();
        assert(r.success, new TextDecoder().decode(r.stderr));
        const w = await loadWeights(out);
        assertEquals({ ...w.config, preset: "small" }, cfg, label);
        for (const [name, v] of values) {
          assertEquals(Array.from(w.values.get(name)!), Array.from(v), `${label} ${name}`);
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
