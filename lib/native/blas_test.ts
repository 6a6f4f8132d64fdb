import { assert, assertArrayAlmostEquals, assertEquals } from "../testing/asserts.ts";
import { blasCandidates, openBlas, resolveBlasRequest, skipNativeTests } from "./blas.ts";
import { referenceMatMul } from "./matmul_plan.ts";
import { Rng } from "../util/rng.ts";

Deno.test("resolveBlasRequest: option beats environment, off words, search by default", () => {
  assertEquals(resolveBlasRequest({}, undefined), { kind: "search" });
  assertEquals(resolveBlasRequest({}, " "), { kind: "search" });
  assertEquals(resolveBlasRequest({}, "OFF"), { kind: "off", why: "MANGAMATCH_BLAS=OFF" });
  assertEquals(resolveBlasRequest({}, "/x/lib.so"), {
    kind: "path",
    path: "/x/lib.so",
    from: "MANGAMATCH_BLAS",
  });
  assertEquals(resolveBlasRequest({ library: "/y.so" }, "off"), {
    kind: "path",
    path: "/y.so",
    from: "library option",
  });
  assertEquals(resolveBlasRequest({ library: "off" }, "/x.so"), { kind: "off", why: "library option=off" });
});

Deno.test("blasCandidates: Debian's pthread OpenBLAS first, no reference BLAS", () => {
  const c = blasCandidates("linux", "aarch64");
  assertEquals(c[0], "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0");
  assert(c.every((p) => !p.includes("libblas")));
  assert(blasCandidates("darwin", "aarch64").every((p) => p.endsWith(".dylib")));
});

Deno.test("openBlas reports why in one line when refused or missing", () => {
  const off = openBlas({ library: "off" });
  assert(!off.blas && off.reason.includes("off"), off.reason);
  const bad = openBlas({ library: "/nonexistent/libnothing.so" });
  assert(
    !bad.blas && bad.reason.includes("/nonexistent/libnothing.so") && !bad.reason.includes("\n"),
    bad.reason,
  );
});

const probe = openBlas();
const skip = skipNativeTests(probe); // never in CI: there a missing BLAS fails the tests
if (skip) console.log(`note: native BLAS tests skipped: ${probe.reason}`);

Deno.test({
  name: "sgemm on raw addresses matches the reference for all transposes",
  ignore: skip,
  fn() {
    const blas = probe.blas!;
    const rng = new Rng(7);
    const [m, n, k] = [5, 3, 4];
    const a = Float32Array.from({ length: m * k }, () => rng.normal());
    const b = Float32Array.from({ length: k * n }, () => rng.normal());
    const addr = (x: Float32Array) => Number(Deno.UnsafePointer.value(Deno.UnsafePointer.of(x)));
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const c = new Float32Array(m * n).fill(1);
        blas.sgemm(ta, tb, m, n, k, 1, addr(a), ta ? m : k, addr(b), tb ? k : n, 0, addr(c), n);
        const ref = referenceMatMul(a, ta ? [k, m] : [m, k], b, tb ? [n, k] : [k, n], ta, tb).values;
        assertArrayAlmostEquals(c, ref, 1e-5, `ta=${ta} tb=${tb}`);
      }
    }
    blas.setThreads(1);
    assertEquals(blas.threads(), blas.coreName ? 1 : 0);
  },
});
