/**
 * A label table under construction: part names in order, each with its flat colour, for the families built
 * after the humanoid characters (creatures, animals, props, mecha).
 *
 * @module
 */
import type { LabelInfo } from "./character.ts";
import type { Rgb } from "./palette.ts";

/**
 * Part names and colours, in order; the index of a part is its label.
 *
 * @example
 * ```ts
 * const T = new LabelTable();
 * const body = T.add("body", [200, 120, 90]); // 0
 * ```
 */
export class LabelTable {
  labels: LabelInfo[] = [];
  L: Record<string, number> = {};

  /** Adds a part; a name used twice is a programming error. */
  add(name: string, color: Rgb): number {
    if (name in this.L) throw new Error(`duplicate part ${name}`);
    this.L[name] = this.labels.length;
    this.labels.push({ name, color });
    return this.L[name];
  }
}
