/**
 * The checks that let {@link FrameReplayBuffer} store each frame once and still give back exactly
 * the stacked observations the env produced: the observations must really be frame stacks, and
 * each sub-env's observations must follow one another.
 */

/** The layout of one stacked observation: `[height, width, stack]`, channels-last. */
export interface StackLayout {
  readonly height: number;
  readonly width: number;
  readonly stack: number;
}

/** Whether this machine stores the bytes of a word lowest first (every platform Node runs on does). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** `length` bytes of `array` from `offset` as int32 words, where `array` is bytes aligned to 4; else undefined. */
function asWords(array: ArrayLike<number>, offset: number, length: number): Int32Array | undefined {
  if (!(array instanceof Uint8Array) || (array.byteOffset + offset) % 4 !== 0 || length % 4 !== 0) return undefined;
  return new Int32Array(array.buffer, array.byteOffset + offset, length / 4);
}

/**
 * Whether `length` numbers of `a` from `aOffset` equal those of `b` from `bOffset`; compared four
 * bytes at a time where both are aligned byte arrays (an 84×84×4 stack: 7 056 comparisons, not 28 224).
 *
 * @example
 * rowsEqual({ a: [1, 2, 3], aOffset: 1, b: [2, 3], bOffset: 0 }, 2); //=> true
 */
export function rowsEqual(rows: { readonly a: ArrayLike<number>; readonly aOffset: number; readonly b: ArrayLike<number>; readonly bOffset: number }, length: number): boolean {
  const { a, aOffset, b, bOffset } = rows;
  const [aWords, bWords] = [asWords(a, aOffset, length), asWords(b, bOffset, length)];
  if (aWords !== undefined && bWords !== undefined) {
    for (let w = 0; w < aWords.length; w++) if (aWords[w] !== bWords[w]) return false;
    return true;
  }
  for (let j = 0; j < length; j++) if (a[aOffset + j] !== b[bOffset + j]) return false;
  return true;
}

/** The first index j < length where `a[aOffset + j] ≠ b[bOffset + j]`, or −1. */
export function firstDifference(rows: { readonly a: ArrayLike<number>; readonly aOffset: number; readonly b: ArrayLike<number>; readonly bOffset: number }, length: number): number {
  const { a, aOffset, b, bOffset } = rows;
  for (let j = 0; j < length; j++) if (a[aOffset + j] !== b[bOffset + j]) return j;
  return -1;
}

/**
 * Where `next` (at `nextOffset`) fails to be `obs` (at `obsOffset`) shifted by one frame, i.e.
 * the first pixel p and channel c < stack − 1 with `next[c] ≠ obs[c + 1]`; undefined if it is.
 *
 * @example
 * // 1 pixel, stacks of 3: [1, 2, 3] → [2, 3, 4] is a shift; [1, 2, 3] → [3, 2, 4] is not.
 * findShiftMismatch({ obs: [1, 2, 3], obsOffset: 0, next: [2, 3, 4], nextOffset: 0 }, { height: 1, width: 1, stack: 3 }); //=> undefined
 * findShiftMismatch({ obs: [1, 2, 3], obsOffset: 0, next: [3, 2, 4], nextOffset: 0 }, { height: 1, width: 1, stack: 3 }); //=> { channel: 0, pixel: 0 }
 */
export function findShiftMismatch(
  rows: { readonly obs: ArrayLike<number>; readonly obsOffset: number; readonly next: ArrayLike<number>; readonly nextOffset: number },
  layout: StackLayout,
): { channel: number; pixel: number } | undefined {
  const { obs, obsOffset, next, nextOffset } = rows;
  const k = layout.stack;
  const pixels = layout.height * layout.width;
  if (k === 4 && LITTLE_ENDIAN) {
    // A pixel's 4 channels are one word, channel c in bits 8c…8c+7: the shift is one comparison.
    const [obsWords, nextWords] = [asWords(obs, obsOffset, pixels * 4), asWords(next, nextOffset, pixels * 4)];
    if (obsWords !== undefined && nextWords !== undefined) {
      let same = true;
      for (let p = 0; p < pixels && same; p++) same = (nextWords[p]! & 0xffffff) === obsWords[p]! >>> 8;
      if (same) return undefined; // else locate the channel below
    }
  }
  for (let p = 0; p < pixels; p++) {
    const o = obsOffset + p * k;
    const n = nextOffset + p * k;
    for (let c = 0; c < k - 1; c++) {
      if (next[n + c] !== obs[o + c + 1]) return { channel: c, pixel: p };
    }
  }
  return undefined;
}

/** "(row 3, column 7)" for pixel index `pixel` of a frame `width` wide. */
function where(pixel: number, width: number): string {
  return `(row ${Math.floor(pixel / width)}, column ${pixel % width})`;
}

/**
 * The error for a next observation that is not the observation shifted by one frame: the
 * observations are not channels-last frame stacks with the newest frame last.
 */
export function notAFrameStackError(details: { envId: number; channel: number; pixel: number; obsValue: number; nextValue: number }, layout: StackLayout): Error {
  const { envId, channel, pixel, obsValue, nextValue } = details;
  const last = layout.stack - 1;
  return new Error(
    `Expected env ${envId}'s next observation to be its observation shifted by one frame (a channels-last frame stack [height, width, ${layout.stack}], ` +
      `oldest frame in channel 0, newest in channel ${last}: nextObs channel c = obs channel c + 1 for c < ${last}), ` +
      `got nextObs channel ${channel} = ${nextValue} but obs channel ${channel + 1} = ${obsValue} at pixel ${where(pixel, layout.width)}. ` +
      "A channels-first or newest-first stack, or channels that are not successive frames (RGB colours), cannot be stored frame by frame: " +
      'stack frames like Gymnasium\'s FrameStackObservation, or use ReplayBuffer (DQN: replayBufferClass: "ReplayBuffer")',
  );
}

/**
 * The error for an observation that is not the one the sub-env's previous step returned: the
 * caller did not carry `obs = result.obs` over, or reset the envs without telling the buffer.
 */
export function notTheLastObservationError(details: { envId: number; channel: number; pixel: number }, layout: StackLayout): Error {
  const { envId, channel, pixel } = details;
  return new Error(
    `Expected env ${envId}'s obs to be the stacked observation its previous step returned, got a different one (channel ${channel} differs at pixel ${where(pixel, layout.width)}): ` +
      "carry obs = result.obs over to the next step (easy to overlook), and call endEpisodes() after resetting the envs yourself",
  );
}
