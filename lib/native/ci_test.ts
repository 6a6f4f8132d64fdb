import { assert, assertEquals } from "../testing/asserts.ts";
import { inCi, openBlas, skipNativeTests } from "./blas.ts";

const probe = openBlas();

Deno.test("native path present in CI: with CI=true a BLAS library that cannot be loaded fails the run", () => {
  if (!inCi()) return; // on a developer machine the native tests skip with a note instead
  assert(probe.blas, `CI=true but the native BLAS path cannot be loaded: ${probe.reason}`);
});

Deno.test("skipNativeTests: skip without BLAS only outside CI", () => {
  const env = (ci?: string) => (n: string) => (n === "CI" ? ci : undefined);
  const none = { blas: null, reason: "no libopenblas" }, some = { blas: {}, reason: "" };
  assertEquals(skipNativeTests(none, env(undefined)), true);
  assertEquals(skipNativeTests(none, env("false")), true);
  assertEquals(skipNativeTests(none, env("true")), false);
  assertEquals(skipNativeTests(none, env("TRUE")), false);
  assertEquals(skipNativeTests(some, env(undefined)), false);
  assertEquals([inCi(env("true")), inCi(env("1")), inCi(env(undefined))], [true, false, false]);
});
