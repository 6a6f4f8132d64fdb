import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { buildNotebook, parseCellScript } from "./notebooks.ts";

Deno.test("parseCellScript splits code and markdown cells", () => {
  const cells = parseCellScript(
    "\n// %% [markdown]\n// # Title\n//\n// text\n// %%\nconst x = 1;\n\nx;\n// %%\n",
    "a.ts",
  );
  assertEquals(cells, [
    { cell_type: "markdown", source: "# Title\n\ntext" },
    { cell_type: "code", source: "const x = 1;\n\nx;" },
  ]);
  assertThrows(() => parseCellScript("const y = 2;\n// %%\n", "b.ts"), UserError, "before the first");
  assertThrows(() => parseCellScript("\n\n", "c.ts"), UserError, "no cells");
});

Deno.test("buildNotebook writes nbformat 4.5 with ids and the Deno kernel", () => {
  const nb = buildNotebook("01_data", [{ cell_type: "code", source: "a\nb" }]) as {
    cells: { id: string; source: string[]; outputs: unknown[] }[];
    metadata: { kernelspec: { name: string } };
    nbformat_minor: number;
  };
  assertEquals(nb.cells[0].id, "01_data-0");
  assertEquals(nb.cells[0].source, ["a\n", "b"]);
  assertEquals(nb.cells[0].outputs, []);
  assertEquals(nb.metadata.kernelspec.name, "deno");
  assertEquals(nb.nbformat_minor, 5);
});

Deno.test("notebooks: a bad --timeout is one error line naming it (no silent default)", async () => {
  for (const bad of ["abc", "0"]) {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./notebooks.ts", import.meta.url).pathname, "--timeout", bad, "--no-run"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(r.stderr);
    assertEquals(r.success, false, err);
    assert(err.includes("--timeout"), err);
  }
});
