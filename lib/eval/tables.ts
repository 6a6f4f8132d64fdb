/**
 * Markdown tables in the layout of the paper's Table 1 (patch level) and Table 2 (region level): one block of
 * rows per method or dataset (intra-image a, intra-image b, cross-image), percentages with two decimals, CR as a
 * raw ratio, "–" where a value does not exist (intra rows have no top-K or region precision; a method without
 * patch scores has no Table 1 block).
 *
 * @module
 */
import { PAPER_DATASETS, PAPER_RESULTS, type PaperDataset } from "./paper.ts";

type Num = number | null | undefined;

/** Patch scores of one set, as tables read them. */
export interface PatchRow {
  ap: Num;
  best_f1: Num;
  precision: Num;
  recall: Num;
  top1?: Num;
  top5?: Num;
}

/** Intra-image region scores, as tables read them. */
export interface SegRow {
  ari: Num;
  miou_pg: Num;
  miou_gp: Num;
  cr: Num;
}

/** One method or dataset: our metrics.json objects fit as they are (add a name). */
export interface TableEntry {
  name: string;
  patch?: { intra_a: PatchRow; intra_b: PatchRow; cross: PatchRow } | null;
  region?: {
    intra_a: SegRow;
    intra_b: SegRow;
    cross: {
      precision_all?: Num;
      precision_valid: Num;
      recall: Num;
      valid_matches?: Num;
      pred_matches?: Num;
    };
  } | null;
}

/** Options of the tables. */
export interface TableOptions {
  /** Paper rows to append: true for all three datasets. */
  paper?: boolean | readonly PaperDataset[];
  /** A caption line under the table. */
  caption?: string;
}

const DASH = "–";

/** A fraction as a percentage with two decimals ("–" when missing). */
export function pct(v: Num): string {
  return v === null || v === undefined || !Number.isFinite(v) ? DASH : (v * 100).toFixed(2);
}

/** A raw number with two decimals ("–" when missing). */
export function raw(v: Num): string {
  return v === null || v === undefined || !Number.isFinite(v) ? DASH : v.toFixed(2);
}

function paperEntries(p: TableOptions["paper"]): TableEntry[] {
  if (!p) return [];
  const list = p === true ? PAPER_DATASETS : p;
  return list.map((d) => PAPER_RESULTS[d]);
}

function render(header: string[], rows: string[][], caption?: string): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const lines = [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i < 2 ? " --- " : " ---: ")).join("|")}|`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ];
  if (caption) lines.push("", caption);
  return lines.join("\n") + "\n";
}

const KINDS = [["intra_a", "Intra-img (I_a)"], ["intra_b", "Intra-img (I_b)"], [
  "cross",
  "Cross-img",
]] as const;

/**
 * Table 1 (patch level): AP, best F1 with its precision and recall, cross-image top-1 and top-5 accuracy.
 *
 * @example
 * ```ts
 * const md = table1([{ name: "ours, clean", ...metrics }], { paper: ["PBC"] });
 * ```
 */
export function table1(entries: readonly TableEntry[], opts: TableOptions = {}): string {
  const header = [
    "Dataset",
    "Matching type",
    "AP",
    "Best F1",
    "Precision",
    "Recall",
    "Top-1 Acc.",
    "Top-5 Acc.",
  ];
  const rows: string[][] = [];
  for (const e of [...entries, ...paperEntries(opts.paper)]) {
    if (!e.patch) continue;
    KINDS.forEach(([k, label], i) => {
      const r = e.patch![k];
      const cross = k === "cross";
      rows.push([
        i === 0 ? e.name : "",
        label,
        pct(r.ap),
        pct(r.best_f1),
        pct(r.precision),
        pct(r.recall),
        cross ? pct(r.top1) : DASH,
        cross ? pct(r.top5) : DASH,
      ]);
    });
  }
  return render(header, rows, opts.caption ?? "Patch-level evaluation (percentages).");
}

/**
 * Table 2 (region level): ARI, mIoU P->G, mIoU G->P, CR (raw) for intra-image rows; region precision and recall
 * (purity >= 0.8) for the cross-image row.
 */
export function table2(entries: readonly TableEntry[], opts: TableOptions = {}): string {
  const header = [
    "Dataset",
    "Matching type",
    "ARI",
    "mIoU (P→G)",
    "mIoU (G→P)",
    "CR",
    "Region Precision (all)",
    "Region Precision (valid)",
    "Valid / predicted matches",
    "Region Recall",
  ];
  const rows: string[][] = [];
  for (const e of [...entries, ...paperEntries(opts.paper)]) {
    if (!e.region) continue;
    const g = e.region;
    rows.push([
      e.name,
      KINDS[0][1],
      pct(g.intra_a.ari),
      pct(g.intra_a.miou_pg),
      pct(g.intra_a.miou_gp),
      raw(g.intra_a.cr),
      DASH,
      DASH,
      DASH,
      DASH,
    ]);
    rows.push([
      "",
      KINDS[1][1],
      pct(g.intra_b.ari),
      pct(g.intra_b.miou_pg),
      pct(g.intra_b.miou_gp),
      raw(g.intra_b.cr),
      DASH,
      DASH,
      DASH,
      DASH,
    ]);
    const c = g.cross;
    const counts = c.valid_matches === undefined || c.valid_matches === null
      ? DASH
      : `${c.valid_matches.toFixed(1)} / ${c.pred_matches?.toFixed(1) ?? DASH}`;
    rows.push([
      "",
      KINDS[2][1],
      DASH,
      DASH,
      DASH,
      DASH,
      pct(c.precision_all),
      pct(c.precision_valid),
      counts,
      pct(c.recall),
    ]);
  }
  return render(
    header,
    rows,
    opts.caption ??
      "Region-level evaluation (percentages; CR raw). Region precision (all): correct / all predicted matches; (valid): correct / matches whose regions both have purity >= 0.8 (the release's figure, the paper's rows); valid / predicted matches: means per pair; recall over true match groups.",
  );
}
