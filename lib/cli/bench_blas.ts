/**
 * `deno task bench:blas`: GFLOP/s of the matrix products of a `small`-preset training step, stock tfjs-wasm
 * kernels against native sgemm (lib/native), with the machine's raw sgemm peak measured in the same run, then
 * the heap kernels (Sum, Split, Slice) against the stock ones. The last line is one JSON object.
 *
 * @module
 */
import { commandLine, loadAverage, recordPath, writeBenchRecord } from "../bench/record.ts";
import { num, parseCommand, runMain } from "../util/cli.ts";
import { guardOutput } from "../util/fs.ts";
import { benchHeapKernels, benchMatmul, type MatmulCaseResult } from "../native/bench.ts";

const SPEC = {
  name: "bench:blas",
  summary: "matrix-product GFLOP/s at the small preset's shapes: stock wasm vs native sgemm",
  usage: "deno task bench:blas [--seconds S] [--threads T] [--record [--force]]",
  options: {
    seconds: { type: "string" as const, help: "timing seconds per case and path", default: "0.4" },
    threads: { type: "string" as const, help: "BLAS threads (default: OPENBLAS_NUM_THREADS or all cores)" },
    "core-type": {
      type: "string" as const,
      help: "OpenBLAS kernels: auto (detect the CPU) or a name; default: env",
    },
    record: {
      type: "boolean" as const,
      help: "also write the figures to experiments/bench/blas.json (date, machine, command)",
    },
    force: { type: "boolean" as const, help: "with --record: replace an existing record" },
  },
  examples: ["deno task bench:blas", "MANGAMATCH_BLAS=off deno task bench:blas   # stock kernels only"],
};

const f1 = (x: number | undefined) => (x === undefined ? "-" : x.toFixed(1));

function row(r: MatmulCaseResult): string {
  const shape = `${r.batch > 1 ? `${r.batch}x ` : ""}${r.m}x${r.n}x${r.k}`;
  const speedup = r.nativeGflops ? `${(r.nativeGflops / r.stockGflops).toFixed(1)}x` : "-";
  return `${r.name.padEnd(11)} ${shape.padEnd(16)} ${r.role.padEnd(30)} ${f1(r.stockGflops).padStart(7)} ${
    f1(r.nativeGflops).padStart(8)
  } ${f1(r.native1Gflops).padStart(6)} ${f1(r.nativeAllGflops).padStart(6)} ${speedup.padStart(7)}`;
}

if (import.meta.main) {
  runMain(async () => {
    const args = parseCommand(Deno.args, SPEC);
    const loadStart = loadAverage();
    const record = args.values.record === true, force = args.values.force === true;
    if (record) await guardOutput(recordPath("blas"), { force });
    const seconds = num(args, "seconds", { def: 0.4, min: 0.01, max: 30 });
    const threads = args.values.threads
      ? num(args, "threads", { min: 1, max: 256, integer: true })
      : undefined;
    console.log(
      `${"case".padEnd(11)} ${"b x m x n x k".padEnd(16)} ${"role".padEnd(30)} ${"stock".padStart(7)} ${
        "native".padStart(8)
      } ${"1 thr".padStart(6)} ${"all thr".padStart(6)} ${
        "speedup".padStart(7)
      }   (GFLOP/s; speedup = native/stock)`,
    );
    const coreType = args.values["core-type"] ? String(args.values["core-type"]) : undefined;
    const r = await benchMatmul({
      secondsPerCase: seconds,
      threads,
      coreType,
      onCase: (c) => console.log(row(c)),
    });
    console.log(r.status.reason);
    if (r.peakGflops !== undefined) {
      console.log(`raw sgemm 1024^3 peak in this run: ${r.peakGflops.toFixed(1)} GFLOP/s`);
    }
    const heap = await benchHeapKernels(seconds);
    console.log(
      `\n${"heap kernel".padEnd(36)} ${"stock ms".padStart(9)} ${"heap ms".padStart(9)} ${
        "speedup".padStart(8)
      }`,
    );
    for (const h of heap) {
      console.log(
        `${h.name.padEnd(36)} ${h.stockMs.toFixed(3).padStart(9)} ${h.heapMs.toFixed(3).padStart(9)} ${
          (h.stockMs / h.heapMs).toFixed(1).padStart(7)
        }x`,
      );
    }
    const round = (x: number | undefined) => (x === undefined ? null : Math.round(x * 10) / 10);
    const report = {
      bench: "blas",
      native: r.status.active,
      library: r.status.library ?? null,
      core: r.status.coreName ?? null,
      threads: r.status.threads ?? null,
      peak_gflops: round(r.peakGflops),
      cases: r.cases.map((c) => ({
        name: c.name,
        batch: c.batch,
        m: c.m,
        n: c.n,
        k: c.k,
        stock_gflops: round(c.stockGflops),
        native_gflops: round(c.nativeGflops),
        native_1thread_gflops: round(c.native1Gflops),
        native_all_threads_gflops: round(c.nativeAllGflops),
      })),
      heap_kernels: heap.map((h) => ({
        name: h.name,
        stock_ms: Math.round(h.stockMs * 1000) / 1000,
        heap_ms: Math.round(h.heapMs * 1000) / 1000,
      })),
    };
    if (record) {
      const file = await writeBenchRecord("blas", commandLine("bench:blas", Deno.args), report, {
        force,
        loadStart,
      });
      console.log(`recorded ${file}`);
    }
    console.log(JSON.stringify(report));
  });
}
