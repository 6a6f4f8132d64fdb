import { assertThrows } from "../testing/asserts.ts";
import { UserError } from "../util/errors.ts";
import {
  checkColouredReference,
  checkLineArt,
  checkNotBlank,
  checkSameSize,
  fillShare,
} from "./input_checks.ts";
import { assertEquals } from "../testing/asserts.ts";

const rgb = (pixels: number[][]) => ({
  width: pixels.length,
  height: 1,
  data: Uint8Array.from(pixels.flat()),
});

Deno.test("input checks: each bad input is one UserError naming the file", () => {
  const grey = rgb([[0, 0, 0], [255, 255, 255], [40, 40, 40]]); // strokes on paper
  const coloured = rgb([[255, 0, 0], [255, 255, 255], [0, 0, 0]]);
  const greyPainted = rgb([[165, 165, 165], [255, 255, 255], [0, 0, 0]]); // a grey fill is a colour too
  assertEquals(fillShare(coloured), 1 / 3);
  assertEquals(fillShare(greyPainted), 1 / 3);
  checkColouredReference(greyPainted, "grey_fill.png");
  assertThrows(
    () => checkColouredReference(grey, "ref.png"),
    UserError,
    "ref.png: the reference is not coloured",
  );
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
