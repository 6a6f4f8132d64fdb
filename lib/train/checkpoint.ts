/**
 * Training checkpoints: everything a resumed run needs to continue bit for bit — parameters, both AdamW moments,
 * the step — in one binary file per checkpoint (`<run>/ckpt/step-<n>.bin`, written atomically), and a pointer
 * `<run>/ckpt/latest.json` (also atomic, written after the file it names, with the file's sha256). A run killed
 * at any instant leaves either the previous checkpoint or the new one, never a torn file. The data order and
 * every random draw are pure functions of (seed, step), so the step restores them too.
 *
 * File: `MMCKPT01`, uint32 LE header length, header JSON ({step, meta, tensors: [{kind, name, length}]}), zero
 * padding to 4 bytes, float32 LE data in header order.
 *
 * @module
 */
import * as path from "node:path";
import { UserError } from "../util/errors.ts";
import { atomicWrite, atomicWriteJson, exists, listDir, readJson } from "../util/fs.ts";
import { sha256Hex } from "../model/weights.ts";
import type { AdamWState } from "./adamw.ts";

const MAGIC = "MMCKPT01";

/** What a checkpoint holds. */
export interface Checkpoint {
  /** Optimiser steps completed. */
  step: number;
  params: Map<string, Float32Array>;
  opt: AdamWState;
  /** Free-form JSON (config fingerprint, data fingerprint). */
  meta: Record<string, unknown>;
}

interface TensorEntry {
  kind: "param" | "m" | "v";
  name: string;
  length: number;
}

/** Encodes a checkpoint. */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const entries: TensorEntry[] = [];
  const arrays: Float32Array[] = [];
  const add = (kind: TensorEntry["kind"], m: Map<string, Float32Array>) => {
    for (const [name, v] of m) {
      entries.push({ kind, name, length: v.length });
      arrays.push(v);
    }
  };
  add("param", c.params);
  add("m", c.opt.m);
  add("v", c.opt.v);
  const header = new TextEncoder().encode(
    JSON.stringify({ step: c.step, optStep: c.opt.step, meta: c.meta, tensors: entries }),
  );
  const pad = (4 - ((12 + header.length) % 4)) % 4;
  const head = 12 + header.length + pad;
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const bytes = new Uint8Array(head + 4 * total);
  bytes.set(new TextEncoder().encode(MAGIC));
  new DataView(bytes.buffer).setUint32(8, header.length, true);
  bytes.set(header, 12);
  const f = new Float32Array(bytes.buffer, head, total);
  let o = 0;
  for (const a of arrays) {
    f.set(a, o);
    o += a.length;
  }
  return bytes;
}

/** Decodes a checkpoint; errors name `file`. */
export function decodeCheckpoint(bytes: Uint8Array, file: string): Checkpoint {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new UserError("not a checkpoint file", file);
  }
  const hl = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  let header: { step: number; optStep: number; meta: Record<string, unknown>; tensors: TensorEntry[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + hl)));
  } catch {
    throw new UserError("checkpoint header is not valid JSON", file);
  }
  const pad = (4 - ((12 + hl) % 4)) % 4;
  const head = 12 + hl + pad;
  const total = header.tensors.reduce((s, t) => s + t.length, 0);
  if (bytes.length !== head + 4 * total) {
    throw new UserError(`checkpoint has ${bytes.length} bytes, expected ${head + 4 * total}`, file);
  }
  const data = new Float32Array(bytes.slice(head).buffer);
  const params = new Map<string, Float32Array>(),
    m = new Map<string, Float32Array>(),
    v = new Map<string, Float32Array>();
  let o = 0;
  for (const t of header.tensors) {
    const a = data.slice(o, o + t.length);
    o += t.length;
    (t.kind === "param" ? params : t.kind === "m" ? m : v).set(t.name, a);
  }
  return { step: header.step, params, opt: { step: header.optStep, m, v }, meta: header.meta };
}

/** The checkpoint folder of a run. */
export function checkpointDir(run: string): string {
  return path.join(run, "ckpt");
}

/**
 * Writes a checkpoint and points `latest.json` at it; keeps the previous one, deletes older ones.
 *
 * @example
 * ```ts
 * await saveCheckpoint("experiments/run1", { step, params: model.values(), opt: opt.state(), meta });
 * ```
 */
export async function saveCheckpoint(run: string, c: Checkpoint): Promise<string> {
  const dir = checkpointDir(run);
  const name = `step-${String(c.step).padStart(7, "0")}.bin`;
  const bytes = encodeCheckpoint(c);
  await atomicWrite(path.join(dir, name), bytes);
  await atomicWriteJson(path.join(dir, "latest.json"), {
    file: name,
    step: c.step,
    sha256: await sha256Hex(bytes),
  });
  const old = (await listDir(dir, (e) => e.isFile && /^step-\d+\.bin$/.test(e.name))).filter((n) => n < name);
  for (const n of old.slice(0, -1)) await Deno.remove(path.join(dir, n)).catch(() => {});
  return path.join(dir, name);
}

/** The latest checkpoint of a run, verified against its checksum, or null when the run has none. */
export async function loadLatestCheckpoint(run: string): Promise<Checkpoint | null> {
  const ptr = path.join(checkpointDir(run), "latest.json");
  if (!(await exists(ptr))) return null;
  const { file, sha256 } = await readJson<{ file: string; step: number; sha256: string }>(ptr);
  const p = path.join(checkpointDir(run), file);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(p);
  } catch {
    throw new UserError("checkpoint named by latest.json is missing", p);
  }
  if ((await sha256Hex(bytes)) !== sha256) {
    throw new UserError("checkpoint checksum mismatch: file corrupt", p);
  }
  return decodeCheckpoint(bytes, p);
}
