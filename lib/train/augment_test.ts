import { assert, assertEquals } from "../testing/asserts.ts";
import { loadCache } from "../data/cache.ts";
import { IGNORE } from "../data/patch_gt.ts";
import { loadPixelLabels } from "../data/pixel_labels.ts";
import { Rng } from "../util/rng.ts";
import { AUGMENT_DEFAULTS, augmentImage, cellPatchLabels, warpLineArt } from "./augment.ts";
import { randomWarp, warpGrayBilinear } from "../image/warp.ts";
import { augmentCost } from "./augment_cost.ts";
import { writeToyDataset } from "./fixture.ts";

const S = 64, G = 8, side = S / 2;

/** Two labels in wavy stripes 12-14 px wide: label 10 (image grey 200), label 20 (image white 255); no ink. */
const inA = (x: number, y: number) => Math.floor((x + 3 * Math.sin(y / 9)) / 13) % 2 === 0;

function discCase() {
  const image = new Uint8Array(S * S),
    cells = new Uint8Array(side * side),
    table = new Int32Array(256).fill(-1);
  table[1] = 10, table[2] = 20;
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      image[y * S + x] = inA(x + 0.5, y + 0.5) ? 200 : 255;
    }
  }
  for (let v = 0; v < side; v++) {
    for (let u = 0; u < side; u++) {
      cells[v * side + u] = inA(2 * u + 1, 2 * v + 1) ? 1 : 2;
    }
  }
  return { image, cells, table };
}

Deno.test("augmentImage: patch labels follow the moved pixels (warps, crops), same stream same result", () => {
  const { image, cells, table } = discCase();
  const opts = {
    warpProb: 1,
    thickenProb: 0,
    thinProb: 0,
    gapProb: 0,
    rotation: 25,
    scale: [0.8, 1.4] as [number, number],
  };
  let moved = 0, shareSum = 0, staleSum = 0, n = 0, staleN = 0;
  // Share of a patch's pixels that carry the region of label `lab`.
  const share = (img: Uint8Array, p: number, lab: number) => {
    const py = Math.floor(p / G) * 8, px = (p % G) * 8;
    let disc = 0;
    for (let y = py; y < py + 8; y++) for (let x = px; x < px + 8; x++) if (img[y * S + x] < 228) disc++;
    return lab === 10 ? disc / 64 : 1 - disc / 64;
  };
  const stale = cellPatchLabels(cells, table, image, S, G, 0.55); // labels that would not follow the warp
  for (let seed = 0; seed < 12; seed++) {
    const r = augmentImage(image, cells, table, S, G, new Rng(seed), opts);
    const again = augmentImage(image, cells, table, S, G, new Rng(seed), opts);
    assertEquals(Array.from(again.labels), Array.from(r.labels));
    assertEquals(again.image, r.image);
    if (r.image.some((v, i) => v !== image[i])) moved++;
    for (let p = 0; p < G * G; p++) {
      if (r.labels[p] !== IGNORE) {
        const sh = share(r.image, p, r.labels[p]);
        assert(sh >= 0.3, `seed ${seed} patch ${p}: label ${r.labels[p]} covers only ${sh} of its pixels`);
        shareSum += sh;
        n++;
      }
      if (stale[p] !== IGNORE) (staleSum += share(r.image, p, stale[p])), staleN++;
    }
  }
  // Moved labels sit on their pixels (mean share near 1), unmoved ones would not.
  console.log(
    `mean share: moved labels ${(shareSum / n).toFixed(3)}, unmoved ${(staleSum / staleN).toFixed(3)}`,
  );
  assert(shareSum / n > 0.75, `mean share ${shareSum / n}`);
  assert(
    staleSum / staleN < shareSum / n - 0.15,
    `stale labels fit as well (${staleSum / staleN}): the test cannot tell`,
  );
  assert(moved >= 10, "the warp moved the image");
});

Deno.test("augmentImage without moves gives the cell labels of the image; ink cells are ignored", () => {
  const { image, cells, table } = discCase();
  const none = { warpProb: 0, thickenProb: 0, thinProb: 0, gapProb: 0 };
  const r = augmentImage(image, cells, table, S, G, new Rng(1), none);
  assertEquals(Array.from(r.labels), Array.from(cellPatchLabels(cells, table, image, S, G, 0.55)));
  assert(r.labels.includes(10) && r.labels.includes(20));
  const inked = image.slice().fill(0, 0, S * 16); // ink over the top quarter: its patches lose their labels
  const r2 = augmentImage(inked, cells, table, S, G, new Rng(1), none);
  assert(Array.from(r2.labels.subarray(0, 2 * G)).every((v) => v === IGNORE));
  assertEquals(AUGMENT_DEFAULTS.minFraction, 0.55);
});

Deno.test("pixel labels of a cached dataset agree with its patch labels on most patches", async () => {
  const root = await Deno.makeTempDir();
  await writeToyDataset(root, { characters: 2, frames: 3, size: 128 });
  const c = await loadCache(root, { size: S, patch: 8, progress: false });
  const px = await loadPixelLabels(c, { progress: false });
  const again = await loadPixelLabels(c, { progress: false }); // read back from the file
  assertEquals(again.data, px.data);
  assertEquals(Array.from(again.table), Array.from(px.table));
  let agree = 0, total = 0, conflict = 0;
  for (let k = 0; k < c.frames.length; k++) {
    const lab = cellPatchLabels(
      px.data.subarray(k * side * side, (k + 1) * side * side),
      px.table.subarray(k * 256, (k + 1) * 256),
      c.lines.subarray(k * S * S, (k + 1) * S * S),
      S,
      G,
      0.55,
    );
    for (let p = 0; p < G * G; p++) {
      const ref = c.labels[k * G * G + p];
      if (ref === IGNORE && lab[p] === IGNORE) continue;
      total++;
      if (ref === lab[p]) agree++;
      else if (ref !== IGNORE && lab[p] !== IGNORE) conflict++;
    }
  }
  // Never another label; only the 55% threshold may fall differently at half resolution.
  assertEquals(conflict, 0);
  assert(total > 0 && agree / total > 0.8, `half-resolution labels agree on ${agree}/${total} patches`);
  await Deno.remove(root, { recursive: true });
});

Deno.test("augmentCost: times the augmentation of synthetic images", () => {
  const r = augmentCost({ inputSize: 64, patch: 8, images: 3 });
  assertEquals(r.images, 3);
  assert(Number.isFinite(r.msPerImage) && r.msPerImage >= 0);
});

Deno.test("warpLineArt: a warped 1-px line stays solid and thin (plain bilinear leaves it dashed grey)", () => {
  const n = 64, line = new Uint8Array(n * n).fill(255);
  for (let x = 4; x < 60; x++) line[32 * n + x] = 0;
  let dashedCols = 0;
  for (let seed = 0; seed < 6; seed++) {
    const field = randomWarp(new Rng(seed), n, n, {
      rotation: 12,
      scale: [0.9, 1.2],
      shift: 0,
      elasticAmp: 0,
      fineAmp: 0,
      flipProb: 0,
    });
    const solid = warpLineArt(line, n, field),
      soft = warpGrayBilinear({ width: n, height: n, data: line }, field).data;
    const colMin = (img: Uint8Array, x: number) =>
      Math.min(...Array.from({ length: n }, (_, y) => img[y * n + x]));
    for (let x = 16; x < 48; x++) {
      assert(colMin(solid, x) <= 32, `seed ${seed}: column ${x} of the warped line has no solid ink`);
      if (colMin(soft, x) > 96) dashedCols++;
    }
    const ink = solid.filter((v) => v < 128).length;
    assert(ink <= 2.5 * 56 * 1.25, `seed ${seed}: ${ink} ink pixels: the line got thick`);
  }
  assert(
    dashedCols > 0,
    "bilinear sampling should leave some columns without solid ink (else this test is void)",
  );
});
