/**
 * The correction studio: a local web page (`deno task studio`) to fix regions and matches by hand, with its
 * edit model (`core.js`, shared by the page and the server), its two back ends (a PBC dataset, a `match`
 * output) and its server.
 *
 * @module
 */
export * from "./core.js";
export * from "./confine.ts";
export * from "./store.ts";
export * from "./store_pbc.ts";
export * from "./store_match.ts";
export * from "./server.ts";
