/**
 * `deno task colorize`: paint a target line-art drawing from a coloured reference frame. The reference's
 * regions are its line art's regions, made like the target's (`--ref-regions line`, the default), or its flat
 * colour fills (`--ref-regions color`); each target region takes the colour of the reference region it matches (regions no
 * match covers take their most similar reference region's colour unless `--fallback none`); the target's
 * strokes stay on top.
 *
 * `deno task colorize REF_COLOR.png TGT_LINE.png --out OUT.png [--weights W] [--ref-line REF_LINE.png]`. Without
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
import { colorizationScores, colorizePair, lineFromColor } from "../match/colorize_pair.ts";
import { choice, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { guardOutput } from "../util/fs.ts";
import { MATCHING_OPTIONS, matchOptionsFrom, modelSimilarity, summary } from "./match.ts";

const SPEC = {
  name: "colorize",
  summary: "fill a target drawing's regions with the colours of the matching regions of a coloured reference",
  usage:
    "deno task colorize REF_COLOR.png TGT_LINE.png --out OUT.png [--weights W] [--ref-line REF_LINE.png] [options]",
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
      const { painted, fills, match } = colorizePair(refColor, refLine, tgtLine, sim, {
        refRegions: refRegionsFrom,
        fallback,
        match: matchOptionsFrom(args),
      });
      for (const w of match.warnings) console.error(`warning: ${w}`);
      await writePng(out, painted);
      console.log(`${summary(match)}\nwrote ${out}`);
      if (gt) {
        const { pixel: px, region: reg } = colorizationScores(fills, gt, tgtLine);
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
