import { assertArrayAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { resizePosEmbed } from "./pos_embed.ts";

// A 3x3 grid of 2-channel embeddings; expected values from PyTorch 1.13
// F.interpolate(mode="bicubic", align_corners=False) on the same table (pinned).
const pos = new Float32Array([0, 0, 1, 1.5, 2, 4, 3, 3.5, 4, 4, 5, 5.5, 6, 8, 7, 7.5, 8, 8]);

Deno.test("resizePosEmbed: bicubic up-sampling matches PyTorch", () => {
  const out = resizePosEmbed(pos, 3, 5, 2);
  assertEquals(out.length, 50);
  assertArrayAlmostEquals(Array.from(out.subarray(0, 10)), [
    -0.384,
    -0.489216,
    0.028001,
    0.096337,
    0.712,
    1.260001,
    1.396,
    2.963665,
    1.808001,
    4.105217,
  ], 2e-5);
  assertArrayAlmostEquals(Array.from(out.subarray(40)), [
    6.192001,
    8.489219,
    6.604001,
    8.171664,
    7.288001,
    7.836001,
    7.972003,
    8.040339,
    8.384004,
    8.278787,
  ], 2e-5);
});

Deno.test("resizePosEmbed: bicubic down-sampling matches PyTorch; same size copies", () => {
  assertArrayAlmostEquals(Array.from(resizePosEmbed(pos, 3, 2, 2)), [
    0.765625,
    0.850082,
    2.382812,
    3.774918,
    5.617188,
    7.009293,
    7.234375,
    7.318832,
  ], 2e-5);
  const same = resizePosEmbed(pos, 3, 3, 2);
  assertEquals(Array.from(same), Array.from(pos));
});
