/**
 * `deno task stats`: how rich a dataset's frames are (segments, labels, segment sizes), as a table and JSON,
 * beside the real PBC sample frame when `../shared/real` is present.
 *
 * @module
 */
import * as path from "node:path";
import { num, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { atomicWriteJson, exists } from "../util/fs.ts";
import { realDataDir } from "../util/paths.ts";
import { Progress } from "../util/progress.ts";
import {
  collectFrameStats,
  type DatasetStats,
  listAllFrames,
  statsTable,
  summarizeFrames,
} from "../data/stats.ts";

const SPEC = {
  name: "stats",
  summary: "segments, labels and segment sizes of PBC-layout datasets, beside the real PBC sample frame",
  usage: "deno task stats --data DIR [MORE_DIRS...] [--real DIR] [--max-frames N] [--json FILE]",
  options: {
    data: { type: "string" as const, help: "dataset folder (more can follow as arguments)" },
    real: {
      type: "string" as const,
      help: "real PBC-layout folder to show beside (default: ../shared/real/pbc-sample when present)",
    },
    "no-real": { type: "boolean" as const, help: "do not look for the real sample" },
    "max-frames": {
      type: "string" as const,
      help: "measure at most this many frames per dataset, evenly spread (0 = all)",
      default: "400",
    },
    json: { type: "string" as const, help: "also write the statistics to this JSON file" },
  },
  examples: [
    "deno task stats --data data/test-clean data/test-hand",
    "deno task stats --data data/train-clean --real ../shared/real/pbc-sample",
  ],
};

/** Runs the command. */
export async function statsCommand(args: string[]): Promise<void> {
  const a = parseCommand(args, SPEC);
  const first = str(a, "data", true);
  const dirs = [first, ...a.positionals];
  const maxFrames = num(a, "max-frames", { integer: true, min: 0 });
  let real = str(a, "real");
  if (real === undefined && !a.values["no-real"]) {
    const r = realDataDir();
    if (r && await exists(path.join(r, "pbc-sample"))) real = path.join(r, "pbc-sample");
  } else if (real !== undefined && !(await exists(real))) {
    throw new UserError("real data folder not found", real);
  }
  const list: DatasetStats[] = [];
  for (const [k, dir] of [...dirs, ...(real ? [real] : [])].entries()) {
    const isReal = real !== undefined && k === dirs.length;
    const n = (await listAllFrames(dir)).length;
    const bar = new Progress({
      total: maxFrames > 0 ? Math.min(n, maxFrames) : n,
      label: `stats ${dir}`,
      unit: "frames",
    });
    const frames = await collectFrameStats(dir, { maxFrames, onFrame: () => bar.tick() });
    await bar.done();
    list.push(
      summarizeFrames(
        isReal ? `real PBC (${path.basename(dir)})` : path.basename(path.resolve(dir)),
        dir,
        frames,
      ),
    );
  }
  console.log(statsTable(list));
  const j = str(a, "json");
  if (j) await atomicWriteJson(j, list);
  console.log(JSON.stringify({
    stats: list.map((d) => ({
      name: d.name,
      frames: d.frames,
      segments_median: d.segmentsPerFrame.median,
      segments_mean: +d.segmentsPerFrame.mean.toFixed(2),
      large_segments_median: d.largeSegmentsPerFrame.median,
      labels_per_frame_median: d.labelsPerFrame.median,
      labels_per_character_median: d.labelsPerCharacter.median,
      segments_per_label_median: +d.segmentsPerLabel.median.toFixed(3),
    })),
  }));
}

if (import.meta.main) runMain(() => statsCommand(Deno.args));
