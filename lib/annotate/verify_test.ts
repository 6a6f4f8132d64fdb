import { assertEquals } from "../testing/asserts.ts";
import { selectMatches, verifyLocalConsistency } from "./verify.ts";

function grid(f: (x: number, y: number) => [number, number]) {
  const ax: number[] = [], ay: number[] = [], bx: number[] = [], by: number[] = [];
  for (let y = 100; y <= 400; y += 50) {
    for (let x = 100; x <= 400; x += 50) {
      const [u, v] = f(x, y);
      ax.push(x), ay.push(y), bx.push(u), by.push(v);
    }
  }
  return { ax, ay, bx, by };
}
const f32 = (a: number[]) => Float32Array.from(a);

Deno.test("local consistency keeps a translated set and rejects the outlier", () => {
  const g = grid((x, y) => [x + 12, y - 7]);
  // Match 24 (the centre, (250,250)) goes somewhere else entirely.
  g.bx[24] = 60;
  g.by[24] = 430;
  const m = { ax: f32(g.ax), ay: f32(g.ay), bx: f32(g.bx), by: f32(g.by), distance: new Float32Array(49) };
  const keep = verifyLocalConsistency(m, { side: 512 });
  assertEquals(keep[24], 0);
  assertEquals(keep.reduce((s, v) => s + v, 0), 48);
  assertEquals(selectMatches(m, keep).ax.length, 48);
});

Deno.test("local consistency keeps a rotated (deformed) set that no single translation explains", () => {
  const t = 10 * Math.PI / 180, c = Math.cos(t), s = Math.sin(t);
  const g = grid((x, y) => [256 + c * (x - 256) - s * (y - 256), 256 + s * (x - 256) + c * (y - 256)]);
  const m = { ax: f32(g.ax), ay: f32(g.ay), bx: f32(g.bx), by: f32(g.by) };
  assertEquals(verifyLocalConsistency(m, { side: 512 }).reduce((a, v) => a + v, 0), 49);
  // Too few matches to verify: all rejected.
  const few = { ax: f32([1, 2]), ay: f32([1, 2]), bx: f32([1, 2]), by: f32([1, 2]) };
  assertEquals(Array.from(verifyLocalConsistency(few, { side: 512 })), [0, 0]);
});
