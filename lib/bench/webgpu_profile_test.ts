import { assertEquals } from "../testing/asserts.ts";
import { byProgram, parseProfileInfo } from "./webgpu_profile.ts";

Deno.test("parseProfileInfo and byProgram: per-dispatch times summed by program, largest first", () => {
  const items = parseProfileInfo(
    "MatMulPackedProgram: 1.5, BinaryOpProgram: 0.25, MatMulPackedProgram: 2, X: bad",
  );
  assertEquals(items.length, 3);
  assertEquals(byProgram(items), [
    { name: "MatMulPackedProgram", ms: 3.5, dispatches: 2 },
    { name: "BinaryOpProgram", ms: 0.25, dispatches: 1 },
  ]);
  assertEquals(parseProfileInfo(""), []);
});
