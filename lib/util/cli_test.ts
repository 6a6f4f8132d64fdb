import { assertEquals, assertThrows } from "../testing/asserts.ts";
import { choice, type CommandSpec, num, parseCommand, str, usage } from "./cli.ts";
import { UserError } from "./errors.ts";

const spec: CommandSpec = {
  name: "t",
  summary: "test",
  usage: "t [options]",
  options: {
    out: { type: "string", help: "folder" },
    n: { type: "string", help: "count", default: "3" },
    force: { type: "boolean", help: "overwrite" },
    mode: { type: "string", help: "mode" },
  },
};

Deno.test("parseCommand reads options, defaults and positionals", () => {
  const a = parseCommand(["x.png", "--out", "d", "--force"], spec);
  assertEquals(a.positionals, ["x.png"]);
  assertEquals(str(a, "out", true), "d");
  assertEquals(num(a, "n", { integer: true }), 3);
  assertEquals(a.values.force, true);
  assertEquals(choice(a, "mode", ["a", "b"] as const, "a"), "a");
});

Deno.test("bad options are one-line UserErrors", () => {
  assertThrows(() => parseCommand(["--nope"], spec), UserError, "--help");
  const a = parseCommand(["--n", "2.5", "--mode", "c"], spec);
  assertThrows(() => num(a, "n", { integer: true }), UserError, "--n must be an integer");
  assertThrows(() => num(a, "n", { max: 2 }), UserError, "<= 2");
  assertThrows(() => choice(a, "mode", ["a", "b"] as const, "a"), UserError, "one of a|b");
  assertThrows(() => str(a, "out", true), UserError, "missing --out");
});

Deno.test("usage lists every option", () => {
  const u = usage(spec);
  for (const k of ["--out", "--n", "--force", "--mode", "--help"]) assertEquals(u.includes(k), true);
});
