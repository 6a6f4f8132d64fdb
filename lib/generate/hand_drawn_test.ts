import { assert, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import type { LabelMap } from "../image/types.ts";
import { ellipse } from "./geometry.ts";
import { handDrawnLines, removeSpecks, warpLabels } from "./hand_drawn.ts";
import { fillPolygon } from "./raster.ts";
import { cleanLines } from "./segments.ts";
import type { SceneStroke } from "./scene.ts";

Deno.test("warp: zero displacement is the identity, a constant one a shift", () => {
  const m: LabelMap = { width: 4, height: 2, data: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]) };
  const z = new Float32Array(8);
  assertEquals(Array.from(warpLabels(m, z, z).data), [0, 1, 2, 3, 4, 5, 6, 7]);
  const one = new Float32Array(8).fill(1);
  assertEquals(Array.from(warpLabels(m, one, z).data), [1, 2, 3, 3, 5, 6, 7, 7]);
});

Deno.test("removeSpecks erases small 8-connected pieces only", () => {
  const ink = Uint8Array.from([
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    1,
    0,
    0,
    1,
    1,
    0,
    0,
    1,
    0,
    1,
    1,
  ]);
  removeSpecks(ink, 6, 3, 4);
  // The diagonal (3 px) goes, the 2x2 block (4 px) stays.
  assertEquals(Array.from(ink), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1]);
});

function scene(): LabelMap {
  const m: LabelMap = { width: 160, height: 160, data: new Int32Array(160 * 160).fill(-1) };
  fillPolygon(m, ellipse(80, 80, 60, 50, 0, 64), 0);
  fillPolygon(m, ellipse(70, 70, 25, 20, 0.3, 48), 1);
  fillPolygon(m, ellipse(100, 95, 20, 25, 0, 48), 2);
  return m;
}

Deno.test("hand-drawn lines: deterministic, open contours, extra strokes inside parts", () => {
  const parts = scene();
  const colors: [number, number, number][] = [[240, 200, 180], [240, 200, 180], [60, 60, 120]];
  const stroke: SceneStroke = { pts: Float64Array.from([48, 115, 62, 116, 77, 117]), width: 1.5 };
  const a = handDrawnLines(parts, colors, [stroke], new Rng(5), { strokeProb: 1 });
  const b = handDrawnLines(parts, colors, [stroke], new Rng(5), { strokeProb: 1 });
  assertEquals(Array.from(a.ink), Array.from(b.ink));
  const boundary = cleanLines(a.parts);
  let bnd = 0, missed = 0, inkFar = 0;
  for (let i = 0; i < boundary.length; i++) {
    if (boundary[i]) {
      bnd++;
      // A boundary pixel with no ink on it or its 4 neighbours: a gap in the contour.
      if (!a.ink[i] && !a.ink[i - 1] && !a.ink[i + 1] && !a.ink[i - 160] && !a.ink[i + 160]) missed++;
    }
  }
  assert(missed > 0.02 * bnd && missed < 0.6 * bnd, `${missed} of ${bnd} boundary pixels undrawn`);
  // The stroke lies inside part 0, far from any boundary: it is ink that bounds nothing.
  for (let x = 52; x < 73; x++) {
    if (a.ink[115 * 160 + x] || a.ink[116 * 160 + x] || a.ink[117 * 160 + x]) inkFar++;
  }
  assert(inkFar > 15, `stroke drawn (${inkFar})`);
  const none = handDrawnLines(parts, colors, [stroke], new Rng(5), { strokeProb: 0 });
  let inkFarNone = 0;
  for (let x = 52; x < 73; x++) {
    if (none.ink[115 * 160 + x] || none.ink[116 * 160 + x] || none.ink[117 * 160 + x]) inkFarNone++;
  }
  assertEquals(inkFarNone, 0);
});
