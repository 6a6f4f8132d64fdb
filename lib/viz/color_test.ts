import { assert, assertEquals } from "../testing/asserts.ts";
import { grayToRgb, labelColors, overlayLines, paintLabels, sideBySide } from "./color.ts";

Deno.test("labelColors are distinct, deterministic and not near white or black", () => {
  const p = labelColors(64);
  assertEquals(p, labelColors(64));
  assertEquals(new Set(p.map((c) => c.join(","))).size, 64);
  for (const [r, g, b] of p) {
    const lum = 0.299 * r + 0.587 * g + 0.114 * b;
    assert(lum > 30 && lum < 235, `${r},${g},${b}`);
  }
});

Deno.test("paintLabels honours white, black and grey labels", () => {
  const m = { width: 4, height: 1, data: Int32Array.from([0, 1, 2, 3]) };
  const rgb = paintLabels(m, { black: [0], white: [1], grey: [3], colors: new Map([[2, [1, 2, 3]]]) });
  assertEquals(Array.from(rgb.data), [0, 0, 0, 255, 255, 255, 1, 2, 3, 190, 190, 190]);
});

Deno.test("overlayLines and sideBySide", () => {
  const rgb = grayToRgb({ width: 2, height: 1, data: Uint8Array.from([200, 200]) });
  const o = overlayLines(rgb, { width: 2, height: 1, data: Uint8Array.from([0, 255]) });
  assertEquals(Array.from(o.data), [0, 0, 0, 200, 200, 200]);
  const s = sideBySide([o, o], 1);
  assertEquals([s.width, s.height], [5, 1]);
  assertEquals(Array.from(s.data.slice(6, 9)), [255, 255, 255]);
});
