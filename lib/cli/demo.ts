/**
 * `deno task demo`: the main job on built-in defaults, as a new user's first command. It matches and colourises
 * two generated pairs (one clean, one hand-drawn; test-style characters, not training ones) with the shipped
 * model, then (when `../shared/real` sits beside the checkout) the
 * real hand-drawn clip laughing_girl (frame 0000 coloured -> frame 0002) and the real PaintBucket-Character frame
 * against a rotated, rescaled copy of itself, and prints where the pictures are.
 *
 * Each case writes `ref_seg.png`, `tgt_seg.png`, `matches.json`, `match_vis.png` (as `deno task match`) and
 * `colorized.png` (as `deno task colorize`), plus its inputs and `overview.png` (reference colours | target
 * colourised | true target colours when known), into `<out>/<case>/`.
 *
 * @module
 */
import * as path from "node:path";
import sharp from "sharp";
import { readGray, readRgb, writePng } from "../image/io.ts";
import type { GrayImage, RgbaImage, RgbImage } from "../image/types.ts";
import { renderPair } from "../generate/pair.ts";
import { colorizationScores, colorizePair } from "../match/colorize_pair.ts";
import { similarityFromTokens } from "../match/descriptors.ts";
import { MATCHER_KINDS } from "../match/pipeline.ts";
import { REGION_MODES, type RegionMode } from "../regions/segment.ts";
import { choice, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { atomicWriteJson, existsSync, stageDir } from "../util/fs.ts";
import { realDataDir, repoPath } from "../util/paths.ts";
import { DEFAULT_WEIGHTS } from "../eval/shipped.ts";
import { sideBySide } from "../viz/color.ts";
import { DEFAULT_HEAD, resolveRegionHead } from "../match/region_head.ts";
import { MATCHING_OPTIONS, summary, TOOL_MATCHER, writeMatchOutputs } from "./match.ts";

const SPEC = {
  name: "demo",
  summary: "match and colourise a generated pair (and the real samples when present) with the shipped model",
  usage:
    "deno task demo [--out out/demo] [--weights DIR] [--matcher region|paper] [--regions lines|patches|hybrid|strokes] [--force]",
  options: {
    out: { type: "string" as const, help: "output folder", default: "out/demo" },
    weights: { type: "string" as const, help: "model folder", default: DEFAULT_WEIGHTS },
    matcher: {
      type: "string" as const,
      help: "region (region descriptors + Sinkhorn + alignment) or paper (patch votes, eq. 5)",
      default: TOOL_MATCHER,
    },
    regions: {
      type: "string" as const,
      help: "how regions are made (default: strokes for the region matcher, hybrid for paper)",
    },
    head: MATCHING_OPTIONS.head,
    "no-real": { type: "boolean" as const, help: "skip the real samples even when ../shared/real exists" },
    backend: {
      type: "string" as const,
      help: "tfjs backend: auto, tensorflow, wasm or cpu",
      default: "auto",
    },
    force: { type: "boolean" as const, help: "replace an existing output folder" },
  },
  examples: ["deno task demo", "deno task demo --out out/demo2 --matcher paper --regions patches"],
};

/** One demo case: a coloured reference, its line art, and a target drawing (with its true colours if known). */
export interface DemoCase {
  name: string;
  title: string;
  refColor: RgbImage;
  refLine: GrayImage;
  tgtLine: GrayImage;
  tgtTruth: RgbImage | null;
}

function rgbaToRgb(img: RgbaImage): RgbImage {
  const n = img.width * img.height, out = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    const a = img.data[4 * i + 3] / 255;
    for (let c = 0; c < 3; c++) out[3 * i + c] = Math.round(img.data[4 * i + c] * a + 255 * (1 - a));
  }
  return { width: img.width, height: img.height, data: out };
}

/** A generated case: frames 0 and 7 of a character (seed fixed), true colours known. */
export function generatedCase(style: "clean" | "hand-drawn" = "hand-drawn", seed = 7): DemoCase {
  const { a, b } = renderPair({ size: 512, style, seed, stream: "demo" });
  return {
    name: style === "clean" ? "generated_clean" : "generated_hand",
    title: `generated ${style} pair (frames 0 -> 7)`,
    refColor: rgbaToRgb(a.gt),
    refLine: a.line,
    tgtLine: b.line,
    tgtTruth: rgbaToRgb(b.gt),
  };
}

/** Rotates and rescales an image about its centre onto a white canvas of the same size (nearest neighbour). */
async function transformed(img: RgbImage, angle: number, scale: number): Promise<RgbImage> {
  const { width: W, height: H } = img;
  const rotated = await sharp(img.data, { raw: { width: W, height: H, channels: 3 } })
    .resize(Math.round(W * scale), Math.round(H * scale), { kernel: "nearest" })
    .rotate(angle, { background: "#ffffff" })
    .raw().toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = rotated.info;
  const out = new Uint8Array(W * H * 3).fill(255);
  const ox = Math.round((W - w) / 2), oy = Math.round((H - h) / 2);
  for (let y = 0; y < H; y++) {
    const sy = y - oy;
    if (sy < 0 || sy >= h) continue;
    for (let x = 0; x < W; x++) {
      const sx = x - ox;
      if (sx < 0 || sx >= w) continue;
      out.set(rotated.data.subarray(3 * (sy * w + sx), 3 * (sy * w + sx) + 3), 3 * (y * W + x));
    }
  }
  return { width: W, height: H, data: out };
}

function grayOf(img: RgbImage, threshold = 128): GrayImage {
  const n = img.width * img.height, out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = Math.max(img.data[3 * i], img.data[3 * i + 1], img.data[3 * i + 2]) < threshold ? 0 : 255;
  }
  return { width: img.width, height: img.height, data: out };
}

/** The real cases, when the real-data folder is present. */
export async function realCases(dir: string): Promise<DemoCase[]> {
  const cases: DemoCase[] = [];
  const lg = path.join(dir, "hand-drawn", "laughing_girl");
  if (existsSync(path.join(lg, "gt", "0000.png")) && existsSync(path.join(lg, "line", "0002.png"))) {
    cases.push({
      name: "laughing_girl",
      title: "real hand-drawn clip laughing_girl (coloured 0000 -> line 0002)",
      refColor: await readRgb(path.join(lg, "gt", "0000.png")),
      refLine: await readGray(path.join(lg, "line", "0000.png")),
      tgtLine: await readGray(path.join(lg, "line", "0002.png")),
      tgtTruth: null,
    });
  }
  const pbc = path.join(dir, "pbc-sample", "Char0242");
  if (existsSync(path.join(pbc, "gt", "0242.png")) && existsSync(path.join(pbc, "line", "0242.png"))) {
    const refColor = await readRgb(path.join(pbc, "gt", "0242.png"));
    const refLine = await readGray(path.join(pbc, "line", "0242.png"));
    // The target: the same frame turned 12 degrees and shrunk to 85%, lines and colours alike, so its true colours
    // are known. (The sample ships one frame only.)
    const lineRgb: RgbImage = {
      width: refLine.width,
      height: refLine.height,
      data: new Uint8Array(refLine.data.length * 3),
    };
    refLine.data.forEach((v, i) => lineRgb.data.fill(v, 3 * i, 3 * i + 3));
    const tgtLine = grayOf(await transformed(lineRgb, 12, 0.85));
    const tgtTruth = await transformed(refColor, 12, 0.85);
    cases.push({
      name: "pbc_sample",
      title: "real PaintBucket-Character frame 0242 -> itself turned 12 deg, 85%",
      refColor,
      refLine,
      tgtLine,
      tgtTruth,
    });
  }
  return cases;
}

if (import.meta.main) {
  runMain(async () => {
    const args = parseCommand(Deno.args, SPEC);
    const out = str(args, "out") ?? "out/demo";
    const weights = str(args, "weights") ?? DEFAULT_WEIGHTS;
    const weightsDir = path.isAbsolute(weights) || existsSync(weights) ? weights : repoPath(weights);
    if (!existsSync(path.join(weightsDir, "model.json"))) {
      throw new UserError(
        "no model here (model.json missing); train one with deno task train or pass --weights",
        weightsDir,
      );
    }
    const regions = str(args, "regions") as RegionMode | undefined;
    if (regions !== undefined && !REGION_MODES.includes(regions)) {
      throw new UserError(
        `--regions must be one of ${REGION_MODES.join("|")}, got ${JSON.stringify(regions)}`,
      );
    }
    const matcher = choice(args, "matcher", MATCHER_KINDS, TOOL_MATCHER);
    const head = await resolveRegionHead(str(args, "head") ?? "none", weightsDir, repoPath(DEFAULT_HEAD));
    const m = await import("../model/mod.ts");
    await m.initBackend({ backend: choice(args, "backend", m.BACKEND_KINDS, "auto") });
    const model = await m.loadModel(weightsDir);
    const real = args.values["no-real"] ? null : realDataDir();
    const cases = [
      generatedCase("clean"),
      generatedCase("hand-drawn"),
      ...(real ? await realCases(real) : []),
    ];
    if (!real && !args.values["no-real"]) {
      console.log("(no ../shared/real beside the checkout: the real samples are skipped)");
    }
    const report: Record<string, unknown>[] = [];
    try {
      await stageDir(out, { force: Boolean(args.values.force) }, async (tmp) => {
        for (const c of cases) {
          const dir = path.join(tmp, c.name);
          await Deno.mkdir(dir, { recursive: true });
          const t0 = performance.now();
          const tokens = matcher === "region" ? await model.pairTokens(c.refLine, c.tgtLine) : undefined;
          const sim = tokens ? similarityFromTokens(tokens) : await model.similarity(c.refLine, c.tgtLine);
          const { painted, fills, match } = colorizePair(c.refColor, c.refLine, c.tgtLine, sim, {
            match: { matcher, tokens, regionMatcher: { head }, ...(regions ? { regions } : {}) },
          });
          const ms = performance.now() - t0;
          await writeMatchOutputs(dir, c.refLine, c.tgtLine, match);
          await writePng(path.join(dir, "colorized.png"), painted);
          await writePng(path.join(dir, "ref_color.png"), c.refColor);
          await writePng(path.join(dir, "ref_line.png"), c.refLine);
          await writePng(path.join(dir, "tgt_line.png"), c.tgtLine);
          await writePng(
            path.join(dir, "overview.png"),
            sideBySide([c.refColor, painted, ...(c.tgtTruth ? [c.tgtTruth] : [])], 16),
          );
          const row: Record<string, unknown> = {
            case: c.name,
            regions_ref: match.countA,
            regions_tgt: match.countB,
            matches: match.matches.length,
            seconds: +(ms / 1000).toFixed(2),
          };
          let scores = "";
          if (c.tgtTruth) {
            await writePng(path.join(dir, "tgt_color_truth.png"), c.tgtTruth);
            const s = colorizationScores(fills, c.tgtTruth, c.tgtLine);
            row.pixel_accuracy = +s.pixel.accuracy.toFixed(4);
            row.pixel_accuracy_fg = +s.pixelFg.accuracy.toFixed(4);
            row.region_accuracy = +s.region.accuracy.toFixed(4);
            scores = `; colourisation: ${(100 * s.pixelFg.accuracy).toFixed(1)}% of foreground pixels, ${
              (100 * s.region.accuracy).toFixed(1)
            }% of regions right`;
          }
          report.push(row);
          console.log(`${c.title}: ${summary(match)}${scores}`);
        }
        await atomicWriteJson(path.join(tmp, "demo.json"), { weights: weightsDir, cases: report });
      });
    } finally {
      model.dispose();
    }
    console.log(
      `\npictures: ${
        cases.map((c) => path.join(out, c.name, "{match_vis.png,overview.png}")).join("\n          ")
      }`,
    );
  });
}
