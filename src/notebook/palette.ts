/**
 * Turning RGB pixels into palette indices for GIF (at most 256 colours per palette).
 *
 * - {@link ColorTable}: an exact palette. Env frames almost always have few colours (CartPole ~10,
 *   Atari ≤ 128), so the GIF reproduces them bit for bit.
 * - {@link medianCut}: for frames with more than 256 colours (antialiased edges, smooth renders).
 *   Median cut over the exact colours (or a 15-bit histogram when there are very many), and every
 *   colour maps straight to its box's palette entry, so there is no per-pixel nearest-colour search.
 * - {@link uniformQuantize}: the fastest fallback, a fixed 6×7×6 colour cube (252 colours).
 *
 * All functions work on a rectangle of an RGB buffer and write indices row by row into `out`, and
 * allocate nothing per pixel.
 */

/** A rectangle in pixels. */
export interface Rect {
  /** Left column. */
  readonly x: number;
  /** Top row. */
  readonly y: number;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
}

const HASH_SIZE = 1024; // 4× the 256 entries: short probes
const EMPTY = -1;
const PLACEHOLDER = 0x1000000;

/**
 * An exact palette of at most 256 colours with a fast colour → index lookup.
 * Colours are 24-bit integers `0xRRGGBB`.
 *
 * @example
 * const table = new ColorTable();
 * table.add(0xff0000) //=> 0
 * table.indexOf(0xff0000) //=> 0
 */
export class ColorTable {
  /** The colours, `0xRRGGBB`, valid up to {@link count}. */
  readonly colors = new Int32Array(256);
  private n = 0;
  private readonly keys = new Int32Array(HASH_SIZE).fill(EMPTY);
  private readonly values = new Uint8Array(HASH_SIZE);

  /** Number of colours in the table. */
  get count(): number {
    return this.n;
  }

  /** Index of `rgb`, or -1 if absent. */
  indexOf(rgb: number): number {
    let h = Math.imul(rgb, 0x9e3779b1) >>> 22;
    for (;;) {
      const k = this.keys[h]!;
      if (k === rgb) return this.values[h]!;
      if (k === EMPTY) return -1;
      h = (h + 1) & (HASH_SIZE - 1);
    }
  }

  /** Index of `rgb`, adding it if absent; -1 if absent and the table is full (256 colours). */
  add(rgb: number): number {
    let h = Math.imul(rgb, 0x9e3779b1) >>> 22;
    for (;;) {
      const k = this.keys[h]!;
      if (k === rgb) return this.values[h]!;
      if (k === EMPTY) break;
      h = (h + 1) & (HASH_SIZE - 1);
    }
    if (this.n === 256) return -1;
    const index = this.n++;
    this.colors[index] = rgb;
    this.keys[h] = rgb;
    this.values[h] = index;
    return index;
  }

  /**
   * Adds an entry that no pixel can match (a "colour" outside 24 bits) to take up a palette slot, e.g.
   * index 0 reserved for transparency. It reads back as black from {@link toRgb}.
   *
   * @returns its index, or -1 if the table is full.
   */
  addPlaceholder(): number {
    return this.add(PLACEHOLDER);
  }

  /** Keeps only the first `count` colours (undoes additions, e.g. after a frame did not fit). */
  truncate(count: number): void {
    if (count >= this.n) return;
    this.n = count;
    this.keys.fill(EMPTY);
    for (let i = 0; i < count; i++) {
      const rgb = this.colors[i]!;
      let h = Math.imul(rgb, 0x9e3779b1) >>> 22;
      while (this.keys[h] !== EMPTY) h = (h + 1) & (HASH_SIZE - 1);
      this.keys[h] = rgb;
      this.values[h] = i;
    }
  }

  /** The palette as `count*3` bytes R, G, B. */
  toRgb(): Uint8Array {
    const rgb = new Uint8Array(this.n * 3);
    for (let i = 0; i < this.n; i++) {
      const c = this.colors[i]!;
      rgb[i * 3] = (c >>> 16) & 0xff;
      rgb[i * 3 + 1] = (c >>> 8) & 0xff;
      rgb[i * 3 + 2] = c & 0xff;
    }
    return rgb;
  }
}

/**
 * Writes the palette index of every pixel of `rect` into `out` (row by row), adding new colours to
 * `table`. Stops early and returns `false` as soon as a 257th colour would be needed; `table` then
 * holds the colours added so far (use {@link ColorTable.truncate} to undo).
 *
 * @param data RGB bytes of an image `stride` pixels wide.
 * @param previous optional RGB bytes of the same size: pixels equal to it are written as index 0 (the
 *   GIF encoder's transparent index, "keep what is on screen") and need no colour.
 * @returns `true` if every pixel was indexed exactly.
 */
export function indexExact(data: Uint8Array, stride: number, rect: Rect, table: ColorTable, out: Uint8Array, previous: Uint8Array | null = null): boolean {
  let lastRgb = -1;
  let lastIndex = 0;
  let o = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    let s = (y * stride + rect.x) * 3;
    for (let x = 0; x < rect.width; x++, s += 3) {
      const r = data[s]!;
      const g = data[s + 1]!;
      const b = data[s + 2]!;
      if (previous !== null && previous[s] === r && previous[s + 1] === g && previous[s + 2] === b) {
        out[o++] = 0;
        continue;
      }
      const rgb = (r << 16) | (g << 8) | b;
      // Runs of one colour are the common case in env frames: skip the hash lookup for them.
      if (rgb !== lastRgb) {
        const index = table.add(rgb);
        if (index < 0) return false;
        lastRgb = rgb;
        lastIndex = index;
      }
      out[o++] = lastIndex;
    }
  }
  return true;
}

/**
 * Reduces `rect` to at most `maxColors` colours with median cut and writes indices into `out`.
 *
 * Works on the exact distinct colours when there are at most 4096 of them (typical of env frames with
 * antialiased edges or overlays: a few dominant colours plus blends), so a colour that forms a box on its
 * own — the background, usually — keeps its exact value; otherwise on a 15-bit histogram (5 bits per
 * channel). Boxes are split where it helps most: largest pixel count × colour range first, so
 * single-colour boxes are never split and a small but distinct object keeps its own colour.
 *
 * @param previous optional RGB bytes of the same size: pixels equal to it are written as index 0
 *   (transparent) and left out of the palette; the other indices then start at 1, and the returned
 *   palette starts with a black placeholder entry for index 0.
 * @returns the palette as R, G, B bytes (at most `maxColors` entries, plus the placeholder).
 */
export function medianCut(data: Uint8Array, stride: number, rect: Rect, out: Uint8Array, maxColors = 256, previous: Uint8Array | null = null): Uint8Array {
  if (!Number.isInteger(maxColors) || maxColors < 1 || maxColors > 256) {
    throw new RangeError(`Expected maxColors in 1…256, got ${maxColors}`);
  }
  const offset = previous === null ? 0 : 1;
  if (maxColors + offset > 256) maxColors = 256 - offset;
  // Scratch space reused between calls (frames): allocating ~1 MB per frame would churn the GC.
  const w = (scratch ??= {
    keys: new Int32Array(EXACT_HASH),
    slot: new Int32Array(EXACT_HASH),
    cellItem: new Int32Array(32768),
    r: new Float64Array(32768),
    g: new Float64Array(32768),
    b: new Float64Array(32768),
    weight: new Float64Array(32768),
    box: new Uint8Array(32768),
  });
  const { keys, slot, cellItem, weight, box: itemBox, r: itemR, g: itemG, b: itemB } = w;

  // 1. Items: exact colours if few enough, else histogram cells; each with a weight (pixel count) and
  //    mean colour.
  let items = gatherExact(data, stride, rect, previous, w);
  const exact = items >= 0;
  if (!exact) items = gatherCells(data, stride, rect, previous, w);
  if (items === 0) {
    // Every pixel is transparent: one dummy colour keeps the rest uniform.
    itemR[0] = itemG[0] = itemB[0] = 0;
    weight[0] = 1;
    items = 1;
  }

  // 2. Boxes: slices [start, end) of `order`, a permutation of the items.
  const order = new Int32Array(items);
  for (let i = 0; i < items; i++) order[i] = i;
  const channels = [itemR, itemG, itemB];
  interface Box {
    readonly start: number;
    readonly end: number;
    readonly weight: number;
    /** Widest channel (0 r, 1 g, 2 b) and its range; range 0 means one colour: never split. */
    readonly channel: number;
    readonly range: number;
  }
  const makeBox = (start: number, end: number): Box => {
    let total = 0;
    let channel = 0;
    let range = -1;
    for (let i = start; i < end; i++) total += weight[order[i]!]!;
    for (let c = 0; c < 3; c++) {
      const values = channels[c]!;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = start; i < end; i++) {
        const v = values[order[i]!]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo > range) {
        range = hi - lo;
        channel = c;
      }
    }
    return { start, end, weight: total, channel, range };
  };
  const boxes: Box[] = [makeBox(0, items)];
  while (boxes.length < maxColors) {
    let best = -1;
    let bestScore = 0;
    for (let i = 0; i < boxes.length; i++) {
      const box = boxes[i]!;
      const score = box.weight * box.range;
      if (box.end - box.start > 1 && score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    if (best < 0) break;
    const box = boxes[best]!;
    // Sort the box's items along its widest channel: pack (value, item) into one integer so the
    // typed-array sort (numeric, no comparator callback) does it.
    const values = channels[box.channel]!;
    const keys = new Int32Array(box.end - box.start);
    for (let i = box.start; i < box.end; i++) keys[i - box.start] = (Math.round(values[order[i]!]!) << 15) | order[i]!;
    keys.sort();
    for (let i = 0; i < keys.length; i++) order[box.start + i] = keys[i]! & 0x7fff;
    // Cut at the pixel-weighted median, keeping both halves non-empty.
    let half = 0;
    let cut = box.start + 1;
    for (let i = box.start; i < box.end - 1; i++) {
      half += weight[order[i]!]!;
      cut = i + 1;
      if (half * 2 >= box.weight) break;
    }
    boxes[best] = makeBox(box.start, cut);
    boxes.push(makeBox(cut, box.end));
  }

  // 3. Palette: each box's pixel-weighted mean colour.
  const palette = new Uint8Array((boxes.length + offset) * 3);
  boxes.forEach((box, i) => {
    const index = i + offset;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let k = box.start; k < box.end; k++) {
      const item = order[k]!;
      const n = weight[item]!;
      r += itemR[item]! * n;
      g += itemG[item]! * n;
      b += itemB[item]! * n;
      itemBox[item] = index;
    }
    palette[index * 3] = Math.round(r / box.weight);
    palette[index * 3 + 1] = Math.round(g / box.weight);
    palette[index * 3 + 2] = Math.round(b / box.weight);
  });

  // 4. Indices: look each pixel's item up again (hash for exact colours, cell otherwise).
  writeBoxIndices(data, stride, rect, out, previous, exact, keys, slot, cellItem, itemBox);
  return palette;
}

/** Step 4 of {@link medianCut}: writes each pixel's palette index (0 for skipped pixels). */
function writeBoxIndices(
  data: Uint8Array,
  stride: number,
  rect: Rect,
  out: Uint8Array,
  previous: Uint8Array | null,
  exact: boolean,
  keys: Int32Array,
  slot: Int32Array,
  cellItem: Int32Array,
  itemBox: Uint8Array,
): void {
  const prev = previous ?? data;
  const skip = previous !== null;
  let o = 0;
  let lastRgb = -1;
  let lastIndex = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    let s = (y * stride + rect.x) * 3;
    for (let x = 0; x < rect.width; x++, s += 3) {
      const r = data[s]!;
      const g = data[s + 1]!;
      const b = data[s + 2]!;
      if (skip && prev[s] === r && prev[s + 1] === g && prev[s + 2] === b) {
        out[o++] = 0;
        continue;
      }
      const rgb = (r << 16) | (g << 8) | b;
      if (rgb !== lastRgb) {
        if (exact) {
          let h = Math.imul(rgb, 0x9e3779b1) >>> (32 - EXACT_BITS);
          while (keys[h] !== rgb) h = (h + 1) & (EXACT_HASH - 1);
          lastIndex = itemBox[slot[h]!]!;
        } else {
          lastIndex = itemBox[cellItem[((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)]!]!;
        }
        lastRgb = rgb;
      }
      out[o++] = lastIndex;
    }
  }
}

const MAX_EXACT = 4096;
const EXACT_BITS = 13;
const EXACT_HASH = 1 << EXACT_BITS; // 2× MAX_EXACT: short probes
/** Scratch arrays of {@link medianCut}: the exact-colour hash, the cell map and per-item statistics. */
interface Scratch {
  readonly keys: Int32Array;
  readonly slot: Int32Array;
  readonly cellItem: Int32Array;
  readonly r: Float64Array;
  readonly g: Float64Array;
  readonly b: Float64Array;
  readonly weight: Float64Array;
  readonly box: Uint8Array;
}
let scratch: Scratch | null = null;

// The per-pixel passes of medianCut are separate small functions: V8 optimizes each hot loop far better
// than one large function containing them all (measured ~2× faster).

/** Collects the distinct colours of the non-skipped pixels; returns their number, or -1 if > MAX_EXACT. */
function gatherExact(data: Uint8Array, stride: number, rect: Rect, previous: Uint8Array | null, w: Scratch): number {
  const { keys, slot, weight, r: itemR, g: itemG, b: itemB } = w;
  const prev = previous ?? data; // with no previous frame, `skip` is false and `prev` unused
  const skip = previous !== null;
  let items = 0;
  keys.fill(-1);
  let runRgb = -1;
  let runSlot = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    let s = (y * stride + rect.x) * 3;
    for (let x = 0; x < rect.width; x++, s += 3) {
      const r = data[s]!;
      const g = data[s + 1]!;
      const b = data[s + 2]!;
      if (skip && prev[s] === r && prev[s + 1] === g && prev[s + 2] === b) continue;
      const rgb = (r << 16) | (g << 8) | b;
      if (rgb === runRgb) {
        weight[runSlot]!++;
        continue;
      }
      let h = Math.imul(rgb, 0x9e3779b1) >>> (32 - EXACT_BITS);
      let k = keys[h]!;
      while (k !== -1 && k !== rgb) {
        h = (h + 1) & (EXACT_HASH - 1);
        k = keys[h]!;
      }
      if (k === -1) {
        if (items === MAX_EXACT) return -1;
        keys[h] = rgb;
        slot[h] = items;
        itemR[items] = r;
        itemG[items] = g;
        itemB[items] = b;
        weight[items] = 0;
        items++;
      }
      runRgb = rgb;
      runSlot = slot[h]!;
      weight[runSlot]!++;
    }
  }
  return items;
}

/** Collects 15-bit histogram cells (mean colour and count each) of the non-skipped pixels; returns their number. */
function gatherCells(data: Uint8Array, stride: number, rect: Rect, previous: Uint8Array | null, w: Scratch): number {
  const { cellItem, weight, r: itemR, g: itemG, b: itemB } = w;
  const prev = previous ?? data;
  const skip = previous !== null;
  let items = 0;
  cellItem.fill(-1);
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    let s = (y * stride + rect.x) * 3;
    for (let x = 0; x < rect.width; x++, s += 3) {
      const r = data[s]!;
      const g = data[s + 1]!;
      const b = data[s + 2]!;
      if (skip && prev[s] === r && prev[s + 1] === g && prev[s + 2] === b) continue;
      const cell = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
      let item = cellItem[cell]!;
      if (item < 0) {
        item = cellItem[cell] = items++;
        itemR[item] = itemG[item] = itemB[item] = weight[item] = 0;
      }
      itemR[item]! += r;
      itemG[item]! += g;
      itemB[item]! += b;
      weight[item]!++;
    }
  }
  for (let i = 0; i < items; i++) {
    itemR[i]! /= weight[i]!;
    itemG[i]! /= weight[i]!;
    itemB[i]! /= weight[i]!;
  }
  return items;
}

// 6 levels of red, 7 of green (the eye is most sensitive to green), 6 of blue: 252 colours.
const LEVELS = [6, 7, 6] as const;
let uniformPalette: Uint8Array | null = null;
let uniformLut: Uint8Array[] | null = null;

/**
 * Maps `rect` onto the fixed 6×7×6 colour cube (nearest level per channel) and writes indices into `out`.
 *
 * @param previous optional RGB bytes of the same size: pixels equal to it are written as index 0
 *   (transparent), the cube then starts at index 1 and the palette with a black placeholder.
 * @returns the 252-colour palette as R, G, B bytes (253 with the placeholder).
 */
export function uniformQuantize(data: Uint8Array, stride: number, rect: Rect, out: Uint8Array, previous: Uint8Array | null = null): Uint8Array {
  if (uniformPalette === null || uniformLut === null) {
    const palette = new Uint8Array(252 * 3);
    for (let r = 0, i = 0; r < 6; r++) {
      for (let g = 0; g < 7; g++) {
        for (let b = 0; b < 6; b++, i++) {
          palette[i * 3] = Math.round((r * 255) / 5);
          palette[i * 3 + 1] = Math.round((g * 255) / 6);
          palette[i * 3 + 2] = Math.round((b * 255) / 5);
        }
      }
    }
    // Per channel: byte value → (nearest level × that channel's stride in the cube).
    uniformLut = LEVELS.map((levels, c) => {
      const strideOf = c === 0 ? 42 : c === 1 ? 6 : 1;
      const lut = new Uint8Array(256);
      for (let v = 0; v < 256; v++) lut[v] = Math.round((v * (levels - 1)) / 255) * strideOf;
      return lut;
    });
    uniformPalette = palette;
  }
  const [lr, lg, lb] = uniformLut as [Uint8Array, Uint8Array, Uint8Array];
  const offset = previous === null ? 0 : 1;
  let o = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    let s = (y * stride + rect.x) * 3;
    for (let x = 0; x < rect.width; x++, s += 3) {
      const r = data[s]!;
      const g = data[s + 1]!;
      const b = data[s + 2]!;
      out[o++] =
        previous !== null && previous[s] === r && previous[s + 1] === g && previous[s + 2] === b ? 0 : offset + lr[r]! + lg[g]! + lb[b]!;
    }
  }
  if (offset === 0) return uniformPalette;
  const withPlaceholder = new Uint8Array(uniformPalette.length + 3);
  withPlaceholder.set(uniformPalette, 3);
  return withPlaceholder;
}
