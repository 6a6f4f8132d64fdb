import { assert, assertEquals } from "../testing/asserts.ts";
import { REPO_ROOT as ROOT } from "../util/paths.ts";
import { makeFixture } from "../studio/testing/fixture.ts";

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "lib/cli/studio.ts", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: r.code,
    stdout: new TextDecoder().decode(r.stdout),
    stderr: new TextDecoder().decode(r.stderr),
  };
}

Deno.test("studio CLI: bad arguments are one error line", async () => {
  const none = await cli([]);
  assertEquals(none.code, 2);
  assert(none.stderr.trim().startsWith("error: give --data ROOT"), none.stderr);
  const missing = await cli(["--data", "/nonexistent/mm-studio", "--no-browser"]);
  assertEquals(missing.code, 2);
  assertEquals(missing.stderr.trim().split("\n").length, 1, missing.stderr);
  assert(missing.stderr.includes("/nonexistent/mm-studio"), missing.stderr);
  const noMatch = await cli(["--match", ROOT, "--no-browser"]);
  assertEquals(noMatch.code, 2);
  assert(noMatch.stderr.includes("no matches.json"), noMatch.stderr);
});

Deno.test("studio CLI: prints a 127.0.0.1 URL with a token; the token is required", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mm-cli-" });
  const fx = await makeFixture(dir);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "lib/cli/studio.ts", "--data", fx.root, "--no-browser", "--user", "cli-test"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let out = "";
    while (!/open (http\S+)/.test(out)) {
      const r = await reader.read();
      if (r.done) throw new Error(`studio exited: ${out}`);
      out += r.value;
    }
    const url = new URL(out.match(/open (http\S+)/)![1]);
    assertEquals(url.hostname, "127.0.0.1");
    assert(/^[0-9a-f]{32}$/.test(url.searchParams.get("token")!), url.href);
    assert(out.includes("1 pair") && out.includes("cli-test"), out);
    const page = await fetch(url);
    assertEquals(page.status, 200);
    const html = await page.text();
    assert(html.includes("function applyOp") && !html.includes("/*__CORE__*/"), "core.js is inlined");
    assert(!/src="http|href="http/.test(html), "nothing from a CDN");
    const bare = await fetch(`${url.origin}/`);
    assertEquals(bare.status, 403);
    await bare.body?.cancel();
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await reader.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});
