import { assert, assertEquals, assertRejects } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import {
  decodeSegRgb,
  encodeLabel16,
  encodePng,
  encodeSegRgb,
  readGray,
  readImageInfo,
  readLabel16,
  readRgb,
  readSegRgb,
  writeLabel16,
  writePng,
} from "./io.ts";

Deno.test("16-bit label maps round-trip exactly, ids above 255 included", async () => {
  const w = 37, h = 11;
  const data = new Int32Array(w * h);
  for (let i = 0; i < data.length; i++) data[i] = (i * 977) % 65536;
  const bytes = await encodeLabel16({ width: w, height: h, data });
  const back = await readLabel16({ bytes, name: "mem.png" });
  assertEquals(back.width, w);
  assertEquals(Array.from(back.data), Array.from(data));
  const dir = await Deno.makeTempDir();
  await writeLabel16(`${dir}/l.png`, { width: w, height: h, data });
  const info = await readImageInfo(`${dir}/l.png`);
  assertEquals([info.channels, info.depth], [1, 16]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("an 8-bit PNG is refused as a 16-bit label map", async () => {
  const bytes = await encodePng({ width: 2, height: 2, data: new Uint8Array(4) });
  await assertRejects(() => readLabel16({ bytes, name: "x.png" }), UserError, "16-bit single-channel");
});

Deno.test("PBC seg ids use all three channels (R*65536+G*256+B)", async () => {
  const ids = Int32Array.from([0, 1, 255, 256, 274, 65535, 65536, 1 << 20]);
  const rgb = encodeSegRgb({ width: 8, height: 1, data: ids });
  assertEquals(Array.from(rgb.data.slice(9, 15)), [0, 1, 0, 0, 1, 18]); // 256 and 274
  const bytes = await encodePng(rgb);
  const back = await readSegRgb({ bytes, name: "seg.png" });
  assertEquals(Array.from(back.data), Array.from(ids));
  assertEquals(Array.from(decodeSegRgb(rgb).data), Array.from(ids));
});

Deno.test("readGray flattens black-on-transparent line art onto white", async () => {
  // 2x1 RGBA: an opaque black pixel and a transparent "white" pixel, as PBC line art is stored.
  const rgba = { width: 2, height: 1, data: Uint8Array.from([0, 0, 0, 255, 0, 0, 0, 0]) };
  const g = await readGray({ bytes: await encodePng(rgba), name: "line.png" });
  assertEquals(Array.from(g.data), [0, 255]);
  const c = await readRgb({ bytes: await encodePng(rgba), name: "line.png" });
  assertEquals(Array.from(c.data), [0, 0, 0, 255, 255, 255]);
});

Deno.test("bad files get one-line errors that name them", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/notes.png`, "this is not an image");
  await assertRejects(() => readGray(`${dir}/notes.png`), UserError, `${dir}/notes.png: not a PNG`);
  await assertRejects(() => readGray(`${dir}/missing.png`), UserError, "file not found");
  await Deno.writeFile(`${dir}/empty.png`, new Uint8Array());
  await assertRejects(() => readGray(`${dir}/empty.png`), UserError, "empty file");
  // A PNG cut in half: the header is fine, the pixels are not.
  await writePng(`${dir}/full.png`, {
    width: 64,
    height: 64,
    data: crypto.getRandomValues(new Uint8Array(64 * 64)),
  });
  const full = await Deno.readFile(`${dir}/full.png`);
  await Deno.writeFile(`${dir}/cut.png`, full.slice(0, full.length >> 1));
  const e = await assertRejects(() => readGray(`${dir}/cut.png`), UserError);
  assert(e.message.startsWith(`${dir}/cut.png:`), e.message);
  // Larger than the limit.
  await assertRejects(
    () => readGray(`${dir}/full.png`, { maxSide: 32 }),
    UserError,
    "larger than the 32-px limit",
  );
  await Deno.remove(dir, { recursive: true });
});
