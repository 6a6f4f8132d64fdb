import { assert, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { hairColor, hsl, lightOf, luma, shadeOf, skinTone, toHsl } from "./palette.ts";

Deno.test("hsl gives the primaries and toHsl inverts it", () => {
  assertEquals(hsl(0, 1, 0.5), [255, 0, 0]);
  assertEquals(hsl(120, 1, 0.5), [0, 255, 0]);
  assertEquals(hsl(240, 1, 0.5), [0, 0, 255]);
  assertEquals(hsl(0, 0, 1), [255, 255, 255]);
  const [h, s, l] = toHsl([200, 120, 40]);
  assertEquals(hsl(h, s, l), [200, 120, 40]);
});

Deno.test("shadows are darker, highlights lighter, palettes deterministic", () => {
  const rng = new Rng(1);
  for (let i = 0; i < 50; i++) {
    const c = skinTone(rng);
    assert(luma(shadeOf(c)) < luma(c) - 0.05, `shade of ${c}`);
    assert(luma(lightOf(c)) >= luma(c));
  }
  assertEquals(hairColor(new Rng(9)), hairColor(new Rng(9)));
});
