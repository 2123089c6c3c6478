import type { RgbFrame } from "../core/frame";

/**
 * A small software rasteriser for envs that draw themselves (CartPole, Breakout): fill a frame,
 * fill convex polygons, circles and horizontal lines, writing straight into the frame's bytes.
 *
 * Coordinates are continuous, in pixels, with x to the right and y DOWN (row 0 at the top, as in
 * RgbFrame). Pixel (column c, row r) covers [c, c+1) × [r, r+1) and is painted when its centre
 * (c + 0.5, r + 0.5) lies inside the shape, so shapes are drawn without anti-aliasing and
 * adjacent shapes never overlap or leave gaps. Everything outside the frame is clipped.
 */

/** A colour as 8-bit red, green and blue. */
export interface RgbColor {
  readonly red: number;
  readonly green: number;
  readonly blue: number;
}

/** A point in frame coordinates (pixels; y grows downwards). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * Makes a colour from its 8-bit components.
 *
 * @example
 * rgb(202, 152, 101);  //=> { red: 202, green: 152, blue: 101 }   (CartPole's pole)
 */
export function rgb(red: number, green: number, blue: number): RgbColor {
  for (const [name, value] of [["red", red], ["green", green], ["blue", blue]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 255) {
      throw new RangeError(`Expected ${name} to be an integer in 0..255, got ${value}`);
    }
  }
  return { red, green, blue };
}

/**
 * Paints every pixel of the frame with one colour.
 *
 * @example
 * const frame = createFrame(2, 1);
 * fillFrame(frame, rgb(255, 255, 255));
 * frame.data;  //=> Uint8Array(6) [255, 255, 255, 255, 255, 255]
 */
export function fillFrame(frame: RgbFrame, color: RgbColor): void {
  const data = frame.data;
  if (color.red === color.green && color.green === color.blue) {
    data.fill(color.red);
    return;
  }
  data[0] = color.red;
  data[1] = color.green;
  data[2] = color.blue;
  // Doubling copies: log2(pixels) native copies instead of a loop over every byte.
  for (let filled = 3; filled < data.length; filled *= 2) {
    data.copyWithin(filled, 0, Math.min(filled, data.length - filled));
  }
}

/**
 * Paints columns c with x0 ≤ c < x1 of one row: a horizontal line one pixel thick (CartPole's
 * track), and the building block of the filled shapes.
 *
 * @param row the row index (an integer; rows outside the frame draw nothing).
 * @param x0 the first column (inclusive); fractional values round up; clipped to the frame.
 * @param x1 the end column (exclusive); clipped to the frame.
 * @example
 * fillRowSpan(frame, 299, 0, 600, rgb(0, 0, 0));  // CartPole's track line
 */
export function fillRowSpan(frame: RgbFrame, row: number, x0: number, x1: number, color: RgbColor): void {
  if (row < 0 || row >= frame.height) return;
  const start = Math.max(0, Math.ceil(x0));
  const end = Math.min(frame.width, Math.ceil(x1));
  const data = frame.data;
  const { red, green, blue } = color;
  for (let offset = (row * frame.width + start) * 3, last = (row * frame.width + end) * 3; offset < last; offset += 3) {
    data[offset] = red;
    data[offset + 1] = green;
    data[offset + 2] = blue;
  }
}

/**
 * Fills a convex polygon (any vertex order): each row's span runs between the two edge crossings
 * at the row's centre line.
 *
 * @param vertices three or more points, in order around the polygon.
 * @example
 * // CartPole's cart: a 50×30 black rectangle
 * fillConvexPolygon(frame, [{ x: 275, y: 285 }, { x: 325, y: 285 }, { x: 325, y: 315 }, { x: 275, y: 315 }], rgb(0, 0, 0));
 */
export function fillConvexPolygon(frame: RgbFrame, vertices: readonly Point[], color: RgbColor): void {
  if (vertices.length < 3) throw new RangeError(`Expected at least 3 vertices, got ${vertices.length}`);
  let top = Infinity;
  let bottom = -Infinity;
  for (const { y } of vertices) {
    top = Math.min(top, y);
    bottom = Math.max(bottom, y);
  }
  const firstRow = Math.max(0, Math.floor(top));
  const lastRow = Math.min(frame.height - 1, Math.ceil(bottom));
  for (let row = firstRow; row <= lastRow; row++) {
    const centreY = row + 0.5;
    let left = Infinity;
    let right = -Infinity;
    for (let i = 0; i < vertices.length; i++) {
      const a = vertices[i];
      const b = vertices[(i + 1) % vertices.length];
      // Half-open test so a vertex exactly on the centre line is counted once.
      if ((a.y <= centreY && centreY < b.y) || (b.y <= centreY && centreY < a.y)) {
        const crossing = a.x + ((centreY - a.y) * (b.x - a.x)) / (b.y - a.y);
        left = Math.min(left, crossing);
        right = Math.max(right, crossing);
      }
    }
    // Columns whose centre c + 0.5 lies in [left, right).
    if (left < right) fillRowSpan(frame, row, left - 0.5, right - 0.5, color);
  }
}

/**
 * Fills a disc: the pixels whose centres lie within `radius` of `centre`.
 *
 * @example
 * // CartPole's axle: radius 5 around the pivot
 * fillCircle(frame, { x: 300.5, y: 292.5 }, 5, rgb(129, 132, 203));
 */
export function fillCircle(frame: RgbFrame, centre: Point, radius: number, color: RgbColor): void {
  const firstRow = Math.max(0, Math.floor(centre.y - radius));
  const lastRow = Math.min(frame.height - 1, Math.ceil(centre.y + radius));
  for (let row = firstRow; row <= lastRow; row++) {
    const dy = row + 0.5 - centre.y;
    const squared = radius * radius - dy * dy;
    if (squared < 0) continue;
    const halfWidth = Math.sqrt(squared);
    // Include centres on the boundary: span [x - w, x + w] inclusive, hence the tiny epsilon.
    fillRowSpan(frame, row, centre.x - halfWidth - 0.5, centre.x + halfWidth - 0.5 + 1e-9, color);
  }
}

/** An axis-aligned rectangle in frame coordinates: `width` × `height` pixels from (x, y), y down. */
export interface PixelRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Fills an axis-aligned rectangle: the pixels whose centres lie inside it (for integer corners,
 * exactly columns x ≤ c < x + width of rows y ≤ r < y + height), clipped to the frame. The
 * building block of sprite-like scenes (bricks, a paddle, a blocky character).
 *
 * @example
 * const frame = createFrame(4, 2);
 * fillRect(frame, { x: 1, y: 1, width: 2, height: 1 }, rgb(255, 0, 0));
 * frame.data.subarray(15, 21);  //=> Uint8Array(6) [255, 0, 0, 255, 0, 0]   (row 1, columns 1 and 2)
 */
export function fillRect(frame: RgbFrame, rect: PixelRect, color: RgbColor): void {
  const firstRow = Math.max(0, Math.ceil(rect.y - 0.5));
  const endRow = Math.min(frame.height, Math.ceil(rect.y + rect.height - 0.5));
  for (let row = firstRow; row < endRow; row++) fillRowSpan(frame, row, rect.x - 0.5, rect.x + rect.width - 0.5, color);
}
