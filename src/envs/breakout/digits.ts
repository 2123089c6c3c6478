/**
 * The 2600's blocky digits: 3 cells wide and 5 tall, a cell being one playfield pixel of the Atari's
 * background graphics (4 px wide; Breakout draws each line twice, so 2 rows tall). The 0, 5 and 1
 * are read off a real ALE frame; the others follow the same style.
 *
 * Each glyph is 5 strings of 3 characters, top to bottom, `#` for a lit cell.
 *
 * @example
 * DIGIT_GLYPHS[5];  //=> ["###", "#..", "###", "..#", "###"]
 */
export const DIGIT_GLYPHS: readonly (readonly string[])[] = Object.freeze([
  ["###", "#.#", "#.#", "#.#", "###"],
  [".#.", ".#.", ".#.", ".#.", ".#."],
  ["###", "..#", "###", "#..", "###"],
  ["###", "..#", "###", "..#", "###"],
  ["#.#", "#.#", "###", "..#", "..#"],
  ["###", "#..", "###", "..#", "###"],
  ["###", "#..", "###", "#.#", "###"],
  ["###", "..#", "..#", "..#", "..#"],
  ["###", "#.#", "###", "#.#", "###"],
  ["###", "#.#", "###", "..#", "###"],
].map((glyph) => Object.freeze(glyph)));

/** Glyph width in cells. */
export const GLYPH_COLUMNS = 3;
/** Glyph height in cells. */
export const GLYPH_ROWS = 5;

/**
 * Calls `fillCell(column, row)` for each lit cell of `digit`'s glyph (column 0..2, row 0..4).
 *
 * @example
 * const lit: string[] = [];
 * forEachLitCell(1, (column, row) => lit.push(`${column},${row}`));
 * lit;  //=> ["1,0", "1,1", "1,2", "1,3", "1,4"]
 */
export function forEachLitCell(digit: number, fillCell: (column: number, row: number) => void): void {
  const glyph = DIGIT_GLYPHS[digit];
  if (glyph === undefined) throw new RangeError(`Expected a digit 0..9, got ${digit}`);
  for (let row = 0; row < GLYPH_ROWS; row++) {
    for (let column = 0; column < GLYPH_COLUMNS; column++) {
      if (glyph[row]![column] === "#") fillCell(column, row);
    }
  }
}
