import { assert } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { makeCharacter } from "./character.ts";
import { makeSequence } from "./pose.ts";
import { buildScene, DEPTH } from "./scene.ts";

Deno.test("scenes are sorted back to front with valid labels, clips and strokes", () => {
  for (let s = 0; s < 6; s++) {
    const rng = new Rng(s);
    const spec = makeCharacter(rng.fork("spec"), "c");
    const seq = makeSequence(rng.fork("seq"), 8, 256);
    for (let f = 0; f < 8; f++) {
      const sc = buildScene(spec, seq.poses[f], seq.cameras[f]);
      assert(sc.parts.length > 30, `only ${sc.parts.length} parts`);
      for (let i = 1; i < sc.parts.length; i++) assert(sc.parts[i].depth >= sc.parts[i - 1].depth);
      for (const p of sc.parts) {
        assert(p.label >= 0 && p.label < spec.labels.length);
        assert(p.contours.every((c) => c.length >= 6 && c.every(Number.isFinite)));
        assert(!p.clip || p.clip.every((c) => c >= 0 && c < spec.labels.length));
      }
      assert(sc.strokes.length > 5 && sc.strokes.every((k) => k.width > 0));
      assert(sc.unit > 0);
      // The face is in front of the back hair.
      const face = sc.parts.find((p) => p.label === spec.L.face)!;
      assert(face.depth > DEPTH.hairBack);
    }
  }
});
