import * as path from "node:path";
import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { loadFrame } from "../data/pbc.ts";
import { UserError } from "../util/errors.ts";
import { Rng } from "../util/rng.ts";
import { canvasSize, generateDataset, mergeShards } from "./dataset.ts";
import { FAMILIES, makeSubject, parseFamilies, TRAIN_FAMILIES, TRANSFER_FAMILY } from "./family.ts";
import { renderStyled } from "./styles.ts";

Deno.test("parseFamilies: names, all = every family but the transfer family, unknown names one clear line", () => {
  assertEquals(parseFamilies("human, quadruped,human"), ["human", "quadruped"]);
  assertEquals(parseFamilies("all"), [...TRAIN_FAMILIES]);
  assert(!parseFamilies("all").includes(TRANSFER_FAMILY));
  const e = assertThrows(() => parseFamilies("human,dragon"), UserError) as Error;
  assert(e.message.includes('"dragon"') && !e.message.includes("\n"));
});

Deno.test("every family: exact labels in range, seeded, moving, parts that occlude or leave the frame", () => {
  const W = 128, H = 96;
  for (const fam of FAMILIES) {
    let split = 0, vanished = 0;
    for (let c = 0; c < 3; c++) {
      const rng = () => new Rng(9).fork(`character:${c}`);
      const s = makeSubject(fam, rng(), `c${c}`, 8, W, H);
      const t = makeSubject(fam, rng(), `c${c}`, 8, W, H);
      const render = (subj: typeof s, f: number) =>
        renderStyled(subj.scene(f), subj.labels, { base: "clean", mods: [] }, {
          width: W,
          height: H,
          rng: new Rng(f),
        });
      const a0 = render(s, 0), a7 = render(s, 7);
      assertEquals(render(t, 7).seg.data, a7.seg.data, `${fam}: same seed, same frame`);
      assert(a0.seg.data.some((v, i) => v !== a7.seg.data[i]), `${fam}: frames 0 and 7 differ`);
      assertEquals(a0.seg.width, W);
      for (const f of [a0, a7]) {
        for (const [, lab] of f.labelOfSeg) {
          assert(lab >= -1 && lab < s.labels.length, `${fam}: label ${lab} out of range`);
        }
      }
      const labs = (f: typeof a0) => {
        const m = new Map<number, number>();
        for (const [, l] of f.labelOfSeg) if (l >= 0) m.set(l, (m.get(l) ?? 0) + 1);
        return m;
      };
      const l0 = labs(a0), l7 = labs(a7);
      assert(l0.size >= 4, `${fam}: only ${l0.size} labels visible`);
      for (const v of [...l0.values(), ...l7.values()]) if (v > 1) split++;
      for (const k of l0.keys()) if (!l7.has(k)) vanished++;
    }
    assert(split + vanished > 0, `${fam}: no part was ever split or hidden`);
  }
});

Deno.test("group: the members' labels side by side; canvas size from aspect", () => {
  const g = makeSubject("group", new Rng(2), "g", 3, 160, 120);
  assert(g.labels.length > 60 && g.labels.some((l) => l.name.startsWith("m1.")));
  assertEquals(canvasSize({ size: 512, aspect: 1.5 }), { width: 512, height: 341 });
  assertEquals(canvasSize({ size: 512, aspect: 0.5 }), { width: 256, height: 512 });
  assertEquals(canvasSize({ size: 512 }), { width: 512, height: 512 });
});

Deno.test("datasets of mixed families and styles on a wide canvas: manifest, same bytes from shards", async () => {
  const tmp = await Deno.makeTempDir();
  const s = {
    pairs: 6,
    style: "clean,hand-drawn+hatching",
    family: "quadruped,bird,prop",
    aspect: 1.5,
    seed: 5,
    size: 96,
    gap: 2,
    framesPerCharacter: 4,
    progress: "off" as const,
  };
  await generateDataset({ ...s, out: path.join(tmp, "all") });
  await generateDataset({ ...s, out: path.join(tmp, "s0"), shard: { index: 0, count: 2 } });
  await generateDataset({ ...s, out: path.join(tmp, "s1"), shard: { index: 1, count: 2 } });
  await mergeShards(path.join(tmp, "merged"), [path.join(tmp, "s0"), path.join(tmp, "s1")], {
    progress: "off",
  });
  const m = JSON.parse(await Deno.readTextFile(path.join(tmp, "all", "generate.json")));
  assertEquals(m.settings.family, s.family);
  assertEquals(Object.keys(m.characterInfo).length, 3);
  for (const v of Object.values(m.characterInfo) as { family: string; style: string }[]) {
    assert(
      ["quadruped", "bird", "prop"].includes(v.family) && ["clean", "hand-drawn+hatching"].includes(v.style),
    );
  }
  assertEquals(
    await Deno.readTextFile(path.join(tmp, "merged", "generate.json")),
    await Deno.readTextFile(path.join(tmp, "all", "generate.json")),
  );
  for (const f of ["char00001/seg/0003.png", "char00002/line/0001.png", "char00000/json_index/0002.json"]) {
    assertEquals(
      await Deno.readFile(path.join(tmp, "merged", f)),
      await Deno.readFile(path.join(tmp, "all", f)),
      f,
    );
  }
  const fr = await loadFrame(path.join(tmp, "all"), "char00001", "0003");
  assertEquals([fr.seg.width, fr.seg.height], [96, 64]);
  await Deno.remove(tmp, { recursive: true });
});
