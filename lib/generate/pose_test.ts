import { assert, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { makeSequence, pickShot, smoothTrack } from "./pose.ts";

Deno.test("smooth tracks stay in range, move, and move smoothly", () => {
  for (let s = 0; s < 20; s++) {
    const t = smoothTrack(new Rng(s), 40, -1, 1);
    assert(t.every((v) => v >= -1 && v <= 1));
    let maxStep = 0, span = 0;
    for (let i = 1; i < t.length; i++) maxStep = Math.max(maxStep, Math.abs(t[i] - t[i - 1]));
    span = Math.max(...t) - Math.min(...t);
    assert(span > 0.1, `track ${s} barely moves`);
    assert(maxStep < 0.9, `track ${s} jumps ${maxStep} in one frame`);
  }
  assertEquals(Array.from(smoothTrack(new Rng(1), 10, 0, 1)), Array.from(smoothTrack(new Rng(1), 10, 0, 1)));
});

Deno.test("sequences: n poses, frames 7 apart differ more than neighbours", () => {
  let near = 0, far = 0;
  for (let s = 0; s < 20; s++) {
    const q = makeSequence(new Rng(s), 15, 512);
    assertEquals(q.poses.length, 15);
    assertEquals(q.cameras.length, 15);
    assert(q.cameras.every((c) => c.scale > 0 && Number.isFinite(c.cx)));
    for (let i = 0; i + 7 < 15; i++) {
      near += Math.abs(q.poses[i + 1].headYaw - q.poses[i].headYaw) +
        Math.abs(q.poses[i + 1].armL.shoulder - q.poses[i].armL.shoulder);
      far += Math.abs(q.poses[i + 7].headYaw - q.poses[i].headYaw) +
        Math.abs(q.poses[i + 7].armL.shoulder - q.poses[i].armL.shoulder);
    }
  }
  assert(far > 2.5 * near, `gap-7 motion ${far} vs neighbour motion ${near}`);
  const rng = new Rng(2);
  const shots = new Set(
    Array.from({ length: 200 }, () => pickShot(rng, { close: 1, bust: 1, upper: 1, full: 1 })),
  );
  assertEquals(shots.size, 4);
});
