/**
 * Finding and loading a CBLAS library (Debian's OpenBLAS by default) through Deno's FFI, and calling its
 * `cblas_sgemm` on raw addresses. Nothing here knows about tfjs: the caller passes absolute addresses (for
 * instance into a `WebAssembly.Memory`, see `wasm_heap.ts`).
 *
 * @module
 */

/** Where to look for a BLAS library and how to drive it. */
export interface BlasOptions {
  /**
   * A path to a shared library exporting `cblas_sgemm`, or `"off"` to refuse native code. When absent, the
   * environment variable `MANGAMATCH_BLAS` is read (a path or `off`), then the default candidates are tried.
   */
  library?: string;
  /** Threads for the library (OpenBLAS only). Absent: `OPENBLAS_NUM_THREADS` if set, else the core count. */
  threads?: number;
  /**
   * OpenBLAS kernel family, applied through `OPENBLAS_CORETYPE` before the library is first loaded (it is read
   * once, at load): `"auto"` removes the variable so OpenBLAS detects the CPU itself, a name (`Haswell`,
   * `SkylakeX`...) forces it. Absent: the environment is left as it is. Also `MANGAMATCH_BLAS_CORETYPE`.
   */
  coreType?: string;
}

/** A loaded CBLAS library. Addresses are absolute (numbers below 2^53). */
export interface Blas {
  /** The path that was opened. */
  readonly path: string;
  /** OpenBLAS's name for the kernels it picked (`Haswell`, `Cooperlake`...), or `""` for other libraries. */
  readonly coreName: string;
  /** Threads in use, or 0 when the library cannot tell. */
  threads(): number;
  /** Sets the thread count (no-op for libraries without `openblas_set_num_threads`). */
  setThreads(n: number): void;
  /**
   * Row-major `C = alpha * op(A) * op(B) + beta * C`, `op(A)` M x K, `op(B)` K x N, C M x N, all float32.
   * Leading dimensions are the row lengths of the stored (untransposed) arrays.
   */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
  ): void;
}

/** Result of {@link openBlas}: the library, or why there is none (one line). */
export interface BlasOpenResult {
  blas?: Blas;
  reason: string;
}

const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f32",
      "usize",
      "i32",
      "usize",
      "i32",
      "f32",
      "usize",
      "i32",
    ],
    result: "void",
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void", optional: true },
  openblas_get_num_threads: { parameters: [], result: "i32", optional: true },
  openblas_get_corename: { parameters: [], result: "pointer", optional: true },
} as const;

/**
 * Library paths tried when none is given, most specific first: Debian/Ubuntu's OpenBLAS (pthread build, then
 * whatever the alternatives system points at), the loader's search path, then Homebrew's OpenBLAS on macOS.
 * Reference BLAS (`libblas.so.3`) is left out on purpose: it is slower than the wasm kernels it would replace.
 *
 * @example
 * ```ts
 * blasCandidates("linux", "x86_64")[0]; // "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"
 * ```
 */
export function blasCandidates(os: string = Deno.build.os, arch: string = Deno.build.arch): string[] {
  if (os === "darwin") {
    return [
      "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
      "/usr/local/opt/openblas/lib/libopenblas.dylib",
      "libopenblas.dylib",
    ];
  }
  if (os === "windows") return ["libopenblas.dll", "openblas.dll"];
  const triple = `${arch}-linux-gnu`;
  return [
    `/usr/lib/${triple}/openblas-pthread/libopenblas.so.0`,
    `/usr/lib/${triple}/libopenblas.so.0`,
    "/usr/lib64/libopenblas.so.0",
    "/usr/lib/libopenblas.so.0",
    "libopenblas.so.0",
    "libopenblas.so",
  ];
}

/** What the caller asked for once options and environment are merged. */
export type BlasRequest = { kind: "off"; why: string } | { kind: "path"; path: string; from: string } | {
  kind: "search";
};

/**
 * Merges the `library` option with the `MANGAMATCH_BLAS` environment value (the option wins).
 *
 * @example
 * ```ts
 * resolveBlasRequest({}, "off"); // { kind: "off", why: "MANGAMATCH_BLAS=off" }
 * ```
 */
export function resolveBlasRequest(opts: BlasOptions, envValue: string | undefined): BlasRequest {
  const pick = (v: string | undefined, from: string): BlasRequest | undefined => {
    if (v === undefined || v.trim() === "") return undefined;
    const t = v.trim();
    if (["off", "none", "0", "false", "no"].includes(t.toLowerCase())) {
      return { kind: "off", why: `${from}=${t}` };
    }
    return { kind: "path", path: t, from };
  };
  return pick(opts.library, "library option") ?? pick(envValue, "MANGAMATCH_BLAS") ?? { kind: "search" };
}

function envGet(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
}

/** Whether this process may call `Deno.dlopen`, with the reason when not. */
export function ffiPermitted(): { ok: boolean; reason: string } {
  if (typeof Deno === "undefined" || typeof Deno.dlopen !== "function") {
    return { ok: false, reason: "no Deno FFI in this runtime" };
  }
  try {
    const st = Deno.permissions.querySync({ name: "ffi" });
    if (st.state !== "granted") {
      return { ok: false, reason: "FFI not permitted (run deno with --allow-ffi or -A)" };
    }
  } catch {
    return { ok: false, reason: "FFI permission cannot be queried" };
  }
  return { ok: true, reason: "" };
}

/** Default thread count: `OPENBLAS_NUM_THREADS` when set (the user's choice), else every core. */
function defaultThreads(): number {
  const env = Number(envGet("OPENBLAS_NUM_THREADS"));
  if (Number.isInteger(env) && env > 0) return env;
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

/** Sets or clears `OPENBLAS_CORETYPE` for a library about to be loaded (see {@link BlasOptions.coreType}). */
function applyCoreType(coreType: string | undefined): void {
  const want = coreType ?? envGet("MANGAMATCH_BLAS_CORETYPE");
  if (!want) return;
  try {
    if (want.toLowerCase() === "auto") Deno.env.delete("OPENBLAS_CORETYPE");
    else Deno.env.set("OPENBLAS_CORETYPE", want);
  } catch {
    // no --allow-env: the library sees the environment as it is
  }
}

function tryOpen(path: string, threads: number | undefined): Blas {
  const lib = Deno.dlopen(path, SYMBOLS);
  const s = lib.symbols;
  let current = 0;
  const setThreads = (n: number) => {
    const t = Math.max(1, Math.floor(n));
    if (t === current || !s.openblas_set_num_threads) return; // the call is cheap, but skipping is cheaper
    s.openblas_set_num_threads(t);
    current = t;
  };
  let coreName = "";
  if (s.openblas_get_corename) {
    const p = s.openblas_get_corename();
    if (p) coreName = new Deno.UnsafePointerView(p).getCString();
  }
  setThreads(threads ?? defaultThreads());
  // Deno's types ask for bigint on "usize" parameters; numbers are accepted at run time and avoid a BigInt
  // per address (all wasm heap addresses are far below 2^53).
  const gemm = s.cblas_sgemm as unknown as (...args: number[]) => void;
  return {
    path,
    coreName,
    threads: () => (s.openblas_get_num_threads ? s.openblas_get_num_threads() : 0),
    setThreads,
    sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      gemm(
        CBLAS_ROW_MAJOR,
        transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
        transB ? CBLAS_TRANS : CBLAS_NO_TRANS,
        m,
        n,
        k,
        alpha,
        a,
        lda,
        b,
        ldb,
        beta,
        c,
        ldc,
      );
    },
  };
}

/**
 * Libraries opened so far, by path. They stay loaded for the life of the process: unloading OpenBLAS while its
 * thread pool exists is unsafe, and re-opening is then free.
 */
const opened = new Map<string, Blas>();

/**
 * Opens a CBLAS library: the `library` option, else `MANGAMATCH_BLAS`, else the first of
 * {@link blasCandidates} that loads. Never throws: without a library, `reason` says why in one line.
 *
 * @example
 * ```ts
 * const { blas, reason } = openBlas({ threads: 2 });
 * if (!blas) console.log(`no BLAS: ${reason}`);
 * ```
 */
export function openBlas(opts: BlasOptions = {}): BlasOpenResult {
  const req = resolveBlasRequest(opts, envGet("MANGAMATCH_BLAS"));
  if (req.kind === "off") return { reason: `native BLAS off (${req.why})` };
  const perm = ffiPermitted();
  if (!perm.ok) return { reason: perm.reason };
  const paths = req.kind === "path" ? [req.path] : blasCandidates();
  const errors: string[] = [];
  for (const path of paths) {
    try {
      let blas = opened.get(path);
      if (blas) blas.setThreads(opts.threads ?? defaultThreads());
      else {
        applyCoreType(opts.coreType);
        blas = tryOpen(path, opts.threads);
        opened.set(path, blas);
      }
      const core = blas.coreName ? ` ${blas.coreName}` : "";
      return { blas, reason: `cblas_sgemm from ${path}${core}, ${blas.threads() || "?"} threads` };
    } catch (e) {
      errors.push(`${path}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
  }
  if (req.kind === "path") return { reason: `cannot load ${req.from} ${req.path} (${errors[0]})` };
  return {
    reason:
      "no OpenBLAS found (apt-get install libopenblas0-pthread, or set MANGAMATCH_BLAS=/path/to/libopenblas.so)",
  };
}

/** Is this a CI run (`CI=true`, as GitHub Actions, GitLab and `.ci/run` set it)? */
export function inCi(env: (name: string) => string | undefined = (n) => Deno.env.get(n)): boolean {
  return (env("CI") ?? "").toLowerCase() === "true";
}

/**
 * Whether the native tests may be skipped for a failed BLAS probe: yes on a developer's machine without
 * OpenBLAS (they print a note), never in CI, where a missing native path must fail the run rather than let it
 * go green on the stock kernels alone.
 *
 * @example
 * ```ts
 * const probe = openBlas();
 * Deno.test({ name: "native ...", ignore: skipNativeTests(probe), fn() {} });
 * ```
 */
export function skipNativeTests(
  probe: { blas?: unknown; reason?: string },
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): boolean {
  return !probe.blas && !inCi(env);
}
