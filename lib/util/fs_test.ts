import { assert, assertEquals, assertRejects } from "../testing/asserts.ts";
import { atomicWrite, exists, guardOutput, listDir, readJson, stageDir } from "./fs.ts";
import { UserError } from "./errors.ts";

Deno.test("atomicWrite writes the whole file and leaves no temporary behind", async () => {
  const dir = await Deno.makeTempDir();
  await atomicWrite(`${dir}/a/b.txt`, "hello");
  assertEquals(await Deno.readTextFile(`${dir}/a/b.txt`), "hello");
  assertEquals(await listDir(`${dir}/a`), ["b.txt"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("guardOutput refuses an existing path unless forced", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/x`, "1");
  await assertRejects(() => guardOutput(`${dir}/x`), UserError, "--force");
  await guardOutput(`${dir}/x`, { force: true });
  await guardOutput(`${dir}/y`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("stageDir leaves nothing behind when the build fails, and replaces only with force", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/ds`;
  await assertRejects(
    () =>
      stageDir(out, {}, async (tmp) => {
        await Deno.writeTextFile(`${tmp}/half`, "x");
        throw new Error("boom");
      }),
    Error,
    "boom",
  );
  assertEquals(await exists(out), false);
  assertEquals(await listDir(dir), []);
  await stageDir(out, {}, async (tmp) => await Deno.writeTextFile(`${tmp}/v`, "1"));
  await assertRejects(() => stageDir(out, {}, async () => {}), UserError, "already exists");
  await stageDir(out, { force: true }, async (tmp) => await Deno.writeTextFile(`${tmp}/v`, "2"));
  assertEquals(await Deno.readTextFile(`${out}/v`), "2");
  assertEquals(await listDir(dir), ["ds"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readJson and listDir name the file in their errors", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/bad.json`, "{nope");
  const e = await assertRejects(() => readJson(`${dir}/bad.json`), UserError, "not valid JSON");
  assert(e.message.startsWith(`${dir}/bad.json:`));
  await assertRejects(() => readJson(`${dir}/none.json`), UserError, "file not found");
  await assertRejects(() => listDir(`${dir}/missing`), UserError, "folder not found");
  await Deno.remove(dir, { recursive: true });
});
