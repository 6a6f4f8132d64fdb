/**
 * `deno task colorize`: paint a target line-art drawing from a coloured reference frame. The reference's
 * regions are its line art's regions, made like the target's (`--ref-regions line`, the default), or its flat
 * colour fills (`--ref-regions color`); each target region takes the colour of the reference region it matches (regions no
 * match covers take their most similar reference region's colour unless `--fallback none`); the target's
 * strokes stay on top.
 *
 * `deno task colorize REF_COLOR.png TGT_LINE.png --out OUT.png --weights W [--ref-line REF_LINE.png]`. Without
 * `--ref-line`, the reference line art is the colour frame's near-black pixels (PBC colour frames draw their
 * lines black). With `--gt TGT_COLOR.png`, the result is scored as PaintBucket colourisation is: pixel accuracy
 * over non-stroke pixels and region accuracy over the ground truth's colour regions.
 *
 * Why `line` by default: on the PBC sample pair with the oracle similarity (lines mode), line regions gave 96.2%
 * pixel / 42.3% segment accuracy, colour fills 93.1% / 34.5%: a fill spans every part painted alike (all hair
 * strands), so it matches as one and its small parts lose their own partners.
 *
 * @module
 */
import { readGray, readRgb, writePng } from "../image/io.ts";
import type { GrayImage, RgbImage } from "../image/types.ts";
import { colorize, dominantColors } from "../match/colorize.ts";
import { pixelAccuracy, regionAccuracy } from "../match/colorize_metrics.ts";
import { bestPartners } from "../match/matching.ts";
import { matchPair } from "../match/pipeline.ts";
import { COLOR_REGION_DEFAULTS, colorRegions } from "../regions/color_regions.ts";
import type { Rgb } from "../viz/color.ts";
import { choice, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { guardOutput } from "../util/fs.ts";
import { MATCHING_OPTIONS, matchOptionsFrom, modelSimilarity, summary } from "./match.ts";

const SPEC = {
  name: "colorize",
  summary: "fill a target drawing's regions with the colours of the matching regions of a coloured reference",
  usage:
    "deno task colorize REF_COLOR.png TGT_LINE.png --out OUT.png --weights W [--ref-line REF_LINE.png] [options]",
  options: {
    out: { type: "string" as const, short: "o", help: "output PNG" },
    "ref-line": {
      type: "string" as const,
      help: "the reference's line art (default: the colour frame's black pixels)",
    },
    "ref-regions": {
      type: "string" as const,
      help: "reference regions: line (its line art's regions, as the target's) or color (its flat fills)",
      default: "line",
    },
    fallback: {
      type: "string" as const,
      help: "regions no match covers: best (most similar reference region's colour) or none (left white)",
      default: "best",
    },
    gt: { type: "string" as const, help: "the target's true colour frame: print pixel and region accuracy" },
    ...MATCHING_OPTIONS,
  },
  examples: [
    "deno task colorize ref_color.png tgt_line.png --out tgt_color.png --weights experiments/small-v1",
    "deno task colorize gt/0000.png line/0002.png --ref-line line/0000.png --out 0002_color.png --weights W",
  ],
};

/** Line art from a colour frame: near-black pixels are strokes. */
export function lineFromColor(
  color: RgbImage,
  blackThreshold = COLOR_REGION_DEFAULTS.blackThreshold,
): GrayImage {
  const n = color.width * color.height;
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = color.data;
    data[i] = Math.max(d[3 * i], d[3 * i + 1], d[3 * i + 2]) < blackThreshold ? 0 : 255;
  }
  return { width: color.width, height: color.height, data };
}

if (import.meta.main) {
  runMain(async () => {
    const args = parseCommand(Deno.args, SPEC);
    const out = str(args, "out");
    if (!out) throw new UserError("missing --out OUT.png (see --help)");
    if (args.positionals.length !== 2) throw new UserError("give REF_COLOR.png TGT_LINE.png (see --help)");
    await guardOutput(out, { force: Boolean(args.values.force) });
    const [refPath, tgtPath] = args.positionals;
    const refRegionsFrom = choice(args, "ref-regions", ["line", "color"] as const, "line");
    const fallback = choice(args, "fallback", ["best", "none"] as const, "best");
    const refColor = await readRgb(refPath);
    const refLinePath = str(args, "ref-line");
    const refLine = refLinePath ? await readGray(refLinePath) : lineFromColor(refColor);
    if (refLine.width !== refColor.width || refLine.height !== refColor.height) {
      throw new UserError(
        `reference line art is ${refLine.width}x${refLine.height} but the colour frame is ${refColor.width}x${refColor.height}`,
        refLinePath,
      );
    }
    const tgtLine = await readGray(tgtPath);
    const gtPath = str(args, "gt");
    const gt = gtPath ? await readRgb(gtPath) : null;
    if (gt && (gt.width !== tgtLine.width || gt.height !== tgtLine.height)) {
      throw new UserError(
        `is ${gt.width}x${gt.height} but the target drawing is ${tgtLine.width}x${tgtLine.height}`,
        gtPath,
      );
    }

    const model = await modelSimilarity(args);
    try {
      const sim = await model.forward(refLine, tgtLine);
      const regionsA = refRegionsFrom === "color" ? colorRegions(refColor, refLine).labels : undefined;
      const r = matchPair(refLine, tgtLine, sim, { ...matchOptionsFrom(args), regionsA });
      for (const w of r.warnings) console.error(`warning: ${w}`);
      const refColors = dominantColors(refColor, r.regionsA, { line: refLine });
      const bgColor: Rgb = r.backgroundA.map((id) => refColors[id]).find((c) => c) ?? [255, 255, 255];
      const skipA = new Uint8Array(r.countA + 1);
      for (const id of r.backgroundA) skipA[id] = 1;
      const painted = colorize(tgtLine, r.regionsB, refColors, r.matches, {
        fallback: fallback === "best" ? bestPartners(r.simBA, r.countB, r.countA, skipA) : null,
        background: r.backgroundB,
        backgroundColor: bgColor,
      });
      await writePng(out, painted);
      const fills = colorize(tgtLine, r.regionsB, refColors, r.matches, {
        fallback: fallback === "best" ? bestPartners(r.simBA, r.countB, r.countA, skipA) : null,
        background: r.backgroundB,
        backgroundColor: bgColor,
        keepLines: false, // scored on the fills alone: anti-aliased stroke edges are not colour errors
      });
      console.log(`${summary(r)}\nwrote ${out}`);
      if (gt) {
        const notLine = new Uint8Array(tgtLine.width * tgtLine.height);
        for (let i = 0; i < notLine.length; i++) notLine[i] = tgtLine.data[i] >= 160 ? 1 : 0;
        const px = pixelAccuracy(fills, gt, { mask: notLine });
        const gtRegions = colorRegions(gt, tgtLine).labels;
        const reg = regionAccuracy(fills, gt, gtRegions);
        console.log(
          `pixel accuracy ${
            (100 * px.accuracy).toFixed(2)
          }% (${px.correct}/${px.total} non-stroke pixels), ` +
            `region accuracy ${
              (100 * reg.accuracy).toFixed(2)
            }% (${reg.correct}/${reg.total} colour regions of ${gtPath})`,
        );
      }
    } finally {
      model.dispose();
    }
  });
}
