/**
 * Colours for procedural characters: skin, hair, eye and clothing palettes in the ranges anime uses, and the
 * darker tone of a colour for cel shading.
 *
 * @module
 */
import type { Rgb } from "../image/types.ts";
import type { Rng } from "../util/rng.ts";

export type { Rgb } from "../image/types.ts";

/**
 * RGB from hue (0-360), saturation and lightness (0-1).
 *
 * @example
 * ```ts
 * hsl(0, 1, 0.5); // [255, 0, 0]
 * ```
 */
export function hsl(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/**
 * The cel-shadow tone of a colour: darker and a little bluer, as anime colourists shade.
 *
 * @example
 * ```ts
 * shadeOf([250, 220, 200]); // a darker, cooler skin tone
 * ```
 */
export function shadeOf(c: Rgb, amount = 0.22): Rgb {
  const [h, s, l] = toHsl(c);
  // Darker, a touch more saturated, hue nudged toward red-violet (warm skin shadows, cool cloth shadows).
  const hue = (h + (h > 60 && h < 240 ? 8 : -8) + 360) % 360;
  return hsl(hue, Math.min(1, s * 1.08 + 0.06), l * (1 - amount * 0.85));
}

/**
 * Hue (0-360), saturation and lightness (0-1) of an RGB colour.
 *
 * @example
 * ```ts
 * toHsl([255, 0, 0]); // [0, 1, 0.5]
 * ```
 */
export function toHsl(c: Rgb): [number, number, number] {
  const r = c[0] / 255, g = c[1] / 255, b = c[2] / 255;
  const mx = Math.max(r, g, b), mn = Math.min(r, g, b), l = (mx + mn) / 2;
  if (mx === mn) return [0, 0, l];
  const d = mx - mn;
  const s = l > 0.5 ? d / (2 - mx - mn) : d / (mx + mn);
  let h = mx === r ? (g - b) / d + (g < b ? 6 : 0) : mx === g ? (b - r) / d + 2 : (r - g) / d + 4;
  h *= 60;
  return [h, s, l];
}

/**
 * A lighter tone (highlights).
 *
 * @example
 * ```ts
 * lightOf([0, 0, 0], 0.5); // [128, 128, 128]
 * ```
 */
export function lightOf(c: Rgb, amount = 0.5): Rgb {
  return [0, 1, 2].map((i) => Math.round(c[i] + (255 - c[i]) * amount)) as Rgb;
}

/**
 * Relative luminance 0-1 (Rec. 601 weights, as the grey conversion of line art uses).
 *
 * @example
 * ```ts
 * luma([255, 255, 255]); // 1
 * ```
 */
export function luma(c: Rgb): number {
  return (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255;
}

/**
 * A skin tone (mostly the pale tones of anime, sometimes tanned).
 *
 * @example
 * ```ts
 * const skin = skinTone(new Rng(1));
 * ```
 */
export function skinTone(rng: Rng): Rgb {
  return rng.bool(0.85)
    ? hsl(rng.range(15, 32), rng.range(0.55, 0.9), rng.range(0.86, 0.93))
    : hsl(rng.range(20, 30), rng.range(0.35, 0.55), rng.range(0.62, 0.78));
}

/**
 * A hair colour: natural (black, brown, blonde) or anime (red, pink, blue, purple, green, silver).
 *
 * @example
 * ```ts
 * const hair = hairColor(new Rng(1));
 * ```
 */
export function hairColor(rng: Rng): Rgb {
  const k = rng.int(0, 10);
  if (k < 2) return hsl(rng.range(200, 260), rng.range(0.1, 0.3), rng.range(0.15, 0.28)); // black-ish
  if (k < 4) return hsl(rng.range(18, 35), rng.range(0.35, 0.6), rng.range(0.3, 0.5)); // brown
  if (k < 5) return hsl(rng.range(40, 52), rng.range(0.6, 0.85), rng.range(0.62, 0.78)); // blonde
  if (k < 6) return hsl(rng.range(0, 360), rng.range(0.05, 0.15), rng.range(0.72, 0.86)); // silver
  return hsl(
    rng.pick([0, 10, 330, 300, 270, 220, 200, 160, 120]) + rng.range(-8, 8),
    rng.range(0.45, 0.75),
    rng.range(0.45, 0.7),
  );
}

/**
 * An iris colour.
 *
 * @example
 * ```ts
 * const iris = eyeColor(new Rng(1));
 * ```
 */
export function eyeColor(rng: Rng): Rgb {
  return hsl(rng.range(0, 360), rng.range(0.45, 0.85), rng.range(0.35, 0.6));
}

/**
 * A clothing colour: often white/navy/black uniforms, otherwise any hue.
 *
 * @example
 * ```ts
 * const shirt = clothColor(new Rng(1));
 * ```
 */
export function clothColor(rng: Rng): Rgb {
  const k = rng.int(0, 10);
  if (k < 2) return hsl(rng.range(0, 360), rng.range(0, 0.1), rng.range(0.9, 0.97)); // white
  if (k < 4) return hsl(rng.range(210, 240), rng.range(0.3, 0.6), rng.range(0.2, 0.35)); // navy
  if (k < 5) return hsl(rng.range(0, 360), rng.range(0, 0.1), rng.range(0.12, 0.25)); // black
  return hsl(rng.range(0, 360), rng.range(0.3, 0.75), rng.range(0.35, 0.75));
}

/**
 * A bright accent colour (ribbons, ties, accessories).
 *
 * @example
 * ```ts
 * const ribbon = accentColor(new Rng(1));
 * ```
 */
export function accentColor(rng: Rng): Rgb {
  return hsl(
    rng.pick([0, 350, 340, 30, 45, 200, 220, 130, 280]) + rng.range(-10, 10),
    rng.range(0.6, 0.9),
    rng.range(0.4, 0.6),
  );
}
