/**
 * How values are shown in error messages and space descriptions. Messages follow
 * `Expected <what>, got <actual>`, and the "actual" part has to show what the caller really passed:
 * a string must look like a string ("1", not 1), a typed array must name its type and length.
 */

const MAX_ITEMS_SHOWN = 8;

/**
 * A short, unambiguous rendering of any value for an error message.
 *
 * @example
 * describeValue(1.5);                          //=> "1.5"
 * describeValue("1");                          //=> "\"1\""
 * describeValue(new Float32Array([0.5, 2]));   //=> "Float32Array(2) [0.5, 2]"
 * describeValue(undefined);                    //=> "undefined"
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object") return String(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const items = value as unknown as ArrayLike<number>;
    const isFloat32 = value instanceof Float32Array;
    return `${value.constructor.name}(${items.length}) ${describeItems(items, isFloat32)}`;
  }
  if (Array.isArray(value)) return describeItems(value, false);
  const name = value.constructor?.name;
  try {
    const json = JSON.stringify(value);
    return name && name !== "Object" ? `${name} ${json}` : json;
  } catch {
    return name ? `a ${name}` : "an object";
  }
}

/**
 * A number as a person would write it: `Infinity`, `-0.41887903` (a float32 shown with the fewest
 * digits that read back to the same float32, as NumPy prints it), `NaN`.
 *
 * @param value the number.
 * @param asFloat32 show the shortest decimal that rounds to the same float32 instead of float64.
 * @example
 * formatNumber(Math.fround(4.8), true);   //=> "4.8"
 * formatNumber(Math.fround(4.8));         //=> "4.800000190734863"
 */
export function formatNumber(value: number, asFloat32 = false): string {
  if (!asFloat32 || !Number.isFinite(value)) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}

function describeItems(items: ArrayLike<unknown>, asFloat32: boolean): string {
  const shown: string[] = [];
  const count = Math.min(items.length, MAX_ITEMS_SHOWN);
  for (let i = 0; i < count; i++) {
    const item = items[i];
    shown.push(typeof item === "number" ? formatNumber(item, asFloat32) : describeValue(item));
  }
  if (items.length > MAX_ITEMS_SHOWN) shown.push(`… ${items.length - MAX_ITEMS_SHOWN} more`);
  return `[${shown.join(", ")}]`;
}
