import { Box, TYPED_ARRAY_CONSTRUCTORS, type BoxDType } from "../core/box";
import { Discrete } from "../core/discrete";
import type { Space } from "../core/space";
import type { ObsArray } from "./types";

const ARRAYS = TYPED_ARRAY_CONSTRUCTORS as unknown as { readonly [D in BoxDType]: new (lengthOrBuffer: number | ArrayBufferLike) => ObsArray };

/**
 * How one sub-env's observation (or action) occupies a row of a batch: a Box of shape S becomes
 * `size = prod(S)` consecutive elements of its dtype; a Discrete becomes one int32. Batches are flat
 * typed arrays, `[numEnvs, ...S]` in row-major order, so they can live in a SharedArrayBuffer and
 * go straight into a tensor (`tf.tensor(obs, [numEnvs, ...S])`).
 */
export interface BatchLayout<T> {
  /** Element type of the batch. */
  readonly dtype: BoxDType;
  /** Elements per sub-env. */
  readonly size: number;
  /** Shape of one sub-env's value (`[]` for Discrete). */
  readonly shape: readonly number[];
  /** Bytes per element. */
  readonly bytesPerElement: number;
  /** A zeroed batch for `count` sub-envs, in a fresh buffer or over `buffer` (e.g. a SharedArrayBuffer). */
  create(count: number, buffer?: ArrayBufferLike, byteOffset?: number): ObsArray;
  /** Writes sub-env `index`'s value into its row of `batch`. */
  write(batch: ObsArray, index: number, value: T): void;
  /** A copy of sub-env `index`'s row, as the single space's value type. */
  read(batch: ArrayLike<number>, index: number): T;
}

/**
 * The batch layout of a single observation or action space.
 *
 * @throws TypeError for spaces that cannot be batched into one typed array.
 * @example
 * const layout = batchLayout(new Box({ low: -1, high: 1, shape: [4] }));
 * layout.size                     //=> 4
 * const batch = layout.create(8); // Float32Array(32)
 */
export function batchLayout<T>(space: Space<T>): BatchLayout<T> {
  if (space instanceof Discrete) {
    const start = space.start;
    const n = space.n;
    const layout: BatchLayout<number> = {
      dtype: "int32",
      size: 1,
      shape: [],
      bytesPerElement: 4,
      create: (count, buffer, byteOffset = 0) => (buffer ? new Int32Array(buffer, byteOffset, count) : new Int32Array(count)),
      write: (batch, index, value) => {
        batch[index] = value;
      },
      read: (batch, index) => {
        const value = batch[index]!;
        if (!Number.isInteger(value) || value < start || value >= start + n) {
          throw new RangeError(`Expected an action for env ${index} in ${String(space)}, got ${value}`);
        }
        return value;
      },
    };
    return layout as unknown as BatchLayout<T>;
  }
  if (space instanceof Box) {
    const Array = ARRAYS[space.dtype as BoxDType];
    const size = space.size;
    const layout: BatchLayout<ObsArray> = {
      dtype: space.dtype as BoxDType,
      size,
      shape: space.shape,
      bytesPerElement: new Array(0).BYTES_PER_ELEMENT,
      create: (count, buffer, byteOffset = 0) => {
        if (!buffer) return new Array(count * size);
        const view = new (Array as unknown as new (b: ArrayBufferLike, o: number, l: number) => ObsArray)(buffer, byteOffset, count * size);
        return view;
      },
      write: (batch, index, value) => {
        batch.set(value as ArrayLike<number>, index * size);
      },
      read: (batch, index) => {
        const out = new Array(size);
        for (let i = 0; i < size; i++) out[i] = batch[index * size + i]!;
        return out;
      },
    };
    return layout as unknown as BatchLayout<T>;
  }
  throw new TypeError(`Expected a Box or Discrete space to batch, got ${String(space)}`);
}
