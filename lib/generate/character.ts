/**
 * A procedural character: body proportions, face, hair style, outfit, accessories and palette, drawn at random
 * from a seeded {@link Rng}, and its label table. Every semantic part (each hair lock, each eye's iris, each
 * button...) gets one label index, shared by all frames of the character: two segments of two frames
 * correspond when they carry the same label.
 *
 * All lengths are in head units: 1 = the radius of the cranium.
 *
 * @module
 */
import type { Rng } from "../util/rng.ts";
import {
  accentColor,
  clothColor,
  eyeColor,
  hairColor,
  hsl,
  lightOf,
  type Rgb,
  shadeOf,
  skinTone,
} from "./palette.ts";
import { LabelTable } from "./labels.ts";

/** One entry of the label table. */
export interface LabelInfo {
  /** Part name, unique within the character ("bang3", "irisL"...). */
  name: string;
  /** Flat colour of the part in the colour frame. */
  color: Rgb;
}

/** One hair lock. */
export interface LockSpec {
  label: number;
  /** Azimuth of the root around the head (radians, 0 = front centre). */
  az: number;
  /** Root height (head units, y down from the head centre). */
  rootY: number;
  /** Length from root to tip. */
  len: number;
  /** Half width at the root. */
  width: number;
  /** Sideways curve (fraction of the length). */
  bend: number;
  /** Direction of the tip (radians from straight down, + toward the character's left = +x). */
  angle: number;
  /** Drawing order among its kind. */
  order: number;
}

/** Face and head. */
export interface HeadSpec {
  cheekW: number;
  jawW: number;
  jawY: number;
  chinY: number;
  chinW: number;
  eyeX: number;
  eyeY: number;
  eyeW: number;
  eyeH: number;
  irisR: number;
  pupilR: number;
  lashT: number;
  eyeTilt: number;
  lowerLash: boolean;
  highlights: number;
  browY: number;
  browLen: number;
  browT: number;
  browArch: number;
  mouthY: number;
  mouthW: number;
  nose: boolean;
  blush: boolean;
  teeth: boolean;
  earSize: number;
}

/** Hair style. */
export interface HairSpec {
  /** How far the back hair hangs below the head centre. */
  backLen: number;
  /** Half width of the back hair at its bottom. */
  backW: number;
  /** Number of points along the bottom edge of the back hair. */
  backSpikes: number;
  /** Volume: how far the hair stands out from the cranium. */
  volume: number;
  bangs: LockSpec[];
  sides: LockSpec[];
  /** Locks hanging over the back hair (long hair only): `az` is their x position, `rootY` their top. */
  backLocks: LockSpec[];
  tails: "none" | "twin" | "pony";
  tailLen: number;
  tailW: number;
  ahoge: boolean;
  /** Hair highlight lenses on the cap: x positions. */
  highlightX: number[];
}

/** Clothes. */
export interface OutfitSpec {
  collar: "sailor" | "shirt" | "none";
  neckwear: "ribbon" | "tie" | "none";
  buttons: number;
  jacket: boolean;
  sleeves: "short" | "long" | "none";
  bottom: "skirt" | "pants" | "shorts";
  skirtPanels: number;
  skirtLen: number;
  belt: boolean;
  socks: "knee" | "ankle" | "none";
  /** Neckline: depth of the V / scoop below the neck base. */
  neckDepth: number;
  neckHalfW: number;
}

/** Body proportions. */
export interface BodySpec {
  neckW: number;
  neckLen: number;
  shoulderW: number;
  waistW: number;
  hipW: number;
  torsoLen: number;
  upperArm: number;
  foreArm: number;
  armR: number;
  hand: number;
  thigh: number;
  shin: number;
  legR: number;
}

/** Accessories. */
export interface AccessorySpec {
  /** A hair clip, ribbon bow or headband on the head. */
  hair: "none" | "clip" | "bow" | "band";
  /** Side of a clip or bow (-1 right, +1 left of the character). */
  side: number;
}

/** A whole character. */
export interface CharacterSpec {
  name: string;
  labels: LabelInfo[];
  /** Label of each named part; absent parts have no entry. */
  L: Record<string, number>;
  head: HeadSpec;
  hair: HairSpec;
  body: BodySpec;
  outfit: OutfitSpec;
  acc: AccessorySpec;
  /** Cel shading shapes (shadows as their own parts). */
  shading: boolean;
  /** Light direction for shadows (-1 light from the left of the picture, +1 from the right). */
  lightX: number;
}

/** Options of {@link makeCharacter}. */
export interface CharacterOptions {
  /** Probability of cel shading. */
  shadingProb: number;
}

/** Defaults. */
export const CHARACTER_DEFAULTS: Readonly<CharacterOptions> = {
  shadingProb: 0.75, // most PBC characters carry shadow regions; some are flat
};

/** A character's colours, drawn first (their random draws come before everything else's). */
interface Palette {
  skin: Rgb;
  hair: Rgb;
  eye: Rgb;
  top: Rgb;
  bottomC: Rgb;
  accent: Rgb;
  accent2: Rgb;
  jacketC: Rgb;
  shoeC: Rgb;
  sockC: Rgb;
  lineDark: Rgb;
}

/**
 * A random character and its label table.
 *
 * @example
 * ```ts
 * const c = makeCharacter(new Rng(3).fork("char00000"), "char00000");
 * console.log(c.labels.length, c.L.face);
 * ```
 */
export function makeCharacter(rng: Rng, name: string, opts: Partial<CharacterOptions> = {}): CharacterSpec {
  const o = { ...CHARACTER_DEFAULTS, ...opts };
  const T = new LabelTable();
  const shading = rng.bool(o.shadingProb);
  const lightX = rng.bool() ? 1 : -1;
  const masc = rng.bool(0.3);
  // Stage by stage, in the order of their random draws (same seed, same character).
  const pal = randomPalette(rng);
  const body = randomBody(rng, masc);
  const head = randomHead(rng, masc);
  const { tails, hairBack } = addFaceLabels(rng, T, pal, head, shading);
  const hairSpec = randomHair(rng, T, pal, masc, shading, tails, hairBack);
  const acc = randomAccessories(rng, T, pal);
  const outfit = randomOutfit(rng, masc);
  addOutfitLabels(rng, T, pal, outfit, shading);
  return { name, labels: T.labels, L: T.L, head, hair: hairSpec, body, outfit, acc, shading, lightX };
}

/** Skin, hair, eye and clothing colours. */
function randomPalette(rng: Rng): Palette {
  const skin = skinTone(rng), hair = hairColor(rng), eye = eyeColor(rng);
  const top = clothColor(rng),
    bottomC = clothColor(rng),
    accent = accentColor(rng),
    accent2 = accentColor(rng);
  const jacketC = clothColor(rng),
    shoeC = rng.bool(0.6)
      ? hsl(rng.range(0, 40), rng.range(0.2, 0.5), rng.range(0.12, 0.3))
      : clothColor(rng);
  const sockC = rng.bool(0.5) ? hsl(0, 0, rng.range(0.9, 0.97)) : clothColor(rng);
  const lineDark: Rgb = hsl(rng.range(0, 30), rng.range(0.2, 0.5), rng.range(0.12, 0.22));
  return { skin, hair, eye, top, bottomC, accent, accent2, jacketC, shoeC, sockC, lineDark };
}

/** Body proportions (torso frame units). */
function randomBody(rng: Rng, masc: boolean): BodySpec {
  return {
    neckW: rng.range(0.24, 0.3) * (masc ? 1.2 : 1),
    neckLen: rng.range(0.75, 1.0),
    shoulderW: rng.range(2.15, 2.6) * (masc ? 1.15 : 1),
    waistW: rng.range(1.4, 1.75) * (masc ? 1.15 : 1),
    hipW: rng.range(1.7, 2.1),
    torsoLen: rng.range(3.1, 3.6),
    upperArm: rng.range(1.75, 2.0),
    foreArm: rng.range(1.6, 1.85),
    armR: rng.range(0.22, 0.27) * (masc ? 1.15 : 1),
    hand: rng.range(0.7, 0.85),
    thigh: rng.range(2.8, 3.3),
    shin: rng.range(2.7, 3.2),
    legR: rng.range(0.4, 0.48),
  };
}

/** Face proportions and features. */
function randomHead(rng: Rng, masc: boolean): HeadSpec {
  return {
    cheekW: rng.range(0.9, 0.98),
    jawW: rng.range(0.62, 0.78) * (masc ? 1.08 : 1),
    jawY: rng.range(0.85, 1.0),
    chinY: rng.range(1.22, 1.38),
    chinW: rng.range(0.08, 0.22),
    eyeX: rng.range(0.4, 0.47),
    eyeY: rng.range(0.4, 0.5),
    eyeW: rng.range(0.44, 0.54) * (masc ? 0.9 : 1),
    eyeH: rng.range(0.42, 0.56) * (masc ? 0.78 : 1),
    irisR: rng.range(0.36, 0.44),
    pupilR: rng.range(0.35, 0.5),
    lashT: rng.range(0.06, 0.1),
    eyeTilt: rng.range(-0.12, 0.08),
    lowerLash: rng.bool(0.6),
    highlights: rng.int(1, 4),
    browY: rng.range(-0.02, 0.08),
    browLen: rng.range(0.3, 0.42),
    browT: rng.range(0.035, 0.06) * (masc ? 1.4 : 1),
    browArch: rng.range(-0.04, 0.08),
    mouthY: rng.range(0.95, 1.05),
    mouthW: rng.range(0.16, 0.26),
    nose: rng.bool(0.8),
    blush: rng.bool(0.4),
    teeth: rng.bool(0.5),
    earSize: rng.range(0.9, 1.1),
  };
}

/**
 * The labels of the head, back to front (so related parts have nearby indices): back hair, tails, face, ears,
 * eyes, brows, nose, mouth, blush. Decides the tails.
 */
function addFaceLabels(
  rng: Rng,
  T: LabelTable,
  pal: Palette,
  head: HeadSpec,
  shading: boolean,
): { tails: HairSpec["tails"]; hairBack: Rgb } {
  const { skin, hair, eye, lineDark } = pal;
  const hairC = hair, hairBack = shading ? shadeOf(hair, 0.12) : hair;
  T.add("hairBack", hairBack);
  const tails = rng.bool(0.18) ? "twin" : rng.bool(0.15) ? "pony" : "none";
  if (tails === "twin") {
    T.add("tailL", hairC);
    T.add("tailR", hairC);
  } else if (tails === "pony") T.add("tailPony", hairC);
  T.add("face", skin);
  T.add("neck", skin);
  T.add("earL", skin);
  T.add("earR", skin);
  if (shading) {
    T.add("faceShadow", shadeOf(skin));
    T.add("neckShadow", shadeOf(skin, 0.28));
  }
  for (const s of ["L", "R"]) {
    T.add(`sclera${s}`, hsl(0, 0, 0.99));
    T.add(`iris${s}`, eye);
    T.add(`irisShade${s}`, shadeOf(eye, 0.35));
    T.add(`pupil${s}`, shadeOf(eye, 0.75));
    for (let k = 0; k < head.highlights; k++) T.add(`highlight${s}${k}`, hsl(0, 0, 1));
    T.add(`lash${s}`, lineDark);
    if (head.lowerLash) T.add(`lowerLash${s}`, lineDark);
    T.add(`brow${s}`, shadeOf(hair, 0.4));
  }
  if (head.nose) T.add("nose", shadeOf(skin, 0.3));
  T.add("mouth", hsl(rng.range(350, 370) % 360, 0.5, 0.35));
  T.add("tongue", hsl(rng.range(350, 365) % 360, 0.7, 0.68));
  if (head.teeth) T.add("teeth", hsl(0, 0, 0.99));
  if (head.blush) {
    T.add("blushL", hsl(rng.range(350, 365) % 360, 0.8, 0.82));
    T.add("blushR", T.labels[T.L.blushL].color);
  }
  return { tails, hairBack };
}

/** Bangs, side locks, cap, highlights, ahoge, back locks and tails, with their labels. */
function randomHair(
  rng: Rng,
  T: LabelTable,
  pal: Palette,
  masc: boolean,
  shading: boolean,
  tails: HairSpec["tails"],
  hairBack: Rgb,
): HairSpec {
  const { hair, accent2 } = pal;
  const hairC = hair;
  const nb = rng.int(4, 9);
  const bangs: LockSpec[] = [];
  const spread = rng.range(1.0, 1.35);
  const bangOrder = rng.shuffle(Array.from({ length: nb }, (_, i) => i));
  for (let i = 0; i < nb; i++) {
    const u = nb === 1 ? 0 : (i / (nb - 1)) * 2 - 1;
    const az = u * spread * 0.5 + rng.range(-0.08, 0.08);
    bangs.push({
      label: T.add(`bang${i}`, hairC),
      az,
      rootY: rng.range(-0.75, -0.6),
      len: rng.range(0.75, 1.25) * (1 - 0.25 * Math.abs(u)),
      width: rng.range(0.16, 0.26),
      bend: rng.range(-0.12, 0.12) - az * 0.15,
      angle: az * rng.range(0.3, 0.7) + rng.range(-0.12, 0.12),
      order: bangOrder[i],
    });
  }
  const sides: LockSpec[] = [];
  const sideLen = rng.range(1.1, masc ? 1.6 : 3.2);
  const nSidePer = rng.int(1, 3);
  for (const sgn of [1, -1]) {
    for (let k = 0; k < nSidePer; k++) {
      sides.push({
        label: T.add(`side${sgn > 0 ? "L" : "R"}${k}`, hairC),
        az: sgn * (rng.range(1.05, 1.35) + k * 0.18),
        rootY: rng.range(-0.55, -0.25),
        len: sideLen * rng.range(0.8, 1.15) - k * 0.3,
        width: rng.range(0.17, 0.26),
        bend: sgn * rng.range(-0.08, 0.04),
        angle: sgn * rng.range(-0.02, 0.15),
        order: k,
      });
    }
  }
  T.add("hairCap", hairC);
  const nh = shading ? rng.int(1, 4) : rng.int(0, 3);
  const highlightX: number[] = [];
  for (let k = 0; k < nh; k++) {
    T.add(`hairLight${k}`, lightOf(hair, 0.45));
    highlightX.push(-0.55 + (1.1 * (k + rng.range(0.2, 0.8))) / nh);
  }
  const ahoge = rng.bool(0.35);
  if (ahoge) T.add("ahoge", hairC);
  const backLen = masc
    ? rng.range(0.6, 1.3)
    : rng.pick([rng.range(0.8, 1.5), rng.range(2.0, 3.5), rng.range(4.5, 8.0)]);
  const backLocks: LockSpec[] = [];
  if (backLen > 1.8) {
    const nbl = rng.int(2, 5);
    for (let i = 0; i < nbl; i++) {
      const u = nbl === 1 ? 0 : (i / (nbl - 1)) * 2 - 1;
      backLocks.push({
        label: T.add(`backLock${i}`, hairBack),
        az: u * rng.range(0.9, 1.25),
        rootY: rng.range(0.2, 0.9),
        len: backLen * rng.range(0.65, 0.95),
        width: rng.range(0.22, 0.36),
        bend: rng.range(-0.08, 0.08),
        angle: u * rng.range(0.05, 0.15),
        order: i,
      });
    }
  }
  const hairSpec: HairSpec = {
    backLen,
    backW: rng.range(1.1, 1.6),
    backSpikes: rng.int(3, 8),
    volume: rng.range(0.06, 0.16),
    bangs,
    sides,
    backLocks,
    tails,
    tailLen: rng.range(3.5, 7.5),
    tailW: rng.range(0.35, 0.55),
    ahoge,
    highlightX,
  };
  if (tails !== "none") T.add("hairTie", accent2);
  return hairSpec;
}

/** Hair accessory and its labels. */
function randomAccessories(rng: Rng, T: LabelTable, pal: Palette): AccessorySpec {
  const { accent2 } = pal;
  const acc: AccessorySpec = {
    hair: rng.pick(["none", "none", "clip", "bow", "band"] as const),
    side: rng.bool() ? 1 : -1,
  };
  if (acc.hair === "clip") T.add("hairClip", accent2);
  if (acc.hair === "bow") {
    T.add("bowLoopA", accent2);
    T.add("bowLoopB", accent2);
    T.add("bowKnot", shadeOf(accent2, 0.15));
  }
  if (acc.hair === "band") T.add("headband", accent2);
  return acc;
}

/** Clothing: collar, neckwear, buttons, jacket, sleeves, bottom, belt, socks. */
function randomOutfit(rng: Rng, masc: boolean): OutfitSpec {
  const outfit: OutfitSpec = {
    collar: rng.pick(["sailor", "sailor", "shirt", "shirt", "none"] as const),
    neckwear: "none",
    buttons: 0,
    jacket: rng.bool(0.3),
    sleeves: rng.pick(["short", "long", "long", "none"] as const),
    bottom: masc
      ? rng.pick(["pants", "pants", "shorts"] as const)
      : rng.pick(["skirt", "skirt", "skirt", "pants", "shorts"] as const),
    skirtPanels: rng.int(3, 7),
    skirtLen: rng.range(1.4, 2.6),
    belt: rng.bool(0.4),
    socks: rng.pick(["knee", "ankle", "none"] as const),
    neckDepth: rng.range(0.5, 1.1),
    neckHalfW: rng.range(0.3, 0.42),
  };
  outfit.neckwear = outfit.collar === "sailor"
    ? (rng.bool(0.85) ? "ribbon" : "none")
    : rng.pick(["ribbon", "tie", "none"] as const);
  outfit.buttons = outfit.collar === "shirt" ? rng.int(2, 5) : rng.bool(0.2) ? rng.int(1, 3) : 0;
  if (outfit.jacket && outfit.sleeves === "none") outfit.sleeves = "long";
  return outfit;
}

/** The labels of arms, clothing, legs and shoes, front to back as the body draws them. */
function addOutfitLabels(rng: Rng, T: LabelTable, pal: Palette, outfit: OutfitSpec, shading: boolean): void {
  const { skin, top, bottomC, accent, accent2, jacketC, shoeC, sockC } = pal;
  const sleeveC = outfit.jacket ? jacketC : top;
  T.add("armL", skin);
  T.add("armR", skin);
  T.add("handL", skin);
  T.add("handR", skin);
  if (outfit.sleeves !== "none") {
    T.add("sleeveL", sleeveC);
    T.add("sleeveR", sleeveC);
    if (outfit.sleeves === "long") {
      T.add("cuffL", outfit.jacket ? shadeOf(jacketC, 0.1) : hsl(0, 0, 0.96));
      T.add("cuffR", T.labels[T.L.cuffL].color);
    }
    if (shading) T.add("sleeveShadow", shadeOf(sleeveC));
  }
  if (shading) T.add("armShadow", shadeOf(skin));
  T.add("shirt", top);
  if (shading) T.add("shirtShadow", shadeOf(top));
  for (let k = 0; k < outfit.buttons; k++) T.add(`button${k}`, rng.bool(0.5) ? hsl(0, 0, 0.97) : accent2);
  if (outfit.collar === "sailor") {
    const cc = rng.bool(0.6) ? hsl(rng.range(210, 235), 0.5, 0.28) : clothColor(rng);
    T.add("collarL", cc);
    T.add("collarR", cc);
    T.add("stripeL", hsl(0, 0, 0.97));
    T.add("stripeR", hsl(0, 0, 0.97));
  } else if (outfit.collar === "shirt") {
    T.add("collarL", hsl(0, 0, 0.97));
    T.add("collarR", hsl(0, 0, 0.97));
  }
  if (outfit.jacket) {
    T.add("jacketL", jacketC);
    T.add("jacketR", jacketC);
    T.add("lapelL", shadeOf(jacketC, 0.12));
    T.add("lapelR", shadeOf(jacketC, 0.12));
  }
  if (outfit.neckwear === "ribbon") {
    T.add("ribbonKnot", shadeOf(accent, 0.1));
    T.add("ribbonLoopL", accent);
    T.add("ribbonLoopR", accent);
    T.add("ribbonTailL", accent);
    T.add("ribbonTailR", accent);
  } else if (outfit.neckwear === "tie") {
    T.add("tieKnot", accent);
    T.add("tie", accent);
  }
  if (outfit.bottom === "skirt") {
    for (let k = 0; k < outfit.skirtPanels; k++) T.add(`skirt${k}`, k % 2 ? shadeOf(bottomC, 0.06) : bottomC);
    if (shading) T.add("skirtShadow", shadeOf(bottomC));
  } else {
    T.add("pantsL", bottomC);
    T.add("pantsR", bottomC);
    if (shading) T.add("pantsShadow", shadeOf(bottomC));
  }
  if (outfit.belt) {
    T.add("belt", hsl(rng.range(0, 40), 0.4, rng.range(0.15, 0.3)));
    T.add("buckle", hsl(45, 0.5, 0.7));
  }
  T.add("legL", skin);
  T.add("legR", skin);
  if (shading) T.add("legShadow", shadeOf(skin));
  if (outfit.socks !== "none") {
    T.add("sockL", sockC);
    T.add("sockR", sockC);
  }
  T.add("shoeL", shoeC);
  T.add("shoeR", shoeC);
}
