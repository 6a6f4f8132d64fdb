/**
 * Weights as a `.safetensors` file, the format PyTorch users load (`safetensors.torch.load_file`): 8 bytes of
 * little-endian header length, a JSON header mapping each tensor name to `{dtype, shape, data_offsets}` (offsets
 * into the data section, begin inclusive, end exclusive) plus an optional `__metadata__` map of strings, then the
 * raw little-endian tensor data. Written here by hand (the format is that simple; no dependency).
 *
 * Tensors carry torch-style names and torch layouts (timm's ViT names for the encoder), so the reference
 * `nn.Module` in `lib/model/reference/mangamatch_torch.py` takes the file with `load_state_dict(..., strict=True)`.
 * The table of names, shapes and layouts is `lib/model/WEIGHTS.md`; {@link torchTensors} is its executable form.
 * The model config travels in `__metadata__["mangamatch.config"]` (JSON), so one file is a whole model; a file
 * without it (converted elsewhere) takes the config from a `config.json` beside it.
 *
 * Reading is strict: every tensor the config implies must be there with its shape, no other tensor may be, the
 * data must lie inside the file and cover it exactly; each problem is one {@link UserError} line naming the file
 * and the tensor. F32 is written; F32, F64, F16 and BF16 are read (converted to float32).
 *
 * @module
 */
import * as path from "node:path";
import { UserError } from "../util/errors.ts";
import { atomicWrite, atomicWriteJson, exists, readJson } from "../util/fs.ts";
import { type ModelConfig, patchDim, tokensOf, validateConfig } from "./config.ts";
import { paramShapes } from "./model.ts";

/** File name of the weights in a safetensors export folder. */
export const SAFETENSORS_FILE = "model.safetensors";
/** File name of the config written beside it. */
export const SAFETENSORS_CONFIG = "config.json";
/** Format tag in `__metadata__["mangamatch.format"]` and in config.json. */
export const SAFETENSORS_FORMAT = "mangamatch/patch-similarity";

/** One tensor as stored: a torch name, a shape, float32 values in row-major (C) order. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A decoded file: tensors by name (in file order) and the metadata strings. */
export interface SafetensorsContents {
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
}

/** Bytes per element of the dtypes read. */
const DTYPE_BYTES: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2 };

const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);
const fmt = (s: number[]) => `[${s.join(", ")}]`;

/**
 * Serialises tensors (float32, little-endian) and metadata into safetensors bytes. The header is padded with
 * spaces to a multiple of 8 bytes, as the reference implementation does, so the data section is aligned.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors([{ name: "w", shape: [2], data: new Float32Array([1, 2]) }], { a: "b" });
 * ```
 */
export function encodeSafetensors(tensors: NamedTensor[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) header.__metadata__ = metadata;
  let o = 0;
  for (const t of tensors) {
    if (t.name === "__metadata__" || t.name in header) {
      throw new Error(`safetensors: duplicate name ${t.name}`);
    }
    if (t.data.length !== prod(t.shape)) {
      throw new Error(`safetensors: ${t.name} has ${t.data.length} values for shape ${fmt(t.shape)}`);
    }
    header[t.name] = { dtype: "F32", shape: t.shape, data_offsets: [o, o + 4 * t.data.length] };
    o += 4 * t.data.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + padded + o);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  let at = 8 + padded;
  for (const t of tensors) {
    // Float32Array is the platform's byte order; write explicitly little-endian to be safe everywhere.
    for (let i = 0; i < t.data.length; i++, at += 4) dv.setFloat32(at, t.data[i], true);
  }
  return out;
}

function f16(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/**
 * Parses safetensors bytes. Errors (one line, naming `file` and, where there is one, the tensor): a file
 * shorter than its header, a header that is not a JSON object, an entry without a valid dtype / shape /
 * data_offsets, data outside the file (truncated), overlapping entries or bytes no tensor covers.
 *
 * @example
 * ```ts
 * const { tensors, metadata } = decodeSafetensors(await Deno.readFile("m.safetensors"), "m.safetensors");
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array, file: string): SafetensorsContents {
  const fail = (msg: string): never => {
    throw new UserError(msg, file);
  };
  if (bytes.byteLength < 8) fail(`truncated: ${bytes.byteLength} bytes, not even the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  if (n > bytes.byteLength - 8) {
    fail(
      `truncated or not a safetensors file: the header length says ${n} bytes, the file has ${
        bytes.byteLength - 8
      } after it`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`not a safetensors file: the header is not JSON (${(e as Error).message})`);
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) fail("header is not a JSON object");
  const h = header as Record<string, unknown>;
  const metadata: Record<string, string> = {};
  const meta = h.__metadata__;
  if (meta !== undefined) {
    if (!meta || typeof meta !== "object" || Array.isArray(meta)) fail("__metadata__ is not a JSON object");
    for (const [k, v] of Object.entries(meta as Record<string, unknown>)) {
      if (typeof v !== "string") fail(`__metadata__ value ${k} is not a string`);
      metadata[k] = v as string;
    }
  }
  const dataStart = 8 + n, dataLen = bytes.byteLength - dataStart;
  const entries: { name: string; dtype: string; shape: number[]; b: number; e: number }[] = [];
  for (const [name, v] of Object.entries(h)) {
    if (name === "__metadata__") continue;
    const t = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!t || typeof t !== "object") fail(`tensor ${name}: entry is not an object`);
    const dtype = t.dtype;
    if (typeof dtype !== "string" || !(dtype in DTYPE_BYTES)) {
      fail(
        `tensor ${name}: dtype ${JSON.stringify(dtype)} is not one of ${Object.keys(DTYPE_BYTES).join(", ")}`,
      );
    }
    const shape = t.shape;
    if (!Array.isArray(shape) || !shape.every((x) => Number.isInteger(x) && x >= 0)) {
      fail(`tensor ${name}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    }
    const off = t.data_offsets;
    if (
      !Array.isArray(off) || off.length !== 2 || !off.every((x) => Number.isInteger(x) && x >= 0) ||
      off[0] > off[1]
    ) {
      fail(`tensor ${name}: data_offsets ${JSON.stringify(off)} is not [begin, end] with begin <= end`);
    }
    const [b, e] = off as number[];
    const need = prod(shape as number[]) * DTYPE_BYTES[dtype as string];
    if (e - b !== need) {
      fail(`tensor ${name}: ${e - b} bytes of data for ${dtype} ${fmt(shape as number[])} (needs ${need})`);
    }
    if (e > dataLen) {
      fail(
        `truncated: tensor ${name} needs bytes ${b}..${e} of the data section, which has only ${dataLen} (file ${bytes.byteLength} bytes)`,
      );
    }
    entries.push({ name, dtype: dtype as string, shape: shape as number[], b, e });
  }
  // The spec: the data section is covered exactly, no overlaps and no holes.
  const sorted = [...entries].sort((x, y) => x.b - y.b || x.e - y.e);
  let end = 0;
  for (const t of sorted) {
    if (t.b < end) fail(`tensor ${t.name}: its data (bytes ${t.b}..${t.e}) overlaps another tensor's`);
    if (t.b > end) fail(`bytes ${end}..${t.b} of the data section belong to no tensor (before ${t.name})`);
    end = t.e;
  }
  if (end !== dataLen) fail(`${dataLen - end} bytes after the last tensor's data belong to no tensor`);
  const tensors = new Map<string, NamedTensor>();
  for (const t of entries) {
    const count = prod(t.shape), at = dataStart + t.b, data = new Float32Array(count);
    if (t.dtype === "F32") { for (let i = 0; i < count; i++) data[i] = dv.getFloat32(at + 4 * i, true); }
    else if (t.dtype === "F64") { for (let i = 0; i < count; i++) data[i] = dv.getFloat64(at + 8 * i, true); }
    else if (t.dtype === "F16") {
      for (let i = 0; i < count; i++) data[i] = f16(dv.getUint16(at + 2 * i, true));
    } else {
      const tmp = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        tmp.setUint32(0, dv.getUint16(at + 2 * i, true) << 16, true);
        data[i] = tmp.getFloat32(0, true);
      }
    }
    tensors.set(t.name, { name: t.name, shape: t.shape, data });
  }
  return { tensors, metadata };
}

/** Transpose of a row-major [r, c] matrix. */
function transpose(x: Float32Array, r: number, c: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = x[i * c + j];
  return out;
}

/** How one of our parameters is stored: torch name, torch shape, and whether a 2-D transpose maps between them. */
interface Mapping {
  ours: string;
  torch: string;
  shape: number[];
  transpose: boolean;
}

const BLOCK_NAMES: [string, string, boolean][] = [
  ["ln1.g", "norm1.weight", false],
  ["ln1.b", "norm1.bias", false],
  ["qkv.w", "attn.qkv.weight", true],
  ["qkv.b", "attn.qkv.bias", false],
  ["proj.w", "attn.proj.weight", true],
  ["proj.b", "attn.proj.bias", false],
  ["ln2.g", "norm2.weight", false],
  ["ln2.b", "norm2.bias", false],
  ["fc1.w", "mlp.fc1.weight", true],
  ["fc1.b", "mlp.fc1.bias", false],
  ["fc2.w", "mlp.fc2.weight", true],
  ["fc2.b", "mlp.fc2.bias", false],
];

/**
 * The name map of a config, in canonical order: our parameter name, its torch name and torch shape. Linear
 * weights are stored torch's way, [out, in] (ours are [in, out]); the patch embedding as a Conv2d weight
 * [d, channels, patch, patch]; position embeddings as [1, N, d] (timm's `pos_embed`, without a class token).
 *
 * @example
 * ```ts
 * torchNames(modelConfig("small"))[0]; // { ours: "embed.w", torch: "patch_embed.proj.weight", shape: [128, 1, 16, 16], ... }
 * ```
 */
export function torchNames(c: ModelConfig): Mapping[] {
  const out: Mapping[] = [];
  for (const [ours, shape] of paramShapes(c)) {
    if (ours === "embed.w") {
      out.push({
        ours,
        torch: "patch_embed.proj.weight",
        shape: [c.dim, c.channels, c.patch, c.patch],
        transpose: true,
      });
    } else if (ours === "embed.b") {
      out.push({ ours, torch: "patch_embed.proj.bias", shape, transpose: false });
    } else if (ours === "pos") {
      out.push({ ours, torch: "pos_embed", shape: [1, tokensOf(c), c.dim], transpose: false });
    } else if (ours === "norm.g") out.push({ ours, torch: "norm.weight", shape, transpose: false });
    else if (ours === "norm.b") out.push({ ours, torch: "norm.bias", shape, transpose: false });
    else {
      const m = /^(vit\.(\d+)|mt\.(\d+)\.(self|cross))\.(.+)$/.exec(ours);
      const row = m && BLOCK_NAMES.find(([s]) => s === m[5]);
      if (!m || !row) throw new Error(`torchNames: no mapping for ${ours}`);
      const prefix = m[2] !== undefined ? `blocks.${m[2]}` : `mt.${m[3]}.${m[4]}`;
      out.push({
        ours,
        torch: `${prefix}.${row[1]}`,
        shape: row[2] ? [shape[1], shape[0]] : shape,
        transpose: row[2],
      });
    }
  }
  return out;
}

/**
 * Our parameter values as torch-named, torch-laid-out tensors, in canonical order.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors(torchTensors(model.config, model.values()));
 * ```
 */
export function torchTensors(c: ModelConfig, values: Map<string, Float32Array>): NamedTensor[] {
  return torchNames(c).map(({ ours, torch, shape, transpose: t }) => {
    const v = values.get(ours);
    if (!v || v.length !== prod(shape)) throw new Error(`torchTensors: ${ours} needs ${prod(shape)} values`);
    // embed.w [P, d] -> [d, P] = [d, C, p, p]; linear [in, out] -> [out, in].
    const data = !t
      ? v.slice()
      : ours === "embed.w"
      ? transpose(v, patchDim(c), c.dim)
      : transpose(v, shape[1], shape[0]);
    return { name: torch, shape, data };
  });
}

/**
 * The inverse of {@link torchTensors}, checked: every tensor the config implies, with its shape, and nothing
 * else. Errors are one line naming `file` and the tensor.
 */
export function fromTorchTensors(
  c: ModelConfig,
  tensors: Map<string, NamedTensor>,
  file: string,
): Map<string, Float32Array> {
  const map = torchNames(c);
  const known = new Set(map.map((m) => m.torch));
  const what =
    `a ${c.preset} model with ${c.vitLayers} ViT and ${c.mtLayers} Multiplex layers, d = ${c.dim}, ` +
    `${tokensOf(c)} tokens, ${patchDim(c)}-value patches`;
  const missing = map.filter((m) => !tensors.has(m.torch));
  if (missing.length) {
    throw new UserError(
      `tensor ${missing[0].torch} ${fmt(missing[0].shape)} is missing${
        missing.length > 1 ? ` (and ${missing.length - 1} more)` : ""
      }: the config (${what}) implies ${map.length} tensors`,
      file,
    );
  }
  const extra = [...tensors.keys()].filter((n) => !known.has(n));
  if (extra.length) {
    throw new UserError(
      `unexpected tensor ${extra[0]} ${fmt(tensors.get(extra[0])!.shape)}${
        extra.length > 1 ? ` (and ${extra.length - 1} more)` : ""
      }: not part of ${what}`,
      file,
    );
  }
  const values = new Map<string, Float32Array>();
  for (const { ours, torch, shape, transpose: t } of map) {
    const x = tensors.get(torch)!;
    if (fmt(x.shape) !== fmt(shape)) {
      const hint = torch === "pos_embed" && prod(x.shape) === prod(shape) + c.dim
        ? " (a class-token row? drop pos_embed[:, 0])"
        : "";
      throw new UserError(
        `tensor ${torch} has shape ${fmt(x.shape)}, the config (${what}) implies ${fmt(shape)}${hint}`,
        file,
      );
    }
    values.set(
      ours,
      !t
        ? x.data
        : ours === "embed.w"
        ? transpose(x.data, c.dim, patchDim(c))
        : transpose(x.data, shape[0], shape[1]),
    );
  }
  return values;
}

/** Hex sha256 of bytes. */
async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** What config.json beside an exported `.safetensors` holds. */
export interface SafetensorsConfigJson {
  format: string;
  formatVersion: number;
  /** The weights file, relative to this json. */
  weights: string;
  /** Tensor names and layouts: always "torch" (see lib/model/WEIGHTS.md). */
  layout: "torch";
  modelConfig: ModelConfig;
  /** sha256 of the whole weights file. */
  weightsSha256: string;
  training?: Record<string, unknown>;
}

/**
 * Writes `dir/model.safetensors` (config and training metadata in `__metadata__`) and `dir/config.json`
 * (atomically; the weights first). Returns the file's path.
 *
 * @example
 * ```ts
 * await writeSafetensors("models/small-v1-st", model.config, model.values(), { run: "small-v1" });
 * ```
 */
export async function writeSafetensors(
  dir: string,
  config: ModelConfig,
  values: Map<string, Float32Array>,
  training?: Record<string, unknown>,
): Promise<string> {
  const tensors = torchTensors(config, values);
  const metadata: Record<string, string> = {
    format: "pt", // what transformers / safetensors.torch expect of a PyTorch state dict
    "mangamatch.format": SAFETENSORS_FORMAT,
    "mangamatch.layout": "torch",
    "mangamatch.config": JSON.stringify(config),
  };
  if (training) metadata["mangamatch.training"] = JSON.stringify(training);
  const bytes = encodeSafetensors(tensors, metadata);
  const file = path.join(dir, SAFETENSORS_FILE);
  await atomicWrite(file, bytes);
  const json: SafetensorsConfigJson = {
    format: SAFETENSORS_FORMAT,
    formatVersion: 1,
    weights: SAFETENSORS_FILE,
    layout: "torch",
    modelConfig: config,
    weightsSha256: await sha256Hex(bytes),
    ...(training ? { training } : {}),
  };
  await atomicWriteJson(path.join(dir, SAFETENSORS_CONFIG), json);
  return file;
}

/**
 * Reads a `.safetensors` file (or a folder holding `model.safetensors`) into our parameters. The config comes
 * from `__metadata__["mangamatch.config"]`, else from `config.json` beside the file (ours: `modelConfig`).
 * When that config.json names this file with a sha256, the file is checked against it.
 *
 * @example
 * ```ts
 * const { config, values } = await readSafetensors("models/small-v1-st/model.safetensors");
 * ```
 */
export async function readSafetensors(fileOrDir: string): Promise<{
  config: ModelConfig;
  values: Map<string, Float32Array>;
  metadata: Record<string, string>;
  training?: Record<string, unknown>;
  file: string;
  bytes: number;
  sha256: string;
}> {
  const file = fileOrDir.endsWith(".safetensors") ? fileOrDir : path.join(fileOrDir, SAFETENSORS_FILE);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new UserError("weights file not found", file);
    throw e;
  }
  const { tensors, metadata } = decodeSafetensors(bytes, file);
  const sha256 = await sha256Hex(bytes);
  const cfgFile = path.join(path.dirname(file), SAFETENSORS_CONFIG);
  let side: SafetensorsConfigJson | undefined;
  if (await exists(cfgFile)) {
    const j = await readJson<SafetensorsConfigJson>(cfgFile);
    if (j && typeof j === "object" && j.format === SAFETENSORS_FORMAT && j.weights === path.basename(file)) {
      side = j;
    }
  }
  let config: ModelConfig;
  const cfgText = metadata["mangamatch.config"];
  if (cfgText !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(cfgText);
    } catch {
      throw new UserError(`__metadata__ "mangamatch.config" is not JSON`, file);
    }
    config = validateConfig(parsed as ModelConfig, file);
  } else if (side) {
    config = validateConfig(side.modelConfig, cfgFile);
  } else {
    throw new UserError(
      `no model config: neither __metadata__["mangamatch.config"] nor a ${SAFETENSORS_CONFIG} beside it naming this file (lib/model/WEIGHTS.md)`,
      file,
    );
  }
  if (side?.weightsSha256 && side.weightsSha256 !== sha256) {
    throw new UserError(
      `checksum mismatch (sha256 ${sha256.slice(0, 12)}..., ${SAFETENSORS_CONFIG} says ${
        String(side.weightsSha256).slice(0, 12)
      }...): file corrupt or replaced`,
      file,
    );
  }
  const values = fromTorchTensors(config, tensors, file);
  let training: Record<string, unknown> | undefined = side?.training;
  if (metadata["mangamatch.training"] !== undefined) {
    try {
      training = JSON.parse(metadata["mangamatch.training"]);
    } catch {
      throw new UserError(`__metadata__ "mangamatch.training" is not JSON`, file);
    }
  }
  return { config, values, metadata, training, file, bytes: bytes.byteLength, sha256 };
}
