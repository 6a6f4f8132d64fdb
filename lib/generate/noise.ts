/**
 * Smooth random fields for the hand-drawn style: the value noise of `lib/image/noise.ts` (the warps use it too).
 *
 * @module
 */
export { valueNoise } from "../image/noise.ts";
