import { BaseEnv } from "../../core/base-env";
import { Box } from "../../core/box";
import { describeValue } from "../../core/describe";
import { Discrete } from "../../core/discrete";
import type { Info, ResetArgs, ResetResult, StepResult, StepWithoutObsResult } from "../../core/env";
import type { RgbFrame } from "../../core/frame";
import { assertKnownOptions } from "../../core/options";
import { COMPACT_CHANNELS, COMPACT_GRID_SIZE, CompactView } from "./compact";
import { BreakoutGame } from "./game";
import { SCREEN_HEIGHT, SCREEN_WIDTH } from "./layout";
import { BreakoutRenderer } from "./renderer";
import { BREAKOUT_ACTION_MEANINGS, type BreakoutEvents } from "./rules";

/** What an observation of {@link BreakoutEnv} is, like ALE's `obs_type`. */
export type BreakoutObsType = "rgb" | "grayscale" | "compact";

/** Options of {@link BreakoutEnv} (also accepted by `make("Breakout-v0", options)`). */
export interface BreakoutOptions {
  /** `"rgb"` (default), `"grayscale"` or `"compact"`; see the observation table of BreakoutEnv. */
  readonly obsType?: BreakoutObsType;
  /**
   * Draw the ball only on even frames, as Atari sprites flicker when a game has more objects than
   * the hardware can show at once. An agent that sees single frames then misses the ball half the
   * time, which is why the Atari preprocessing takes the max of the last two frames. Default false.
   */
  readonly flicker?: boolean;
}

/** The `info` of every reset and step of {@link BreakoutEnv}. */
export interface BreakoutInfo extends Info {
  /** Balls left, including the one in play (ALE's `lives()`): what EpisodicLife watches. */
  lives: number;
  /** Frames since reset (ALE's `episode_frame_number`). */
  episodeFrameNumber: number;
  /** What happened during this frame (all false / 0 on reset). */
  events: BreakoutEvents;
}

const OBS_TYPES: readonly BreakoutObsType[] = ["rgb", "grayscale", "compact"];

/**
 * Breakout as on the Atari 2600 under ALE, drawn and played in ALE's own pixel coordinates, so the
 * standard Atari preprocessing (NoopReset, FireReset, EpisodicLife, MaxAndSkip, WarpFrame,
 * FrameStack, ClipReward) applies unchanged. `Breakout-v0` is one frame per step with no frameskip
 * and no sticky actions: ALE's `BreakoutNoFrameskip-v4`, the env SB3's AtariWrapper expects.
 * The rules are in {@link BreakoutGame}; the screen is drawn by {@link BreakoutRenderer}.
 *
 * ## Observation: Box uint8, by `obsType`
 * | obsType     | shape        | contents                                                              |
 * |-------------|--------------|-----------------------------------------------------------------------|
 * | `rgb`       | [210, 160, 3]| ALE's RGB frame: walls (142,142,142), 6 brick rows, paddle, 2×4 ball, score and lives digits |
 * | `grayscale` | [210, 160]   | the same frame in OpenCV's grey (0.299 R + 0.587 G + 0.114 B, exactly as cv2.cvtColor)        |
 * | `compact`   | [10, 10, 4]  | MinAtar-style 0/1 grid: channels paddle, ball, trail, brick ({@link CompactView})             |
 * Every observation is a fresh Uint8Array that later steps never change.
 *
 * ## Actions: Discrete(4)
 * | action | meaning                                                         |
 * |--------|-----------------------------------------------------------------|
 * | 0      | NOOP                                                            |
 * | 1      | FIRE: serves the ball when none is in play (otherwise nothing)  |
 * | 2      | RIGHT: paddle 4 px right                                        |
 * | 3      | LEFT: paddle 4 px left                                          |
 *
 * ## Reward
 * The points scored in the frame: 7 for a red or orange brick, 4 for amber or yellow, 1 for green or
 * blue. Clearing both walls scores 864.
 *
 * ## Start state
 * A full wall, score 0, 5 lives, the paddle centred and no ball: nothing happens until FIRE. Each
 * serve draws the ball's column and direction from the env's seeded RNG.
 *
 * ## Episode end
 * - terminated: the last ball is lost (lives reach 0), or both walls are cleared (the 2600 refills
 *   the wall once; ALE's episode would go on with an empty screen, here it ends).
 * - truncated: never by the env itself; `make` adds a TimeLimit of 108,000 steps (frames), ALE's
 *   30-minute cap.
 * Losing a ball that is not the last does not end the episode; `info.lives` drops (EpisodicLife
 * turns that into a terminal for the learner).
 *
 * ## Info
 * `info.lives`, `info.episodeFrameNumber` and `info.events = { paddleHit, bricksHit, wallHit,
 * lifeLost }` for the frame, on every reset and step.
 *
 * @example
 * const env = new BreakoutEnv({ obsType: "grayscale" });
 * env.reset({ seed: 0 }).info.lives;   //=> 5
 * env.getActionMeanings();             //=> ["NOOP", "FIRE", "RIGHT", "LEFT"]
 * const step = env.step(1);            // FIRE serves the ball
 * step.obs.length;                     //=> 33600   (210 × 160)
 * env.game.ballInPlay;                 //=> true
 */
export class BreakoutEnv extends BaseEnv<Uint8Array, number> {
  /** The option names BreakoutEnv accepts (make rejects any other). */
  static readonly optionNames: readonly string[] = Object.freeze(["obsType", "flicker"]);

  readonly actionSpace = new Discrete(4);
  readonly observationSpace: Box<"uint8">;
  override readonly metadata = Object.freeze({ renderFps: 60 });
  /** The kind of observation (see the class comment). */
  readonly obsType: BreakoutObsType;
  /** Whether the ball is drawn only on even frames. */
  readonly flicker: boolean;
  /** The game being played: its state can be read, and set up by tests and notebooks. */
  readonly game = new BreakoutGame();

  private readonly pixelRenderer: BreakoutRenderer | undefined;
  private readonly compactView: CompactView | undefined;
  private rgbRenderer: BreakoutRenderer | undefined;
  private hasReset = false;

  constructor(options: BreakoutOptions = {}) {
    super();
    assertKnownOptions(options, BreakoutEnv.optionNames, "BreakoutEnv");
    const { obsType = "rgb", flicker = false } = options;
    if (!OBS_TYPES.includes(obsType)) {
      throw new RangeError(`Expected obsType among ${OBS_TYPES.map((type) => `"${type}"`).join(", ")}, got ${describeValue(obsType)}`);
    }
    if (typeof flicker !== "boolean") throw new TypeError(`Expected flicker to be a boolean, got ${describeValue(flicker)}`);
    this.obsType = obsType;
    this.flicker = flicker;
    if (obsType === "compact") {
      this.compactView = new CompactView();
      this.observationSpace = new Box({ low: 0, high: 1, shape: [COMPACT_GRID_SIZE, COMPACT_GRID_SIZE, COMPACT_CHANNELS.length], dtype: "uint8" });
    } else {
      this.pixelRenderer = new BreakoutRenderer(obsType);
      if (obsType === "rgb") this.rgbRenderer = this.pixelRenderer;
      const shape = obsType === "rgb" ? [SCREEN_HEIGHT, SCREEN_WIDTH, 3] : [SCREEN_HEIGHT, SCREEN_WIDTH];
      this.observationSpace = new Box({ low: 0, high: 255, shape, dtype: "uint8" });
    }
  }

  /** Balls left, including the one in play (ALE's `lives()`); 5 after reset. */
  get lives(): number {
    return this.game.lives;
  }

  /** The name of each action, ALE's `get_action_meanings()`: FireReset checks that index 1 is FIRE. */
  getActionMeanings(): string[] {
    return [...BREAKOUT_ACTION_MEANINGS];
  }

  reset(args: ResetArgs = {}): ResetResult<Uint8Array> {
    this.seedRng(args.seed);
    if (args.options !== undefined) assertKnownOptions(args.options, [], "BreakoutEnv.reset({ options })");
    this.game.reset();
    this.compactView?.reset();
    this.hasReset = true;
    const events: BreakoutEvents = { paddleHit: false, bricksHit: 0, wallHit: false, lifeLost: false };
    return { obs: this.observation(), info: this.info(events) };
  }

  step(action: number): StepResult<Uint8Array> {
    const { reward, terminated, info } = this.advance(action, "step()");
    return { obs: this.observation(), reward, terminated, truncated: false, info };
  }

  /**
   * `step` without drawing the frame (ALE's `act` without fetching the screen): MaxAndSkip uses it
   * for the frames of an agent step whose picture it discards, half of them at frameskip 4. The
   * game advances exactly as in `step`; the frame of a step that ends the game is drawn.
   */
  stepWithoutObs(action: number): StepWithoutObsResult<Uint8Array> {
    const { reward, terminated, info } = this.advance(action, "stepWithoutObs()");
    // The compact view follows the ball's trail from frame to frame, so it must see every frame
    // (it costs little: 400 bytes); the pixel frames are drawn only when the game ends.
    const obs = terminated || this.compactView !== undefined ? this.observation() : undefined;
    return { obs, reward, terminated, truncated: false, info };
  }

  /** One frame of the game (what `step` and `stepWithoutObs` share): everything but the picture. */
  private advance(action: number, method: string): { reward: number; terminated: boolean; info: BreakoutInfo } {
    if (!this.hasReset) throw new Error(`Expected reset() before step(), got ${method} on a BreakoutEnv that was never reset`);
    const { reward, gameOver, events } = this.game.step(action, this.rng);
    return { reward, terminated: gameOver, info: this.info(events) };
  }

  /** The current frame as ALE draws it (RGB, 160×210), whatever the obsType. */
  override render(): RgbFrame {
    if (!this.hasReset) throw new Error("Expected reset() before render(), got render() on a BreakoutEnv that was never reset");
    this.rgbRenderer ??= new BreakoutRenderer("rgb");
    return { width: SCREEN_WIDTH, height: SCREEN_HEIGHT, data: this.rgbRenderer.render(this.game, this.ballVisible()) };
  }

  private observation(): Uint8Array {
    if (this.compactView !== undefined) return this.compactView.observe(this.game);
    return this.pixelRenderer!.render(this.game, this.ballVisible());
  }

  /** With flicker the ball shows on even frames only, so any two consecutive frames include it once. */
  private ballVisible(): boolean {
    return !this.flicker || this.game.frameNumber % 2 === 0;
  }

  private info(events: BreakoutEvents): BreakoutInfo {
    return { lives: this.game.lives, episodeFrameNumber: this.game.frameNumber, events };
  }
}
