import { assert } from "../testing/asserts.ts";
import { matchKeypoints } from "./keypoints.ts";
import { drawCharacter } from "./fixtures.ts";
import { keypointImage } from "./pipeline.ts";

Deno.test("ORB + mutual nearest neighbour matches a shifted drawing with its shift", async () => {
  const a = drawCharacter({ size: 240 }), b = drawCharacter({ size: 240, dx: 8, dy: 5 });
  // At size 240 the drawing is scaled 1.5x: the shift is (12, 7.5) px.
  const m = await matchKeypoints(keypointImage(a, "color"), keypointImage(b, "color"));
  assert(m.keypointsA > 20 && m.keypointsB > 20, `keypoints ${m.keypointsA}, ${m.keypointsB}`);
  let good = 0;
  for (let i = 0; i < m.ax.length; i++) {
    if (Math.hypot(m.bx[i] - m.ax[i] - 12, m.by[i] - m.ay[i] - 7.5) < 3) good++;
  }
  assert(m.ax.length >= 10, `only ${m.ax.length} matches`);
  assert(good / m.ax.length > 0.7, `${good} of ${m.ax.length} matches move with the drawing`);
  // Downscaled detection maps back to full-size coordinates.
  const small = await matchKeypoints(keypointImage(a, "color"), keypointImage(b, "color"), { maxSide: 200 });
  let goodSmall = 0;
  for (let i = 0; i < small.ax.length; i++) {
    if (Math.hypot(small.bx[i] - small.ax[i] - 12, small.by[i] - small.ay[i] - 7.5) < 4) goodSmall++;
  }
  assert(
    goodSmall / Math.max(1, small.ax.length) > 0.6,
    `${goodSmall} of ${small.ax.length} after downscaling`,
  );
});
