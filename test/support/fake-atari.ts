/**
 * A scripted Atari-like env for the Atari wrapper tests: it has the contract of our Breakout env
 * (action meanings, `lives`, `info.lives`, uint8 frames of [210, 160, 3] or [210, 160]) but its
 * frames, rewards and lost lives follow a script, and it logs every call. Not a test file.
 *
 * Loading this module also registers it as "FakeAtari-v0" (so worker threads can make it with
 * the id `${FAKE_ATARI_MODULE}:FakeAtari-v0`).
 */
import { BaseEnv } from "../../src/core/base-env";
import { Box } from "../../src/core/box";
import { Discrete } from "../../src/core/discrete";
import type { Info, ResetArgs, ResetResult, StepResult } from "../../src/core/env";
import { register, registry } from "../../src/core/registry";

/** Options of {@link FakeAtariEnv}. */
export interface FakeAtariOptions {
  /** `"rgb"` (default): [height, width, 3] frames; `"grayscale"`: [height, width]. */
  readonly obsType?: "rgb" | "grayscale";
  readonly height?: number;
  readonly width?: number;
  /** Overrides the frame shape that obsType, height and width give (e.g. [210, 160, 1]). */
  readonly shape?: readonly number[];
  /** Lives at reset (default 5). */
  readonly lives?: number;
  /**
   * Frames (counted from 1 after each reset) on which a life is lost; losing the last one ends the
   * game (`terminated`). Default: none.
   */
  readonly lifeLossFrames?: readonly number[];
  /** Terminate on this frame regardless of lives (default: never). */
  readonly terminateAtFrame?: number;
  /** Truncate on this frame (default: never). */
  readonly truncateAtFrame?: number;
  /** The reward of each frame (default: the frame number, so sums are easy to check). */
  readonly reward?: (frame: number, action: number) => number;
  /** Fills `out` with frame `frame`'s pixels (default {@link fakePixel}); `frame` 0 is the reset frame. */
  readonly paint?: (frame: number, out: Uint8Array) => void;
  /** Action meanings (default Breakout's). */
  readonly actionMeanings?: readonly string[];
  /** Return one buffer, overwritten each frame, as a fast emulator would (default true). */
  readonly reuseBuffer?: boolean;
}

/** Pixel `index` of frame `frame` in the default paint: a pattern whose consecutive frames cross. */
export function fakePixel(frame: number, index: number): number {
  return (index * 7 + frame * 50 + ((index >> 3) & 1) * 128) & 255;
}

/** The default paint: every pixel from {@link fakePixel}. */
export function paintFake(frame: number, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) out[i] = fakePixel(frame, i);
}

/** An Atari-like env driven by a script; see the module comment. */
export class FakeAtariEnv extends BaseEnv<Uint8Array, number> {
  readonly actionSpace: Discrete;
  readonly observationSpace: Box<"uint8">;
  /** Every call in order: "reset" or the action stepped. */
  readonly calls: (number | "reset")[] = [];
  /** The seed of each reset, in order (`undefined` for a reset without one). */
  readonly resetSeeds: (number | undefined)[] = [];
  /** Frames since the last reset. */
  frame = 0;
  private livesLeft = 0;
  private readonly options: FakeAtariOptions;
  private buffer: Uint8Array;

  constructor(options: FakeAtariOptions = {}) {
    super();
    this.options = options;
    const { obsType = "rgb", height = 210, width = 160 } = options;
    const shape = options.shape ?? (obsType === "rgb" ? [height, width, 3] : [height, width]);
    this.observationSpace = new Box({ low: 0, high: 255, shape, dtype: "uint8" });
    this.actionSpace = new Discrete(this.getActionMeanings().length);
    this.buffer = new Uint8Array(this.observationSpace.size);
  }

  getActionMeanings(): readonly string[] {
    return this.options.actionMeanings ?? ["NOOP", "FIRE", "RIGHT", "LEFT"];
  }

  get lives(): number {
    return this.livesLeft;
  }

  /** The actions stepped, without the resets. */
  get actions(): number[] {
    return this.calls.filter((call): call is number => call !== "reset");
  }

  reset(args: ResetArgs = {}): ResetResult<Uint8Array> {
    this.seedRng(args.seed);
    this.calls.push("reset");
    this.resetSeeds.push(args.seed);
    this.frame = 0;
    this.livesLeft = this.options.lives ?? 5;
    return { obs: this.draw(), info: this.info() };
  }

  step(action: number): StepResult<Uint8Array> {
    if (!this.actionSpace.contains(action)) throw new RangeError(`FakeAtariEnv: bad action ${action}`);
    this.calls.push(action);
    this.frame += 1;
    const { lifeLossFrames = [], terminateAtFrame, truncateAtFrame, reward = (frame: number) => frame } = this.options;
    if (lifeLossFrames.includes(this.frame)) this.livesLeft -= 1;
    const terminated = this.livesLeft === 0 || this.frame === terminateAtFrame;
    return { obs: this.draw(), reward: reward(this.frame, action), terminated, truncated: this.frame === truncateAtFrame, info: this.info() };
  }

  private draw(): Uint8Array {
    if (this.options.reuseBuffer === false) this.buffer = new Uint8Array(this.buffer.length);
    (this.options.paint ?? paintFake)(this.frame, this.buffer);
    return this.buffer;
  }

  private info(): Info {
    return { lives: this.livesLeft, frame: this.frame };
  }
}

/** This module's compiled path, for `"module:EnvId"` ids in worker threads. */
export const FAKE_ATARI_MODULE = __filename;

if (!registry.has("FakeAtari-v0")) {
  register({
    id: "FakeAtari-v0",
    entryPoint: (options) => new FakeAtariEnv(options as FakeAtariOptions),
    optionNames: ["obsType", "lives", "lifeLossFrames", "terminateAtFrame", "truncateAtFrame", "height", "width"],
    disableEnvChecker: false,
  });
}
