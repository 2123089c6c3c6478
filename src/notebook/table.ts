/**
 * Tables: a danfojs DataFrame (or Series), or a plain array of records, as an HTML `<table>`.
 *
 * danfojs is not imported here: loading it costs about a second (it pulls in TensorFlow.js), and a table
 * only needs `columns`, `values` and `index`, so any object with those ("duck typing") works, including
 * DataFrames from another copy of danfojs.
 */
import { describe, display } from "./display";
import { escapeHtml } from "./html";

/**
 * What {@link tableHtml} needs from a danfojs `DataFrame`: column names, rows of values and the row
 * labels. A danfojs `Series` fits too (its `values` is one column).
 */
export interface DataFrameLike {
  /** Column names. */
  readonly columns: ArrayLike<string | number>;
  /** Rows, each an array of cells in column order (or, for a Series, the cells themselves). */
  readonly values: ArrayLike<unknown>;
  /** Row labels, one per row. */
  readonly index: ArrayLike<string | number>;
}

/**
 * Anything {@link tableHtml} can show: a DataFrame, or an array of records (plain objects; each key
 * is a column). `object` rather than `Record<string, unknown>` so that arrays of interface-typed rows
 * are accepted too: TypeScript does not give interfaces an implicit index signature.
 */
export type TableData = DataFrameLike | readonly object[];

/** Options of {@link tableHtml}. */
export interface TableOptions {
  /** Rows shown before truncating with a "… N more rows" row; default 20. */
  readonly maxRows?: number;
  /** Columns shown before truncating with a "… N more columns" header; default 30. */
  readonly maxColumns?: number;
  /** Digits after the decimal point for non-integer numbers; default 4. */
  readonly precision?: number;
  /** Show the index (row labels) as the first column; default `true`. */
  readonly showIndex?: boolean;
  /** Optional caption above the table. */
  readonly caption?: string;
}

/**
 * Formats one cell: integers as they are, other finite numbers with `precision` digits after the point
 * (scientific notation when very small or large), strings as they are, `null`/`undefined`/NaN as
 * `null`/`undefined`/`NaN`, dates as ISO text, arrays and objects as JSON. Returns plain text (escape it
 * for HTML).
 *
 * @example
 * formatCell(Math.PI, 3) //=> "3.142"
 * formatCell(1e-7, 3)    //=> "1.000e-7"
 */
export function formatCell(value: unknown, precision = 4): string {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
    const abs = Math.abs(value);
    return abs !== 0 && (abs < 1e-4 || abs >= 1e15) ? value.toExponential(precision) : value.toFixed(precision);
  }
  if (typeof value === "string") return value;
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return `[${Array.from(value as unknown as ArrayLike<number>, (v) => formatCell(v, precision)).join(", ")}]`;
  }
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json.length > 200 ? json.slice(0, 199) + "…" : json;
  } catch {
    return String(value);
  }
}

interface Normalized {
  readonly columns: string[];
  readonly rowCount: number;
  readonly index: (i: number) => unknown;
  readonly cell: (row: number, column: number) => unknown;
}

function normalize(data: TableData): Normalized {
  if (Array.isArray(data)) {
    const rows = data as readonly Readonly<Record<string, unknown>>[];
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      if (row === null || typeof row !== "object" || Array.isArray(row)) {
        throw new TypeError(`Expected row ${i} to be a record (plain object), got ${describe(row)}`);
      }
      for (const key of Object.keys(row)) seen.add(key);
    });
    const columns = [...seen];
    return { columns, rowCount: rows.length, index: (i) => i, cell: (r, c) => rows[r]![columns[c]!] };
  }
  const df = data as DataFrameLike;
  if (df === null || typeof df !== "object" || df.columns == null || df.values == null || df.index == null) {
    throw new TypeError(`Expected a DataFrame (columns, values, index) or an array of records, got ${describe(data)}`);
  }
  const columns = Array.from(df.columns, String);
  const values = df.values;
  const rowCount = values.length;
  if (df.index.length !== rowCount) {
    throw new RangeError(`Expected the index to have one label per row (${rowCount}), got ${df.index.length}`);
  }
  // A Series (or a one-column frame stored flat) has scalar values: treat them as a single column.
  const flat = rowCount > 0 && !isRow(values[0]);
  return {
    columns: flat && columns.length === 0 ? ["value"] : columns,
    rowCount,
    index: (i) => df.index[i],
    cell: flat ? (r) => values[r] : (r, c) => (values[r] as ArrayLike<unknown>)[c],
  };
}

function isRow(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * Renders `data` as an HTML table: a header with the column names, the index as the first column,
 * numbers right-aligned and formatted with `precision`, every text HTML-escaped, long tables truncated
 * with a "… N more rows" row and a "rows × columns" summary below.
 *
 * @param data a danfojs DataFrame or Series, or an array of records (columns in order of first appearance).
 * @returns an HTML fragment.
 * @example
 * tableHtml([{ episode: 1, return: 9.5 }, { episode: 2, return: 21.25 }], { precision: 1 });
 * tableHtml(df.describe(), { maxRows: 10 });
 */
export function tableHtml(data: TableData, options: TableOptions = {}): string {
  const maxRows = options.maxRows ?? 20;
  const maxColumns = options.maxColumns ?? 30;
  const precision = options.precision ?? 4;
  const showIndex = options.showIndex ?? true;
  if (!Number.isInteger(maxRows) || maxRows < 0) throw new RangeError(`Expected maxRows to be a non-negative integer, got ${maxRows}`);
  if (!Number.isInteger(maxColumns) || maxColumns < 1) throw new RangeError(`Expected maxColumns to be a positive integer, got ${maxColumns}`);
  if (!Number.isInteger(precision) || precision < 0 || precision > 20) throw new RangeError(`Expected precision to be an integer 0…20, got ${precision}`);
  const t = normalize(data);
  const shownColumns = Math.min(t.columns.length, maxColumns);
  const hiddenColumns = t.columns.length - shownColumns;
  const shownRows = Math.min(t.rowCount, maxRows);
  const hiddenRows = t.rowCount - shownRows;

  const th = `style="text-align:left;padding:2px 8px;border-bottom:1px solid #999"`;
  const td = (numeric: boolean): string => `style="text-align:${numeric ? "right" : "left"};padding:2px 8px;font-variant-numeric:tabular-nums"`;
  const parts: string[] = [];
  parts.push(`<div class="rlwb-table" style="overflow-x:auto;max-width:100%">`);
  parts.push(`<table style="border-collapse:collapse;font-size:13px">`);
  if (options.caption !== undefined) parts.push(`<caption style="text-align:left;font-weight:bold">${escapeHtml(options.caption)}</caption>`);
  parts.push("<thead><tr>");
  if (showIndex) parts.push(`<th ${th}></th>`);
  for (let c = 0; c < shownColumns; c++) parts.push(`<th ${th}>${escapeHtml(String(t.columns[c]))}</th>`);
  if (hiddenColumns > 0) parts.push(`<th ${th}>… ${hiddenColumns} more column${hiddenColumns === 1 ? "" : "s"}</th>`);
  parts.push("</tr></thead><tbody>");
  // Columns holding any non-integer number show all their numbers with `precision` decimals, so the
  // decimal points line up (40.00 above 25.22 rather than 40 above 25.22), as pandas does.
  const fractional: boolean[] = [];
  for (let c = 0; c < shownColumns; c++) {
    let any = false;
    for (let r = 0; r < shownRows && !any; r++) {
      const v = t.cell(r, c);
      any = typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v);
    }
    fractional.push(any);
  }
  for (let r = 0; r < shownRows; r++) {
    parts.push("<tr>");
    if (showIndex) parts.push(`<th ${td(false)}>${escapeHtml(formatCell(t.index(r), precision))}</th>`);
    for (let c = 0; c < shownColumns; c++) {
      const value = t.cell(r, c);
      const numeric = typeof value === "number" || typeof value === "bigint";
      const muted = value === null || value === undefined || (typeof value === "number" && Number.isNaN(value));
      const text = escapeHtml(
        fractional[c] && typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 1e15 ? value.toFixed(precision) : formatCell(value, precision),
      );
      parts.push(`<td ${td(numeric)}>${muted ? `<span style="color:#999">${text}</span>` : text}</td>`);
    }
    if (hiddenColumns > 0) parts.push(`<td ${td(false)}>…</td>`);
    parts.push("</tr>");
  }
  if (hiddenRows > 0) {
    const span = shownColumns + (showIndex ? 1 : 0) + (hiddenColumns > 0 ? 1 : 0);
    parts.push(`<tr><td colspan="${span}" style="text-align:left;padding:2px 8px;color:#666;font-style:italic">… ${hiddenRows} more row${hiddenRows === 1 ? "" : "s"}</td></tr>`);
  }
  parts.push("</tbody></table>");
  parts.push(
    `<div style="color:#666;font-size:12px;padding:2px 8px">${t.rowCount} row${t.rowCount === 1 ? "" : "s"} × ` +
      `${t.columns.length} column${t.columns.length === 1 ? "" : "s"}</div>`,
  );
  parts.push("</div>");
  return parts.join("");
}

/**
 * Shows `data` as an HTML table in the notebook (see {@link tableHtml}).
 *
 * @example
 * import * as dfd from "danfojs-node";
 * showTable(new dfd.DataFrame(episodes), { maxRows: 10, precision: 2 });
 */
export function showTable(data: TableData, options: TableOptions = {}): void {
  display.html(tableHtml(data, options));
}
