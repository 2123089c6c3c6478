/**
 * Small helpers for writing HTML fragments that are safe to drop into a notebook output: escaping text,
 * embedding JSON inside `<script>`, data URIs and unique element ids.
 */
import { randomBytes } from "node:crypto";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Escapes text for use in HTML element content and in quoted attribute values.
 *
 * @example
 * escapeHtml('<a href="x">') //=> "&lt;a href=&quot;x&quot;&gt;"
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Serialises `value` as JSON that can be placed inside an inline `<script>`: `<` is written as `\u003c`
 * so a string containing `</script>` cannot end the script early, and typed arrays become plain arrays
 * (JSON.stringify would otherwise turn a Float32Array into `{"0":…,"1":…}`). NaN and ±Infinity become
 * `null`, as in plain JSON.
 *
 * @param significantDigits if given (1…17), non-integer numbers are rounded to that many significant
 *   digits: plot data from Float32Arrays otherwise serialises as `0.10000000149011612`, tripling its size.
 * @example
 * scriptJson({ y: new Float32Array([1, 0.1]) }, 7) //=> '{"y":[1,0.1]}'
 */
export function scriptJson(value: unknown, significantDigits?: number): string {
  if (significantDigits !== undefined && !(Number.isInteger(significantDigits) && significantDigits >= 1 && significantDigits <= 17)) {
    throw new RangeError(`Expected significantDigits to be an integer 1…17, got ${significantDigits}`);
  }
  const round = (x: number): number =>
    significantDigits === undefined || Number.isInteger(x) || !Number.isFinite(x) ? x : Number(x.toPrecision(significantDigits));
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => (typeof x === "bigint" ? Number(x) : round(x)));
    }
    return typeof v === "number" ? round(v) : v;
  });
  if (json === undefined) throw new TypeError(`Expected a JSON-serialisable value, got ${typeof value}`);
  return json.replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * A `data:` URI for `bytes`, for `<img src>` so images live inside the HTML itself (an exported notebook
 * must work opened from disk with no network and no side files).
 *
 * @example
 * `<img src="${dataUri("image/png", pngBytes)}">`
 */
export function dataUri(mimeType: string, bytes: Uint8Array): string {
  return `data:${mimeType};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")}`;
}

let counter = 0;
const sessionTag = randomBytes(4).toString("hex");

/**
 * An element id unique in this process and (through a random per-process tag) very likely unique across
 * kernel restarts, so outputs from an earlier session saved in the same notebook never collide.
 *
 * @param prefix a readable prefix, e.g. `"plot"`.
 * @example
 * uniqueId("plot") //=> "rlwb-plot-1a2b3c4d-7"
 */
export function uniqueId(prefix: string): string {
  return `rlwb-${prefix}-${sessionTag}-${++counter}`;
}
