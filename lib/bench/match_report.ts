/**
 * The report of `deno task bench:match`: the per-mode table, the forward table, the post-processing and
 * watershed against scikit-image, and the JSON figures.
 *
 * @module
 */
import { formatForward, forwardReport } from "./forward_report.ts";
import type { MatchBenchResult } from "./match.ts";
import { median } from "./timing.ts";

/** scikit-image's timings of a run (its two measurements pooled, first two of each dropped as warm-up). */
function skimageFigures(r: MatchBenchResult) {
  const { before, after } = r.skimage;
  const times = [before, after].flatMap((s) => ("times" in s ? s.times.slice(2) : []));
  const ms = times.length ? median(times) : null;
  const min = times.length ? Math.min(...times) : null;
  const sk = "times" in after ? after : "times" in before ? before : null;
  const why = "skipped" in after ? after.skipped : "skipped" in before ? before.skipped : "";
  return { times, ms, min, sk, why };
}

/**
 * The benchmark's printed lines (everything but the JSON).
 *
 * @example
 * ```ts
 * for (const l of formatMatchBench(result)) console.log(l);
 * ```
 */
export function formatMatchBench(r: MatchBenchResult): string[] {
  const out: string[] = [];
  const f1 = (x: number | null) => (x === null || Number.isNaN(x) ? "-" : x.toFixed(1));
  out.push(
    `\n${"mode".padEnd(8)} ${"total".padStart(8)} ${"forward".padStart(8)} ${"post".padStart(8)} ${
      "match".padStart(8)
    } ${"paint".padStart(8)} ${"I/O".padStart(8)}  regions  matches   (ms per pair, both drawings)`,
  );
  for (const [mode, f] of Object.entries(r.figures)) {
    out.push(
      `${mode.padEnd(8)} ${f1(f.total).padStart(8)} ${f1(f.forward).padStart(8)} ${f1(f.post).padStart(8)} ${
        f1(f.matching).padStart(8)
      } ${f1(f.paint).padStart(8)} ${f1(f.io).padStart(8)}  ${
        `${f.regions[0]}/${f.regions[1]}`.padStart(7)
      }  ${String(f.matches).padStart(7)}`,
    );
  }
  if (r.figures.region) {
    out.push(
      "region = the default of match/colorize/demo as `colorize` runs it: tokens forward, strokes regions (post), " +
        "region matcher (match), painting the target (paint); I/O: decode, region maps and coloured target encoded; " +
        "the other rows: the paper's matcher in that region mode, I/O with the match picture",
    );
  }
  const fmtSteps = (s: Record<string, number>) =>
    Object.entries(s).filter(([, v]) => v >= 0.05).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ");
  for (const [mode, f] of Object.entries(r.figures)) {
    out.push(`  ${mode} steps (both drawings): ${fmtSteps(f.steps)}`);
  }
  out.push("", ...formatForward(r.forward));
  const sk = skimageFigures(r);
  out.push(
    `\none ${r.width}x${r.height} drawing, ${r.clusters} merged patch clusters seeding an 8-connected watershed over ${r.watershedLevels} levels:`,
  );
  if (!sk.sk) out.push(`  scikit-image: skipped (${sk.why})`);
  else {
    out.push(
      `  scikit-image ${sk.sk.version} watershed (heap), same edge levels and seeds: ${
        sk.ms!.toFixed(2)
      } ms ` +
        `(median of ${sk.times.length}, measured before and after ours); labels agree with ours on ${
          (100 * sk.sk.agreement).toFixed(2)
        }% of pixels`,
    );
  }
  const rtxt = (x: number, xMin: number) => {
    if (!sk.ms || !sk.min) return "";
    const q = x / sk.ms, qm = xMin / sk.min;
    return ` = ${q.toFixed(2)}x scikit-image's watershed time (${
      (1 / q).toFixed(1)
    }x faster); fastest runs: ` +
      `${xMin.toFixed(2)} ms = ${qm.toFixed(2)}x`;
  };
  out.push(
    `  ours, watershed alone (bucket queue): ${r.watershedMs.toFixed(2)} ms${
      rtxt(r.watershedMs, r.watershedMinMs)
    }`,
  );
  for (const [mode, f] of Object.entries(r.figures)) {
    out.push(
      `  ours, whole post-processing, ${mode} (edge map to patch vote): ${f.postOne.toFixed(2)} ms${
        rtxt(f.postOne, f.postOneMin)
      }`,
    );
    out.push(`    ${fmtSteps(f.postOneSteps)}`);
  }
  if (sk.min !== null) out.push(`  (scikit-image's fastest run: ${sk.min.toFixed(2)} ms)`);
  return out;
}

/**
 * The benchmark's JSON figures (its last line): the `patches` mode's (or the first mode's) at the top, every
 * mode's under `modes`, the forward's (lib/bench/forward_report.ts) merged in.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(matchBenchReport(result)));
 * ```
 */
export function matchBenchReport(r: MatchBenchResult): Record<string, unknown> {
  const o = r.options, sk = skimageFigures(r);
  const round = (x: number | null) => (x === null || Number.isNaN(x) ? null : Math.round(x * 100) / 100);
  const ratio = (x: number) => (sk.ms ? x / sk.ms : null);
  const ratioMin = (x: number) => (sk.min ? x / sk.min : null);
  const main = r.figures.patches ?? Object.values(r.figures)[0];
  return {
    bench: "match",
    size: o.size,
    repeats: o.repeats,
    style: o.style,
    seed: o.seed,
    forward: r.modelName,
    similarity: r.simName,
    mode: r.figures.patches ? "patches" : o.modes[0],
    ms_per_pair: round(main.total),
    forward_ms: round(main.forward),
    postprocess_ms: round(main.post),
    matching_ms: round(main.matching),
    io_ms: round(main.io),
    watershed_ms: round(r.watershedMs),
    skimage_watershed_ms: round(sk.ms),
    watershed_ratio: round(ratio(r.watershedMs)),
    postprocess_one_ms: round(main.postOne),
    postprocess_vs_skimage_ratio: round(ratio(main.postOne)),
    skimage_watershed_min_ms: round(sk.min),
    watershed_min_ratio: round(ratioMin(r.watershedMinMs)),
    postprocess_one_min_ms: round(main.postOneMin),
    postprocess_vs_skimage_min_ratio: round(ratioMin(main.postOneMin)),
    watershed_agreement: sk.sk ? Math.round(sk.sk.agreement * 1e5) / 1e5 : null,
    skimage_version: sk.sk?.version ?? null,
    ...forwardReport(r.forward),
    modes: Object.fromEntries(
      Object.entries(r.figures).map(([mo, f]) => [mo, {
        ms_per_pair: round(f.total),
        forward_ms: round(f.forward),
        postprocess_ms: round(f.post),
        matching_ms: round(f.matching),
        io_ms: round(f.io),
        paint_ms: round(f.paint),
        postprocess_one_ms: round(f.postOne),
        postprocess_vs_skimage_ratio: round(ratio(f.postOne)),
        postprocess_one_min_ms: round(f.postOneMin),
        postprocess_vs_skimage_min_ratio: round(ratioMin(f.postOneMin)),
        regions: f.regions,
        matches: f.matches,
      }]),
    ),
  };
}
