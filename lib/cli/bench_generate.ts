/**
 * `deno task bench:generate`: generation speed at 512x512 for each line style, as frames per second both for
 * rendering alone (scene, rasterisation, lines, segments) and end to end (plus PNG encoding and writing every
 * PBC file). Ends with one JSON line of the figures.
 *
 * @module
 */
import * as path from "node:path";
import { num, parseCommand, runMain } from "../util/cli.ts";
import { Rng } from "../util/rng.ts";
import { makeCharacter } from "../generate/character.ts";
import { LINE_STYLES, type LineStyle, renderFrame } from "../generate/frame.ts";
import { makeSequence } from "../generate/pose.ts";
import { generateDataset } from "../generate/dataset.ts";

const SPEC = {
  name: "bench:generate",
  summary: "frames per second of the procedural generator, per line style",
  usage: "deno task bench:generate [--size 512] [--frames 60]",
  options: {
    size: { type: "string" as const, help: "frame side", default: "512" },
    frames: { type: "string" as const, help: "frames per measurement", default: "60" },
  },
};

/** Frames per second of rendering alone. */
export function benchRender(style: LineStyle, size: number, frames: number): number {
  const per = 15;
  let done = 0;
  // Warm-up (JIT) on a throw-away character.
  const w = new Rng(999);
  const ws = makeCharacter(w.fork("s"), "w"), wq = makeSequence(w.fork("q"), 3, size);
  for (let f = 0; f < 3; f++) renderFrame(ws, wq.poses[f], wq.cameras[f], { style, size, rng: w });
  const t0 = performance.now();
  for (let c = 0; done < frames; c++) {
    const rng = new Rng(7).fork(c);
    const spec = makeCharacter(rng.fork("spec"), `c${c}`);
    const seq = makeSequence(rng.fork("seq"), per, size);
    for (let f = 0; f < per && done < frames; f++, done++) {
      renderFrame(spec, seq.poses[f], seq.cameras[f], { style, size, rng: rng.fork(f) });
    }
  }
  return frames / ((performance.now() - t0) / 1000);
}

/** Frames per second end to end (generateDataset into a temporary folder). */
export async function benchGenerate(style: LineStyle, size: number, frames: number): Promise<number> {
  const tmp = await Deno.makeTempDir({ prefix: "mm-bench-gen-" });
  try {
    const pairs = Math.max(1, Math.round((frames * 8) / 15));
    const r = await generateDataset({
      out: path.join(tmp, "d"),
      pairs,
      style,
      seed: 7,
      size,
      gap: 7,
      framesPerCharacter: 15,
      progress: "off",
    });
    return r.frames / r.seconds;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/** Runs the benchmark. */
export async function benchGenerateCommand(args: string[]): Promise<void> {
  const a = parseCommand(args, SPEC);
  const size = num(a, "size", { integer: true, min: 64 });
  const frames = num(a, "frames", { integer: true, min: 1 });
  const result: Record<string, number | string> = { bench: "generate", size, frames };
  for (const style of LINE_STYLES) {
    const key = style.replace("-", "_");
    const render = benchRender(style, size, frames);
    const e2e = await benchGenerate(style, size, frames);
    console.log(
      `${style.padEnd(10)} render only ${render.toFixed(1)} frames/s   end to end (PNG + write) ${
        e2e.toFixed(1)
      } frames/s`,
    );
    result[`${key}_frames_per_s`] = +e2e.toFixed(2);
    result[`${key}_render_frames_per_s`] = +render.toFixed(2);
  }
  console.log(JSON.stringify(result));
}

if (import.meta.main) runMain(() => benchGenerateCommand(Deno.args));
