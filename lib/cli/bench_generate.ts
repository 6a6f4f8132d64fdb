/**
 * `deno task bench:generate`: parses the options, times the generator at each line style (lib/bench's
 * `benchRender`, `benchGenerate`) and prints frames per second; ends with one JSON line of the figures;
 * `--record` also writes them to `experiments/bench/generate.json` with date, machine and command.
 *
 * @module
 */
import { benchGenerate, benchRender } from "../bench/generate.ts";
import { commandLine, loadAverage, recordPath, writeBenchRecord } from "../bench/record.ts";
import { LINE_STYLES } from "../generate/frame.ts";
import { num, parseCommand, runMain } from "../util/cli.ts";
import { guardOutput } from "../util/fs.ts";

const SPEC = {
  name: "bench:generate",
  summary: "frames per second of the procedural generator, per line style",
  usage: "deno task bench:generate [--size 512] [--frames 60] [--record [--force]]",
  options: {
    size: { type: "string" as const, help: "frame side", default: "512" },
    frames: { type: "string" as const, help: "frames per measurement", default: "60" },
    record: {
      type: "boolean" as const,
      help: "also write the figures to experiments/bench/generate.json (date, machine, command)",
    },
    force: { type: "boolean" as const, help: "with --record: replace an existing record" },
  },
};

/** Runs the benchmark. */
export async function benchGenerateCommand(args: string[]): Promise<void> {
  const a = parseCommand(args, SPEC);
  const loadStart = loadAverage();
  const record = a.values.record === true, force = a.values.force === true;
  if (record) await guardOutput(recordPath("generate"), { force });
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
  if (record) {
    const file = await writeBenchRecord("generate", commandLine("bench:generate", args), result, {
      force,
      loadStart,
    });
    console.log(`recorded ${file}`);
  }
  console.log(JSON.stringify(result));
}

if (import.meta.main) runMain(() => benchGenerateCommand(Deno.args));
