import { assertEquals } from "../testing/asserts.ts";
import { colorizeReport, colorizeTable } from "./colorize_report.ts";

Deno.test("colorizeTable and colorizeReport: percentages in the table, rounded fractions in the JSON", () => {
  const r = {
    methods: [{
      name: "flood fill" as const,
      pairs: 3,
      pixel_accuracy_fg: 0.41234,
      region_accuracy_fg: 0.25,
      pixel_accuracy_with_bg: 0.81234,
      region_accuracy_with_bg: 0.5,
      seconds_per_pair: 0.12345,
    }],
    perPair: [],
  };
  assertEquals(
    colorizeTable(r.methods).split("\n")[2],
    "| flood fill | 3 | 41.2% | 25.0% | 81.2% | 50.0% | 0.12 |",
  );
  assertEquals(colorizeReport("d", r, null), {
    bench: "colorize",
    data: "d",
    pairs: 0,
    weights: null,
    methods: {
      "flood fill": {
        pixel_accuracy_fg: 0.4123,
        region_accuracy_fg: 0.25,
        pixel_accuracy_with_bg: 0.8123,
        region_accuracy_with_bg: 0.5,
        s_per_pair: 0.123,
      },
    },
  });
});
