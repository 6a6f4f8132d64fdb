/**
 * The original line styles keep their bytes: datasets made before the families, styles and aspect ratios were
 * added (shipped models and tests depend on them) must come out identical. The digests were taken from the
 * generator as it was before those changes (commit d7f6bbf).
 */
import * as path from "node:path";
import { assertEquals } from "../testing/asserts.ts";
import { generateDataset } from "./dataset.ts";

/** sha256 over "<sha256 of file>  <relative path>\n" of every file, paths in code-unit order. */
async function folderDigest(root: string): Promise<string> {
  const files: string[] = [];
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(path.join(root, rel))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(r);
      else files.push(r);
    }
  };
  await walk("");
  files.sort();
  const hex = (b: ArrayBuffer) =>
    Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
  let text = "";
  for (const f of files) {
    text += `${hex(await crypto.subtle.digest("SHA-256", await Deno.readFile(path.join(root, f))))}  ${f}\n`;
  }
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

Deno.test("clean and hand-drawn datasets are byte-identical to the original generator's", async () => {
  const tmp = await Deno.makeTempDir();
  const opts = { gap: 7, progress: "off" as const };
  await generateDataset({
    ...opts,
    out: `${tmp}/small`,
    pairs: 16,
    style: "clean",
    seed: 3,
    size: 256,
    framesPerCharacter: 10,
  });
  await generateDataset({
    ...opts,
    out: `${tmp}/hand`,
    pairs: 24,
    style: "hand-drawn",
    seed: 2,
    size: 512,
    framesPerCharacter: 15,
  });
  assertEquals(await folderDigest(`${tmp}/small`), SMALL_CLEAN);
  assertEquals(await folderDigest(`${tmp}/hand`), HAND);
  await Deno.remove(tmp, { recursive: true });
});

const SMALL_CLEAN = "f7f8513d09169f2d1a9422848843fafd41d8f40d3d8272756717504cdacb4936";
const HAND = "0b3aa7606b6673bbb36427ddeca0359ba98c85c009f203c704d9320160c4ae63";
