/**
 * An RGB image as environments render it: `height` rows of `width` pixels, each pixel three bytes
 * (red, green, blue), row-major with no padding. This is the layout of Gymnasium's
 * `render_mode="rgb_array"` arrays (shape `[height, width, 3]`, dtype uint8) flattened into one buffer,
 * so pixel (row y, column x) starts at `data[(y * width + x) * 3]`.
 *
 * @example
 * const frame = createFrame(160, 210);   // an Atari-sized black frame
 * frame.data.length                      //=> 100800
 */
export interface RgbFrame {
  /** Pixels per row. */
  readonly width: number;
  /** Number of rows. */
  readonly height: number;
  /** `width * height * 3` bytes: R, G, B for each pixel, row by row. */
  readonly data: Uint8Array;
}

/** Allocates a black `width`×`height` RGB frame. */
export function createFrame(width: number, height: number): RgbFrame {
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new RangeError(`Expected a positive integer width and height, got ${width}×${height}`);
  }
  return { width, height, data: new Uint8Array(width * height * 3) };
}

/**
 * Checks that `frame` is a well-formed RGB frame and throws an Error naming the problem if not.
 * Display code calls this at its boundary so a wrong buffer fails loudly instead of drawing noise.
 */
export function assertRgbFrame(frame: RgbFrame, what = "frame"): void {
  if (frame === null || typeof frame !== "object") {
    throw new TypeError(`Expected ${what} to be an object { width, height, data }, got ${frame === null ? "null" : typeof frame}`);
  }
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new RangeError(`Expected ${what} to have a positive integer width and height, got ${width}×${height}`);
  }
  if (!(data instanceof Uint8Array)) {
    throw new TypeError(`Expected ${what}.data to be a Uint8Array, got ${Object.prototype.toString.call(data)}`);
  }
  if (data.length !== width * height * 3) {
    throw new RangeError(
      `Expected ${what}.data to hold ${width}×${height}×3 = ${width * height * 3} bytes, got ${data.length}`,
    );
  }
}
