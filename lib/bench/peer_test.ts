import { assert, assertEquals } from "../testing/asserts.ts";
import { modelConfig } from "../model/config.ts";
import { existsSync } from "../util/fs.ts";
import {
  bestPeer,
  parsePeerOutput,
  PEER_SCRIPT,
  PEER_WRAPPER,
  type PeerRun,
  peerShapeMismatch,
  runPeer,
} from "./peer.ts";

Deno.test("parsePeerOutput: the peer's line and the wrapper's CPU time", () => {
  const p = parsePeerOutput(
    "torch train d=128 B=4 L=4 M=2 s/step=0.812 pairs/s=4.93 threads=2\npeer_timed_loop wall=4.060 cpu=7.900\n",
  )!;
  assertEquals([p.pairsPerS, p.wallSPerStep, p.threads], [4.93, 0.812, 2]);
  assert(Math.abs(p.cpuSPerStep! - 7.9 / 5) < 1e-12, `${p.cpuSPerStep}`);
  // The wrapper bracketed something else than the timed loop: no CPU figure rather than a wrong one.
  assertEquals(
    parsePeerOutput(
      "torch infer d=128 B=1 L=4 M=2 s/step=0.100 pairs/s=10.00 threads=1\npeer_timed_loop wall=0.75 cpu=1",
    )!
      .cpuSPerStep,
    null,
  );
  assertEquals(
    parsePeerOutput("torch infer d=128 B=1 L=4 M=2 s/step=0.100 pairs/s=10.00 threads=1")!.cpuSPerStep,
    null,
  );
  assertEquals(parsePeerOutput("Traceback (most recent call last):"), null);
});

Deno.test("peerShapeMismatch: the peer runs the small preset only at its fixed input shape", () => {
  assertEquals(peerShapeMismatch(modelConfig("small")), null);
  assertEquals(peerShapeMismatch(modelConfig("small", { dim: 64, vitLayers: 2 })), null); // arguments of the peer
  const why = peerShapeMismatch(modelConfig("paper"))!;
  assert(/input 512/.test(why) && /3 channels/.test(why) && /12 heads/.test(why), why);
});

Deno.test("runPeer: skipped with a note (never a throw) when the script or python is missing", async () => {
  const r = await runPeer(modelConfig("small"), {
    mode: "infer",
    batch: 1,
    threads: 1,
    script: "/nonexistent/peer_torch.py",
  });
  assertEquals([r.pairsPerS, r.cpuSPerStep], [null, null]);
  assert(r.note.startsWith("peer skipped:") && r.note.includes("/nonexistent/peer_torch.py"), r.note);
  const s = await runPeer(modelConfig("paper"), { mode: "train", batch: 1, threads: 1 });
  assert(s.pairsPerS === null && /another shape/.test(s.note), s.note);
});

Deno.test("the peer scripts are committed beside the runner", () => {
  assert(existsSync(PEER_SCRIPT) && PEER_SCRIPT.endsWith("lib/bench/peers/peer_torch.py"), PEER_SCRIPT);
  assert(existsSync(PEER_WRAPPER), PEER_WRAPPER);
});

Deno.test("bestPeer: the fastest run that ran; null when none did", () => {
  const run = (threads: number, pairsPerS: number | null): PeerRun => ({
    mode: "train",
    threads,
    pairsPerS,
    wallSPerStep: pairsPerS && 4 / pairsPerS,
    cpuSPerStep: null,
    note: "",
  });
  assertEquals(bestPeer([run(2, 3.4), run(1, 7.5)])?.threads, 1);
  assertEquals(bestPeer([run(2, 3.4), run(1, null)])?.threads, 2);
  assertEquals(bestPeer([run(2, null)]), null);
  assertEquals(bestPeer([]), null);
});
