/**
 * A sparkline: a tiny line chart without axes, as inline SVG markup, to show the trend of a metric
 * (e.g. episode return) next to text. Inline SVG needs no script and no image encoding, and survives
 * nbconvert's HTML export as part of a `text/html` output.
 */
import { escapeHtml } from "./html";

/** Options of {@link sparklineSvg}. */
export interface SparklineOptions {
  /** Width in pixels; default 160. */
  readonly width?: number;
  /** Height in pixels; default 32. */
  readonly height?: number;
  /** Line colour (CSS); default a medium blue. */
  readonly color?: string;
  /** Accessible label (`aria-label`); default "sparkline". */
  readonly label?: string;
}

/**
 * Draws `values` as an SVG polyline scaled to fill the box (min at the bottom, max at the top), with a
 * dot on the last value. Non-finite values leave gaps. Long series are reduced to one averaged point
 * per pixel column so the markup stays small.
 *
 * @param values the series, oldest first.
 * @returns an `<svg>` element as a string (empty box for no finite values).
 * @example
 * display.html(`return ${sparklineSvg(returns)}`);
 */
export function sparklineSvg(values: ArrayLike<number>, options: SparklineOptions = {}): string {
  const width = options.width ?? 160;
  const height = options.height ?? 32;
  if (!(width >= 4 && height >= 4)) throw new RangeError(`Expected a sparkline of at least 4×4 pixels, got ${width}×${height}`);
  const color = options.color ?? "#3b7dd8";
  const label = options.label ?? "sparkline";
  const points = reduce(values, Math.max(2, Math.floor(width)));
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of points) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const open = `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}" style="vertical-align:middle">`;
  if (lo > hi) return `${open}</svg>`;
  const pad = 2;
  const xOf = (i: number): number => (points.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (points.length - 1));
  const yOf = (v: number): number => (hi === lo ? height / 2 : height - pad - ((v - lo) * (height - 2 * pad)) / (hi - lo));
  const r = (x: number): string => (Math.round(x * 10) / 10).toString();
  let d = "";
  let penDown = false;
  let last = -1;
  for (let i = 0; i < points.length; i++) {
    const v = points[i]!;
    if (!Number.isFinite(v)) {
      penDown = false;
      continue;
    }
    d += `${penDown ? "L" : "M"}${r(xOf(i))} ${r(yOf(v))}`;
    penDown = true;
    last = i;
  }
  const dot = `<circle cx="${r(xOf(last))}" cy="${r(yOf(points[last]!))}" r="2" fill="${escapeHtml(color)}"/>`;
  return `${open}<path d="${d}" fill="none" stroke="${escapeHtml(color)}" stroke-width="1.5" stroke-linejoin="round"/>${dot}</svg>`;
}

/** `values` as at most `buckets` points, each the mean of the finite values in its bucket (NaN if none). */
function reduce(values: ArrayLike<number>, buckets: number): number[] {
  const n = values.length;
  if (n <= buckets) return Array.from(values);
  const out = new Array<number>(buckets);
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let sum = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    out[b] = count > 0 ? sum / count : NaN;
  }
  return out;
}
