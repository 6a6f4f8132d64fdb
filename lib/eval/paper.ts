/**
 * The paper's reported numbers (Tables 1 and 2 of "Region-Wise Correspondence Prediction between Manga Line
 * Art Images"), as fractions, in the shape of our metrics so that tables can print them beside ours. Their
 * data (PBC, ATD-12K, GenAI) differ from ours.
 *
 * @module
 */
import type { TableEntry } from "./tables.ts";

/** The paper's evaluation sets. */
export type PaperDataset = "PBC" | "ATD" | "GenAI";

export const PAPER_DATASETS: readonly PaperDataset[] = ["PBC", "ATD", "GenAI"];

const pct = (v: number) => v / 100;
const intra = (ap: number, f1: number, p: number, r: number) => ({
  ap: pct(ap),
  best_f1: pct(f1),
  precision: pct(p),
  recall: pct(r),
});
const seg = (ari: number, pg: number, gp: number, cr: number) => ({
  ari: pct(ari),
  miou_pg: pct(pg),
  miou_gp: pct(gp),
  cr,
});

/** Table 1 and Table 2 of the paper, per dataset. */
export const PAPER_RESULTS: Record<PaperDataset, TableEntry> = {
  PBC: {
    name: "PBC (paper)",
    patch: {
      intra_a: intra(99.92, 98.57, 99.06, 98.08),
      intra_b: intra(99.93, 98.66, 98.92, 98.40),
      cross: { ...intra(98.86, 95.23, 96.34, 94.15), top1: pct(85.44), top5: pct(91.35) },
    },
    region: {
      intra_a: seg(83.05, 60.20, 20.30, 0.32),
      intra_b: seg(83.86, 60.34, 19.97, 0.32),
      cross: { precision_valid: pct(59.92), recall: pct(21.37) },
    },
  },
  ATD: {
    name: "ATD (paper)",
    patch: {
      intra_a: intra(85.40, 76.79, 78.16, 75.46),
      intra_b: intra(82.11, 73.18, 69.70, 77.03),
      cross: { ...intra(80.53, 71.71, 69.10, 74.53), top1: pct(83.59), top5: pct(92.17) },
    },
    region: {
      intra_a: seg(55.11, 32.37, 37.88, 1.37),
      intra_b: seg(50.37, 29.74, 35.90, 1.49),
      cross: { precision_valid: pct(72.41), recall: pct(32.93) },
    },
  },
  GenAI: {
    name: "GenAI (paper)",
    patch: {
      intra_a: intra(84.52, 76.28, 74.89, 77.73),
      intra_b: intra(86.22, 77.34, 74.36, 80.57),
      cross: { ...intra(84.48, 75.52, 72.23, 79.14), top1: pct(75.94), top5: pct(85.74) },
    },
    region: {
      intra_a: seg(46.82, 37.07, 31.59, 1.04),
      intra_b: seg(56.81, 40.35, 36.38, 1.07),
      cross: { precision_valid: pct(68.52), recall: pct(22.05) },
    },
  },
};
