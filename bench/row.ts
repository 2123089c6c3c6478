/**
 * One line of a benchmark's printed table: each cell padded to its column's width, two spaces apart.
 *
 * @example
 * row(["seed", 0], [6, 4]);  //=> "seed    0   "
 */
export function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padEnd(widths[i]!)).join("  ");
}
