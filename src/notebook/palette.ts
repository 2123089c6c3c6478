/**
 * Turning RGB pixels into palette indices for GIF (at most 256 colours per palette).
 *
 * - {@link ColorTable}: an exact palette. Env frames almost always have few colours (CartPole ~10,
 *   Atari ≤ 128), so the GIF reproduces them bit for bit.
 * - {@link medianCut}: for frames with more than 256 colours (smooth renders, antialiased overlays on
 *   colourful frames). Median cut over a 15-bit histogram: one pass to count, splitting boxes of
 *   histogram cells, and every cell maps straight to its box's colour, so no per-pixel search.
 * - {@link uniformQuantize}: the fastest fallback, a fixed 6×7×6 colour cube (252 colours).
 *
 * All functions work on a rectangle of an RGB buffer and write indices row by row into `out`, and
 * allocate nothing per pixel.
 */

/** A rectangle in pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const HASH_SIZE = 1024; // 4× the 256 entries: short probes
const EMPTY = -1;

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
      rgb[i * 3] = c >>> 16;
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
 * @returns `true` if every pixel was indexed exactly.
 */
export function indexExact(data: Uint8Array, stride: number, rect: Rect, table: ColorTable, out: Uint8Array): boolean {
  let lastRgb = -1;
  let lastIndex = 0;
  let o = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    let s = (y * stride + rect.x) * 3;
    for (let x = 0; x < rect.width; x++, s += 3) {
      const rgb = (data[s]! << 16) | (data[s + 1]! << 8) | data[s + 2]!;
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
 * @returns the palette as `count*3` bytes R, G, B.
 */
export function medianCut(data: Uint8Array, stride: number, rect: Rect, out: Uint8Array, maxColors = 256): Uint8Array {
  if (!Number.isInteger(maxColors) || maxColors < 1 || maxColors > 256) {
    throw new RangeError(`Expected maxColors in 1…256, got ${maxColors}`);
  }
  // Histogram over 5 bits per channel, with colour sums so each box's colour is the true mean.
  const count = new Uint32Array(32768);
  const sumR = new Float64Array(32768);
  const sumG = new Float64Array(32768);
  const sumB = new Float64Array(32768);
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    let s = (y * stride + rect.x) * 3;
    for (let x = 0; x < rect.width; x++, s += 3) {
      const r = data[s]!;
      const g = data[s + 1]!;
      const b = data[s + 2]!;
      const cell = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
      count[cell]!++;
      sumR[cell]! += r;
      sumG[cell]! += g;
      sumB[cell]! += b;
    }
  }
  let cells: number[] = [];
  for (let i = 0; i < 32768; i++) if (count[i]! > 0) cells.push(i);

  // Boxes are slices [start, end) of `cells` (reordered in place as boxes split).
  interface Box {
    start: number;
    end: number;
    pixels: number;
  }
  const boxOf = (start: number, end: number): Box => {
    let pixels = 0;
    for (let i = start; i < end; i++) pixels += count[cells[i]!]!;
    return { start, end, pixels };
  };
  const channel = (cell: number, c: number): number => (cell >> (10 - 5 * c)) & 31;
  const boxes: Box[] = [boxOf(0, cells.length)];
  while (boxes.length < maxColors) {
    // Split the most populous box that still has more than one cell.
    let best = -1;
    for (let i = 0; i < boxes.length; i++) {
      const box = boxes[i]!;
      if (box.end - box.start > 1 && (best < 0 || box.pixels > boxes[best]!.pixels)) best = i;
    }
    if (best < 0) break;
    const box = boxes[best]!;
    // Along the channel with the widest range.
    let widest = 0;
    let widestRange = -1;
    for (let c = 0; c < 3; c++) {
      let lo = 31;
      let hi = 0;
      for (let i = box.start; i < box.end; i++) {
        const v = channel(cells[i]!, c);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo > widestRange) {
        widestRange = hi - lo;
        widest = c;
      }
    }
    const slice = cells.slice(box.start, box.end).sort((a, b) => channel(a, widest) - channel(b, widest));
    for (let i = 0; i < slice.length; i++) cells[box.start + i] = slice[i]!;
    // At the pixel-weighted median, keeping both halves non-empty.
    let half = 0;
    let cut = box.start + 1;
    for (let i = box.start; i < box.end - 1; i++) {
      half += count[cells[i]!]!;
      cut = i + 1;
      if (half * 2 >= box.pixels) break;
    }
    boxes[best] = boxOf(box.start, cut);
    boxes.push(boxOf(cut, box.end));
  }

  const palette = new Uint8Array(boxes.length * 3);
  const lut = new Uint8Array(32768);
  boxes.forEach((box, index) => {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let i = box.start; i < box.end; i++) {
      const cell = cells[i]!;
      r += sumR[cell]!;
      g += sumG[cell]!;
      b += sumB[cell]!;
      lut[cell] = index;
    }
    palette[index * 3] = Math.round(r / box.pixels);
    palette[index * 3 + 1] = Math.round(g / box.pixels);
    palette[index * 3 + 2] = Math.round(b / box.pixels);
  });
  cells = [];

  let o = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    let s = (y * stride + rect.x) * 3;
    for (let x = 0; x < rect.width; x++, s += 3) {
      out[o++] = lut[((data[s]! >> 3) << 10) | ((data[s + 1]! >> 3) << 5) | (data[s + 2]! >> 3)]!;
    }
  }
  return palette;
}

// 6 levels of red, 7 of green (the eye is most sensitive to green), 6 of blue: 252 colours.
const LEVELS = [6, 7, 6] as const;
let uniformPalette: Uint8Array | null = null;
let uniformLut: Uint8Array[] | null = null;

/**
 * Maps `rect` onto the fixed 6×7×6 colour cube (nearest level per channel) and writes indices into `out`.
 *
 * @returns the 252-colour palette as R, G, B bytes.
 */
export function uniformQuantize(data: Uint8Array, stride: number, rect: Rect, out: Uint8Array): Uint8Array {
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
  let o = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    let s = (y * stride + rect.x) * 3;
    for (let x = 0; x < rect.width; x++, s += 3) out[o++] = lr[data[s]!]! + lg[data[s + 1]!]! + lb[data[s + 2]!]!;
  }
  return uniformPalette;
}
