/**
 * `deno task studio`: the correction studio, a local web page to fix regions and matches by hand.
 *
 * `deno task studio --data ROOT [--pairs CSV] [--scores MATCH_OUT]` edits a PBC-layout dataset (e.g. what
 * `annotate` writes); `deno task studio --match OUT_DIR [REF.png TGT.png | --data ROOT]` edits what `match`
 * wrote. Prints the URL (127.0.0.1, with a random token) and opens it in the browser (`--no-browser` not).
 *
 * @module
 */
import { num, parseCommand, runMain, str } from "../util/cli.ts";
import { UserError } from "../util/errors.ts";
import { Root } from "../studio/confine.ts";
import { startStudio, STUDIO_DEFAULTS } from "../studio/server.ts";
import { PbcStore } from "../studio/store_pbc.ts";
import { MatchStore } from "../studio/store_match.ts";
import type { Store } from "../studio/store.ts";

const SPEC = {
  name: "studio",
  summary: "correct regions and matches by hand in the browser (local page, 127.0.0.1 only)",
  usage: "deno task studio --data ROOT [--pairs CSV] [--scores MATCH_OUT]\n" +
    "       deno task studio --match OUT_DIR [REF.png TGT.png | --data ROOT]",
  options: {
    data: {
      type: "string" as const,
      help: "a PBC-layout dataset to correct (with --match: where the match run's drawings are)",
    },
    pairs: {
      type: "string" as const,
      help: "pairs CSV (dir,reference,target); default: ROOT/pairs.csv or frames i, i+7",
    },
    scores: {
      type: "string" as const,
      help: "a `match --data ROOT` output: its matches.json scores give each pair's confidence (least first)",
    },
    match: { type: "string" as const, help: "a `match` output folder to correct (one pair, or a batch)" },
    port: {
      type: "string" as const,
      help: "port on 127.0.0.1 (0: any free one)",
      default: String(STUDIO_DEFAULTS.port),
    },
    user: { type: "string" as const, help: "your name, for the history file", default: STUDIO_DEFAULTS.user },
    "no-browser": { type: "boolean" as const, help: "print the URL only, do not open a browser" },
  },
  examples: [
    "deno task studio --data data/auto-clean",
    "deno task studio --data data/test-clean --scores out/test-clean-match",
    "deno task studio --match out/ab a.png b.png",
    "deno task studio --match out/test --data data/test-clean",
  ],
};

/** The back end the arguments name. */
export async function storeFromArgs(
  argv: string[],
): Promise<{ store: Store; port: number; user: string; open: boolean }> {
  const args = parseCommand(argv, SPEC);
  const match = str(args, "match"), data = str(args, "data");
  const port = num(args, "port", { def: 0, min: 0, max: 65535, integer: true });
  const user = str(args, "user") ?? STUDIO_DEFAULTS.user;
  let store: Store;
  if (match) {
    if (str(args, "pairs") || str(args, "scores")) {
      throw new UserError(
        "--pairs and --scores go with --data ROOT alone; a match output lists its own pairs",
      );
    }
    const pos = args.positionals;
    if (pos.length !== 0 && pos.length !== 2) {
      throw new UserError("give both drawings, REF.png TGT.png, or none");
    }
    if (pos.length && data) {
      throw new UserError("give the drawings (REF.png TGT.png) or --data ROOT, not both");
    }
    store = await MatchStore.open(await Root.open(match), {
      drawings: pos.length ? [pos[0], pos[1]] : undefined,
      data,
    });
  } else if (data) {
    if (args.positionals.length) {
      throw new UserError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    }
    store = await PbcStore.open(await Root.open(data), {
      pairsCsv: str(args, "pairs"),
      scores: str(args, "scores"),
    });
  } else {
    throw new UserError("give --data ROOT (a dataset) or --match OUT_DIR (a match output); see --help");
  }
  return { store, port, user, open: !args.values["no-browser"] };
}

function openBrowser(url: string): void {
  const cmd = Deno.build.os === "darwin"
    ? ["open", url]
    : Deno.build.os === "windows"
    ? ["cmd", "/c", "start", "", url]
    : ["xdg-open", url];
  try {
    new Deno.Command(cmd[0], { args: cmd.slice(1), stdout: "null", stderr: "null" }).spawn().status.catch(
      () => {},
    );
  } catch {
    // No opener: the printed URL is enough.
  }
}

if (import.meta.main) {
  runMain(async () => {
    const { store, port, user, open } = await storeFromArgs(Deno.args);
    const pairs = await store.list();
    const studio = await startStudio(store, { port, user });
    console.log(
      `studio: ${store.title}, ${pairs.length} pair${pairs.length === 1 ? "" : "s"}, editing as ${user}`,
    );
    console.log(`open ${studio.url}`);
    console.log("(127.0.0.1 only; the token in the URL is required; Ctrl+C stops)");
    if (open) openBrowser(studio.url);
  });
}
