import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import type { GrayImage, RgbaImage } from "../image/types.ts";
import { UserError } from "../util/errors.ts";
import { Rng } from "../util/rng.ts";
import { ellipse, IDENTITY } from "./geometry.ts";
import { makeSubject } from "./family.ts";
import { SceneBuilder } from "./scene.ts";
import { jpegArtefacts, parseStyles, pickStyle, renderStyled } from "./styles.ts";

Deno.test("parseStyles: bases, +modifiers, lists, mix; unknown names are one clear line", () => {
  assertEquals(parseStyles("hand-drawn+pencil, clean"), [{ base: "hand-drawn", mods: ["pencil"] }, {
    base: "clean",
    mods: [],
  }]);
  assertEquals(parseStyles("mix"), "mix");
  for (const bad of ["watercolor", "clean+glitter", ""]) {
    const e = assertThrows(() => parseStyles(bad), UserError) as Error;
    assert(!e.message.includes("\n"), e.message);
  }
  const st = pickStyle("mix", new Rng(3));
  assert(["clean", "hand-drawn", "sketchy"].includes(st.base));
});

Deno.test("hatching, speed lines and screentone add ink but change no label", () => {
  const W = 160, H = 160;
  const s = makeSubject("human", new Rng(4), "h", 1, W, H);
  const o = { width: W, height: H, rng: new Rng(1) };
  const plain = renderStyled(s.scene(0), s.labels, { base: "clean", mods: [] }, o);
  const marked = renderStyled(s.scene(0), s.labels, {
    base: "clean",
    mods: ["hatching", "speed-lines", "screentone"],
  }, o);
  assertEquals(marked.parts.data, plain.parts.data);
  let extra = 0;
  for (let i = 0; i < W * H; i++) {
    if (plain.ink[i]) assert(marked.ink[i] === 1, "every region line is kept");
    else if (marked.ink[i]) extra++;
  }
  assert(extra > 100, `only ${extra} marks`);
  // Every labelled segment's label is the part under it.
  for (let i = 0; i < W * H; i++) {
    const id = marked.seg.data[i];
    if (id > 1) assertEquals(marked.labelOfSeg.get(id), plain.parts.data[i] < 0 ? -1 : plain.parts.data[i]);
  }
});

Deno.test("colour lines: shadow boundaries in blue, outlines in black; grey looks are seeded", () => {
  const sb = new SceneBuilder();
  sb.add(0, 0, IDENTITY, ellipse(40, 40, 30, 25));
  sb.add(1, 1, IDENTITY, ellipse(55, 50, 20, 20), [0]);
  const labels = [{ name: "body", color: [200, 150, 120] as [number, number, number] }, {
    name: "bodyShadow",
    color: [150, 100, 90] as [number, number, number],
  }];
  const o = { width: 80, height: 80, rng: new Rng(2) };
  const f = renderStyled(sb, labels, { base: "clean", mods: ["color-lines"] }, o);
  const img = f.lineImage as RgbaImage;
  let blue = 0, black = 0;
  for (let i = 0; i < 80 * 80; i++) {
    if (img.data[4 * i + 3] !== 255) continue;
    if (img.data[4 * i + 2] === 255 && img.data[4 * i] === 0) blue++;
    else if (img.data[4 * i + 2] === 0) black++;
  }
  assert(blue > 20 && black > 60, `blue ${blue}, black ${black}`);
  const g1 = renderStyled(sb, labels, { base: "clean", mods: ["pencil", "scan", "jpeg"] }, o)
    .lineImage as GrayImage;
  const g2 = renderStyled(sb, labels, { base: "clean", mods: ["pencil", "scan", "jpeg"] }, {
    ...o,
    rng: new Rng(2),
  })
    .lineImage as GrayImage;
  assertEquals(g1.data, g2.data);
  assertEquals(g1.data.length, 80 * 80);
  assert(new Set(g1.data).size > 20, "a grey image, not a binary one");
});

Deno.test("jpegArtefacts: quality 100 is nearly lossless, quality 10 is not", () => {
  const img = {
    width: 20,
    height: 12,
    data: Uint8Array.from({ length: 240 }, (_, i) => ((i * 37) % 7 < 2 ? 0 : 255)),
  };
  const err = (q: number) => {
    const o = jpegArtefacts(img, q);
    return o.data.reduce((s, v, i) => s + Math.abs(v - img.data[i]), 0) / 240;
  };
  assert(err(100) < 3 && err(10) > 3 * err(100), `${err(100)} ${err(10)}`);
});
