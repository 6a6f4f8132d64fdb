/**
 * The test splits the notebooks evaluate: the generator's 300-pair `data/test-clean` and `data/test-hand` when
 * they are there (made by `deno task generate`, see the README), or, in the notebooks' CI mode and on a fresh
 * clone, small splits generated on the spot with the same settings (seeds 1 and 2, 512 px, gap 7).
 *
 * @module
 */
import * as path from "node:path";
import { type PairRef, resolvePairs } from "../data/pairs.ts";
import { generateDataset } from "../generate/dataset.ts";
import type { LineStyle } from "../generate/frame.ts";
import { existsSync } from "../util/fs.ts";
import { repoPath } from "../util/paths.ts";
import { spreadPairs } from "./subset.ts";

/** One test split. */
export interface TestSplit {
  /** "clean" or "hand-drawn". */
  name: LineStyle;
  root: string;
  pairs: PairRef[];
  /** Pairs in the whole split. */
  total: number;
  /** Generated here (small) rather than read from `data/`. */
  generated: boolean;
}

/** Options of {@link testSplits}. */
export interface TestSplitOptions {
  /** Generate small splits even when the full ones exist (the notebooks' CI mode). */
  small: boolean;
  /** Pairs of each generated split. */
  pairs: number;
  /** Pairs evaluated per split (spread over the list; 0: all). */
  limit: number;
  /** Frame side of generated splits. */
  size: number;
  /** Where small splits are generated (default: a new temporary folder). */
  dir?: string;
}

/** Defaults. */
export const TEST_SPLIT_DEFAULTS: TestSplitOptions = {
  small: false,
  pairs: 4, // one character's first pairs: a CI run of a notebook stays within a few minutes
  limit: 0,
  size: 512, // the full splits' size
};

/** The full splits' folders and the settings they were made with (`data/test-*`, generate.json). */
export const TEST_SPLITS: readonly { name: LineStyle; dir: string; seed: number }[] = [
  { name: "clean", dir: "data/test-clean", seed: 1 },
  { name: "hand-drawn", dir: "data/test-hand", seed: 2 },
];

/**
 * The clean and hand-drawn test splits.
 *
 * @example
 * ```ts
 * const splits = await testSplits({ small: Deno.env.get("MANGAMATCH_NB_SMALL") === "1" });
 * for (const s of splits) console.log(s.name, s.pairs.length, s.generated);
 * ```
 */
export async function testSplits(opts: Partial<TestSplitOptions> = {}): Promise<TestSplit[]> {
  const o = { ...TEST_SPLIT_DEFAULTS, ...opts };
  const full = TEST_SPLITS.map((s) => ({ ...s, root: repoPath(s.dir) }));
  if (!o.small && full.every((s) => existsSync(path.join(s.root, "pairs.csv")))) {
    return await Promise.all(full.map(async (s) => {
      const all = await resolvePairs(s.root);
      return {
        name: s.name,
        root: s.root,
        pairs: spreadPairs(all, o.limit),
        total: all.length,
        generated: false,
      };
    }));
  }
  const dir = o.dir ?? await Deno.makeTempDir({ prefix: "mm-test-splits-" });
  const out: TestSplit[] = [];
  for (const s of full) {
    const root = path.join(dir, path.basename(s.dir));
    if (!existsSync(path.join(root, "pairs.csv"))) {
      await generateDataset({
        out: root,
        pairs: o.pairs,
        style: s.name,
        seed: s.seed,
        size: o.size,
        gap: 7, // the paper's PBC pair gap
        framesPerCharacter: 15,
        progress: "off",
      });
    }
    const all = await resolvePairs(root);
    out.push({ name: s.name, root, pairs: spreadPairs(all, o.limit), total: all.length, generated: true });
  }
  return out;
}
