import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { buildNotebook, notebookOutputProblems, parseCellScript } from "./notebooks.ts";

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

Deno.test("notebookOutputProblems: figures need PNG, HTML, SVG and object titles; no stderr, errors, machine paths", () => {
  const fig = (extra: Record<string, unknown>, layout: Record<string, unknown>) => ({
    output_type: "display_data",
    data: { "application/vnd.plotly.v1+json": { data: [], layout }, "text/plain": "[plot: t]", ...extra },
  });
  const all = { "image/png": "iVBOR", "text/html": "<img>", "image/svg+xml": "<svg/>" };
  const good = { title: { text: "t" }, xaxis: { title: { text: "x" } }, yaxis: { title: { text: "y" } } };
  assertEquals(notebookOutputProblems({ cells: [{ cell_type: "code", outputs: [fig(all, good)] }] }), []);
  const bad = notebookOutputProblems({
    cells: [{
      cell_type: "code",
      outputs: [
        fig({ "image/svg+xml": "<svg/>" }, { title: "t", xaxis: { title: "x" } }),
        { output_type: "stream", name: "stderr", text: ["backend: wasm\n"] },
        { output_type: "stream", name: "stdout", text: ["data: /work/main/data/test-clean\n"] },
        { output_type: "display_data", data: { "text/plain": "wrote /tmp/mm-nb06-1/pseudo" } },
        {
          output_type: "display_data",
          data: { "text/plain": "wrote <tmp>/mm-nb06-1/pseudo, data/test-clean" },
        },
      ],
    }],
  });
  for (
    const want of [
      "no image/png",
      "no text/html",
      "no {text} title",
      "xaxis title",
      "no yaxis",
      "stderr",
      "/work/main",
      "/tmp/mm",
    ]
  ) assert(bad.some((p) => p.includes(want)), `${want} in ${bad.join("; ")}`);
  assertEquals(bad.length, 8, bad.join("\n"));
});

/** The committed notebooks as `deno task notebooks --inplace` left them. */
async function committed(): Promise<{ name: string; nb: any; src: string }[]> {
  const dir = new URL("../../notebooks/", import.meta.url);
  const out = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.name.endsWith(".ipynb")) continue;
    const name = e.name.slice(0, -6);
    out.push({
      name,
      nb: JSON.parse(await Deno.readTextFile(new URL(e.name, dir))),
      src: await Deno.readTextFile(new URL(`src/${name}.ts`, dir)),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

Deno.test("committed notebooks: every figure has a PNG and object titles; no stderr, errors or machine paths", async () => {
  const problems: string[] = [];
  for (const { name, nb, src } of await committed()) {
    const plots = nb.cells.flatMap((c: any) => c.outputs ?? [])
      .filter((o: any) => o.data?.["application/vnd.plotly.v1+json"]);
    // A notebook that draws figures must carry them: committed outputs come from a full run (--inplace).
    if (src.includes("showPlot(") && plots.length === 0) {
      problems.push(`${name}: no figure outputs (run deno task notebooks --inplace --only ${name})`);
    }
    problems.push(...notebookOutputProblems(nb).map((p) => `${name}: ${p}`));
  }
  assertEquals(problems, []);
});

Deno.test("committed 05_ablations: every cell that runs a row ends with that row's table", async () => {
  const nb = (await committed()).find((n) => n.name === "05_ablations")!.nb;
  const missing = nb.cells
    .map((c: any, i: number) => ({ c, i }))
    .filter(({ c }: any) => c.cell_type === "code" && /^await run\(/m.test([c.source].flat().join("")))
    .filter(({ c }: any) => {
      const last = (c.outputs ?? []).at(-1);
      return !last?.data?.["text/markdown"] ||
        !/\| split \| row \|/.test([last.data["text/markdown"]].flat().join(""));
    })
    .map(({ i }: any) => `cell ${i}`);
  assertEquals(missing, []);
});
