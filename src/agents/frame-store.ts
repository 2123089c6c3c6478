/**
 * Single frames kept once, in a ring, each linked to the frame before it in its stack: the storage
 * under {@link FrameReplayBuffer}.
 */

/** "No frame": a sub-env with no current stack, or a frame that begins a stack. */
export const NO_FRAME = -1;

/** Options of {@link FrameStore}. */
export interface FrameStoreOptions {
  /** Frames kept; once full, each new frame overwrites the oldest. */
  readonly frameCapacity: number;
  /** Pixels in one frame (height × width). */
  readonly frameSize: number;
  /** Frames in one stacked observation (its channels, channels-last). */
  readonly stack: number;
  /**
   * Called just before a frame is overwritten that a stored transition uses, with the sequence
   * number of the newest such transition: the buffer must drop every transition up to it.
   */
  readonly onOverwrite: (lastUser: number) => void;
}

/**
 * A ring of frames (one channel of a stacked observation each, height × width bytes) in the order
 * they arrived, from every sub-env interleaved. Each frame links to the frame before it in its
 * stack: the previous step's newest frame of the same sub-env and episode. A stacked observation
 * is then named by one number, the serial of its newest frame, and its older channels are found by
 * following the links; the first frame of an episode links to itself, which reproduces "reset"
 * padding (the first frame repeated, Gymnasium's FrameStackObservation default) and never reaches
 * into another episode.
 *
 * Frames are named by serial (0, 1, 2, … in arrival order, never reused); serial s lives in slot
 * s mod frameCapacity until frame s + frameCapacity overwrites it.
 *
 * @example
 * // Stacks of 2 frames of 1 pixel: the reset stack [7, 7], then a step to [7, 9].
 * const frames = new FrameStore({ frameCapacity: 8, frameSize: 1, stack: 2, onOverwrite: () => {} });
 * const start = frames.appendStack([7, 7], 0);           //=> 0   (one frame: the padding is a repeat)
 * const next = frames.append([7, 9], 0, 1, start);       //=> 1   (only the newest channel is new)
 * const out = new Float32Array(2);
 * frames.writeStack(next, out, 0);  out;                  //=> Float32Array(2) [7, 9]
 */
export class FrameStore {
  readonly frameCapacity: number;
  readonly frameSize: number;
  readonly stack: number;
  private readonly pixels: Uint8Array;
  /** Per slot: the serial of the frame before it in its stack (its own serial if it begins one). */
  private readonly previous: Float64Array;
  /** Per slot: the sequence number of the newest stored transition that uses the frame (−1: none). */
  private readonly lastUser: Float64Array;
  /** Per channel, where the frame of that channel starts in `pixels` (scratch for one stack). */
  private readonly channelStarts: Int32Array;
  private readonly onOverwrite: (lastUser: number) => void;
  /** Frames ever appended: the serial of the next. */
  private written = 0;

  constructor(options: FrameStoreOptions) {
    const { frameCapacity, frameSize, stack, onOverwrite } = options;
    this.frameCapacity = frameCapacity;
    this.frameSize = frameSize;
    this.stack = stack;
    this.pixels = new Uint8Array(frameCapacity * frameSize);
    this.previous = new Float64Array(frameCapacity);
    this.lastUser = new Float64Array(frameCapacity).fill(-1);
    this.channelStarts = new Int32Array(stack);
    this.onOverwrite = onOverwrite;
  }

  /** Bytes of the preallocated arrays: frameSize + 16 a frame. */
  get byteLength(): number {
    return this.pixels.byteLength + this.previous.byteLength + this.lastUser.byteLength + this.channelStarts.byteLength;
  }

  /** Frames appended so far: the serial the next one gets. */
  get framesWritten(): number {
    return this.written;
  }

  /** The oldest serial still in the ring. */
  get oldestFrame(): number {
    return Math.max(0, this.written - this.frameCapacity);
  }

  /**
   * Appends channel `channel` of the stacked observation at `obs[offset…]` (channels-last) as a
   * new frame whose predecessor in its stack is `previous` ({@link NO_FRAME}: it begins a stack).
   *
   * @returns the new frame's serial.
   */
  append(obs: ArrayLike<number>, offset: number, channel: number, previous: number): number {
    const serial = this.written;
    const slot = serial % this.frameCapacity;
    if (serial >= this.frameCapacity) {
      const user = this.lastUser[slot]!;
      if (user >= 0) this.onOverwrite(user);
    }
    this.lastUser[slot] = -1;
    this.previous[slot] = previous === NO_FRAME ? serial : previous;
    const k = this.stack;
    const pixels = this.pixels;
    const start = slot * this.frameSize;
    for (let p = 0, j = offset + channel; p < this.frameSize; p++, j += k) pixels[start + p] = obs[j]!;
    this.written = serial + 1;
    return serial;
  }

  /**
   * Appends a whole stacked observation that begins a stack (an episode's first observation, or
   * any observation the buffer has no history for): its leading run of equal channels once (reset
   * padding: the whole stack is one frame), then each later channel.
   *
   * @returns the serial of its newest frame, which names the stack.
   */
  appendStack(obs: ArrayLike<number>, offset: number): number {
    let newest = this.append(obs, offset, 0, NO_FRAME);
    let padding = true;
    for (let c = 1; c < this.stack; c++) {
      // A repeat of the frame before it is padding only while every channel so far was the same
      // frame: that frame links to itself, so following the links repeats it. Later repeats are
      // real frames (a static screen) and are kept, or the links would skip a step.
      if (padding && this.channelEqualsFrame(obs, offset, c, newest)) continue;
      padding = false;
      newest = this.append(obs, offset, c, newest);
    }
    return newest;
  }

  /** Whether frame `serial` is still in the ring. */
  isAlive(serial: number): boolean {
    return serial >= this.oldestFrame && serial < this.written;
  }

  /** The frame `links` links before frame `serial` in its stack (stopping at the stack's first frame). */
  ancestor(serial: number, links: number): number {
    let frame = serial;
    for (let j = 0; j < links; j++) frame = this.previous[frame % this.frameCapacity]!;
    return frame;
  }

  /** Records that the stored transition `sequence` uses the stack whose newest frame is `newest`. */
  markUsed(newest: number, sequence: number): void {
    let frame = newest;
    for (let c = 0; c < this.stack; c++) {
      const slot = frame % this.frameCapacity;
      this.lastUser[slot] = sequence;
      frame = this.previous[slot]!;
    }
  }

  /** Writes the stack whose newest frame is `newest` into `out[offset…]`, channels-last. */
  writeStack(newest: number, out: Float32Array, offset: number): void {
    const starts = this.locate(newest);
    const k = this.stack;
    const pixels = this.pixels;
    if (k === 4) {
      // The Atari case, unrolled: four reads and four consecutive writes a pixel.
      const [s0, s1, s2, s3] = [starts[0]!, starts[1]!, starts[2]!, starts[3]!];
      for (let p = 0, o = offset; p < this.frameSize; p++, o += 4) {
        out[o] = pixels[s0 + p]!;
        out[o + 1] = pixels[s1 + p]!;
        out[o + 2] = pixels[s2 + p]!;
        out[o + 3] = pixels[s3 + p]!;
      }
      return;
    }
    for (let p = 0, o = offset; p < this.frameSize; p++, o += k) {
      for (let c = 0; c < k; c++) out[o + c] = pixels[starts[c]! + p]!;
    }
  }

  /** Fills `channelStarts` for the stack whose newest frame is `newest`, checking every frame is alive. */
  private locate(newest: number): Int32Array {
    const starts = this.channelStarts;
    let frame = newest;
    for (let c = this.stack - 1; c >= 0; c--) {
      if (!this.isAlive(frame)) {
        throw new Error(`Expected every frame of a stored stack to be in the buffer, got frame ${frame} overwritten (frames ${this.oldestFrame}…${this.written - 1} are kept): a FrameReplayBuffer bug`);
      }
      const slot = frame % this.frameCapacity;
      starts[c] = slot * this.frameSize;
      frame = this.previous[slot]!;
    }
    return starts;
  }

  /** Whether channel `channel` of the stack at `obs[offset…]` equals frame `serial`. */
  private channelEqualsFrame(obs: ArrayLike<number>, offset: number, channel: number, serial: number): boolean {
    const start = (serial % this.frameCapacity) * this.frameSize;
    for (let p = 0, j = offset + channel; p < this.frameSize; p++, j += this.stack) {
      if (obs[j] !== this.pixels[start + p]) return false;
    }
    return true;
  }
}
