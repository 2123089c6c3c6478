import type { RgbFrame } from "../core/frame";
import { fillRect, type RgbColor } from "./raster";

/** The ten digits as 3×5 bitmaps, one string a digit, rows top to bottom ("#" = ink). */
const DIGITS: readonly string[] = [
  "###" + "#.#" + "#.#" + "#.#" + "###",
  ".#." + "##." + ".#." + ".#." + "###",
  "###" + "..#" + "###" + "#.." + "###",
  "###" + "..#" + "###" + "..#" + "###",
  "#.#" + "#.#" + "###" + "..#" + "..#",
  "###" + "#.." + "###" + "..#" + "###",
  "###" + "#.." + "###" + "#.#" + "###",
  "###" + "..#" + "..#" + ".#." + ".#.",
  "###" + "#.#" + "###" + "#.#" + "###",
  "###" + "#.#" + "###" + "..#" + "###",
];
const DIGIT_WIDTH = 3;
const DIGIT_HEIGHT = 5;

/** Where and how {@link drawNumber} writes. */
export interface NumberStyle {
  /** Left edge of the first digit, in pixels. */
  readonly x: number;
  /** Top edge, in pixels. */
  readonly y: number;
  /** Pixels a font cell (default 1: digits 3×5 pixels, one blank column between them). */
  readonly scale?: number;
  readonly color: RgbColor;
}

/**
 * Writes a non-negative integer in a 3×5 pixel font, the score display of an env's rendered frame
 * (the blocky digits of arcade games; no font files, no canvas). Drawn with whole rectangles, so it
 * costs a handful of row fills a digit.
 *
 * @returns the width written, in pixels (4·scale a digit, minus the last blank column).
 * @example
 * const frame = createFrame(16, 8);
 * drawNumber(frame, 42, { x: 1, y: 1, color: rgb(255, 255, 255) });  //=> 7
 */
export function drawNumber(frame: RgbFrame, value: number, style: NumberStyle): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`Expected a non-negative integer to draw, got ${value}`);
  const { x, y, scale = 1, color } = style;
  const text = String(value);
  for (let i = 0; i < text.length; i++) {
    const bitmap = DIGITS[text.charCodeAt(i) - 48]!;
    const left = x + i * (DIGIT_WIDTH + 1) * scale;
    for (let cell = 0; cell < DIGIT_WIDTH * DIGIT_HEIGHT; cell++) {
      if (bitmap[cell] !== "#") continue;
      const column = cell % DIGIT_WIDTH;
      const row = (cell - column) / DIGIT_WIDTH;
      fillRect(frame, { x: left + column * scale, y: y + row * scale, width: scale, height: scale }, color);
    }
  }
  return (text.length * (DIGIT_WIDTH + 1) - 1) * scale;
}
