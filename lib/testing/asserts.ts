/**
 * Test assertions. JSR (and so `jsr:@std/assert`) cannot be reached from these machines, so the project keeps
 * this small set, built on `node:assert`, which Deno ships.
 *
 * @module
 */
import nodeAssert from "node:assert";

/** Fails unless `cond` is truthy. */
export function assert(cond: unknown, msg = "assertion failed"): asserts cond {
  if (!cond) throw new nodeAssert.AssertionError({ message: msg });
}

/** Deep, strict equality (typed arrays compared element by element). */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, msg);
}

/** Deep, strict inequality. */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, msg);
}

/** |actual - expected| <= tol (absolute). */
export function assertAlmostEquals(actual: number, expected: number, tol = 1e-7, msg?: string): void {
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new nodeAssert.AssertionError({
      message: msg ?? `expected ${expected} ± ${tol}, got ${actual} (diff ${Math.abs(actual - expected)})`,
    });
  }
}

/** Element-wise {@link assertAlmostEquals} over two equal-length numeric arrays. */
export function assertArrayAlmostEquals(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol = 1e-6,
  msg = "",
): void {
  assertEquals(actual.length, expected.length, `${msg} length`);
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new nodeAssert.AssertionError({
        message: `${msg} index ${i}: expected ${expected[i]} ± ${tol}, got ${actual[i]}`,
      });
    }
  }
}

/** Runs `fn`, expects it to throw an instance of `cls` whose message contains `includes`. */
export function assertThrows(
  fn: () => unknown,
  cls: abstract new (...a: any[]) => Error = Error,
  includes?: string,
): Error {
  try {
    fn();
  } catch (e) {
    return checkError(e, cls, includes);
  }
  throw new nodeAssert.AssertionError({ message: "expected the function to throw" });
}

/** Async {@link assertThrows}. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  cls: abstract new (...a: any[]) => Error = Error,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return checkError(e, cls, includes);
  }
  throw new nodeAssert.AssertionError({ message: "expected the promise to reject" });
}

function checkError(e: unknown, cls: abstract new (...a: any[]) => Error, includes?: string): Error {
  if (!(e instanceof cls)) {
    throw new nodeAssert.AssertionError({ message: `expected ${cls.name}, got ${String(e)}` });
  }
  if (includes !== undefined && !e.message.includes(includes)) {
    throw new nodeAssert.AssertionError({
      message: `expected the error message to contain ${JSON.stringify(includes)}, got ${
        JSON.stringify(e.message)
      }`,
    });
  }
  return e;
}
