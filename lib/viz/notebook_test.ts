import * as path from "node:path";
import { assert, assertEquals } from "../testing/asserts.ts";
import { captureLiveDisplays, LiveDisplay } from "../util/jupyter.ts";
import { REPO_ROOT } from "../util/paths.ts";
import { figureBundle, scrubPaths, shortPath } from "./notebook.ts";
import { fromRepo, withSummary } from "./notebook_setup.ts";
import { prCurveFigure } from "./plotly.ts";

Deno.test("figureBundle: plotly JSON, the PNG as HTML and as image/png (logical size), SVG and text", async () => {
  const { data, metadata } = await figureBundle(
    prCurveFigure([{ name: "cross", recall: [0, 1], precision: [1, 0.5], ap: 0.5 }], "PR <clean>"),
  );
  assertEquals(Object.keys(data).sort(), [
    "application/vnd.plotly.v1+json",
    "image/png",
    "image/svg+xml",
    "text/html",
    "text/plain",
  ]);
  const png = data["image/png"] as string;
  assert(atob(png.slice(0, 12)).startsWith("\x89PNG"), "base64 PNG");
  assert((data["text/html"] as string).includes(`data:image/png;base64,${png.slice(0, 40)}`));
  assert((data["text/html"] as string).includes('alt="PR &lt;clean&gt;"'));
  assertEquals(metadata, { "image/png": { width: 640, height: 400 } });
  assertEquals(data["text/plain"], "[plot: PR <clean>]");
});

Deno.test("shortPath and scrubPaths: repository-relative, <tmp>, or the last two parts", () => {
  assertEquals(shortPath(path.join(REPO_ROOT, "data", "test-clean")), "data/test-clean");
  assertEquals(shortPath(REPO_ROOT), ".");
  const tmp = Deno.makeTempDirSync({ prefix: "mm-short-" });
  try {
    assertEquals(shortPath(path.join(tmp, "pseudo")), `<tmp>/${path.basename(tmp)}/pseudo`);
  } finally {
    Deno.removeSync(tmp);
  }
  assertEquals(
    scrubPaths("cblas_sgemm from /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0, Haswell"),
    "cblas_sgemm from .../openblas-pthread/libopenblas.so.0, Haswell",
  );
  assertEquals(
    scrubPaths(`data: ${REPO_ROOT}/data/test-hand (300 pairs)`),
    "data: data/test-hand (300 pairs)",
  );
  assertEquals(
    scrubPaths("share per bin of log10(area / frame area), P/R 0.5"),
    "share per bin of log10(area / frame area), P/R 0.5",
  );
  assertEquals(fromRepo("data/x"), path.join(REPO_ROOT, "data/x"));
  assertEquals(fromRepo("/abs/x"), "/abs/x");
});

Deno.test("captureLiveDisplays hands over the displays made meanwhile; withSummary prints its line outside a notebook", async () => {
  const { result, displays } = await captureLiveDisplays(() => {
    new LiveDisplay();
    new LiveDisplay();
    return Promise.resolve(7);
  });
  assertEquals(result, 7);
  assertEquals(displays.length, 2);
  const logged: string[] = [];
  const log = console.log;
  console.log = (s: string) => logged.push(s);
  try {
    assertEquals(await withSummary(() => Promise.resolve(3), (r) => `done: ${r}`), 3);
  } finally {
    console.log = log;
  }
  assertEquals(logged, ["done: 3"]);
});
