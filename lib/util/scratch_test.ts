import { assert, assertEquals } from "../testing/asserts.ts";
import {
  releaseScratch,
  scratchBytes,
  scratchFloat32,
  scratchInt32,
  scratchInt32Zeroed,
  scratchUint8,
} from "./scratch.ts";
import { isTestPath, LIB_DIR, sourceFiles, stripComments } from "./imports.ts";

Deno.test("scratch buffers are reused by name, grow on demand, and are dropped on release", () => {
  releaseScratch();
  const a = scratchInt32("test.a", 10, 7);
  assertEquals(Array.from(a), new Array(10).fill(7));
  a[3] = 42;
  const again = scratchInt32("test.a", 8);
  assert(again.buffer === a.buffer, "same buffer");
  assertEquals(again.length, 8);
  assertEquals(again[3], 42); // contents left over unless a fill is asked for
  const bigger = scratchInt32("test.a", 1000);
  assert(bigger.buffer !== a.buffer, "grown");
  // Different names never share; different types under one name view the same bytes.
  assert(scratchUint8("test.b", 10).buffer !== bigger.buffer);
  assertEquals(scratchFloat32("test.c", 4, 0.5)[3], 0.5);
  assert(scratchBytes() >= 4000 + 10 + 16);
  const z = scratchInt32Zeroed("test.z", 5);
  assertEquals(Array.from(z), [0, 0, 0, 0, 0]);
  releaseScratch();
  assertEquals(scratchBytes(), 0);
  assert(scratchInt32("test.a", 8).buffer !== bigger.buffer, "fresh after release");
  releaseScratch();
});

Deno.test("releaseScratch by prefix drops only those buffers", () => {
  releaseScratch();
  const keep = scratchInt32("keep.a", 16), drop = scratchInt32("drop.a", 16);
  releaseScratch("drop.");
  assert(scratchInt32("keep.a", 16).buffer === keep.buffer);
  assert(scratchInt32("drop.a", 16).buffer !== drop.buffer);
  releaseScratch();
});

Deno.test("scratch names: each name is borrowed in one file of lib/ only (the borrowing rule, across steps)", () => {
  // Two files borrowing one name could hand one step's array to another mid-use; within a file the author sees
  // every use. Names are string literals by convention ("<step>.<variable>"), so a text scan finds them.
  const users = new Map<string, Set<string>>();
  for (const file of sourceFiles()) {
    if (isTestPath(file) || file === "util/scratch.ts") continue;
    const code = stripComments(Deno.readTextFileSync(`${LIB_DIR}/${file}`));
    for (
      const m of code.matchAll(
        /\bscratch(?:Int32Zeroed|Int32|Float32|Float64|Uint16|Uint8)\(\s*(["'`])([^"'`]+)\1/g,
      )
    ) {
      if (!users.has(m[2])) users.set(m[2], new Set());
      users.get(m[2])!.add(file);
    }
  }
  assert(users.size > 20, `only ${users.size} scratch names found: the scan is broken`);
  const shared = [...users].filter(([, f]) => f.size > 1).map(([n, f]) => `${n}: ${[...f].join(", ")}`);
  assertEquals(shared, [], "scratch names borrowed in more than one file");
});
