/**
 * Generation speed (`deno task bench:generate`): frames per second of the procedural generator, rendering alone
 * (scene, rasterisation, lines, segments) and end to end (plus PNG encoding and writing every PBC file).
 *
 * @module
 */
import * as path from "node:path";
import { makeCharacter } from "../generate/character.ts";
import { generateDataset } from "../generate/dataset.ts";
import { type LineStyle, renderFrame } from "../generate/frame.ts";
import { makeSequence } from "../generate/pose.ts";
import { Rng } from "../util/rng.ts";

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
