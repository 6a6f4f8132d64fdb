import { assertEquals } from "../testing/asserts.ts";
import { castVotes, winners } from "./vote.ts";
import type { PointMatches } from "./keypoints.ts";

/** A 20x10 frame: left half segment 2 (red), right half segment 3 (blue), column 10 a stroke. */
function frame(redFirst = true) {
  const W = 20, H = 10;
  const seg = new Int32Array(W * H), rgb = new Uint8Array(W * H * 3);
  for (let p = 0; p < W * H; p++) {
    const x = p % W;
    seg[p] = x === 10 ? 0 : (x < 10) === redFirst ? 2 : 3;
    rgb.set(seg[p] === 0 ? [0, 0, 0] : seg[p] === 2 ? [200, 0, 0] : [0, 0, 200], 3 * p);
  }
  const colors = Float32Array.from([0, 0, 0, 255, 255, 255, 200, 0, 0, 0, 0, 200]);
  return { seg: { width: W, height: H, data: seg }, color: { width: W, height: H, data: rgb }, colors };
}
function pm(pairs: number[][]): PointMatches {
  return {
    ax: Float32Array.from(pairs.map((p) => p[0])),
    ay: Float32Array.from(pairs.map((p) => p[1])),
    bx: Float32Array.from(pairs.map((p) => p[2])),
    by: Float32Array.from(pairs.map((p) => p[3])),
    distance: new Float32Array(pairs.length),
  };
}

Deno.test("votes: each point expands to 5x5; the stroke and off-colour pixels do not vote", () => {
  const a = frame(), b = frame();
  // (4,5) -> (4,5): all 25 pixels red in both, 25 votes 2->2.
  // (9,5) -> (9,5): columns 7..11; column 10 is a stroke (5 px dropped), column 11 is blue: 15 red + 5 blue votes.
  const t = castVotes(pm([[4, 5, 4, 5], [9, 5, 9, 5]]), a, b, { crossColorTol: Infinity });
  assertEquals(t.points, 50);
  assertEquals(t.votes.get(2 * t.stride + 2), 40);
  assertEquals(t.votes.get(3 * t.stride + 3), 5);
  assertEquals(t.kept, 45);
  // A pixel whose colour is far from its region's mean is dropped (paper's filter).
  a.color.data.set([0, 255, 0], 3 * (5 * 20 + 4));
  assertEquals(castVotes(pm([[4, 5, 4, 5]]), a, b).kept, 24);
});

Deno.test("the most-voted target region wins; cross-colour votes are refused by default", () => {
  // In b the halves are swapped: red segment 2 is on the right, blue segment 3 on the left.
  const a = frame(true), b = frame(false);
  // Three points on a's red half land on b's red half, one on b's blue half.
  const m = pm([[3, 3, 15, 3], [4, 6, 14, 6], [5, 5, 16, 5], [3, 5, 3, 5]]);
  const loose = castVotes(m, a, b, { crossColorTol: Infinity });
  assertEquals(loose.votes.get(2 * loose.stride + 2), 75);
  assertEquals(loose.votes.get(2 * loose.stride + 3), 25);
  assertEquals(winners(loose, "a"), [{ from: 2, to: 2, votes: 75, total: 100 }]);
  // With the cross-colour check, the red -> blue votes are not cast at all.
  const strict = castVotes(m, a, b);
  assertEquals(strict.votes.get(2 * strict.stride + 3), undefined);
  assertEquals(winners(strict, "a"), [{ from: 2, to: 2, votes: 75, total: 75 }]);
  // Reverse direction: b's region 2 takes a's region 2; b's blue region got no vote.
  assertEquals(winners(strict, "b"), [{ from: 2, to: 2, votes: 75, total: 75 }]);
  // The minority wins when it is the only partner with enough votes.
  const one = castVotes(pm([[3, 5, 3, 5]]), a, b, { crossColorTol: Infinity });
  assertEquals(winners(one, "a"), [{ from: 2, to: 3, votes: 25, total: 25 }]);
});

Deno.test("winners: ties go to the smaller id, and a region needs minVotes", () => {
  const t = {
    votes: new Map([[2 * 10 + 5, 4], [2 * 10 + 4, 4], [3 * 10 + 6, 2]]),
    stride: 10,
    points: 0,
    kept: 0,
  };
  assertEquals(winners(t, "a"), [{ from: 2, to: 4, votes: 4, total: 8 }]);
  assertEquals(winners(t, "a", { minVotes: 1 }).map((m) => [m.from, m.to]), [[2, 4], [3, 6]]);
});
