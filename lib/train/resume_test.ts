/**
 * Kill -9 and resume: a run killed with SIGKILL right after a checkpoint and resumed with --resume must log the
 * same losses, bit for bit, as a run never interrupted (same backend and kernels).
 */
import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { REPO_ROOT } from "../util/paths.ts";
import { writeToyDataset } from "./fixture.ts";

const TINY = JSON.stringify({ inputSize: 64, patch: 8, dim: 16, heads: 2, vitLayers: 1, mtLayers: 1 }); // 8x8 grid
const STEPS = 120;

function args(data: string, out: string, extra: string[] = []): string[] {
  return [
    "run",
    "-A",
    path.join(REPO_ROOT, "lib/cli/train.ts"),
    "--data",
    data,
    "--out",
    out,
    "--model",
    TINY,
    "--steps",
    String(STEPS),
    "--batch",
    "2",
    "--gap",
    "1",
    "--ckpt-every",
    "5",
    "--val-every",
    "40",
    "--val-pairs",
    "2",
    "--seed",
    "3",
    "--backend",
    "wasm",
    "--blas",
    "off",
    ...extra,
  ];
}

async function run(a: string[]): Promise<void> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: a,
    stdout: "piped",
    stderr: "piped",
    env: { MANGAMATCH_PROGRESS: "off" },
  }).output();
  if (!r.success) throw new Error(`train failed: ${new TextDecoder().decode(r.stderr)}`);
}

async function losses(out: string): Promise<{ step: number; loss?: number; val_ap?: number }[]> {
  return (await Deno.readTextFile(path.join(out, "log.jsonl"))).trim().split("\n").map((l) => JSON.parse(l))
    .map((r) => ({ step: r.step, loss: r.loss, val_ap: r.val_ap }));
}

Deno.test({
  name: "train: SIGKILL after a checkpoint, --resume, same loss curve bit for bit",
  sanitizeResources: false,
  async fn() {
    const tmp = await Deno.makeTempDir();
    const data = path.join(tmp, "data");
    await writeToyDataset(data, { characters: 3, frames: 4, size: 64 });
    // Uninterrupted reference.
    await run(args(data, path.join(tmp, "a")));
    const ref = await losses(path.join(tmp, "a"));
    const refLoss = ref.filter((r) => r.loss !== undefined).map((r) => r.loss!);
    assertEquals(refLoss.length, STEPS);
    // A real curve: positive losses that change (an empty sample would log 0 throughout), finite validation AP.
    assert(
      refLoss.every((l) => l > 0) && new Set(refLoss).size > STEPS / 2,
      "the reference run did not train",
    );
    assert(ref.some((r) => r.val_ap !== undefined && Number.isFinite(r.val_ap)), "no validation AP");
    // Interrupted run: kill -9 as soon as a checkpoint at step >= 10 exists.
    const outB = path.join(tmp, "b");
    const child = new Deno.Command(Deno.execPath(), {
      args: args(data, outB),
      stdout: "null",
      stderr: "null",
      env: { MANGAMATCH_PROGRESS: "off" },
    }).spawn();
    const latest = path.join(outB, "ckpt", "latest.json");
    let killedAt = -1;
    for (let t = 0; t < 6000; t++) {
      try {
        const s = JSON.parse(await Deno.readTextFile(latest)).step;
        if (s >= 10) {
          child.kill("SIGKILL");
          killedAt = s;
          break;
        }
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 10));
    }
    const st = await child.status;
    assert(killedAt >= 10, "no checkpoint appeared");
    assertEquals(st.signal, "SIGKILL", "the run finished before it could be killed");
    const partial = (await losses(outB)).filter((r) => r.loss !== undefined).length;
    assert(partial < STEPS, `killed run had already logged ${partial} steps`);
    // Resume to the end.
    await run(args(data, outB, ["--resume"]));
    const got = await losses(outB);
    assertEquals(got, ref);
    await Deno.remove(tmp, { recursive: true });
  },
});

Deno.test({
  name: "train: refuses to overwrite a run without --force, and --resume with changed options",
  sanitizeResources: false,
  async fn() {
    const tmp = await Deno.makeTempDir();
    const data = path.join(tmp, "data");
    await writeToyDataset(data, { characters: 2, frames: 3, size: 32 });
    const out = path.join(tmp, "r");
    const small = (extra: string[]) => args(data, out, extra).map((x) => (x === String(STEPS) ? "2" : x));
    await run(small([]));
    const again = await new Deno.Command(Deno.execPath(), {
      args: small([]),
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(again.code, 2);
    assert(new TextDecoder().decode(again.stderr).includes("--force"));
    const changed = await new Deno.Command(Deno.execPath(), {
      args: [...small(["--resume"]), "--lr", "0.1"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(changed.code, 2);
    assert(new TextDecoder().decode(changed.stderr).includes("--resume with options that change the run"));
    await run(small(["--force"]));
    await Deno.remove(tmp, { recursive: true });
  },
});
