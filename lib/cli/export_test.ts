/**
 * `deno task export --format safetensors` on the shipped model, as a fresh clone would run it, then the
 * exported file in the numpy reference (and the PyTorch one where torch imports) on a real-size input: a
 * generated 512x512 hand-drawn pair, letterboxed to the model's 256 input as `match` does. Plus the command's
 * bad input.
 */
import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { renderPair } from "../generate/pair.ts";
import { letterbox } from "../image/letterbox.ts";
import { initBackend } from "../model/backend.ts";
import { loadModel } from "../model/mod.ts";
import { encodeSafetensors, torchTensors } from "../model/safetensors.ts";
import { maxAbsDiff, pythonHas, pythonInterpreter, runReference } from "../model/reference/run.ts";
import { REPO_ROOT } from "../util/paths.ts";
import { runCli } from "./evaluate_fixture.ts";

await initBackend({ log: null });

const SHIPPED = path.join(REPO_ROOT, "experiments/small-v1");
const PY = pythonInterpreter();
const NUMPY = await pythonHas(PY, "numpy");
const TORCH = NUMPY.ok ? await pythonHas(PY, "torch") : { ok: false, reason: "numpy missing" };
const CI = Deno.env.get("CI") === "true";
if (!NUMPY.ok) {
  console.log(`numpy check ${CI ? "REQUIRED in CI but unavailable" : "skipped"}: ${NUMPY.reason}`);
}
if (!TORCH.ok) console.log(`torch check skipped: ${TORCH.reason}`);

Deno.test({
  name:
    "export --format safetensors: the shipped model, loaded back and in the numpy/torch references (1e-4)",
  ignore: !NUMPY.ok && !CI,
  fn: async () => {
    assert(
      NUMPY.ok,
      `CI needs numpy for the reference check (apt-get install python3-numpy): ${NUMPY.reason}`,
    );
    const tmp = await Deno.makeTempDir({ prefix: "mm-export-" });
    try {
      const out = path.join(tmp, "st");
      const r = await runCli("export.ts", ["--from", SHIPPED, "--out", out, "--format", "safetensors"]);
      assertEquals(r.code, 0, r.stderr);
      assert(
        r.stdout.includes(`wrote ${path.join(out, "model.safetensors")} (small, input 256, 101 tensors)`),
        r.stdout,
      );
      const ours = await loadModel(SHIPPED), back = await loadModel(out);
      const { a, b } = renderPair({ size: 512, style: "hand-drawn", seed: 3 });
      const S = ours.config.inputSize;
      const pa = letterbox(a.line, S).image.data, pb = letterbox(b.line, S).image.data;
      const sim = ours.cosineBatch([pa, pb]), simBack = back.cosineBatch([pa, pb]);
      ours.dispose();
      back.dispose();
      assertEquals(maxAbsDiff(sim, simBack), 0); // same weights, bit for bit
      for (const impl of ["numpy", "torch"] as const) {
        if (impl === "torch" && !TORCH.ok) continue;
        const ref = await runReference(impl, path.join(out, "model.safetensors"), [pa, pb], S, PY);
        assertEquals(ref.shape, [512, 512]);
        const d = maxAbsDiff(sim, ref.sim);
        console.log(
          `small-v1, 512x512 hand-drawn pair at input 256: ${impl} vs ours max |diff| ${d.toExponential(2)}`,
        );
        assert(d <= 1e-4, `${impl}: max |diff| ${d} > 1e-4`);
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test("export: unknown format, existing output, bad safetensors as --from: one error line each", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mm-export-bad-" });
  try {
    const err = async (args: string[]) => {
      const r = await runCli("export.ts", args);
      assertEquals(r.code, 2, r.stdout + r.stderr);
      const lines = r.stderr.trim().split("\n");
      assertEquals(lines.length, 1, r.stderr);
      return lines[0];
    };
    const out = path.join(tmp, "o");
    assertEquals(
      await err(["--from", SHIPPED, "--out", out, "--format", "onnx"]),
      `error: --format must be one of tfjs|safetensors, got "onnx"`,
    );
    await Deno.mkdir(out);
    await Deno.writeTextFile(path.join(out, "model.safetensors"), "x");
    assertEquals(
      await err(["--from", SHIPPED, "--out", out, "--format", "safetensors"]),
      `error: ${path.join(out, "model.safetensors")}: already exists; pass --force to overwrite it`,
    );
    // A converted file with an extra tensor, and a truncated one, as --from.
    const shipped = await loadModel(SHIPPED);
    const cfg = shipped.config, values = shipped.values();
    shipped.dispose();
    const meta = { "mangamatch.config": JSON.stringify(cfg) };
    const extra = path.join(tmp, "extra.safetensors");
    await Deno.writeFile(
      extra,
      encodeSafetensors([...torchTensors(cfg, values), {
        name: "cls_token",
        shape: [1, 1, 128],
        data: new Float32Array(128),
      }], meta),
    );
    const l1 = await err(["--from", extra, "--out", path.join(tmp, "x")]);
    assert(
      l1.startsWith(`error: ${extra}: unexpected tensor cls_token [1, 1, 128]: not part of a small model`),
      l1,
    );
    const full = encodeSafetensors(torchTensors(cfg, values), meta);
    const trunc = path.join(tmp, "trunc.safetensors");
    await Deno.writeFile(trunc, full.subarray(0, full.length - 1000));
    const l2 = await err(["--from", trunc, "--out", path.join(tmp, "y"), "--format", "safetensors"]);
    assert(l2.startsWith(`error: ${trunc}: truncated: tensor norm.weight needs bytes`), l2);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
