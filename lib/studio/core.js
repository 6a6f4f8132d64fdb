// @ts-check
/**
 * The correction studio's edit model, shared by the browser page and the server: the page applies each edit to
 * show it (and undoes it from the record {@link applyOp} returns); the server replays the same list of edits on
 * the files it reads from disk, so what is written is exactly what the page showed, computed by this one file.
 * Plain JavaScript (the server inlines this file into the page), JSDoc-typed and checked by `deno check`.
 *
 * A pair's state holds both drawings' region maps (`seg`: one integer id per pixel), their ink masks, and the
 * correspondence, in one of two forms:
 * - `pbc` (a dataset in the PaintBucket-Character layout): a label per region; two regions of the two frames
 *   correspond when they carry the same label. Region 0 is the line (the ink pixels exactly), not editable.
 * - `match` (what `deno task match` writes): a list of matches `{ref_region, tgt_region, score, direction}`.
 *   Region 0 is "no region".
 *
 * Edits (`op`): `link` (reference region, target region), `unlink`, `none` (no counterpart), `merge`, `split`
 * (with a drawn stroke), `fill` (paint bucket: a new region from a click). Every edit is validated; a bad one
 * throws an {@link EditError} with a one-line reason and changes nothing.
 *
 * @example
 * ```ts
 * const undo = applyOp(state, { op: "merge", side: 1, keep: 4, drop: 9 });
 * revertOp(state, undo); // back as it was
 * ```
 *
 * @module
 */

/** Largest region id a 16-bit `match` label map can hold. */
export const MAX_MATCH_ID = 65535;
/** Largest stroke radius a split accepts (pixels). */
export const MAX_STROKE_RADIUS = 64;
/** Most points a split stroke may have. */
export const MAX_STROKE_POINTS = 20000;

/** A reason an edit was refused. */
export class EditError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "EditError";
  }
}

/**
 * @typedef {object} Side
 * @property {number} width
 * @property {number} height
 * @property {Int32Array} seg region id per pixel
 * @property {Uint8Array | null} ink 1 where the drawing has ink; null when the drawing is not known
 * @property {Map<number, number>} sizes pixel count of every region id present
 * @property {number} nextId the id the next new region gets
 */

/**
 * @typedef {object} Match
 * @property {number} ref_region
 * @property {number} tgt_region
 * @property {number} score
 * @property {string} [direction]
 */

/**
 * @typedef {object} State
 * @property {"pbc" | "match"} kind
 * @property {[Side, Side]} sides reference, target
 * @property {[Map<number, number>, Map<number, number>]} labels pbc: label of every region (empty for match)
 * @property {number} nextLabel pbc: the label a region with no counterpart gets next
 * @property {Match[]} matches match: the matches (empty for pbc)
 * @property {[Set<number>, Set<number>]} none regions marked as having no counterpart
 */

/**
 * @typedef {{op: "link", ref: number, tgt: number}
 *   | {op: "unlink", side: number, id: number}
 *   | {op: "none", side: number, id: number}
 *   | {op: "merge", side: number, keep: number, drop: number}
 *   | {op: "split", side: number, id: number, points: number[][], radius: number}
 *   | {op: "fill", side: number, x: number, y: number}} Op
 */

/**
 * What {@link revertOp} needs to undo one edit.
 * @typedef {object} UndoRecord
 * @property {number} side side whose pixels changed (-1: none)
 * @property {Int32Array} pix changed pixel indices
 * @property {Int32Array} old their previous ids
 * @property {[Map<number, number>, Map<number, number>]} labels
 * @property {number} nextLabel
 * @property {Match[]} matches
 * @property {[Set<number>, Set<number>]} none
 * @property {[Map<number, number>, Map<number, number>]} sizes
 * @property {[number, number]} nextId
 */

const SIDE_NAMES = ["reference", "target"];

/**
 * Pixel count of every id of a region map.
 * @param {Int32Array} seg
 * @returns {Map<number, number>}
 */
export function regionSizes(seg) {
  /** @type {Map<number, number>} */
  const m = new Map();
  for (let i = 0; i < seg.length; i++) {
    const v = seg[i];
    m.set(v, (m.get(v) ?? 0) + 1);
  }
  return m;
}

/**
 * A side from its region map and ink mask.
 * @param {number} width
 * @param {number} height
 * @param {Int32Array} seg
 * @param {Uint8Array | null} ink
 * @returns {Side}
 */
export function makeSide(width, height, seg, ink) {
  if (seg.length !== width * height) {
    throw new EditError(`region map holds ${seg.length} ids, not ${width}x${height}`);
  }
  if (ink && ink.length !== seg.length) throw new EditError("ink mask and region map differ in size");
  const sizes = regionSizes(seg);
  let max = 0;
  for (const k of sizes.keys()) if (k > max) max = k;
  return { width, height, seg, ink, sizes, nextId: max + 1 };
}

/**
 * @param {State} s
 * @returns {UndoRecord}
 */
function snapshot(s) {
  return {
    side: -1,
    pix: new Int32Array(0),
    old: new Int32Array(0),
    labels: [new Map(s.labels[0]), new Map(s.labels[1])],
    nextLabel: s.nextLabel,
    matches: s.matches.map((m) => ({ ...m })),
    none: [new Set(s.none[0]), new Set(s.none[1])],
    sizes: [new Map(s.sides[0].sizes), new Map(s.sides[1].sizes)],
    nextId: [s.sides[0].nextId, s.sides[1].nextId],
  };
}

/**
 * @param {unknown} v
 * @param {string} what
 * @returns {number}
 */
function int(v, what) {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new EditError(`${what} must be an integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * @param {unknown} v
 * @returns {number}
 */
function sideOf(v) {
  if (v !== 0 && v !== 1) {
    throw new EditError(`side must be 0 (reference) or 1 (target), got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * Checks that `id` is an editable region of side `side`.
 * @param {State} s
 * @param {number} side
 * @param {unknown} id
 * @returns {number}
 */
function region(s, side, id) {
  const v = int(id, "region id");
  if (!s.sides[side].sizes.has(v)) throw new EditError(`region ${v} is not in the ${SIDE_NAMES[side]}`);
  if (v === 0) {
    throw new EditError(
      s.kind === "pbc" ? "region 0 is the line art, not a region" : 'region 0 is "no region"',
    );
  }
  return v;
}

/**
 * The label a pbc region gets when it is cut loose from every counterpart.
 * @param {State} s
 * @returns {number}
 */
function freshLabel(s) {
  return s.nextLabel++;
}

/**
 * @param {State} s
 * @param {number} side
 * @param {number} id
 */
function detach(s, side, id) {
  if (s.kind === "pbc") s.labels[side].set(id, freshLabel(s));
  else s.matches = s.matches.filter((m) => (side === 0 ? m.ref_region : m.tgt_region) !== id);
}

/**
 * Pixels of region `id` on a side, as indices.
 * @param {Side} sd
 * @param {number} id
 * @returns {Int32Array}
 */
function pixelsOf(sd, id) {
  const out = new Int32Array(sd.sizes.get(id) ?? 0);
  let k = 0;
  const seg = sd.seg;
  for (let i = 0; i < seg.length; i++) if (seg[i] === id) out[k++] = i;
  return out;
}

/**
 * Sets pixels to new ids, recording the old ones in `u`, and keeps the sizes.
 * @param {Side} sd
 * @param {UndoRecord} u
 * @param {number} side
 * @param {Int32Array} pix
 * @param {Int32Array | number} ids
 */
function paint(sd, u, side, pix, ids) {
  u.side = side;
  u.pix = pix;
  u.old = new Int32Array(pix.length);
  for (let k = 0; k < pix.length; k++) {
    const i = pix[k];
    const from = sd.seg[i];
    const to = typeof ids === "number" ? ids : ids[k];
    u.old[k] = from;
    if (from === to) continue;
    sd.seg[i] = to;
    const a = (sd.sizes.get(from) ?? 0) - 1;
    if (a <= 0) sd.sizes.delete(from);
    else sd.sizes.set(from, a);
    sd.sizes.set(to, (sd.sizes.get(to) ?? 0) + 1);
  }
}

/**
 * A new region id on a side.
 * @param {State} s
 * @param {number} side
 * @returns {number}
 */
function newId(s, side) {
  const sd = s.sides[side];
  const id = sd.nextId++;
  if (s.kind === "match" && id > MAX_MATCH_ID) {
    throw new EditError(`too many regions: a 16-bit region map holds ids up to ${MAX_MATCH_ID}`);
  }
  return id;
}

/**
 * Gives the new regions `ids` (split off `from`) what `from` had: its label, or its matches.
 * @param {State} s
 * @param {number} side
 * @param {number} from
 * @param {number[]} ids
 */
function inherit(s, side, from, ids) {
  if (s.kind === "pbc") {
    const lab = s.labels[side].get(from);
    for (const id of ids) s.labels[side].set(id, lab === undefined ? freshLabel(s) : lab);
  } else {
    const extra = [];
    for (const m of s.matches) {
      if ((side === 0 ? m.ref_region : m.tgt_region) !== from) continue;
      for (const id of ids) extra.push(side === 0 ? { ...m, ref_region: id } : { ...m, tgt_region: id });
    }
    s.matches.push(...extra);
  }
  if (s.none[side].has(from)) { for (const id of ids) s.none[side].add(id); }
}

/**
 * Pixels of a stroke: discs of `radius` around every point of the polyline (consecutive points joined).
 * @param {number} width
 * @param {number} height
 * @param {number[][]} points
 * @param {number} radius
 * @returns {Uint8Array} 1 on the stroke
 */
export function rasterizeStroke(width, height, points, radius) {
  const mask = new Uint8Array(width * height);
  const r2 = radius * radius;
  /** @param {number} cx @param {number} cy */
  const disc = (cx, cy) => {
    for (let dy = -radius; dy <= radius; dy++) {
      const y = cy + dy;
      if (y < 0 || y >= height) continue;
      for (let dx = -radius; dx <= radius; dx++) {
        const x = cx + dx;
        if (x < 0 || x >= width || dx * dx + dy * dy > r2) continue;
        mask[y * width + x] = 1;
      }
    }
  };
  for (let k = 0; k < points.length; k++) {
    const [x1, y1] = points[k];
    const [x0, y0] = k > 0 ? points[k - 1] : points[k];
    const n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
    for (let t = 0; t <= n; t++) {
      disc(x0 + Math.round(((x1 - x0) * t) / n), y0 + Math.round(((y1 - y0) * t) / n));
    }
  }
  return mask;
}

/**
 * @param {State} s
 * @param {Extract<Op, {op: "split"}>} op
 * @param {UndoRecord} u
 */
function split(s, op, u) {
  const side = sideOf(op.side);
  const sd = s.sides[side];
  const id = region(s, side, op.id);
  const radius = int(op.radius, "stroke radius");
  if (radius < 0 || radius > MAX_STROKE_RADIUS) {
    throw new EditError(`stroke radius must be 0..${MAX_STROKE_RADIUS}`);
  }
  if (!Array.isArray(op.points) || op.points.length < 2 || op.points.length > MAX_STROKE_POINTS) {
    throw new EditError(`a split stroke needs 2..${MAX_STROKE_POINTS} points`);
  }
  const pts = op.points.map((p) => {
    if (!Array.isArray(p) || p.length !== 2) throw new EditError("a stroke point must be [x, y]");
    const x = int(p[0], "stroke x"), y = int(p[1], "stroke y");
    if (x < -1e6 || x > 1e6 || y < -1e6 || y > 1e6) throw new EditError("stroke point out of range");
    return [x, y];
  });
  const W = sd.width, H = sd.height, seg = sd.seg;
  const stroke = rasterizeStroke(W, H, pts, radius);
  const pix = pixelsOf(sd, id);
  // Components of the region without the stroke (4-connected).
  const comp = new Int32Array(W * H).fill(-1);
  /** @type {number[]} */
  const compSize = [];
  const stack = new Int32Array(pix.length + 1);
  // (Neighbours are written out: a closure over the loop's counters runs several times slower in V8.)
  for (let k = 0; k < pix.length; k++) {
    const start = pix[k];
    if (stroke[start] || comp[start] >= 0) continue;
    const c = compSize.length;
    let n = 0, top = 0;
    stack[top++] = start;
    comp[start] = c;
    while (top > 0) {
      const i = stack[--top];
      n++;
      const x = i % W;
      let j = i - 1;
      if (x > 0 && seg[j] === id && stroke[j] === 0 && comp[j] < 0) comp[j] = c, stack[top++] = j;
      j = i + 1;
      if (x < W - 1 && seg[j] === id && stroke[j] === 0 && comp[j] < 0) comp[j] = c, stack[top++] = j;
      j = i - W;
      if (j >= 0 && seg[j] === id && stroke[j] === 0 && comp[j] < 0) comp[j] = c, stack[top++] = j;
      j = i + W;
      if (j < W * H && seg[j] === id && stroke[j] === 0 && comp[j] < 0) comp[j] = c, stack[top++] = j;
    }
    compSize.push(n);
  }
  if (compSize.length < 2) throw new EditError(`the stroke does not cut region ${id} in two`);
  // Stroke pixels of the region join the component they touch first (breadth-first from every component).
  let queue = new Int32Array(pix.length), qn = 0;
  for (const i of pix) if (comp[i] >= 0) queue[qn++] = i;
  let next = new Int32Array(pix.length);
  while (qn > 0) {
    let nn = 0;
    for (let q = 0; q < qn; q++) {
      const i = queue[q], c = comp[i];
      const x = i % W;
      let j = i - 1;
      if (x > 0 && seg[j] === id && comp[j] < 0) comp[j] = c, next[nn++] = j;
      j = i + 1;
      if (x < W - 1 && seg[j] === id && comp[j] < 0) comp[j] = c, next[nn++] = j;
      j = i - W;
      if (j >= 0 && seg[j] === id && comp[j] < 0) comp[j] = c, next[nn++] = j;
      j = i + W;
      if (j < W * H && seg[j] === id && comp[j] < 0) comp[j] = c, next[nn++] = j;
    }
    const t = queue;
    queue = next;
    next = t;
    qn = nn;
  }
  // The largest component keeps the id (the first on a tie); the others get new ids in order of first pixel.
  let keep = 0;
  for (let c = 1; c < compSize.length; c++) if (compSize[c] > compSize[keep]) keep = c;
  const idOf = new Int32Array(compSize.length);
  /** @type {number[]} */
  const fresh = [];
  for (let c = 0; c < compSize.length; c++) {
    if (c === keep) idOf[c] = id;
    else {
      idOf[c] = newId(s, side);
      fresh.push(idOf[c]);
    }
  }
  const ids = new Int32Array(pix.length);
  for (let k = 0; k < pix.length; k++) ids[k] = comp[pix[k]] >= 0 ? idOf[comp[pix[k]]] : id;
  paint(sd, u, side, pix, ids);
  inherit(s, side, id, fresh);
}

/**
 * @param {State} s
 * @param {Extract<Op, {op: "fill"}>} op
 * @param {UndoRecord} u
 */
function fill(s, op, u) {
  const side = sideOf(op.side);
  const sd = s.sides[side];
  const x0 = int(op.x, "x"), y0 = int(op.y, "y");
  const W = sd.width, H = sd.height, seg = sd.seg, ink = sd.ink;
  if (x0 < 0 || y0 < 0 || x0 >= W || y0 >= H) {
    throw new EditError(`pixel (${x0}, ${y0}) is outside the ${W}x${H} ${SIDE_NAMES[side]}`);
  }
  if (!ink) throw new EditError("the paint bucket needs the drawing's lines, which this pair lacks");
  const start = y0 * W + x0;
  if (ink[start]) throw new EditError(`pixel (${x0}, ${y0}) is on a line: click inside an area`);
  const id = seg[start];
  const seen = new Uint8Array(W * H);
  const stack = new Int32Array(W * H);
  let top = 0, count = 0;
  stack[top++] = start;
  seen[start] = 1;
  while (top > 0) {
    const i = stack[--top];
    count++;
    const x = i % W;
    let j = i - 1;
    if (x > 0 && !seen[j] && seg[j] === id && !ink[j]) seen[j] = 1, stack[top++] = j;
    j = i + 1;
    if (x < W - 1 && !seen[j] && seg[j] === id && !ink[j]) seen[j] = 1, stack[top++] = j;
    j = i - W;
    if (j >= 0 && !seen[j] && seg[j] === id && !ink[j]) seen[j] = 1, stack[top++] = j;
    j = i + W;
    if (j < W * H && !seen[j] && seg[j] === id && !ink[j]) seen[j] = 1, stack[top++] = j;
  }
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < seen.length; i++) if (seen[i]) out[k++] = i;
  if (id !== 0 && out.length === sd.sizes.get(id)) {
    throw new EditError(`the fill covers all of region ${id}: nothing to split off (use merge or link)`);
  }
  const nid = newId(s, side);
  paint(sd, u, side, out, nid);
  if (s.kind === "pbc") s.labels[side].set(nid, freshLabel(s));
}

/**
 * Applies one edit to the state in place and returns what undoes it. Throws an {@link EditError} (state
 * unchanged) when the edit is malformed or does not apply.
 *
 * @example
 * ```ts
 * const u = applyOp(state, { op: "link", ref: 3, tgt: 7 });
 * ```
 * @param {State} s
 * @param {Op} op
 * @returns {UndoRecord}
 */
export function applyOp(s, op) {
  if (typeof op !== "object" || op === null) throw new EditError("an edit must be an object");
  const u = snapshot(s);
  try {
    switch (op.op) {
      case "link": {
        const a = region(s, 0, op.ref), b = region(s, 1, op.tgt);
        if (s.kind === "pbc") {
          const lab = s.labels[0].get(a);
          if (lab === undefined) throw new EditError(`reference region ${a} has no label`);
          s.labels[1].set(b, lab);
        } else {
          s.matches = s.matches.filter((m) => m.tgt_region !== b);
          s.matches.push({ ref_region: a, tgt_region: b, score: 1, direction: "manual" });
        }
        s.none[0].delete(a);
        s.none[1].delete(b);
        break;
      }
      case "unlink":
      case "none": {
        const side = sideOf(op.side);
        const id = region(s, side, op.id);
        detach(s, side, id);
        if (op.op === "none") s.none[side].add(id);
        else s.none[side].delete(id);
        break;
      }
      case "merge": {
        const side = sideOf(op.side);
        const keep = region(s, side, op.keep), drop = region(s, side, op.drop);
        if (keep === drop) throw new EditError(`cannot merge region ${keep} with itself`);
        const sd = s.sides[side];
        paint(sd, u, side, pixelsOf(sd, drop), keep);
        if (s.kind === "pbc") s.labels[side].delete(drop);
        else {
          /** @type {Map<string, Match>} */
          const best = new Map();
          for (const m0 of s.matches) {
            const m = { ...m0 };
            if (side === 0 && m.ref_region === drop) m.ref_region = keep;
            if (side === 1 && m.tgt_region === drop) m.tgt_region = keep;
            const k = `${m.ref_region},${m.tgt_region}`;
            const prev = best.get(k);
            if (!prev || m.score > prev.score) best.set(k, m);
          }
          s.matches = [...best.values()];
        }
        if (s.none[side].delete(drop)) s.none[side].add(keep);
        break;
      }
      case "split":
        split(s, op, u);
        break;
      case "fill":
        fill(s, op, u);
        break;
      default:
        throw new EditError(`unknown edit ${JSON.stringify(/** @type {any} */ (op).op)}`);
    }
  } catch (e) {
    revertOp(s, u);
    throw e;
  }
  return u;
}

/**
 * Undoes one edit, given the record {@link applyOp} returned (the last edit first).
 * @param {State} s
 * @param {UndoRecord} u
 */
export function revertOp(s, u) {
  if (u.side >= 0) {
    const seg = s.sides[u.side].seg;
    for (let k = 0; k < u.pix.length; k++) seg[u.pix[k]] = u.old[k];
  }
  s.labels = u.labels;
  s.nextLabel = u.nextLabel;
  s.matches = u.matches;
  s.none = u.none;
  s.sides[0].sizes = u.sizes[0];
  s.sides[1].sizes = u.sizes[1];
  s.sides[0].nextId = u.nextId[0];
  s.sides[1].nextId = u.nextId[1];
}

/**
 * Applies a list of edits; the first bad one throws an {@link EditError} naming its position.
 * @param {State} s
 * @param {unknown} ops
 */
export function applyOps(s, ops) {
  if (!Array.isArray(ops)) throw new EditError("edits must be a list");
  ops.forEach((op, k) => {
    try {
      applyOp(s, op);
    } catch (e) {
      if (e instanceof EditError) {
        throw new EditError(`edit ${k + 1} (${typeof op?.op === "string" ? op.op : "?"}): ${e.message}`);
      }
      throw e;
    }
  });
}

/**
 * Correspondence groups: a key per region of each side such that corresponding regions share a key; a region
 * with no counterpart on the other side gets null. pbc: the label (background, -1, is null too); match: the
 * smallest reference id of the connected component of the match graph.
 * @param {State} s
 * @returns {[Map<number, number | null>, Map<number, number | null>]}
 */
export function groups(s) {
  /** @type {[Map<number, number | null>, Map<number, number | null>]} */
  const out = [new Map(), new Map()];
  if (s.kind === "pbc") {
    const present = [new Set(), new Set()];
    for (const side of [0, 1]) {
      for (const id of s.sides[side].sizes.keys()) present[side].add(s.labels[side].get(id));
    }
    for (const side of [0, 1]) {
      for (const id of s.sides[side].sizes.keys()) {
        const lab = s.labels[side].get(id);
        out[side].set(id, lab === undefined || lab < 0 || !present[1 - side].has(lab) ? null : lab);
      }
    }
    return out;
  }
  // Union-find over "r<id>" and "t<id>".
  /** @type {Map<string, string>} */
  const parent = new Map();
  /** @param {string} x @returns {string} */
  const find = (x) => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = /** @type {string} */ (parent.get(r));
    parent.set(x, r);
    return r;
  };
  for (const m of s.matches) {
    const a = find(`r${m.ref_region}`), b = find(`t${m.tgt_region}`);
    if (!parent.has(a)) parent.set(a, a);
    if (a !== b) parent.set(b, a);
  }
  /** @type {Map<string, number>} */
  const key = new Map();
  for (const m of s.matches) {
    const r = find(`r${m.ref_region}`);
    key.set(r, Math.min(key.get(r) ?? Infinity, m.ref_region));
  }
  for (const side of [0, 1]) {
    for (const id of s.sides[side].sizes.keys()) {
      const name = `${side === 0 ? "r" : "t"}${id}`;
      out[side].set(id, parent.has(name) ? (key.get(find(name)) ?? null) : null);
    }
  }
  return out;
}

/**
 * A deterministic colour for a group key: hues spread by the golden angle.
 * @param {number} key
 * @returns {[number, number, number]}
 */
export function groupColor(key) {
  const h = ((Math.abs(key) * 137.508) % 360) / 360;
  const sat = 0.55 + 0.25 * ((Math.abs(key) * 7) % 3) / 2, light = 0.62;
  /** @param {number} n */
  const f = (n) => {
    const k = (n + h * 12) % 12;
    const a = sat * Math.min(light, 1 - light);
    return Math.round(255 * (light - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}
