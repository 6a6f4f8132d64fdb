import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { applyOp, applyOps, EditError, groupColor, groups, makeSide, revertOp, type State } from "./core.js";

// A 6x4 drawing: a vertical ink line at x = 2 splits it into regions 2 (left) and 3 (right); 1 is a strip at
// the bottom row, background.
//   2 2 0 3 3 3
//   2 2 0 3 3 3
//   2 2 0 3 3 3
//   1 1 1 1 1 1
function pbcState(): State {
  const seg = Int32Array.from([2, 2, 0, 3, 3, 3, 2, 2, 0, 3, 3, 3, 2, 2, 0, 3, 3, 3, 1, 1, 1, 1, 1, 1]);
  const ink = Uint8Array.from(seg, (v) => (v === 0 ? 1 : 0));
  return {
    kind: "pbc",
    sides: [makeSide(6, 4, seg, ink), makeSide(6, 4, new Int32Array(seg), new Uint8Array(ink))],
    labels: [new Map([[0, -1], [1, -1], [2, 10], [3, 11]]), new Map([[0, -1], [1, -1], [2, 11], [3, 12]])],
    nextLabel: 13,
    matches: [],
    none: [new Set(), new Set()],
  };
}

function matchState(): State {
  const s = pbcState();
  return {
    ...s,
    kind: "match",
    labels: [new Map(), new Map()],
    nextLabel: 0,
    matches: [{ ref_region: 2, tgt_region: 3, score: 0.7 }],
  };
}

function copy(s: State) {
  return JSON.stringify({
    seg: s.sides.map((d) => [...d.seg]),
    sizes: s.sides.map((d) => [...d.sizes]),
    next: s.sides.map((d) => d.nextId),
    labels: s.labels.map((l) => [...l]),
    nextLabel: s.nextLabel,
    matches: s.matches,
    none: s.none.map((n) => [...n]),
  });
}

Deno.test("link gives the target region the reference's label; groups pair them", () => {
  const s = pbcState();
  assertEquals(groups(s)[0].get(3), 11); // 3 (label 11) has a counterpart: target 2
  assertEquals(groups(s)[0].get(2), null); // label 10 is not in the target
  applyOp(s, { op: "link", ref: 2, tgt: 3 });
  assertEquals(s.labels[1].get(3), 10);
  assertEquals(groups(s)[0].get(2), 10);
  assertEquals(groups(s)[1].get(3), 10);
});

Deno.test("merge moves every pixel and drops the label; undo restores everything", () => {
  const s = pbcState();
  const before = copy(s);
  const u = applyOp(s, { op: "merge", side: 1, keep: 2, drop: 3 });
  assertEquals(s.sides[1].sizes.get(2), 15);
  assert(!s.sides[1].sizes.has(3) && !s.labels[1].has(3));
  revertOp(s, u);
  assertEquals(copy(s), before);
});

Deno.test("split cuts a region along a stroke; the stroke pixels join a side; new ids inherit the label", () => {
  const s = pbcState();
  const before = copy(s);
  // A horizontal stroke through row 1 across region 3 (x 3..5).
  const u = applyOp(s, { op: "split", side: 0, id: 3, points: [[2, 1], [6, 1]], radius: 0 });
  const seg = [...s.sides[0].seg];
  assertEquals(seg.slice(3, 6), [3, 3, 3]); // row 0 took the stroke row: the larger part keeps the id
  assertEquals(seg.slice(15, 18), [4, 4, 4]); // row 2: the new region
  assertEquals(s.labels[0].get(4), 11);
  assertEquals(s.sides[0].sizes.get(3)! + s.sides[0].sizes.get(4)!, 9);
  assertEquals(s.sides[0].nextId, 5);
  revertOp(s, u);
  assertEquals(copy(s), before);
});

Deno.test("a stroke that does not cut is refused and changes nothing", () => {
  const s = pbcState();
  const before = copy(s);
  assertThrows(
    () => applyOp(s, { op: "split", side: 0, id: 3, points: [[4, 0], [4, 1]], radius: 0 }),
    EditError,
    "does not cut",
  );
  assertEquals(copy(s), before);
});

Deno.test("fill makes a new region from a click and refuses a whole region or a line", () => {
  const s = matchState();
  // Region 3 of the target split in two by making column 4 ink in the target's drawing: fill the right part.
  s.sides[1].ink![4] = s.sides[1].ink![10] = s.sides[1].ink![16] = 1;
  applyOp(s, { op: "fill", side: 1, x: 5, y: 0 });
  assertEquals([s.sides[1].seg[5], s.sides[1].seg[11], s.sides[1].seg[17]], [4, 4, 4]);
  assertEquals(s.sides[1].sizes.get(3), 6);
  assertThrows(() => applyOp(s, { op: "fill", side: 1, x: 0, y: 0 }), EditError, "covers all of region 2");
  assertThrows(() => applyOp(s, { op: "fill", side: 1, x: 2, y: 0 }), EditError, "on a line");
  assertThrows(() => applyOp(s, { op: "fill", side: 1, x: 9, y: 0 }), EditError, "outside");
});

Deno.test("match mode: link replaces the target's matches, merge carries them, unlink and none drop them", () => {
  const s = matchState();
  applyOp(s, { op: "link", ref: 3, tgt: 3 });
  assertEquals(s.matches, [{ ref_region: 3, tgt_region: 3, score: 1, direction: "manual" }]);
  applyOp(s, { op: "link", ref: 2, tgt: 2 });
  applyOp(s, { op: "merge", side: 0, keep: 3, drop: 2 });
  assertEquals(s.matches.map((m) => [m.ref_region, m.tgt_region]), [[3, 3], [3, 2]]);
  assertEquals(groups(s)[1].get(2), 3);
  applyOp(s, { op: "none", side: 1, id: 2 });
  assertEquals(s.matches.length, 1);
  assert(s.none[1].has(2));
  applyOp(s, { op: "unlink", side: 0, id: 3 });
  assertEquals(s.matches, []);
  assertEquals(groups(s)[1].get(3), null);
});

Deno.test("pbc unlink gives a fresh label the character does not use", () => {
  const s = pbcState();
  applyOp(s, { op: "unlink", side: 1, id: 2 });
  assertEquals(s.labels[1].get(2), 13);
  assertEquals(s.nextLabel, 14);
  assertEquals(groups(s)[0].get(3), null);
});

Deno.test("malformed edits are refused with a reason, naming the edit", () => {
  const s = pbcState();
  const before = copy(s);
  for (
    const [op, why] of [
      [{ op: "merge", side: 1, keep: 2, drop: 2 }, "itself"],
      [{ op: "merge", side: 3, keep: 2, drop: 3 }, "side must be"],
      [{ op: "link", ref: 9, tgt: 2 }, "not in the reference"],
      [{ op: "link", ref: 0, tgt: 2 }, "line art"],
      [{ op: "link", ref: "2", tgt: 2 }, "integer"],
      [{ op: "explode" }, "unknown edit"],
      [{ op: "split", side: 0, id: 3, points: [[1, 1]], radius: 0 }, "2.."],
      [{ op: "split", side: 0, id: 3, points: [[1, 1], [2, 2]], radius: 1000 }, "radius"],
    ] as [unknown, string][]
  ) {
    assertThrows(() => applyOp(s, op as never), EditError, why);
  }
  assertThrows(
    () => applyOps(s, [{ op: "unlink", side: 0, id: 2 }, { op: "link", ref: 9, tgt: 2 }]),
    EditError,
    "edit 2 (link)",
  );
  assertThrows(() => applyOps(s, "nope"), EditError, "list");
  // applyOps applied the first edit before refusing the second: callers replay on a fresh state.
  assertEquals(s.labels[0].get(2), 13);
  const t = pbcState();
  assertEquals(copy(t), before);
});

Deno.test("the same edits give the same state (page and server agree)", () => {
  const ops = [
    { op: "split", side: 0, id: 3, points: [[2, 1], [6, 1]], radius: 0 },
    { op: "link", ref: 4, tgt: 3 },
    { op: "merge", side: 1, keep: 3, drop: 2 },
  ];
  const a = pbcState(), b = pbcState();
  applyOps(a, ops);
  applyOps(b, JSON.parse(JSON.stringify(ops)));
  assertEquals(copy(a), copy(b));
});

Deno.test("group colours are fixed per key and differ between neighbouring keys", () => {
  assertEquals(groupColor(7), groupColor(7));
  assert(JSON.stringify(groupColor(7)) !== JSON.stringify(groupColor(8)));
  for (const c of groupColor(123)) assert(c >= 0 && c <= 255);
});
