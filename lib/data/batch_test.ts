import { assert, assertEquals } from "../testing/asserts.ts";
import { modelConfig } from "../model/config.ts";
import { patchify } from "../model/model.ts";
import { writeToyDataset } from "../train/fixture.ts";
import { Rng } from "../util/rng.ts";
import {
  assembleBatch,
  epochOrder,
  loadPairData,
  type PairItem,
  pairsForStep,
  splitByCharacter,
} from "./batch.ts";

const cfg = modelConfig("small", { inputSize: 32, patch: 16, dim: 8, heads: 2, vitLayers: 1, mtLayers: 1 });

Deno.test("splitByCharacter: validation characters never appear in training; seeded", () => {
  const items: PairItem[] = [];
  for (let c = 0; c < 10; c++) {
    for (let k = 0; k < 3; k++) items.push({ source: 0, a: k, b: k + 1, character: `0:c${c}` });
  }
  const { train, val } = splitByCharacter(items, 0.2, 5);
  const vc = new Set(val.map((p) => p.character));
  assertEquals(vc.size, 2);
  assert(train.every((p) => !vc.has(p.character)));
  assertEquals(train.length + val.length, items.length);
  assertEquals(splitByCharacter(items, 0.2, 5).val, val);
  assertEquals(splitByCharacter(items.slice(0, 3), 0.2, 5).val.length, 0); // one character: no validation
});

Deno.test("pairsForStep: each epoch visits every pair once, pure function of (seed, step)", () => {
  const items = Array.from({ length: 7 }, (_, i) => ({ source: 0, a: i, b: i, character: "x" }));
  const seen: number[] = [];
  // 7 items, batch 3: steps 0..6 cover 21 positions = 3 epochs.
  for (let s = 0; s < 7; s++) seen.push(...pairsForStep(items, s, 3, 11).map((p) => p.a));
  for (let e = 0; e < 3; e++) assertEquals([...seen.slice(e * 7, e * 7 + 7)].sort(), [0, 1, 2, 3, 4, 5, 6]);
  assertEquals(pairsForStep(items, 4, 3, 11), pairsForStep(items, 4, 3, 11));
  assertEquals(Array.from(epochOrder(7, 1, 11)), seen.slice(7, 14));
});

Deno.test("assembleBatch: interleaved a, b images and their labels; mirroring moves labels with pixels", async () => {
  const root = await Deno.makeTempDir();
  await writeToyDataset(root, { characters: 2, frames: 3, size: 64 });
  const data = await loadPairData([root], { size: 32, patch: 16, progress: false }, { gap: 1 });
  assertEquals(data.items.length, 4);
  const items = data.items.slice(0, 2);
  const c = data.caches[0];
  const b = assembleBatch(data.caches, items, cfg, null);
  assertEquals(b.pairs, 2);
  const imgs = items.flatMap((it) => [it.a, it.b].map((k) => c.lines.subarray(k * 1024, (k + 1) * 1024)));
  assertEquals(b.patches, patchify(imgs, cfg));
  assertEquals(b.labels.subarray(4, 8), c.labels.subarray(items[0].b * 4, items[0].b * 4 + 4));
  // With augmentation: every image is its frame or the mirror of it, and labels follow.
  const rng = new Rng(3);
  for (let t = 0; t < 8; t++) {
    const ba = assembleBatch(data.caches, items.slice(0, 1), cfg, rng);
    const it = items[0];
    const cand = [it.a, it.b];
    for (let side = 0; side < 2; side++) {
      const lab = Array.from(ba.labels.subarray(side * 4, side * 4 + 4));
      const ok = cand.some((k) => {
        const l = Array.from(c.labels.subarray(k * 4, k * 4 + 4));
        return JSON.stringify(l) === JSON.stringify(lab) ||
          JSON.stringify([l[1], l[0], l[3], l[2]]) === JSON.stringify(lab);
      });
      assert(ok, `labels ${lab} are no frame's labels or their mirror`);
    }
  }
  await Deno.remove(root, { recursive: true });
});

Deno.test("assembleBatch: the two images of a pair are mirrored together (never one alone)", async () => {
  const root = await Deno.makeTempDir();
  await writeToyDataset(root, { characters: 1, frames: 2, size: 64 });
  const data = await loadPairData([root], { size: 32, patch: 16, progress: false }, { gap: 1 });
  const c = data.caches[0], it = data.items[0], S = 32;
  const frame = (k: number, flip: boolean) => {
    const src = c.lines.subarray(k * S * S, (k + 1) * S * S), out = new Uint8Array(S * S);
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) out[y * S + x] = src[y * S + (flip ? S - 1 - x : x)];
    }
    return out;
  };
  // Every frame differs from its mirror, so each image tells whether it was mirrored.
  for (const k of [it.a, it.b]) assert(frame(k, false).some((v, i) => v !== frame(k, true)[i]));
  const rng = new Rng(5), seen = new Set<boolean>();
  for (let t = 0; t < 16; t++) {
    const b = assembleBatch(data.caches, [it], cfg, rng);
    const flips = [0, 1].map((side) => {
      const got = b.patches.subarray(side * 4 * 256, (side + 1) * 4 * 256);
      const match = [it.a, it.b].flatMap((k) =>
        [false, true].filter((f) => patchify([frame(k, f)], cfg).every((v, i) => v === got[i]))
      );
      assertEquals(match.length > 0, true, `image ${side} is neither frame nor its mirror`);
      return match[0];
    });
    assertEquals(flips[0], flips[1], `trial ${t}: one image mirrored alone`);
    seen.add(flips[0]);
  }
  assertEquals(seen.size, 2, "both mirrored and plain pairs occur");
  await Deno.remove(root, { recursive: true });
});
