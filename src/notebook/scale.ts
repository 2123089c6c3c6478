/**
 * Nearest-neighbour scaling of RGB frames and RGB⇄RGBA conversion. Env frames are small and blocky
 * (Atari 160×210, grid worlds); nearest neighbour keeps every pixel a crisp block of exactly the original
 * colours, where smoothing would blur them and multiply the number of colours (bad for GIF palettes).
 */
import { assertRgbFrame, type RgbFrame } from "../core/frame";

/** How to size a frame for display. Give at most one of `scale` and `fitWidth`. */
export interface FrameSizeOptions {
  /** Integer magnification: each pixel becomes a `scale`×`scale` block. Default 1. */
  readonly scale?: number;
  /**
   * Target width in pixels; the height follows the aspect ratio (rounded). Any positive integer, also
   * smaller than the frame (to shrink big renders such as CartPole's 600×400 before encoding a GIF).
   * Shrinking with nearest neighbour keeps colours exact but skips rows and columns, so 1-pixel lines
   * (CartPole's track) may disappear; prefer halving (e.g. 300 for 600) to keep the pattern regular.
   */
  readonly fitWidth?: number;
}

/**
 * The output size for `frame` under `options`.
 *
 * @returns `{ width, height }` in pixels.
 * @example
 * scaledSize({ width: 160, height: 210, data }, { scale: 2 }) //=> { width: 320, height: 420 }
 */
export function scaledSize(frame: { width: number; height: number }, options: FrameSizeOptions = {}): { width: number; height: number } {
  const { scale, fitWidth } = options;
  if (scale !== undefined && fitWidth !== undefined) {
    throw new TypeError(`Expected at most one of scale and fitWidth, got scale=${scale} and fitWidth=${fitWidth}`);
  }
  if (fitWidth !== undefined) {
    if (!Number.isInteger(fitWidth) || fitWidth <= 0) throw new RangeError(`Expected fitWidth to be a positive integer, got ${fitWidth}`);
    return { width: fitWidth, height: Math.max(1, Math.round((frame.height * fitWidth) / frame.width)) };
  }
  const s = scale ?? 1;
  if (!Number.isInteger(s) || s <= 0) throw new RangeError(`Expected scale to be a positive integer, got ${s}`);
  return { width: frame.width * s, height: frame.height * s };
}

/**
 * Resizes `frame` with nearest-neighbour sampling.
 *
 * @param frame a valid RGB frame (checked).
 * @param options `scale` or `fitWidth`; with neither (or scale 1) the input frame itself is returned.
 * @returns a new RGB frame of {@link scaledSize}, or `frame` when the size is unchanged.
 * @example
 * scaleFrame(frame, { scale: 3 }).width === frame.width * 3
 */
export function scaleFrame(frame: RgbFrame, options: FrameSizeOptions = {}): RgbFrame {
  assertRgbFrame(frame);
  const { width, height } = scaledSize(frame, options);
  if (width === frame.width && height === frame.height) return frame;
  const src = frame.data;
  const out = new Uint8Array(width * height * 3);
  // Source column of every output column, computed once (as a byte offset into a source row).
  const colOffset = new Int32Array(width);
  for (let x = 0; x < width; x++) colOffset[x] = Math.min(frame.width - 1, Math.floor(((x + 0.5) * frame.width) / width)) * 3;
  let o = 0;
  let previousSy = -1;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(frame.height - 1, Math.floor(((y + 0.5) * frame.height) / height));
    if (sy === previousSy) {
      // Same source row as the row above (upscaling): copy the finished output row.
      out.copyWithin(o, o - width * 3, o);
      o += width * 3;
      continue;
    }
    previousSy = sy;
    const rowStart = sy * frame.width * 3;
    for (let x = 0; x < width; x++) {
      const s = rowStart + colOffset[x]!;
      out[o++] = src[s]!;
      out[o++] = src[s + 1]!;
      out[o++] = src[s + 2]!;
    }
  }
  return { width, height, data: out };
}

/**
 * Expands RGB to RGBA with alpha 255, e.g. for canvas `ImageData`.
 *
 * @param out optional destination of `width*height*4` bytes (reused across frames to avoid garbage).
 * @returns the RGBA bytes.
 */
export function rgbToRgba(frame: RgbFrame, out?: Uint8ClampedArray): Uint8ClampedArray {
  const n = frame.width * frame.height;
  const rgba = out ?? new Uint8ClampedArray(n * 4);
  if (rgba.length !== n * 4) throw new RangeError(`Expected an RGBA buffer of ${n * 4} bytes, got ${rgba.length}`);
  const src = frame.data;
  for (let i = 0, s = 0, d = 0; i < n; i++, s += 3, d += 4) {
    rgba[d] = src[s]!;
    rgba[d + 1] = src[s + 1]!;
    rgba[d + 2] = src[s + 2]!;
    rgba[d + 3] = 255;
  }
  return rgba;
}

/**
 * Drops the alpha channel of RGBA bytes (alpha is ignored, not blended: canvas output here is opaque).
 *
 * @param out optional destination of `width*height*3` bytes.
 * @returns an RGB frame.
 */
export function rgbaToRgb(rgba: ArrayLike<number>, width: number, height: number, out?: Uint8Array): RgbFrame {
  const n = width * height;
  if (rgba.length !== n * 4) throw new RangeError(`Expected ${width}×${height}×4 = ${n * 4} RGBA bytes, got ${rgba.length}`);
  const data = out ?? new Uint8Array(n * 3);
  if (data.length !== n * 3) throw new RangeError(`Expected an RGB buffer of ${n * 3} bytes, got ${data.length}`);
  for (let i = 0, s = 0, d = 0; i < n; i++, s += 4, d += 3) {
    data[d] = rgba[s]!;
    data[d + 1] = rgba[s + 1]!;
    data[d + 2] = rgba[s + 2]!;
  }
  return { width, height, data };
}
