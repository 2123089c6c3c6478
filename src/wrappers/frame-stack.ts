import { Box, TYPED_ARRAY_CONSTRUCTORS, type BoxDType } from "../core/box";
import type { ActionOf, Env, ObsOf, ResetArgs, ResetResult, StepResult } from "../core/env";
import { assertKnownOptions } from "../core/options";
import type { Space } from "../core/space";
import { Wrapper } from "../core/wrapper";
import { assertObsSize, imageSpace } from "./atari-env";
import { pixelKernels } from "./pixel-kernels";
import type { NumericArray } from "./pixel-max";

/** Options of {@link FrameStack}. */
export interface FrameStackOptions {
  /** How many of the most recent frames each observation holds (default 4, rl-zoo's `frame_stack`). */
  readonly stackSize?: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Stacks the last `stackSize` frames along the channel axis: frames of shape [H, W, C] (or [H, W])
 * become observations of shape [H, W, C × stackSize], oldest frame first (channel 0) and the newest
 * last, the order of SB3's `VecFrameStack` and what our Nature CNN takes ([84, 84, 4]).
 *
 * Why: one frame shows where the ball is, not where it is going. Four frames let the network read
 * off velocity (the Nature DQN paper's fix for a partially observed state).
 *
 * At reset the stack is filled with copies of the first frame (Gymnasium's
 * `FrameStackObservation` with `padding_type="reset"`): the first observation says "nothing has
 * moved yet". SB3's `VecFrameStack` pads with zeros instead, so its first observation shows a
 * ball appearing out of black frames; a network trained on one convention sees slightly different
 * first steps under the other, nothing more.
 *
 * Each frame is stored once, in a ring of `stackSize` frames; a step copies the new frame into the
 * ring and interleaves the ring into a fresh observation, which the caller may keep (the wrapper
 * never writes to it again). For one-channel uint8 frames and a stack of 4 (the Atari case) the
 * interleaving runs in the WebAssembly SIMD kernel (`pixel-kernels.ts`), 16 pixels at a time; where
 * that is missing, a pixel of the observation is one 32-bit word, and four pixels of the four
 * frames are interleaved with a few shifts and masks.
 *
 * @example
 * const env = new FrameStack(new WarpFrame(make("Breakout-v0")), { stackSize: 4 });
 * String(env.observationSpace);   //=> "Box(0, 255, [84, 84, 4], uint8)"
 * const first = env.reset({ seed: 0 }).obs;
 * [first[0], first[1], first[2], first[3]];   // pixel (0, 0) of the reset frame, four times
 * const next = env.step(1).obs;
 * next[3];                        // pixel (0, 0) of the newest frame; next[0..2] are older
 */
export class FrameStack<E extends Env<NumericArray, unknown>> extends Wrapper<E> {
  /** How many frames each observation holds. */
  readonly stackSize: number;
  private readonly space: Box<BoxDType>;
  private readonly frameSize: number;
  private readonly channels: number;
  /** The last `stackSize` frames; `ring[newest]` is the most recent. */
  private readonly ring: NumericArray[];
  private newest = 0;
  /** Uint8 frames, one channel, stack of 4: the ring as 32-bit words (4 pixels each). */
  private readonly ringWords: Int32Array[] | undefined;

  /**
   * @param env an env with frames of shape [H, W] or [H, W, C] (a Box of any dtype).
   * @param options `stackSize` (default 4), a positive integer.
   */
  constructor(env: E, options: FrameStackOptions = {}) {
    super(env);
    assertKnownOptions(options, ["stackSize"], "FrameStack");
    const { stackSize = 4 } = options;
    if (!(Number.isSafeInteger(stackSize) && stackSize > 0)) throw new RangeError(`Expected stackSize to be a positive integer, got ${stackSize}`);
    const input = imageSpace(env.observationSpace, "FrameStack");
    this.stackSize = stackSize;
    this.channels = input.channels;
    this.frameSize = input.space.size;
    this.space = new Box({
      low: stackChannels(input.space.low, input.channels, stackSize),
      high: stackChannels(input.space.high, input.channels, stackSize),
      shape: [input.height, input.width, input.channels * stackSize],
      dtype: input.space.dtype,
    });
    const Frame = TYPED_ARRAY_CONSTRUCTORS[input.space.dtype];
    this.ring = Array.from({ length: stackSize }, () => new Frame(this.frameSize));
    const wordwise = LITTLE_ENDIAN && input.space.dtype === "uint8" && input.channels === 1 && stackSize === 4;
    this.ringWords = wordwise ? this.ring.map((frame) => new Int32Array(frame.buffer, 0, this.frameSize >>> 2)) : undefined;
  }

  /** The frames' Box with the channel axis `stackSize` times longer. */
  override get observationSpace(): Space<ObsOf<E>> {
    return this.space as Space<unknown> as Space<ObsOf<E>>;
  }

  override reset(args?: ResetArgs): ResetResult<ObsOf<E>> {
    const result = super.reset(args);
    assertObsSize(result.obs, this.frameSize, "FrameStack");
    for (const frame of this.ring) frame.set(result.obs);
    return { obs: this.stacked() as ObsOf<E>, info: result.info };
  }

  override step(action: ActionOf<E>): StepResult<ObsOf<E>> {
    const result = super.step(action);
    assertObsSize(result.obs, this.frameSize, "FrameStack");
    this.newest = (this.newest + 1) % this.stackSize;
    this.ring[this.newest]!.set(result.obs);
    return { obs: this.stacked() as ObsOf<E>, reward: result.reward, terminated: result.terminated, truncated: result.truncated, info: result.info };
  }

  /** A fresh observation: the ring's frames interleaved per pixel, oldest first. */
  private stacked(): NumericArray {
    const { stackSize, channels, frameSize } = this;
    const out = new TYPED_ARRAY_CONSTRUCTORS[this.space.dtype](frameSize * stackSize);
    const oldest = (this.newest + 1) % stackSize;
    let done = 0;
    const kernels = this.ringWords !== undefined ? pixelKernels() : undefined;
    if (kernels !== undefined) {
      const ring = this.ring as Uint8Array[];
      kernels.interleave4(out as Uint8Array, ring[oldest]!, ring[(oldest + 1) & 3]!, ring[(oldest + 2) & 3]!, ring[(oldest + 3) & 3]!);
      done = frameSize;
    } else if (this.ringWords !== undefined) {
      const words = this.ringWords;
      interleaveFourPlanes(new Int32Array(out.buffer), words[oldest]!, words[(oldest + 1) & 3]!, words[(oldest + 2) & 3]!, words[(oldest + 3) & 3]!);
      done = (frameSize >>> 2) << 2;
    }
    // The general case (and the last pixels of a frame whose size is not a multiple of 4).
    const pixels = frameSize / channels;
    for (let age = 0; age < stackSize; age++) {
      const frame = this.ring[(oldest + age) % stackSize]!;
      for (let pixel = done / channels; pixel < pixels; pixel++) {
        const to = (pixel * stackSize + age) * channels;
        const from = pixel * channels;
        for (let c = 0; c < channels; c++) out[to + c] = frame[from + c]!;
      }
    }
    return out;
  }
}

/**
 * Interleaves four one-byte-per-pixel planes into four-byte pixels (plane 0 in the lowest byte, so
 * channel 0 on a little-endian machine), four pixels per loop: first bytes of a and b (and of c and
 * d) are paired into 16-bit halves, then the pairs are joined into whole pixels.
 */
function interleaveFourPlanes(out: Int32Array, a: Int32Array, b: Int32Array, c: Int32Array, d: Int32Array): void {
  for (let w = 0, o = 0; w < a.length; w++, o += 4) {
    const pa = a[w]!;
    const pb = b[w]!;
    const pc = c[w]!;
    const pd = d[w]!;
    const abEven = (pa & 0x00ff00ff) | ((pb & 0x00ff00ff) << 8); // pixels 0 and 2 of a, b
    const abOdd = ((pa >>> 8) & 0x00ff00ff) | (pb & 0xff00ff00); // pixels 1 and 3
    const cdEven = (pc & 0x00ff00ff) | ((pd & 0x00ff00ff) << 8);
    const cdOdd = ((pc >>> 8) & 0x00ff00ff) | (pd & 0xff00ff00);
    out[o] = (abEven & 0xffff) | (cdEven << 16);
    out[o + 1] = (abOdd & 0xffff) | (cdOdd << 16);
    out[o + 2] = (abEven >>> 16) | (cdEven & 0xffff0000);
    out[o + 3] = (abOdd >>> 16) | (cdOdd & 0xffff0000);
  }
}

/** Per-element bounds of one frame repeated for each frame of the stack, in the stacked layout. */
function stackChannels(bounds: ArrayLike<number>, channels: number, stackSize: number): number[] {
  const stacked: number[] = [];
  for (let pixel = 0; pixel < bounds.length / channels; pixel++) {
    for (let age = 0; age < stackSize; age++) {
      for (let c = 0; c < channels; c++) stacked.push(bounds[pixel * channels + c]!);
    }
  }
  return stacked;
}
