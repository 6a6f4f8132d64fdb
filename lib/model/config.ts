/**
 * Model configuration: the two presets and every default, each with its reason.
 *
 * The model is the paper's (ViT encoder shared by both images, then the Multiplex Transformer, then cosine
 * similarity of L2-normalised features over the 2N tokens of the pair). `small` is the default: it trains on a
 * 2-core CPU in hours; `paper` is ViT-B/16 with M = 4 as in the paper and the official release.
 *
 * @module
 */
import { UserError } from "../util/errors.ts";

/** Everything that fixes the model's shape and its input. Saved beside the weights; loading checks it. */
export interface ModelConfig {
  /** Preset this config came from (informational). */
  preset: string;
  /** Side of the square model input in pixels (images are letterboxed to it). */
  inputSize: number;
  /** Patch side in pixels. */
  patch: number;
  /** Input channels: 1 = grayscale (ink = 1, paper = 0), 3 = RGB normalised with ImageNet mean/std. */
  channels: 1 | 3;
  /** Token width d. */
  dim: number;
  /** Attention heads (dim must be divisible by it). */
  heads: number;
  /** ViT encoder layers, shared by both images. */
  vitLayers: number;
  /** Multiplex Transformer layers (each: a self block, then a cross block, both shared by the two images). */
  mtLayers: number;
  /** MLP hidden width = mlpRatio * dim. */
  mlpRatio: number;
  /** LayerNorm epsilon. */
  lnEps: number;
  /** A LayerNorm on the final tokens before L2 normalisation. */
  finalNorm: boolean;
  /** Standard deviation of the (truncated) normal initialisation of weights and position embeddings. */
  initStd: number;
}

/** The default preset: the shape of `lib/bench/peers/peer_torch.py`'s model, so speed compares like for like. */
export const SMALL: ModelConfig = {
  preset: "small",
  inputSize: 256, // 16x16 = 256 tokens per image: the 2N x 2N matrix is 512^2, cheap on a CPU
  patch: 16, // the paper's patch; 16 px of a 256 input = 32 px of a 512 frame (the release's default patch)
  channels: 1, // line art is black on white: one channel carries everything, and no ImageNet weights are used
  dim: 128, // wide enough for ~50 regions per pair; linear layers are 12 d^2 per token, so cost grows as d^2
  heads: 4, // 32-wide heads, as in the peer
  vitLayers: 4, // the peer's L
  mtLayers: 2, // the peer's M: two self + cross rounds let every patch see the other image twice
  mlpRatio: 4, // the standard transformer MLP (ViT, the peer)
  lnEps: 1e-6, // ViT's (torchvision) LayerNorm epsilon
  finalNorm: true, // pre-norm stacks leave an un-normalised residual stream; normalise it before the cosine
  initStd: 0.02, // ViT/BERT initialisation
};

/** ViT-B/16 with the paper's M = 4 Multiplex layers, at 512x512 (a 32x32 grid). */
export const PAPER: ModelConfig = {
  preset: "paper",
  inputSize: 512, // the paper's PBC resolution
  patch: 16, // ViT-B/16
  channels: 3, // ImageNet-pretrained ViT-B/16 expects RGB normalised with ImageNet statistics
  dim: 768, // ViT-B
  heads: 12, // ViT-B
  vitLayers: 12, // ViT-B
  mtLayers: 4, // the paper's and release's M = 4
  mlpRatio: 4, // ViT-B
  lnEps: 1e-6, // torchvision ViT
  finalNorm: true, // torchvision ViT ends its encoder with a LayerNorm
  initStd: 0.02, // ViT
};

/** Presets by name. */
export const PRESETS: Readonly<Record<string, ModelConfig>> = { small: SMALL, paper: PAPER };

/** Names of the presets. */
export type PresetName = "small" | "paper";

/** Tokens per image (grid^2). */
export function tokensOf(c: ModelConfig): number {
  const g = gridOf(c);
  return g * g;
}

/** Patches per side. */
export function gridOf(c: ModelConfig): number {
  return Math.floor(c.inputSize / c.patch);
}

/** Values per patch vector (patch^2 * channels). */
export function patchDim(c: ModelConfig): number {
  return c.patch * c.patch * c.channels;
}

/** Width of one attention head. */
export function headDim(c: ModelConfig): number {
  return c.dim / c.heads;
}

/**
 * A preset with overrides, checked.
 *
 * @example
 * ```ts
 * const cfg = modelConfig("small", { vitLayers: 2 });
 * ```
 */
export function modelConfig(
  preset: PresetName | string = "small",
  overrides: Partial<ModelConfig> = {},
): ModelConfig {
  const base = PRESETS[preset];
  if (!base) throw new UserError(`unknown preset "${preset}" (known: ${Object.keys(PRESETS).join(", ")})`);
  return validateConfig({ ...base, ...overrides });
}

/** Checks a config (from a file or overrides); returns it. Errors name the field and, when given, the file. */
export function validateConfig(c: ModelConfig, file?: string): ModelConfig {
  const fail = (msg: string): never => {
    throw new UserError(`model config: ${msg}`, file);
  };
  const ints: (keyof ModelConfig)[] = [
    "inputSize",
    "patch",
    "dim",
    "heads",
    "vitLayers",
    "mtLayers",
    "mlpRatio",
  ];
  for (const k of ints) {
    const v = c[k];
    if (
      typeof v !== "number" || !Number.isInteger(v) || v < (k === "vitLayers" || k === "mtLayers" ? 0 : 1)
    ) {
      fail(
        `${k} must be a ${k.endsWith("Layers") ? "non-negative" : "positive"} integer, got ${
          JSON.stringify(v)
        }`,
      );
    }
  }
  if (c.channels !== 1 && c.channels !== 3) {
    fail(`channels must be 1 or 3, got ${JSON.stringify(c.channels)}`);
  }
  if (c.inputSize % c.patch !== 0) fail(`inputSize ${c.inputSize} is not a multiple of patch ${c.patch}`);
  if (c.dim % c.heads !== 0) fail(`dim ${c.dim} is not divisible by heads ${c.heads}`);
  if (!(c.lnEps > 0)) fail(`lnEps must be > 0, got ${c.lnEps}`);
  if (!(c.initStd > 0)) fail(`initStd must be > 0, got ${c.initStd}`);
  if (typeof c.finalNorm !== "boolean") fail(`finalNorm must be a boolean`);
  return c;
}
