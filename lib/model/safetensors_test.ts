import * as path from "node:path";
import { assert, assertEquals, assertRejects, assertThrows } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { modelConfig } from "./config.ts";
import { initialValues, paramShapes } from "./model.ts";
import {
  decodeSafetensors,
  encodeSafetensors,
  fromTorchTensors,
  type NamedTensor,
  readSafetensors,
  torchNames,
  torchTensors,
  writeSafetensors,
} from "./safetensors.ts";
import { loadWeights, saveWeights } from "./weights.ts";

const CFG = modelConfig("small", { inputSize: 32, patch: 8, dim: 8, heads: 2, vitLayers: 1, mtLayers: 1 });

/** Values that differ everywhere (so a transposition shows). */
function values(seed = 1): Map<string, Float32Array> {
  const v = initialValues(CFG, seed);
  let k = 0;
  for (const x of v.values()) for (let i = 0; i < x.length; i++) x[i] += 0.001 * (k++ % 997);
  return v;
}

Deno.test("encodeSafetensors: the spec's bytes (u64 LE header length, JSON header padded to 8, LE data)", () => {
  const bytes = encodeSafetensors([
    { name: "a", shape: [2], data: new Float32Array([1, -2]) },
    { name: "b", shape: [1, 1], data: new Float32Array([0.5]) },
  ], { k: "v" });
  const dv = new DataView(bytes.buffer);
  const n = Number(dv.getBigUint64(0, true));
  assertEquals(n % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  assertEquals(header, {
    __metadata__: { k: "v" },
    a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
    b: { dtype: "F32", shape: [1, 1], data_offsets: [8, 12] },
  });
  assertEquals(bytes.length, 8 + n + 12);
  // 1.0f = 0x3f800000, -2.0f = 0xc0000000, 0.5f = 0x3f000000, little-endian.
  assertEquals(Array.from(bytes.subarray(8 + n)), [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0, 0x3f]);
  const back = decodeSafetensors(bytes, "x.safetensors");
  assertEquals(back.metadata, { k: "v" });
  assertEquals([...back.tensors.keys()], ["a", "b"]);
  assertEquals(Array.from(back.tensors.get("a")!.data), [1, -2]);
  assertEquals(back.tensors.get("b")!.shape, [1, 1]);
});

/** A file made by hand, as another writer would (tensors in any order, other dtypes). */
function handMade(entries: [string, string, number[], number[]][], data: number[]): Uint8Array {
  const h: Record<string, unknown> = {};
  for (const [name, dtype, shape, off] of entries) h[name] = { dtype, shape, data_offsets: off };
  const json = new TextEncoder().encode(JSON.stringify(h));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

Deno.test("decodeSafetensors reads F16, BF16 and F64 and tensors stored out of order, unpadded", () => {
  const bytes = handMade(
    [["h", "F16", [2], [8, 12]], ["bf", "BF16", [1], [12, 14]], ["d", "F64", [1], [0, 8]]],
    [
      ...[0, 0, 0, 0, 0, 0, 0x04, 0x40], // 2.5 as float64 LE
      ...[0x00, 0x3c, 0x00, 0xc0], // 1.0, -2.0 as float16
      ...[0xc0, 0x3f], // 1.5 as bfloat16
    ],
  );
  const t = decodeSafetensors(bytes, "f.safetensors").tensors;
  assertEquals(Array.from(t.get("d")!.data), [2.5]);
  assertEquals(Array.from(t.get("h")!.data), [1, -2]);
  assertEquals(Array.from(t.get("bf")!.data), [1.5]);
});

Deno.test("decodeSafetensors: truncated, corrupt and inconsistent files are one line naming the file", () => {
  const f = "w/m.safetensors";
  const good = encodeSafetensors([
    { name: "a", shape: [2], data: new Float32Array([1, 2]) },
    { name: "b", shape: [3], data: new Float32Array([1, 2, 3]) },
  ]);
  const cases: [Uint8Array, string][] = [
    [good.subarray(0, 5), "truncated: 5 bytes"],
    [good.subarray(0, 20), "truncated or not a safetensors file"],
    [
      good.subarray(0, good.length - 4),
      "truncated: tensor b needs bytes 8..20 of the data section, which has only 16",
    ],
    [handMade([["a", "I8", [1], [0, 1]]], [1]), `tensor a: dtype "I8" is not one of`],
    [handMade([["a", "F32", [2], [0, 4]]], [0, 0, 0, 0]), "tensor a: 4 bytes of data for F32 [2] (needs 8)"],
    [handMade([["a", "F32", [1], [0, 4]], ["b", "F32", [1], [2, 6]]], [0, 0, 0, 0, 0, 0]), "overlaps"],
    [
      handMade([["a", "F32", [1], [4, 8]]], [0, 0, 0, 0, 0, 0, 0, 0]),
      "bytes 0..4 of the data section belong to no tensor",
    ],
    [handMade([["a", "F32", [1], [0, 4]]], [0, 0, 0, 0, 9]), "1 bytes after the last tensor"],
    [handMade([["a", "F32", [-1], [0, 4]]], [0, 0, 0, 0]), "tensor a: shape [-1]"],
  ];
  const bad = new Uint8Array(16);
  new DataView(bad.buffer).setBigUint64(0, 8n, true);
  bad.set(new TextEncoder().encode("not json"), 8);
  cases.push([bad, "the header is not JSON"]);
  for (const [bytes, msg] of cases) {
    const e = assertThrows(() => decodeSafetensors(bytes, f), UserError, msg);
    assert(e.message.startsWith(`${f}: `) && !e.message.includes("\n"), e.message);
  }
});

Deno.test("torch names and layouts: linear weights [out, in], patch embedding a Conv2d weight, pos [1, N, d]", () => {
  const v = values();
  const t = new Map(torchTensors(CFG, v).map((x) => [x.name, x]));
  assertEquals(t.size, paramShapes(CFG).length);
  const d = CFG.dim, p = CFG.patch;
  // Conv2d weight [d, C, p, p]: torch[o, 0, y, x] = ours embed.w[(y * p + x), o].
  const ew = v.get("embed.w")!, tw = t.get("patch_embed.proj.weight")!;
  assertEquals(tw.shape, [d, 1, p, p]);
  for (const [o, y, x] of [[0, 0, 1], [3, 5, 2], [7, 7, 7]]) {
    assertEquals(tw.data[(o * p + y) * p + x], ew[(y * p + x) * d + o]);
  }
  // Linear: torch[o, i] = ours[i, o].
  const qw = v.get("vit.0.qkv.w")!, tq = t.get("blocks.0.attn.qkv.weight")!;
  assertEquals(tq.shape, [3 * d, d]);
  for (const [o, i] of [[0, 1], [20, 3], [23, 7]]) assertEquals(tq.data[o * d + i], qw[i * 3 * d + o]);
  assertEquals(t.get("mt.0.cross.mlp.fc1.weight")!.shape, [4 * d, d]);
  assertEquals(t.get("mt.0.self.norm2.bias")!.shape, [d]);
  assertEquals(t.get("pos_embed")!.shape, [1, 16, d]);
  assertEquals(Array.from(t.get("pos_embed")!.data), Array.from(v.get("pos")!));
  assertEquals(t.get("norm.weight")!.data[0], v.get("norm.g")![0]);
  // And back, bit-exact.
  const back = fromTorchTensors(CFG, t, "f");
  for (const [name, x] of v) assertEquals(Array.from(back.get(name)!), Array.from(x), name);
  assertEquals(torchNames(CFG).map((m) => m.ours), paramShapes(CFG).map(([n]) => n));
});

Deno.test("writeSafetensors / readSafetensors / loadWeights: bit-exact round trip, config from the metadata", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mm-st-" });
  try {
    const v = values();
    const file = await writeSafetensors(path.join(dir, "a"), CFG, v, { run: "t", step: 3 });
    assertEquals(file, path.join(dir, "a", "model.safetensors"));
    const cfgJson = JSON.parse(await Deno.readTextFile(path.join(dir, "a", "config.json")));
    assertEquals(cfgJson.modelConfig, CFG);
    assertEquals(cfgJson.weights, "model.safetensors");
    for (const where of [file, path.join(dir, "a")]) {
      const r = await loadWeights(where);
      assertEquals(r.config, CFG);
      assertEquals(r.json.training, { run: "t", step: 3 });
      for (const [name, x] of v) assertEquals(Array.from(r.values.get(name)!), Array.from(x), name);
    }
    // The metadata alone suffices (no config.json beside it).
    await Deno.remove(path.join(dir, "a", "config.json"));
    assertEquals((await readSafetensors(file)).config, CFG);
    // Without metadata, config.json beside it (a file converted elsewhere) gives the config.
    const bare = path.join(dir, "b");
    await Deno.mkdir(bare);
    await Deno.writeFile(path.join(bare, "model.safetensors"), encodeSafetensors(torchTensors(CFG, v)));
    await Deno.writeTextFile(
      path.join(bare, "config.json"),
      JSON.stringify({
        format: "mangamatch/patch-similarity",
        weights: "model.safetensors",
        modelConfig: CFG,
      }),
    );
    assertEquals((await loadWeights(bare, { expect: { dim: 8 } })).config, CFG);
    await assertRejects(
      () => loadWeights(bare, { expect: { dim: 768 } }),
      UserError,
      "config mismatch: dim is 8",
    );
    // A model.json folder is still read as before.
    await saveWeights(path.join(dir, "c"), CFG, v);
    assertEquals((await loadWeights(path.join(dir, "c"))).config, CFG);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readSafetensors: missing, extra or mis-shaped tensors, no config, checksum: one line naming file and tensor", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mm-st-bad-" });
  try {
    const v = values();
    const meta = { "mangamatch.config": JSON.stringify(CFG) };
    const write = async (
      name: string,
      tensors: NamedTensor[],
      m: Record<string, string> | undefined = meta,
    ) => {
      const f = path.join(dir, name);
      await Deno.writeFile(f, encodeSafetensors(tensors, m));
      return f;
    };
    const all = torchTensors(CFG, v);
    const cases: [string, NamedTensor[], string][] = [
      [
        "missing.safetensors",
        all.filter((t) => t.name !== "mt.0.cross.attn.qkv.bias"),
        "tensor mt.0.cross.attn.qkv.bias [24] is missing",
      ],
      [
        "extra.safetensors",
        [...all, { name: "head.weight", shape: [2], data: new Float32Array(2) }],
        "unexpected tensor head.weight [2]",
      ],
      [
        "shape.safetensors",
        all.map((t) => t.name === "blocks.0.mlp.fc2.weight" ? { ...t, shape: [32, 8] } : t),
        "tensor blocks.0.mlp.fc2.weight has shape [32, 8], the config (a small model with 1 ViT and 1 Multiplex layers, d = 8",
      ],
      [
        "cls.safetensors",
        all.map((t) =>
          t.name === "pos_embed" ? { ...t, shape: [1, 17, 8], data: new Float32Array(17 * 8) } : t
        ),
        "tensor pos_embed has shape [1, 17, 8], the config (",
      ],
    ];
    for (const [name, tensors, msg] of cases) {
      const f = await write(name, tensors);
      const e = await assertRejects(() => loadWeights(f), UserError, msg);
      assert(e.message.startsWith(`${f}: `) && !e.message.includes("\n"), e.message);
    }
    await assertRejects(
      () => loadWeights(path.join(dir, "cls.safetensors")),
      UserError,
      "(a class-token row? drop pos_embed[:, 0])",
    );
    const noCfg = await write("nocfg.safetensors", all, {});
    await assertRejects(() => loadWeights(noCfg), UserError, `${noCfg}: no model config`);
    // Truncated: the last tensor's bytes are cut.
    const trunc = path.join(dir, "trunc.safetensors");
    const full = encodeSafetensors(all, meta);
    await Deno.writeFile(trunc, full.subarray(0, full.length - 10));
    await assertRejects(
      () => loadWeights(trunc),
      UserError,
      `${trunc}: truncated: tensor norm.bias needs bytes`,
    );
    // A flipped byte in an export is caught by the sha256 in config.json.
    const exp = await writeSafetensors(path.join(dir, "e"), CFG, v);
    const bytes = await Deno.readFile(exp);
    bytes[bytes.length - 3] ^= 1;
    await Deno.writeFile(exp, bytes);
    await assertRejects(() => loadWeights(exp), UserError, `${exp}: checksum mismatch`);
    await assertRejects(
      () => loadWeights(path.join(dir, "none.safetensors")),
      UserError,
      "none.safetensors: weights file not found",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
