import { describeValue, formatNumber } from "./describe";
import { Space } from "./space";

/** The typed array that holds a member of a Box of each dtype (NumPy's dtype names). */
export interface TypedArrayByDType {
  float32: Float32Array;
  float64: Float64Array;
  uint8: Uint8Array;
  int8: Int8Array;
  uint16: Uint16Array;
  int16: Int16Array;
  uint32: Uint32Array;
  int32: Int32Array;
}

/** The element type of a Box: `"float32"` for vector observations, `"uint8"` for pixels. */
export type BoxDType = keyof TypedArrayByDType;

/** The typed-array class of each Box dtype (also used to lay batches over shared memory). */
export const TYPED_ARRAY_CONSTRUCTORS: { readonly [D in BoxDType]: new (length: number) => TypedArrayByDType[D] } = {
  float32: Float32Array,
  float64: Float64Array,
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
};

const INTEGER_RANGES: { readonly [D in BoxDType]?: readonly [number, number] } = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
  uint32: [0, 4294967295],
  int32: [-2147483648, 2147483647],
};

/** Options of a {@link Box} space. */
export interface BoxOptions<D extends BoxDType> {
  /** Lower bound of every element (a number) or of each element (one per element, row-major). */
  readonly low: number | ArrayLike<number>;
  /** Upper bound, like `low`. Bounds are inclusive; ±Infinity means unbounded (float dtypes only). */
  readonly high: number | ArrayLike<number>;
  /** Shape of a member; defaults to `[low.length]` when a bound is an array. */
  readonly shape?: readonly number[];
  /** Element type (default `"float32"`, as in Gymnasium). */
  readonly dtype?: D;
  /** Seeds the space's RNG at construction, like `space.seed(seed)`. */
  readonly seed?: number;
}

/**
 * A box of numbers, each between its own inclusive bounds (Gymnasium's `spaces.Box`): CartPole's
 * observation (4 float32 numbers), an Atari frame (84×84 uint8 pixels), a continuous action.
 * A member is a typed array of `size` elements in row-major order, each with
 * `low[i] ≤ x[i] ≤ high[i]`; `contains` also accepts a plain `number[]` of that length.
 *
 * `sample()` draws each element as Gymnasium does: uniform where both bounds are finite
 * (integers: uniform over low..high), normal where unbounded, shifted exponential where bounded on
 * one side.
 *
 * @typeParam D the dtype; `low`, `high` and samples are the matching typed array.
 * @example
 * const pixels = new Box({ low: 0, high: 255, shape: [2, 2], dtype: "uint8", seed: 1 });
 * pixels.sample();                               //=> Uint8Array(4) [94, 187, 91, 221]
 * pixels.contains(new Uint8Array([0, 0, 0, 255])); //=> true
 * String(pixels);                                //=> "Box(0, 255, [2, 2], uint8)"
 */
export class Box<D extends BoxDType = "float32"> extends Space<TypedArrayByDType[D]> {
  /** Lower bound of each element, stored in the box's dtype. */
  readonly low: TypedArrayByDType[D];
  /** Upper bound of each element, stored in the box's dtype. */
  readonly high: TypedArrayByDType[D];
  readonly shape: readonly number[];
  /** Element type of members. */
  readonly dtype: D;
  /** Number of elements in a member: the product of `shape`. */
  readonly size: number;
  private readonly isInteger: boolean;
  /** Every element's bounds are its dtype's whole range (an image Box: uint8 0..255). */
  private readonly spansDtypeRange: boolean;

  constructor(options: BoxOptions<D>) {
    super();
    const dtype = (options.dtype ?? "float32") as D;
    const Constructor = TYPED_ARRAY_CONSTRUCTORS[dtype];
    if (Constructor === undefined) {
      throw new TypeError(`Expected dtype among ${Object.keys(TYPED_ARRAY_CONSTRUCTORS).join(", ")}, got ${describeValue(dtype)}`);
    }
    const shape = resolveShape(options);
    this.dtype = dtype;
    this.shape = Object.freeze(shape.slice());
    this.size = shape.reduce((product, length) => product * length, 1);
    this.isInteger = INTEGER_RANGES[dtype] !== undefined;
    this.low = this.castBound(options.low, "low", Constructor);
    this.high = this.castBound(options.high, "high", Constructor);
    const range = INTEGER_RANGES[dtype];
    this.spansDtypeRange =
      range !== undefined && this.low.every((bound: number) => bound === range[0]) && this.high.every((bound: number) => bound === range[1]);
    for (let i = 0; i < this.size; i++) {
      if (!(this.low[i] <= this.high[i])) {
        throw new RangeError(`Expected low[${i}] ≤ high[${i}], got low ${this.low[i]} and high ${this.high[i]}`);
      }
    }
    if (options.seed !== undefined) this.seed(options.seed);
  }

  /** A random member, a fresh typed array (see the class comment for the distributions). */
  sample(): TypedArrayByDType[D] {
    const sample = new TYPED_ARRAY_CONSTRUCTORS[this.dtype](this.size);
    const rng = this.rng;
    for (let i = 0; i < this.size; i++) {
      const low = this.low[i];
      const high = this.high[i];
      if (this.isInteger) {
        // Integer bounds are finite (checked at construction); draw uniform over low..high.
        sample[i] = low + rng.integer(high - low + 1);
      } else if (low === -Infinity && high === Infinity) {
        sample[i] = rng.normal();
      } else if (high === Infinity) {
        sample[i] = low + rng.exponential();
      } else if (low === -Infinity) {
        sample[i] = high - rng.exponential();
      } else {
        sample[i] = low + (high - low) * rng.random();
      }
    }
    return sample;
  }

  contains(value: unknown): boolean {
    // Fast path for images: a typed array of the Box's own dtype cannot hold a value outside that
    // dtype's range, so a full-range Box only needs the type and length checked. Without it the env
    // checker would read all 100,800 bytes of an Atari RGB frame on every step.
    if (this.spansDtypeRange && value instanceof TYPED_ARRAY_CONSTRUCTORS[this.dtype]) return (value as ArrayLike<number>).length === this.size;
    if (!isNumberArrayLike(value) || value.length !== this.size) return false;
    const low = this.low;
    const high = this.high;
    for (let i = 0; i < value.length; i++) {
      const element = value[i];
      // Written as a negation so that NaN (which fails every comparison) is rejected too.
      if (!(element >= low[i] && element <= high[i])) return false;
      if (typeof element !== "number" || (this.isInteger && !Number.isInteger(element))) return false;
    }
    return true;
  }

  whyNotContained(value: unknown): string | undefined {
    if (this.contains(value)) return undefined;
    if (!isNumberArrayLike(value)) return `${describeValue(value)} is not a typed array or an array of numbers`;
    if (value.length !== this.size) return `its length is ${value.length}, not ${this.size}`;
    for (let i = 0; i < value.length; i++) {
      const element = value[i];
      const shown = describeValue(element);
      if (typeof element !== "number") return `index ${i} is ${shown}, not a number`;
      if (Number.isNaN(element)) return `index ${i} is NaN`;
      if (this.isInteger && !Number.isInteger(element)) return `index ${i} is ${shown}, not an integer`;
      if (element < this.low[i]) return `index ${i} is ${shown}, below low[${i}] = ${this.formatBound(this.low[i])}`;
      if (element > this.high[i]) return `index ${i} is ${shown}, above high[${i}] = ${this.formatBound(this.high[i])}`;
    }
    return undefined;
  }

  describeMember(symbol = "x"): string {
    const kind = this.isInteger ? "integers" : "numbers";
    return `${this.size} ${kind} (a ${TYPED_ARRAY_CONSTRUCTORS[this.dtype].name} or number[]) with low[i] ≤ ${symbol}[i] ≤ high[i]`;
  }

  toString(): string {
    return `Box(${this.formatBounds(this.low)}, ${this.formatBounds(this.high)}, [${this.shape.join(", ")}], ${this.dtype})`;
  }

  /** Bounds print as one number when all elements share it, as Gymnasium's repr does. */
  private formatBounds(bounds: TypedArrayByDType[D]): string {
    const first = bounds[0];
    if (bounds.every((bound: number) => bound === first)) return this.formatBound(first);
    return `[${Array.from(bounds, (bound: number) => this.formatBound(bound)).join(", ")}]`;
  }

  private formatBound(bound: number): string {
    return formatNumber(bound, this.dtype === "float32");
  }

  private castBound(
    bound: number | ArrayLike<number>,
    name: "low" | "high",
    Constructor: new (length: number) => TypedArrayByDType[D],
  ): TypedArrayByDType[D] {
    const cast = new Constructor(this.size);
    const range = INTEGER_RANGES[this.dtype];
    const isScalar = typeof bound === "number";
    if (!isScalar && bound.length !== this.size) {
      throw new RangeError(`Expected ${name} to be a number or have ${this.size} elements, got ${bound.length}`);
    }
    for (let i = 0; i < this.size; i++) {
      const value = isScalar ? bound : bound[i];
      const where = isScalar ? name : `${name}[${i}]`;
      if (typeof value !== "number" || Number.isNaN(value)) {
        throw new TypeError(`Expected ${where} to be a number, got ${describeValue(value)}`);
      }
      // Nothing is clamped or rounded silently: an integer box's bounds must fit its dtype exactly.
      if (range !== undefined && !(Number.isInteger(value) && value >= range[0] && value <= range[1])) {
        throw new RangeError(`Expected ${where} to be an integer in ${range[0]}..${range[1]} for dtype ${this.dtype}, got ${describeValue(value)}`);
      }
      cast[i] = value;
    }
    return cast;
  }
}

function resolveShape(options: BoxOptions<BoxDType>): number[] {
  const { low, high, shape } = options;
  if (shape !== undefined) {
    if (!Array.isArray(shape) || !shape.every((length) => Number.isSafeInteger(length) && length > 0)) {
      throw new RangeError(`Expected shape to be an array of positive integers, got ${describeValue(shape)}`);
    }
    return shape.slice();
  }
  const arrayBound = typeof low !== "number" ? low : typeof high !== "number" ? high : undefined;
  if (arrayBound === undefined) {
    throw new TypeError("Expected a shape when low and high are both numbers, got no shape");
  }
  return [arrayBound.length];
}

function isNumberArrayLike(value: unknown): value is ArrayLike<number> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}
