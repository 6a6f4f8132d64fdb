/**
 * Peak RSS of a training step, in a fresh process: `deno run -A lib/bench/rss_probe.ts '{"batch":8,...}'` runs one
 * training step (after the warm-up step) with the given backend settings and prints `{"peak_rss_mb": N}`.
 * {@link rssProbe} runs it and reads the figure.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { type BackendKind, initBackend } from "../model/backend.ts";
import { modelConfig } from "../model/config.ts";
import { peakRssMb, timeTrain } from "./timing.ts";

/** What the probe runs. */
export interface RssProbeSettings {
  batch: number;
  backend: BackendKind;
  blas: "auto" | "off";
  kernels: "auto" | "fast" | "tf";
  preset: string;
}

/**
 * Peak RSS (MB) of a training step at `s`'s settings in a fresh process, or null (with a line saying why) when
 * the probe fails.
 *
 * @example
 * ```ts
 * await rssProbe({ batch: 8, backend: "wasm", blas: "auto", kernels: "auto", preset: "small" }); // 1065
 * ```
 */
export async function rssProbe(s: RssProbeSettings): Promise<number | null> {
  const probe = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", fileURLToPath(import.meta.url), JSON.stringify(s)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  try {
    return JSON.parse(new TextDecoder().decode(probe.stdout).trim().split("\n").pop()!).peak_rss_mb;
  } catch {
    console.log(`rss probe failed: ${new TextDecoder().decode(probe.stderr).trim().split("\n").pop()}`);
    return null;
  }
}

if (import.meta.main) {
  const s: RssProbeSettings = JSON.parse(Deno.args[0]);
  await initBackend({ backend: s.backend, blas: s.blas, kernels: s.kernels, log: null });
  await timeTrain(modelConfig(s.preset), s.batch, 1);
  console.log(JSON.stringify({ peak_rss_mb: peakRssMb() }));
}
