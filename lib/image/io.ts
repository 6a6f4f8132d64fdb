/**
 * Image reading and writing on `sharp`: PNG, JPEG and WebP in; alpha flattened onto white (PaintBucket-Character
 * line art is black on transparent); 16-bit single-channel label maps read and written without sharp's silent
 * widening to sRGB; PBC's RGB-encoded segment ids. Every failure is a one-line {@link UserError} naming the file.
 *
 * @module
 */
import sharp from "sharp";
import { UserError } from "../util/errors.ts";
import { atomicWrite } from "../util/fs.ts";
import type { GrayImage, LabelMap, RgbaImage, RgbImage } from "./types.ts";

/** Largest side accepted by default: 8192 px (a 1920x1920 PBC frame is well inside; a 20k-px scan is refused). */
export const DEFAULT_MAX_SIDE = 8192;

/** Where an image comes from: a path, or bytes with a name for error messages. */
export type ImageSource = string | { bytes: Uint8Array; name: string };

/** Options for readers. */
export interface ReadOptions {
  /** Refuse images whose larger side exceeds this (default {@link DEFAULT_MAX_SIDE}). */
  maxSide?: number;
}

/** Size and format of an image, as read from its header. */
export interface ImageInfo {
  width: number;
  height: number;
  channels: number;
  hasAlpha: boolean;
  format: string;
  /** Bits per channel sample (8 or 16). */
  depth: 8 | 16;
}

function srcName(src: ImageSource): string {
  return typeof src === "string" ? src : src.name;
}

async function loadBytes(src: ImageSource): Promise<Uint8Array> {
  if (typeof src !== "string") return src.bytes;
  try {
    return await Deno.readFile(src);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new UserError("file not found", src);
    if (e instanceof Deno.errors.IsADirectory) throw new UserError("is a folder, not an image", src);
    throw new UserError(`cannot be read (${(e as Error).message})`, src);
  }
}

function wrapSharpError(e: unknown, name: string): UserError {
  const msg = (e as Error)?.message ?? String(e);
  if (/unsupported image format|Input buffer contains unsupported/i.test(msg)) {
    return new UserError("not a PNG, JPEG or WebP image", name);
  }
  return new UserError(`corrupt or unreadable image (${msg.split("\n")[0]})`, name);
}

const ACCEPTED = new Set(["png", "jpeg", "jpg", "webp"]);

async function open(
  src: ImageSource,
  opts: ReadOptions,
): Promise<{ img: sharp.Sharp; info: ImageInfo; name: string }> {
  const name = srcName(src);
  const bytes = await loadBytes(src);
  if (bytes.length === 0) throw new UserError("empty file, not an image", name);
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (e) {
    throw wrapSharpError(e, name);
  }
  if (!meta.format || !ACCEPTED.has(meta.format)) {
    throw new UserError(`format ${meta.format ?? "unknown"} is not supported (PNG, JPEG or WebP)`, name);
  }
  const width = meta.width ?? 0, height = meta.height ?? 0;
  if (width <= 0 || height <= 0) throw new UserError("image has no pixels", name);
  const maxSide = opts.maxSide ?? DEFAULT_MAX_SIDE;
  if (Math.max(width, height) > maxSide) {
    throw new UserError(`image is ${width}x${height}, larger than the ${maxSide}-px limit`, name);
  }
  const depth = meta.depth === "ushort" ? 16 : 8;
  // failOn "error": truncated or corrupt pixel data is an error, not a silently grey image.
  const img = sharp(bytes, { failOn: "error", limitInputPixels: maxSide * maxSide });
  return {
    img,
    name,
    info: {
      width,
      height,
      channels: meta.channels ?? 0,
      hasAlpha: !!meta.hasAlpha,
      format: meta.format,
      depth,
    },
  };
}

/** Reads only the header: size, channels, format. */
export async function readImageInfo(src: ImageSource, opts: ReadOptions = {}): Promise<ImageInfo> {
  return (await open(src, opts)).info;
}

async function raw(img: sharp.Sharp, name: string): Promise<{ data: Uint8Array; info: sharp.OutputInfo }> {
  try {
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), info };
  } catch (e) {
    throw wrapSharpError(e, name);
  }
}

/**
 * Reads an image as 8-bit grey, alpha flattened onto white.
 *
 * @example
 * ```ts
 * const line = await readGray("Char0242/line/0242.png"); // black strokes on white
 * ```
 */
export async function readGray(src: ImageSource, opts: ReadOptions = {}): Promise<GrayImage> {
  const { img, name } = await open(src, opts);
  const { data, info } = await raw(
    img.flatten({ background: "#ffffff" }).grayscale().toColourspace("b-w"),
    name,
  );
  if (info.channels !== 1) {
    throw new UserError(`expected 1 channel after conversion, got ${info.channels}`, name);
  }
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Reads an image as 8-bit RGB, alpha flattened onto white. */
export async function readRgb(src: ImageSource, opts: ReadOptions = {}): Promise<RgbImage> {
  const { img, name } = await open(src, opts);
  const { data, info } = await raw(
    img.flatten({ background: "#ffffff" }).toColourspace("srgb").removeAlpha(),
    name,
  );
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Reads an image as 8-bit RGBA (an alpha channel is added when absent). */
export async function readRgba(src: ImageSource, opts: ReadOptions = {}): Promise<RgbaImage> {
  const { img, name } = await open(src, opts);
  const { data, info } = await raw(img.toColourspace("srgb").ensureAlpha(), name);
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/**
 * Reads a PBC `seg` PNG as segment ids, `id = R*65536 + G*256 + B`. All three channels are used, so ids above
 * 255 survive (the official release read the blue channel alone and lost them).
 */
export async function readSegRgb(src: ImageSource, opts: ReadOptions = {}): Promise<LabelMap> {
  const { img, name } = await open(src, opts);
  const { data, info } = await raw(img.toColourspace("srgb").removeAlpha(), name);
  return decodeSegRgb({ width: info.width, height: info.height, data });
}

/** Decodes RGB-encoded ids (`R*65536 + G*256 + B`). */
export function decodeSegRgb(rgb: RgbImage): LabelMap {
  const n = rgb.width * rgb.height;
  const out = new Int32Array(n);
  const d = rgb.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = (d[j] << 16) | (d[j + 1] << 8) | d[j + 2];
  return { width: rgb.width, height: rgb.height, data: out };
}

/** Encodes ids in [0, 2^24) as RGB (`R*65536 + G*256 + B`); negative ids are an error. */
export function encodeSegRgb(map: LabelMap): RgbImage {
  const n = map.width * map.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const v = map.data[i];
    if (v < 0 || v >= 1 << 24) {
      throw new RangeError(`encodeSegRgb: id ${v} at pixel ${i} is outside [0, 2^24)`);
    }
    out[j] = (v >> 16) & 255;
    out[j + 1] = (v >> 8) & 255;
    out[j + 2] = v & 255;
  }
  return { width: map.width, height: map.height, data: out };
}

/**
 * Reads a 16-bit single-channel PNG label map (as `match` writes `ref_seg.png`). It is read as grey16, since
 * sharp would otherwise widen it to 8-bit sRGB and lose every id above 255.
 */
export async function readLabel16(src: ImageSource, opts: ReadOptions = {}): Promise<LabelMap> {
  const { img, info: meta, name } = await open(src, opts);
  if (meta.channels !== 1 || meta.depth !== 16) {
    throw new UserError(
      `expected a 16-bit single-channel label map, got ${meta.channels} channel(s) of ${meta.depth} bits`,
      name,
    );
  }
  let buf: Uint8Array;
  let info: sharp.OutputInfo;
  try {
    const r = await img.toColourspace("grey16").raw({ depth: "ushort" }).toBuffer({
      resolveWithObject: true,
    });
    buf = new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length);
    info = r.info;
  } catch (e) {
    throw wrapSharpError(e, name);
  }
  const n = info.width * info.height;
  const u16 = new Uint16Array(buf.slice().buffer, 0, n);
  return { width: info.width, height: info.height, data: Int32Array.from(u16) };
}

/** Encodes a label map with values in [0, 65535] as a 16-bit single-channel PNG. */
export async function encodeLabel16(map: LabelMap): Promise<Uint8Array> {
  const n = map.width * map.height;
  const u16 = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const v = map.data[i];
    if (v < 0 || v > 65535) {
      throw new RangeError(`encodeLabel16: value ${v} at pixel ${i} is outside [0, 65535]`);
    }
    u16[i] = v;
  }
  const buf = await sharp(u16, { raw: { width: map.width, height: map.height, channels: 1 } })
    .toColourspace("grey16").png().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** Writes a 16-bit single-channel PNG label map atomically. */
export async function writeLabel16(path: string, map: LabelMap): Promise<void> {
  await atomicWrite(path, await encodeLabel16(map));
}

/** An image of 1, 3 or 4 interleaved 8-bit channels. */
export type AnyImage = GrayImage | RgbImage | RgbaImage;

function channelsOf(img: AnyImage): 1 | 3 | 4 {
  const c = img.data.length / (img.width * img.height);
  if (c !== 1 && c !== 3 && c !== 4) throw new RangeError(`image data holds ${c} channels per pixel`);
  return c;
}

/**
 * Encodes an 8-bit image (1, 3 or 4 channels, told apart by its data length) as PNG bytes.
 * `compressionLevel` 6 is zlib's default balance; 9 makes dataset PNGs ~10% smaller at twice the time.
 */
export async function encodePng(img: AnyImage, compressionLevel = 6): Promise<Uint8Array> {
  const channels = channelsOf(img);
  const buf = await sharp(img.data, { raw: { width: img.width, height: img.height, channels } })
    .png({ compressionLevel }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** Writes an 8-bit image as PNG, atomically. */
export async function writePng(path: string, img: AnyImage): Promise<void> {
  await atomicWrite(path, await encodePng(img));
}
