import { assertThrows } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import { checkColouredReference, checkLineArt, checkNotBlank, checkSameSize, colourShare } from "./input_checks.ts";
import { assertEquals } from "../testing/asserts.ts";

const rgb = (pixels: number[][]) => ({ width: pixels.length, height: 1, data: Uint8Array.from(pixels.flat()) });

Deno.test("input checks: each bad input is one UserError naming the file", () => {
  const grey = rgb([[0, 0, 0], [255, 255, 255], [128, 128, 128]]);
  const coloured = rgb([[255, 0, 0], [255, 255, 255], [0, 0, 0]]);
  assertEquals(colourShare(coloured), 1 / 3);
  assertThrows(() => checkColouredReference(grey, "ref.png"), UserError, "ref.png: the reference is not coloured");
  checkColouredReference(coloured, "ref.png");
  assertThrows(() => checkLineArt(coloured, "tgt.png"), UserError, "tgt.png: is a colour image");
  checkLineArt(grey, "tgt.png");
  const blank = { width: 2, height: 1, data: Uint8Array.from([255, 250]) };
  assertThrows(() => checkNotBlank(blank, "empty.png"), UserError, "empty.png: the drawing is empty");
  checkNotBlank({ width: 2, height: 1, data: Uint8Array.from([255, 10]) }, "ok.png");
  assertThrows(
    () => checkSameSize({ width: 2, height: 2 }, { width: 3, height: 2 }, "b.png", "a.png"),
    UserError,
    "b.png: is 3x2 but a.png is 2x2",
  );
});
