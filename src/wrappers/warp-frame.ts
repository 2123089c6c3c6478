import { Box } from "../core/box";
import type { ActionOf, Env, ResetArgs, ResetResult, StepResult } from "../core/env";
import { assertKnownOptions } from "../core/options";
import { Wrapper } from "../core/wrapper";
import { rgbToGray } from "./area-resize";
import { IncrementalAreaResize } from "./incremental-resize";
import { assertObsSize, imageSpace } from "./atari-env";

/** Options of {@link WarpFrame}. */
export interface WarpFrameOptions {
  /** Width of the output frame in pixels (default 84, the Nature DQN paper's). */
  readonly width?: number;
  /** Height of the output frame in pixels (default 84). */
  readonly height?: number;
}

/**
 * Turns each frame into a small grayscale image, 84×84 by default (SB3's `WarpFrame`, from the
 * Nature DQN paper): RGB → gray with OpenCV's `COLOR_RGB2GRAY` weights, then a shrink by area
 * averaging (OpenCV's `INTER_AREA`, see {@link AreaResize}). The observation space becomes
 * `Box(0, 255, [height, width, 1], uint8)`, channels last like SB3's.
 *
 * Why: colour rarely matters for control and a 210×160×3 frame is 100 800 bytes; 84×84 gray is
 * 7 056, which makes a replay buffer of a million frames fit in memory and a CNN 14 times cheaper
 * to run. Area averaging keeps a 2-pixel ball visible as a grey dot where sampling every other
 * pixel could drop it. Results match OpenCV's within 1 grey level.
 *
 * Frames that are already grayscale (`[H, W]` or `[H, W, 1]`, e.g. Breakout's `obsType:
 * "grayscale"`, converted with the same weights) skip the conversion. The frames must be uint8 and
 * no smaller than the output. Each step returns a fresh array.
 *
 * @example
 * const env = new WarpFrame(make("Breakout-v0"));
 * String(env.observationSpace);        //=> "Box(0, 255, [84, 84, 1], uint8)"
 * env.reset({ seed: 0 }).obs.length;   //=> 7056
 * new WarpFrame(make("CartPole-v1"));
 * //=> throws TypeError: Expected WarpFrame's env to have an image observation space (a Box of uint8 of shape [H, W] or [H, W, C]), got Box(...)
 */
export class WarpFrame<E extends Env<Uint8Array, unknown>> extends Wrapper<E, Uint8Array> {
  /** Width of the output frame in pixels. */
  readonly width: number;
  /** Height of the output frame in pixels. */
  readonly height: number;
  private readonly space: Box<"uint8">;
  private readonly inputSize: number;
  private readonly resizer: IncrementalAreaResize;
  /** For RGB input: the grayscale frame before resizing (reused; it never leaves the wrapper). */
  private readonly gray: Uint8Array | undefined;

  /**
   * @param env an env with uint8 frames of shape [H, W, 3] (RGB), [H, W, 1] or [H, W] (gray).
   * @param options `width` and `height` of the output (default 84 each).
   */
  constructor(env: E, options: WarpFrameOptions = {}) {
    super(env);
    assertKnownOptions(options, ["width", "height"], "WarpFrame");
    const { width = 84, height = 84 } = options;
    const input = imageSpace(env.observationSpace, "WarpFrame", ["uint8"]);
    if (input.channels !== 1 && input.channels !== 3) {
      throw new TypeError(`Expected WarpFrame's env to have frames with 1 (gray) or 3 (RGB) channels, got ${String(input.space)}`);
    }
    for (const [name, value] of [["width", width], ["height", height]] as const) {
      if (!(Number.isSafeInteger(value) && value > 0)) throw new RangeError(`Expected ${name} to be a positive integer, got ${value}`);
    }
    this.width = width;
    this.height = height;
    this.inputSize = input.space.size;
    // Throws for an output larger than the frames: area averaging only shrinks. Incremental: a
    // mostly still screen costs only the rows that changed, with the full resize's exact result.
    this.resizer = new IncrementalAreaResize({ height: input.height, width: input.width }, { height, width });
    this.gray = input.channels === 3 ? new Uint8Array(input.height * input.width) : undefined;
    this.space = new Box({ low: 0, high: 255, shape: [height, width, 1], dtype: "uint8" });
  }

  override get observationSpace(): Box<"uint8"> {
    return this.space;
  }

  override reset(args?: ResetArgs): ResetResult<Uint8Array> {
    const result = super.reset(args);
    return { obs: this.warp(result.obs), info: result.info };
  }

  override step(action: ActionOf<E>): StepResult<Uint8Array> {
    const result = super.step(action);
    return { obs: this.warp(result.obs), reward: result.reward, terminated: result.terminated, truncated: result.truncated, info: result.info };
  }

  /** One frame → a fresh `height × width` gray frame. */
  private warp(frame: Uint8Array): Uint8Array {
    assertObsSize(frame, this.inputSize, "WarpFrame");
    const gray = this.gray === undefined ? frame : rgbToGray(frame, this.gray);
    return this.resizer.resize(gray, new Uint8Array(this.width * this.height));
  }
}
