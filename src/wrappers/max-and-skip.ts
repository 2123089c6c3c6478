import { Box, TYPED_ARRAY_CONSTRUCTORS, type BoxDType } from "../core/box";
import type { ActionOf, Env, ObsOf, ResetArgs, ResetResult, StepResult } from "../core/env";
import { assertKnownOptions } from "../core/options";
import { passStepWithoutObs, Wrapper } from "../core/wrapper";
import { assertObsSize } from "./atari-env";
import { pixelwiseMax, type NumericArray } from "./pixel-max";

/** Options of {@link MaxAndSkip}. */
export interface MaxAndSkipOptions {
  /** How many frames each action is repeated for (default 4, SB3's and the Nature DQN paper's). */
  readonly skip?: number;
}

/**
 * Repeats each action for `skip` frames and returns the pixel-wise maximum of the last two (SB3's
 * `MaxAndSkipEnv`). The reward is the sum over the frames; `terminated`, `truncated` and `info` are
 * the last frame's.
 *
 * Why skip: consecutive Atari frames (60 per second) barely differ, so deciding on every 4th frame
 * loses little and makes an agent step four times as much game time for the same computation.
 * Why the maximum: the Atari draws some sprites only on every other frame (flicker, from its tiny
 * video memory); a single frame can miss the ball, the maximum of two shows it.
 *
 * Only the last two frames' pictures are used, so for the others the wrapper calls the env's
 * `stepWithoutObs` where it has one (Breakout-v0 does): the game advances, the frame is not drawn,
 * as in ALE's and EnvPool's own frame skip. At frameskip 4 that halves the drawing.
 *
 * When the episode ends on an earlier frame, the step stops there (its reward is the sum so far)
 * and the observation is the maximum of the final frame and the frame before it (from the
 * previous step if the step ended on its first frame; the final frame alone if the one before was
 * not drawn), so the true final frame, which a learner bootstraps from after a truncation, is
 * always in it; SB3 returns the previous step's frames there. A RecordEpisodeStatistics below this wrapper reports the game in the final frame's info,
 * which this wrapper returns.
 *
 * Each step returns a fresh observation the caller may keep. The wrapper starts by keeping its own
 * copy of the frame before the newest, so an env that reuses one observation buffer works too. Once
 * the env has shown, for a few frames, that it returns a new array each step and leaves the old one
 * untouched (Gymnasium's envs and ours do), it keeps a reference instead, saving a copy of every
 * frame; an env that hands back the same array again puts it back to copying.
 *
 * @example
 * const env = new MaxAndSkip(make("Breakout-v0"), { skip: 4 });
 * env.reset({ seed: 0 });
 * env.step(1);   // 4 frames of FIRE; obs = max(frame 3, frame 4), reward = their sum
 */
export class MaxAndSkip<E extends Env<NumericArray, number>> extends Wrapper<E> {
  /** How many frames each action is repeated for. */
  readonly skip: number;
  private readonly dtype: BoxDType;
  private readonly size: number;
  /** Our own copy of the frame before the newest one (used while copying). */
  private readonly previous: NumericArray;
  /** Frames left to watch before trusting the env's arrays to stay unchanged (0: trusted). */
  private framesToVerify = 8;
  /** The newest frame (the env's array, valid until the env's next step). */
  private latest: NumericArray | undefined;

  /**
   * @param env an env with a Box observation space (frames, of any shape and dtype).
   * @param options `skip` (default 4), a positive integer; 1 returns each frame as it is.
   */
  constructor(env: E, options: MaxAndSkipOptions = {}) {
    super(env);
    assertKnownOptions(options, ["skip"], "MaxAndSkip");
    const { skip = 4 } = options;
    if (!(Number.isSafeInteger(skip) && skip > 0)) throw new RangeError(`Expected skip to be a positive integer, got ${skip}`);
    const space = env.observationSpace as unknown;
    if (!(space instanceof Box)) throw new TypeError(`Expected MaxAndSkip's env to have a Box observation space (frames), got ${String(space)}`);
    const frames = space as Box<BoxDType>;
    this.skip = skip;
    this.dtype = frames.dtype;
    this.size = frames.size;
    this.previous = new TYPED_ARRAY_CONSTRUCTORS[frames.dtype](frames.size);
  }

  override reset(args?: ResetArgs): ResetResult<ObsOf<E>> {
    const result = super.reset(args);
    assertObsSize(result.obs as NumericArray, this.size, "MaxAndSkip");
    this.latest = result.obs as NumericArray;
    return result;
  }

  override step(action: ActionOf<E>): StepResult<ObsOf<E>> {
    if (this.latest === undefined) throw new Error("Expected reset() before step() on MaxAndSkip, got step() first");
    let result: StepResult<NumericArray> | undefined;
    let totalReward = 0;
    // The frame before the newest: if the coming frame turns out to be the step's last, the maximum
    // needs it. While the env is not trusted to leave its old arrays alone, it is copied first.
    let before: NumericArray = this.latest;
    // Whether the frame before the current one was drawn (not after a skipped frame).
    let predecessorDrawn = true;
    let frame = 0;
    // The first skip − 2 frames' pictures are not needed (the maximum takes the last two), so an
    // env that can skip drawing them does (Env.stepWithoutObs; ALE and EnvPool do the same). Only
    // once the env is trusted to return fresh arrays, so that `before` stays valid meanwhile.
    if (this.framesToVerify === 0 && this.skip > 2) {
      for (; frame < this.skip - 2 && result === undefined; frame++) {
        const outcome = passStepWithoutObs(this.env as Env<NumericArray, unknown>, action);
        totalReward += outcome.reward;
        // An episode that ends here comes with its final observation (passStepWithoutObs checks).
        if (outcome.terminated || outcome.truncated) result = outcome as StepResult<NumericArray>;
        else predecessorDrawn = false;
      }
    }
    if (result !== undefined) {
      assertObsSize(result.obs, this.size, "MaxAndSkip");
      this.latest = result.obs;
    }
    for (; frame < this.skip && result === undefined; frame++) {
      const older: NumericArray = this.latest;
      if (this.skip > 1 && this.framesToVerify > 0) this.previous.set(older);
      const step = this.env.step(action) as StepResult<NumericArray>;
      assertObsSize(step.obs, this.size, "MaxAndSkip");
      if (this.skip > 1) before = this.framesToVerify > 0 ? this.previous : older;
      if (step.obs === older) this.framesToVerify = Infinity; // the env reuses its array: copy from now on
      else if (this.framesToVerify > 0 && this.framesToVerify !== Infinity && sameValues(older, this.previous)) this.framesToVerify -= 1;
      this.latest = step.obs;
      totalReward += step.reward;
      if (step.terminated || step.truncated || frame === this.skip - 1) result = step;
      else predecessorDrawn = true;
    }
    const last = result!;
    // A final frame whose predecessor was not drawn stands alone in the maximum.
    if (!predecessorDrawn) before = last.obs;
    const merged = this.skip === 1 ? last.obs.slice() : pixelwiseMax(new TYPED_ARRAY_CONSTRUCTORS[this.dtype](this.size), before, last.obs);
    return { obs: merged as ObsOf<E>, reward: totalReward, terminated: last.terminated, truncated: last.truncated, info: last.info };
  }
}

/** Whether two frames hold the same values (the check that the env left its previous array alone). */
function sameValues(a: NumericArray, b: NumericArray): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
