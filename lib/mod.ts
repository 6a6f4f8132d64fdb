/**
 * mangamatch: region-wise correspondence between manga line-art images.
 *
 * What notebooks and scripts import. Data flows one way:
 * image -> patches -> similarity matrix S -> regions -> matches -> metrics / pictures.
 *
 * @module
 */
export * from "./util/mod.ts";
export * from "./image/mod.ts";
export * from "./data/mod.ts";
