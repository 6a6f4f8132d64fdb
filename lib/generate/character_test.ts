import { assert, assertEquals } from "../testing/asserts.ts";
import { Rng } from "../util/rng.ts";
import { makeCharacter } from "./character.ts";

Deno.test("same stream, same character; label names unique and indices dense", () => {
  const a = makeCharacter(new Rng(7).fork("c"), "c0");
  const b = makeCharacter(new Rng(7).fork("c"), "c0");
  assertEquals(JSON.stringify(a), JSON.stringify(b));
  const names = a.labels.map((l) => l.name);
  assertEquals(new Set(names).size, names.length);
  for (const [name, idx] of Object.entries(a.L)) assertEquals(a.labels[idx].name, name);
});

Deno.test("characters vary and carry the semantic parts", () => {
  const counts: number[] = [];
  const styles = new Set<string>();
  for (let s = 0; s < 40; s++) {
    const c = makeCharacter(new Rng(s), `c${s}`);
    counts.push(c.labels.length);
    styles.add(`${c.outfit.collar}/${c.outfit.bottom}/${c.hair.tails}`);
    for (
      const part of [
        "face",
        "neck",
        "hairBack",
        "hairCap",
        "scleraL",
        "irisR",
        "pupilL",
        "browR",
        "mouth",
        "earL",
        "shirt",
        "armL",
        "handR",
        "legL",
        "shoeR",
      ]
    ) {
      assert(c.L[part] !== undefined, `${part} missing in character ${s}`);
    }
    assert(c.hair.bangs.length >= 4, "several bang locks");
    assert(c.hair.bangs.every((b) => c.labels[b.label].name.startsWith("bang")), "each lock its own label");
  }
  // 30-60 labels is the aim; the table holds a few more than any one frame shows.
  assert(
    Math.min(...counts) >= 40 && Math.max(...counts) <= 110,
    `label counts ${Math.min(...counts)}..${Math.max(...counts)}`,
  );
  assert(styles.size >= 8, `only ${styles.size} outfit/hair combinations`);
});
