/**
 * An area resize that recomputes only what changed since the previous frame.
 *
 * Why it pays: an Atari screen is mostly still. Between two Breakout observations only the ball, the
 * paddle, and now and then a brick or the score change, which is a few rows out of 210. Area
 * interpolation is local (each output pixel averages its own window of input pixels), so output rows
 * whose input rows did not change keep their values exactly.
 *
 * How: the rows are cut into bands that line up on both sides. 210 → 84 rows is 5 input rows per
 * 2 output rows, so there are 42 bands, each 5 × 160 → 2 × 84. A band is resized on its own with
 * the same weights and rounding as the whole frame, so the result is bit-for-bit the full resize's;
 * a test checks this. Per frame the cost is one comparison of the input with the previous one (16
 * bytes at a time in the SIMD kernel of `pixel-kernels.ts`), plus the resize of the bands that differ.
 */
import { AreaResize, type FrameSize } from "./area-resize";
import { pixelKernels } from "./pixel-kernels";

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * {@link AreaResize} with a memory of the last frame: same results, faster on mostly static frames.
 * One instance serves one stream of frames (one env), since it compares each frame with the last.
 *
 * @example
 * const resize = new IncrementalAreaResize({ height: 210, width: 160 }, { height: 84, width: 84 });
 * resize.resize(gray, new Uint8Array(84 * 84));   // the first frame: a full resize
 * resize.resize(nextGray, new Uint8Array(84 * 84)); // only the bands that changed
 * resize.bandsResized;                              //=> e.g. 4 (of 42)
 */
export class IncrementalAreaResize {
  readonly source: FrameSize;
  readonly target: FrameSize;
  /** Input rows per band and output rows per band (5 and 2 for 210 → 84). */
  readonly bandRows: { readonly source: number; readonly target: number };
  /** Bands resized for the last frame (all of them for the first). */
  bandsResized = 0;
  private readonly full: AreaResize;
  private readonly band: AreaResize;
  private readonly bands: number;
  private readonly lastInput: Uint8Array;
  private readonly lastOutput: Uint8Array;
  /** `lastInput` as 32-bit words (its length is padded to a multiple of 4). */
  private readonly lastWords: Uint32Array;
  private seen = false;
  /** Per band, whether it changed in the last frame (1) or not (0). */
  private readonly changed: Uint8Array;

  /**
   * @param source the frame size to shrink from.
   * @param target the size to shrink to, no larger than `source` along either axis.
   */
  constructor(source: FrameSize, target: FrameSize) {
    this.full = new AreaResize(source, target);
    this.source = this.full.source;
    this.target = this.full.target;
    this.bands = gcd(source.height, target.height);
    this.bandRows = { source: source.height / this.bands, target: target.height / this.bands };
    this.band = new AreaResize({ height: this.bandRows.source, width: source.width }, { height: this.bandRows.target, width: target.width });
    const inputBytes = source.height * source.width;
    const storage = new ArrayBuffer(Math.ceil(inputBytes / 4) * 4);
    this.lastInput = new Uint8Array(storage, 0, inputBytes);
    this.lastWords = new Uint32Array(storage);
    this.lastOutput = new Uint8Array(target.height * target.width);
    this.changed = new Uint8Array(this.bands);
  }

  /**
   * Resizes `frame` into `out` (as {@link AreaResize.resize}), reusing the output rows of the
   * previous frame where the input rows are unchanged.
   *
   * @returns `out`.
   */
  resize(frame: Uint8Array, out: Uint8Array): Uint8Array {
    if (frame.length !== this.lastInput.length) throw new RangeError(`Expected a ${this.source.height}×${this.source.width} frame (${this.lastInput.length} bytes), got ${frame.length} bytes`);
    if (out.length !== this.lastOutput.length) throw new RangeError(`Expected an output of ${this.target.height}×${this.target.width} = ${this.lastOutput.length} bytes, got ${out.length}`);
    if (!this.seen) {
      this.full.resize(frame, this.lastOutput);
      this.lastInput.set(frame);
      this.seen = true;
      this.bandsResized = this.bands;
    } else {
      const inBand = this.bandRows.source * this.source.width;
      const outBand = this.bandRows.target * this.target.width;
      this.bandsResized = this.findChangedBands(frame, inBand);
      for (let b = 0; b < this.bands; b++) {
        if (this.changed[b] === 0) continue;
        const start = b * inBand;
        const rows = frame.subarray(start, start + inBand);
        this.band.resize(rows, this.lastOutput.subarray(b * outBand, (b + 1) * outBand));
        this.lastInput.set(rows, start);
      }
    }
    out.set(this.lastOutput);
    return out;
  }

  /**
   * Marks in `changed` the bands of `frame` that differ from the last input. The comparison reads
   * the whole frame, which makes it the main cost of a mostly still screen: the SIMD kernel does
   * 16 bytes at a time, the JavaScript fallback 4 when frame and bands are 4-byte aligned
   * (Breakout's bands are 800 bytes), else 1.
   *
   * @returns how many bands changed.
   */
  private findChangedBands(frame: Uint8Array, inBand: number): number {
    const kernels = pixelKernels();
    if (kernels !== undefined) return kernels.changedBands(frame, this.lastInput, inBand, this.changed);
    const words = frame.byteOffset % 4 === 0 && inBand % 4 === 0 ? new Uint32Array(frame.buffer, frame.byteOffset, frame.length >> 2) : undefined;
    let count = 0;
    for (let b = 0; b < this.bands; b++) {
      const start = b * inBand;
      const same = words === undefined ? sameBytes(frame, this.lastInput, start, start + inBand) : sameWords(words, this.lastWords, start >> 2, (start + inBand) >> 2);
      this.changed[b] = same ? 0 : 1;
      count += same ? 0 : 1;
    }
    return count;
  }
}

function sameWords(a: Uint32Array, b: Uint32Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (a[i] !== b[i]) return false;
  return true;
}
