/**
 * The generator family of each character of a dataset, from its `generate.json` (lib/generate/dataset.ts):
 * `characterInfo` when the generation mixed families or styles, else the one `settings.family`, else `human`
 * (the original generator). Folders not made by `deno task generate` (real data, annotations) are `other`.
 * Training uses it to refuse the held-out transfer family and to report validation AP per family.
 *
 * @module
 */
import * as path from "node:path";
import { exists, readJson } from "../util/fs.ts";

/** Family of characters of folders not made by the generator. */
export const OTHER_FAMILY = "other";

/**
 * Family of every character named in the dataset's manifest; `fallback` for the others.
 *
 * @example
 * ```ts
 * const fam = await characterFamilies("data/transfer-clean");
 * fam.of("char00003"); // "creature"
 * ```
 */
export async function characterFamilies(root: string): Promise<{ of: (character: string) => string }> {
  const file = path.join(root, "generate.json");
  if (!(await exists(file))) return { of: () => OTHER_FAMILY };
  let m: {
    generator?: string;
    settings?: { family?: string };
    characterInfo?: Record<string, { family?: string }>;
  };
  try {
    m = await readJson(file);
  } catch {
    return { of: () => OTHER_FAMILY };
  }
  if (m?.generator !== "mangamatch") return { of: () => OTHER_FAMILY };
  const info = m.characterInfo ?? {};
  const single = m.settings?.family && !m.settings.family.includes(",") && m.settings.family !== "all"
    ? m.settings.family
    : "human";
  return { of: (c) => info[c]?.family ?? single };
}
