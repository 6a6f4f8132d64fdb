import * as path from "node:path";
import { readRgb, writePng } from "../image/io.ts";
import type { GrayImage } from "../image/types.ts";
import type { PairTokens } from "../model/similarity.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { clipFrames, colorizeClip, planClip } from "./clip.ts";
import { letterboxOf } from "./oracle.ts";
import { renderToyFrame } from "./toy_pair.ts";

const frames = (n: number, from = 0) =>
  Array.from({ length: n }, (_, k) => ({ name: String(from + k).padStart(4, "0"), index: from + k }));

Deno.test("planClip: chained steps walk outward from the nearest key; direct steps use the key", () => {
  const f = frames(6);
  const chain = planClip(f, ["0000", "0005"], true);
  assertEquals(
    chain.map((s) => `${s.frame.name}<${s.reference.name}`),
    ["0001<0000", "0004<0005", "0002<0001", "0003<0004"],
  );
  const direct = planClip(f, ["0000", "0005"], false);
  assertEquals(direct.map((s) => s.reference.name), ["0000", "0005", "0000", "0005"]);
  assert(direct.every((s) => s.fromKey));
  assertThrows(() => planClip(f, ["0009"], true), UserError);
  assertThrows(() => planClip(f, [], true), UserError);
});

/** Tokens from the line art itself (ink share and position per patch): enough to exercise the plumbing. */
function lineTokens(a: GrayImage, b: GrayImage): Promise<PairTokens> {
  const size = 64, patch = 16, grid = 4, dim = 3;
  const tokens = new Float32Array(2 * grid * grid * dim);
  [a, b].forEach((img, k) => {
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const t = Math.floor((y * grid) / img.height) * grid + Math.floor((x * grid) / img.width);
        const o = (k * grid * grid + t) * dim;
        tokens[o] += 1;
        tokens[o + 1] += x / img.width;
        tokens[o + 2] += img.data[y * img.width + x] < 128 ? 1 : 0;
      }
    }
  });
  const box = letterboxOf(a.width, a.height, size);
  return Promise.resolve({ tokens, dim, grid, patch, boxA: box, boxB: box, normalized: false });
}

async function writeClip(
  dir: string,
  n: number,
  opts: { gap?: number; blank?: number; greyKey?: boolean } = {},
) {
  await Deno.mkdir(path.join(dir, "line"), { recursive: true });
  await Deno.mkdir(path.join(dir, "gt"), { recursive: true });
  for (let k = 0; k < n; k++) {
    if (k === opts.gap) continue;
    const f = renderToyFrame(96, { dx: 0.01 * k, dy: 0, s: 1, tilt: 0, blink: 1 });
    const name = String(k).padStart(4, "0");
    const line = k === opts.blank
      ? { ...f.line, data: new Uint8Array(f.line.data.length).fill(255) }
      : f.line;
    await writePng(path.join(dir, "line", `${name}.png`), line);
    await writePng(path.join(dir, "gt", `${name}.png`), opts.greyKey && k === 0 ? f.line : f.color);
  }
}

Deno.test("colorizeClip: every frame coloured in plan order, scored where gt/ exists; bad folders fail first", async () => {
  const root = await Deno.makeTempDir();
  try {
    const ok = path.join(root, "ok");
    await writeClip(ok, 4);
    const seen: string[] = [];
    let keyOut: Uint8Array | null = null;
    const records = await colorizeClip(ok, {
      keys: ["0000"],
      chain: true,
      tokens: lineTokens,
      match: {},
      onFrame: (f, painted) => {
        seen.push(f.name);
        if (f.name === "0000") keyOut = painted.data;
        assertEquals([painted.width, painted.height], [96, 96]);
      },
    });
    assertEquals(seen, ["0000", "0001", "0002", "0003"]);
    assertEquals(records.map((r) => r.reference), [null, "0000", "0001", "0002"]);
    assert(records.slice(1).every((r) => r.region_accuracy !== undefined && r.region_accuracy >= 0));
    // The keyframe's own output is its colour frame.
    assertEquals(keyOut, (await readRgb(path.join(ok, "gt", "0000.png"))).data);

    const gap = path.join(root, "gap");
    await writeClip(gap, 4, { gap: 2 });
    await assertRejects(() => clipFrames(gap), UserError, "missing 2");
    const blank = path.join(root, "blank");
    await writeClip(blank, 3, { blank: 2 });
    const calls: string[] = [];
    await assertRejects(
      () =>
        colorizeClip(blank, {
          keys: ["0000"],
          chain: true,
          tokens: lineTokens,
          match: {},
          onFrame: (f) => void calls.push(f.name),
        }),
      UserError,
      "0002.png",
    );
    assertEquals(calls, []); // nothing half-done: the check runs before any frame is written
    const grey = path.join(root, "grey");
    await writeClip(grey, 3, { greyKey: true });
    await assertRejects(
      () => colorizeClip(grey, { keys: ["0000"], chain: true, tokens: lineTokens, match: {} }),
      UserError,
      "not coloured",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
