import { assert, assertEquals } from "../testing/asserts.ts";
import { existsSync } from "../util/fs.ts";
import { encodeNpy, SKIMAGE_WATERSHED_SCRIPT, skimageWatershed } from "./skimage.ts";

Deno.test("encodeNpy writes a numpy 1.0 header padded to 64 bytes, then the data", () => {
  const npy = encodeNpy(Uint16Array.of(1, 2, 3, 4, 5, 6), 2, 3);
  assertEquals(Array.from(npy.subarray(0, 8)), [0x93, 78, 85, 77, 80, 89, 1, 0]);
  const hlen = npy[8] | (npy[9] << 8);
  assertEquals((10 + hlen) % 64, 0);
  const header = new TextDecoder().decode(npy.subarray(10, 10 + hlen));
  assert(
    header.startsWith("{'descr': '<u2', 'fortran_order': False, 'shape': (2, 3), }") && header.endsWith("\n"),
  );
  assertEquals(Array.from(new Uint16Array(npy.slice(10 + hlen).buffer)), [1, 2, 3, 4, 5, 6]);
});

Deno.test("skimageWatershed: the committed script; a missing python is a skip with a reason", async () => {
  assert(existsSync(SKIMAGE_WATERSHED_SCRIPT), SKIMAGE_WATERSHED_SCRIPT);
  const z = new Uint16Array(4), m = Int32Array.of(1, 0, 0, 2);
  const r = await skimageWatershed("/nonexistent/python3", z, m, m, 2, 2, 1);
  assert("skipped" in r && r.skipped.includes("/nonexistent/python3"), JSON.stringify(r));
});
