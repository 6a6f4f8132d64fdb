import { assert, assertEquals } from "../testing/asserts.ts";
import { correspondencePictures } from "./pictures.ts";

Deno.test("correspondencePictures: shared labels share a colour, lone labels are grey, strokes black", () => {
  // a: segments 2 (label 7), 3 (label 8), a stroke, background. b: segment 4 (label 7), 5 (label 9).
  const line = (w: number, ink: number[]) => {
    const d = new Uint8Array(w).fill(255);
    for (const i of ink) d[i] = 0;
    return { width: w, height: 1, data: d };
  };
  const [pa, pb] = correspondencePictures(
    {
      seg: { width: 4, height: 1, data: Int32Array.from([2, 3, 0, 1]) },
      labelOfSeg: new Map([[1, -1], [2, 7], [3, 8]]),
      line: line(4, [2]),
    },
    {
      seg: { width: 2, height: 1, data: Int32Array.from([4, 5]) },
      labelOfSeg: new Map([[4, 7], [5, 9]]),
      line: line(2, []),
    },
  );
  const px = (im: { data: Uint8Array }, i: number) => Array.from(im.data.slice(3 * i, 3 * i + 3));
  assertEquals(px(pa, 0), px(pb, 0)); // label 7 in both
  assert(px(pa, 0).some((v) => v !== px(pa, 0)[0])); // a real colour, not grey
  assertEquals(px(pa, 1), [190, 190, 190]); // label 8: a only
  assertEquals(px(pb, 1), [190, 190, 190]); // label 9: b only
  assertEquals(px(pa, 2), [0, 0, 0]);
  assertEquals(px(pa, 3), [255, 255, 255]);
});
