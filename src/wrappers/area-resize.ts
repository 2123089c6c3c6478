import { pixelKernels } from "./pixel-kernels";

/** The size of a frame in pixels. */
export interface FrameSize {
  readonly height: number;
  readonly width: number;
}

// OpenCV's RGB→gray weights for 8-bit images, 0.299, 0.587 and 0.114 in 15-bit fixed point (they
// sum to 2^15): cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY) gives exactly these values.
const GRAY_RED = 9798;
const GRAY_GREEN = 19235;
const GRAY_BLUE = 3735;
const GRAY_SHIFT = 15;
const GRAY_ROUNDING = 1 << (GRAY_SHIFT - 1);

/**
 * Converts an RGB frame (3 bytes a pixel) to grayscale the way OpenCV's `COLOR_RGB2GRAY` does for
 * uint8 images: Y = 0.299 R + 0.587 G + 0.114 B in 15-bit fixed point, rounded half up, so the
 * result equals cv2's bit for bit (the weights are the ITU-R BT.601 luma of analogue TV).
 *
 * @param rgb `n × 3` bytes, R G B for each pixel.
 * @param out receives `n` grey levels.
 * @returns `out`.
 * @example
 * rgbToGray(new Uint8Array([255, 0, 0, 200, 72, 72]), new Uint8Array(2));  //=> Uint8Array(2) [76, 110]
 */
export function rgbToGray(rgb: Uint8Array, out: Uint8Array): Uint8Array {
  const pixels = out.length;
  if (rgb.length !== pixels * 3) throw new RangeError(`Expected ${pixels * 3} RGB bytes for ${pixels} grey pixels, got ${rgb.length}`);
  const kernels = pixelKernels();
  if (kernels !== undefined) return kernels.rgbToGray(rgb, out); // the same formula, 16 pixels at a time
  for (let i = 0, j = 0; i < pixels; i++, j += 3) {
    out[i] = (GRAY_RED * rgb[j]! + GRAY_GREEN * rgb[j + 1]! + GRAY_BLUE * rgb[j + 2]! + GRAY_ROUNDING) >>> GRAY_SHIFT;
  }
  return out;
}

/** Taps are processed three at a time (210 → 84 and 160 → 84 need at most three). */
const TAPS_PER_GROUP = 3;
/** Bytes 0 and 2 of a 32-bit word: two pixels in 16-bit lanes. */
const EVEN_BYTES = 0x00ff00ff;
/** The high 16-bit lane of a 32-bit word (0xffff0000 as an int32). */
const HIGH_HALF = -65536;

/** The source pixels one target pixel covers along one axis, with the length of each overlap. */
interface AxisTaps {
  /** `starts[t]`: the first source index target index t covers; tap k is source `starts[t] + k`. */
  readonly starts: Int32Array;
  /** `sources[t * count + k]`: the same index, but a padding tap repeats the first (stays in bounds). */
  readonly sources: Int32Array;
  /** `weights[t * count + k]`: its overlap with target t, in units of gcd(S, T)/T source pixel. */
  readonly weights: Int32Array;
  /** Taps per target index, a multiple of 3; shorter lists are padded with weight 0. */
  readonly count: number;
  /** What the weights of one target index sum to: S / gcd(S, T). */
  readonly total: number;
}

/**
 * The largest divisor (product of the two axes' totals) for which a target pixel's integer sum,
 * at most 255 × divisor, fits in a 16-bit half of a 32-bit word: 255 × 257 = 65535.
 */
const MAX_PACKED_TOTAL = 257;

/**
 * Shrinks grayscale frames by area averaging: OpenCV's `cv2.resize(..., interpolation=INTER_AREA)`
 * for downscaling, which WarpFrame uses for Atari's 210×160 → 84×84 as SB3 does. Each target pixel
 * is the average of the source area it covers, each source pixel weighted by how much of it lies
 * inside (so 160 → 84 columns mixes 1.9 source columns per target column, never dropping one, unlike
 * nearest-neighbour or bilinear sampling, which alias thin objects such as Breakout's ball).
 *
 * The weights are exact integers: along an axis of S source and T target pixels, measured in units
 * of 1/T source pixel divided by gcd(S, T), every overlap is a whole number (210 → 84: 2, 2, 1 and
 * 1, 2, 2 of total 5; 160 → 84: up to 21 of total 40). A target pixel is then an integer sum divided
 * by the product of the totals (here 200), rounded half to even as OpenCV's `cvRound` does. OpenCV
 * computes the same average with float weights, so its results differ from these exact ones by at
 * most 1 grey level, and only on a handful of pixels whose average lies within float error of a
 * half.
 *
 * The weights are computed once, in the constructor. When a target pixel's sum fits in 16 bits
 * (255 × divisor ≤ 65535; 210×160 → 84×84 has divisor 200) and rows are whole 32-bit words, the
 * fast path runs: source rows are read four pixels a word and weighted two pixels per integer
 * multiplication, two target rows are summed at once in the halves of one 32-bit integer, and the
 * division is a table lookup. Other sizes take a plain loop with the same arithmetic.
 *
 * @example
 * const resize = new AreaResize({ height: 210, width: 160 }, { height: 84, width: 84 });
 * const small = resize.resize(grayFrame, new Uint8Array(84 * 84));   // SB3's WarpFrame, bit for bit within 1
 * new AreaResize({ height: 2, width: 4 }, { height: 1, width: 2 }).resize(new Uint8Array([0, 10, 20, 30, 2, 12, 22, 32]), new Uint8Array(2));
 * //=> Uint8Array(2) [6, 26]   (each the mean of a 2×2 block)
 */
export class AreaResize {
  readonly source: FrameSize;
  readonly target: FrameSize;
  /** Whether the fast path (two rows per 32-bit integer, four pixels per word) is used. */
  readonly packed: boolean;
  private readonly rows: AxisTaps;
  private readonly columns: AxisTaps;
  /** Product of the two axes' totals: what a target pixel's integer sum is divided by. */
  private readonly divisor: number;
  /** Packed path: `rounded[sum]` = sum / divisor rounded half to even. */
  private readonly rounded: Uint8Array;
  /** Packed path: column sums of target rows y (low 16 bits) and y + 1 (high 16 bits). */
  private readonly pairSums: Int32Array;
  /** Plain path: column sums of one target row. */
  private readonly rowSums: Int32Array;
  /** Packed path: a copy of a frame that did not start at a multiple of 4 bytes. */
  private alignedCopy: Uint8Array | undefined;

  /**
   * @param source the frame size to shrink from.
   * @param target the size to shrink to, no larger than `source` along either axis.
   */
  constructor(source: FrameSize, target: FrameSize) {
    for (const [name, size] of [["source", source], ["target", target]] as const) {
      if (!(Number.isSafeInteger(size?.height) && size.height > 0 && Number.isSafeInteger(size.width) && size.width > 0)) {
        throw new RangeError(`Expected ${name} to be { height, width } of positive integers, got ${JSON.stringify(size)}`);
      }
    }
    if (target.height > source.height || target.width > source.width) {
      throw new RangeError(
        `Expected a target no larger than the source (area averaging shrinks frames), got ${source.height}×${source.width} → ${target.height}×${target.width}`,
      );
    }
    this.source = Object.freeze({ height: source.height, width: source.width });
    this.target = Object.freeze({ height: target.height, width: target.width });
    this.rows = axisTaps(source.height, target.height);
    this.columns = axisTaps(source.width, target.width);
    this.divisor = this.rows.total * this.columns.total;
    this.packed = this.divisor <= MAX_PACKED_TOTAL && source.width % 4 === 0;
    // Padded: the last target column's zero-weight taps may read past the last source column.
    this.pairSums = new Int32Array(this.packed ? source.width + this.columns.count : 0);
    this.rowSums = new Int32Array(this.packed ? 0 : source.width);
    this.rounded = new Uint8Array(this.packed ? 255 * this.divisor + 1 : 0);
    for (let sum = 0; sum < this.rounded.length; sum++) this.rounded[sum] = roundedQuotient(sum, this.divisor);
  }

  /**
   * Writes the area average of `frame` into `out`.
   *
   * @param frame `source.height × source.width` grey levels, row-major.
   * @param out receives `target.height × target.width` grey levels.
   * @returns `out`.
   */
  resize(frame: Uint8Array, out: Uint8Array): Uint8Array {
    const { source, target } = this;
    if (frame.length !== source.height * source.width) {
      throw new RangeError(`Expected a ${source.height}×${source.width} frame of ${source.height * source.width} grey levels, got ${frame.length}`);
    }
    if (out.length !== target.height * target.width) {
      throw new RangeError(`Expected out to hold ${target.height}×${target.width} = ${target.height * target.width} grey levels, got ${out.length}`);
    }
    if (!this.packed) {
      this.resizePlain(frame, out);
      return out;
    }
    // The packed path reads the frame as 32-bit words, which must start at a multiple of 4 bytes.
    let aligned = frame;
    if ((frame.byteOffset & 3) !== 0) {
      this.alignedCopy ??= new Uint8Array(frame.length);
      aligned = this.alignedCopy;
      aligned.set(frame);
    }
    this.resizePacked(new Int32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2), out);
    return out;
  }

  private resizePacked(frame: Int32Array, out: Uint8Array): void {
    const { rows, columns, pairSums, rounded } = this;
    const words = this.source.width >>> 2;
    const targetHeight = this.target.height;
    const targetWidth = this.target.width;
    for (let y = 0; y < targetHeight; y += 2) {
      // 1. Column sums of target rows y (A) and y + 1 (B), four source pixels a word: the even
      //    bytes and the odd bytes of a word are weighted separately, each pair in two 16-bit lanes,
      //    then regrouped so pairSums[x] holds column x's sum of row A (low half) and row B (high).
      //    A missing last row B gets weight 0.
      const hasRowB = y + 1 < targetHeight;
      const tapsA = y * rows.count;
      const tapsB = hasRowB ? tapsA + rows.count : tapsA;
      const scaleB = hasRowB ? 1 : 0;
      for (let group = 0; group < rows.count; group += TAPS_PER_GROUP) {
        const a = tapsA + group;
        const b = tapsB + group;
        const rowA0 = rows.sources[a]! * words;
        const rowA1 = rows.sources[a + 1]! * words;
        const rowA2 = rows.sources[a + 2]! * words;
        const rowB0 = rows.sources[b]! * words;
        const rowB1 = rows.sources[b + 1]! * words;
        const rowB2 = rows.sources[b + 2]! * words;
        const weightA0 = rows.weights[a]!;
        const weightA1 = rows.weights[a + 1]!;
        const weightA2 = rows.weights[a + 2]!;
        const weightB0 = rows.weights[b]! * scaleB;
        const weightB1 = rows.weights[b + 1]! * scaleB;
        const weightB2 = rows.weights[b + 2]! * scaleB;
        const first = group === 0;
        for (let w = 0, x = 0; w < words; w++, x += 4) {
          const a0 = frame[rowA0 + w]!;
          const a1 = frame[rowA1 + w]!;
          const a2 = frame[rowA2 + w]!;
          const b0 = frame[rowB0 + w]!;
          const b1 = frame[rowB1 + w]!;
          const b2 = frame[rowB2 + w]!;
          // Lanes: pixels 0 and 2 of the word (even), pixels 1 and 3 (odd).
          const evenA = Math.imul(weightA0, a0 & EVEN_BYTES) + Math.imul(weightA1, a1 & EVEN_BYTES) + Math.imul(weightA2, a2 & EVEN_BYTES);
          const oddA = Math.imul(weightA0, (a0 >>> 8) & EVEN_BYTES) + Math.imul(weightA1, (a1 >>> 8) & EVEN_BYTES) + Math.imul(weightA2, (a2 >>> 8) & EVEN_BYTES);
          const evenB = Math.imul(weightB0, b0 & EVEN_BYTES) + Math.imul(weightB1, b1 & EVEN_BYTES) + Math.imul(weightB2, b2 & EVEN_BYTES);
          const oddB = Math.imul(weightB0, (b0 >>> 8) & EVEN_BYTES) + Math.imul(weightB1, (b1 >>> 8) & EVEN_BYTES) + Math.imul(weightB2, (b2 >>> 8) & EVEN_BYTES);
          const pixel0 = (evenA & 0xffff) | (evenB << 16);
          const pixel1 = (oddA & 0xffff) | (oddB << 16);
          const pixel2 = (evenA >>> 16) | (evenB & HIGH_HALF);
          const pixel3 = (oddA >>> 16) | (oddB & HIGH_HALF);
          // Lane sums never carry into each other, so adding packed words adds both rows at once.
          pairSums[x] = first ? pixel0 : pairSums[x]! + pixel0;
          pairSums[x + 1] = first ? pixel1 : pairSums[x + 1]! + pixel1;
          pairSums[x + 2] = first ? pixel2 : pairSums[x + 2]! + pixel2;
          pairSums[x + 3] = first ? pixel3 : pairSums[x + 3]! + pixel3;
        }
      }
      // 2. Weighted sums along the row, both rows at once, then the division by table lookup.
      //    int32 arithmetic that wraps: only the two 16-bit halves matter, and neither overflows.
      const { starts, weights, count } = columns;
      const rowA = y * targetWidth;
      for (let x = 0; x < targetWidth; x++) {
        let sum = 0;
        for (let k = x * count, end = k + count, column = starts[x]!; k < end; k += TAPS_PER_GROUP, column += TAPS_PER_GROUP) {
          sum = (sum + Math.imul(weights[k]!, pairSums[column]!) + Math.imul(weights[k + 1]!, pairSums[column + 1]!) + Math.imul(weights[k + 2]!, pairSums[column + 2]!)) | 0;
        }
        out[rowA + x] = rounded[sum & 0xffff]!;
        if (hasRowB) out[rowA + targetWidth + x] = rounded[sum >>> 16]!;
      }
    }
  }

  private resizePlain(frame: Uint8Array, out: Uint8Array): void {
    const { rows, columns, rowSums, divisor } = this;
    const sourceWidth = this.source.width;
    const targetWidth = this.target.width;
    for (let y = 0; y < this.target.height; y++) {
      rowSums.fill(0);
      for (let k = y * rows.count; k < (y + 1) * rows.count; k++) {
        const weight = rows.weights[k]!;
        const base = rows.sources[k]! * sourceWidth;
        for (let x = 0; x < sourceWidth; x++) rowSums[x] += weight * frame[base + x]!;
      }
      for (let x = 0; x < targetWidth; x++) {
        let sum = 0;
        for (let k = x * columns.count; k < (x + 1) * columns.count; k++) sum += columns.weights[k]! * rowSums[columns.sources[k]!]!;
        out[y * targetWidth + x] = roundedQuotient(sum, divisor);
      }
    }
  }
}

/**
 * The overlaps of each target index with the source indices along one axis. Target t covers the
 * source interval [t·S/T, (t+1)·S/T); in units of 1/T source pixel that is [t·S, (t+1)·S), and
 * source index s covers [s·T, (s+1)·T), so every overlap is an integer; dividing all of them by
 * gcd(S, T) keeps the sums small.
 */
function axisTaps(sourceLength: number, targetLength: number): AxisTaps {
  const unit = gcd(sourceLength, targetLength);
  const lists: [number, number][][] = [];
  for (let t = 0; t < targetLength; t++) {
    const from = t * sourceLength;
    const to = from + sourceLength;
    const list: [number, number][] = [];
    for (let s = Math.floor(from / targetLength); s * targetLength < to; s++) {
      list.push([s, (Math.min(to, (s + 1) * targetLength) - Math.max(from, s * targetLength)) / unit]);
    }
    lists.push(list);
  }
  const longest = Math.max(...lists.map((list) => list.length));
  const count = Math.ceil(longest / TAPS_PER_GROUP) * TAPS_PER_GROUP;
  const starts = Int32Array.from(lists, (list) => list[0]![0]);
  const sources = new Int32Array(targetLength * count);
  const weights = new Int32Array(targetLength * count);
  lists.forEach((list, t) => {
    for (let k = 0; k < count; k++) {
      // Padding taps read the first source pixel with weight 0: in bounds and adding nothing.
      const [source, weight] = list[k] ?? [list[0]![0], 0];
      sources[t * count + k] = source;
      weights[t * count + k] = weight;
    }
  });
  return { starts, sources, weights, count, total: sourceLength / unit };
}

/** sum / divisor rounded to the nearest integer, halves to even (OpenCV's cvRound, C's rint). */
function roundedQuotient(sum: number, divisor: number): number {
  const quotient = Math.floor(sum / divisor);
  const twiceRemainder = 2 * (sum - quotient * divisor);
  return twiceRemainder > divisor || (twiceRemainder === divisor && (quotient & 1) === 1) ? quotient + 1 : quotient;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
