import { assert, assertEquals } from "../testing/asserts.ts";
import { formatDuration, Progress } from "./progress.ts";

Deno.test("formatDuration", () => {
  assertEquals(formatDuration(5), "0:05");
  assertEquals(formatDuration(65), "1:05");
  assertEquals(formatDuration(3725), "1:02:05");
  assertEquals(formatDuration(NaN), "?");
});

Deno.test("Progress line shows the count, bar and ETA", () => {
  const p = new Progress({ total: 10, label: "gen", unit: "frames", mode: "off" });
  p.tick(4, "loss 0.5");
  const l = p.line();
  assert(l.startsWith("gen ["), l);
  assert(l.includes("4/10"), l);
  assert(l.includes("frames/s"), l);
  assert(l.includes("loss 0.5"), l);
  assertEquals(p.count, 4);
});
