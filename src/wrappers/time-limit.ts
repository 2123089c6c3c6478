import type { ActionOf, AnyEnv, ObsOf, ResetArgs, ResetResult, StepResult, StepWithoutObsResult } from "../core/env";
import type { EnvSpec } from "../core/registry";
import { passStepWithoutObs, Wrapper } from "../core/wrapper";

/**
 * Cuts every episode after `maxEpisodeSteps` steps by setting `truncated = true` (Gymnasium's
 * `TimeLimit`). `make` adds it with the registered limit (CartPole-v1: 500).
 *
 * Truncation is not termination: the env did not reach a terminal state, the clock ran out. A
 * learner should still bootstrap from the final observation of a truncated episode (its value is
 * not 0), which is why the flag is separate. On the limit step both flags can be true, when the
 * pole falls on exactly step 500.
 *
 * @example
 * const env = new TimeLimit(new CartPoleEnv(), 3);
 * env.reset({ seed: 123 });
 * env.step(1).truncated;  //=> false
 * env.step(0).truncated;  //=> false
 * env.step(1).truncated;  //=> true   (third step: the limit)
 * env.elapsedSteps;       //=> 3
 */
export class TimeLimit<E extends AnyEnv> extends Wrapper<E> {
  /** The number of steps after which an episode is truncated. */
  readonly maxEpisodeSteps: number;
  private elapsed = 0;
  private cachedSpec: EnvSpec | undefined;
  private cachedFrom: EnvSpec | undefined;

  /**
   * @param env the env to limit.
   * @param maxEpisodeSteps a positive integer; the step that reaches it returns `truncated = true`.
   *   For no limit, do not wrap (or `make(id, { maxEpisodeSteps: Infinity })`).
   */
  constructor(env: E, maxEpisodeSteps: number) {
    super(env);
    if (!(Number.isSafeInteger(maxEpisodeSteps) && maxEpisodeSteps > 0)) {
      throw new RangeError(
        `Expected maxEpisodeSteps to be a positive integer, got ${maxEpisodeSteps} (for no time limit, do not wrap the env)`,
      );
    }
    this.maxEpisodeSteps = maxEpisodeSteps;
  }

  /** Steps taken since the last reset. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  /** The inner env's spec with `maxEpisodeSteps` set to this limit. */
  override get spec(): EnvSpec | undefined {
    const inner = this.env.spec;
    if (inner === undefined) return undefined;
    if (this.cachedFrom !== inner) {
      this.cachedSpec = Object.freeze({ ...inner, maxEpisodeSteps: this.maxEpisodeSteps });
      this.cachedFrom = inner;
    }
    return this.cachedSpec;
  }

  override reset(args?: ResetArgs): ResetResult<ObsOf<E>> {
    this.elapsed = 0;
    return super.reset(args);
  }

  /**
   * Counts the step like `step`. The step that reaches the limit is taken in full, since it ends
   * the episode and must return the final observation.
   */
  override stepWithoutObs(action: ActionOf<E>): StepWithoutObsResult<ObsOf<E>> {
    if (!this.stepIsFrom(TimeLimit) || this.elapsed + 1 >= this.maxEpisodeSteps) return this.step(action);
    const result = passStepWithoutObs(this.env, action) as StepWithoutObsResult<ObsOf<E>>;
    this.elapsed += 1;
    return result;
  }

  override step(action: ActionOf<E>): StepResult<ObsOf<E>> {
    const result = super.step(action);
    this.elapsed += 1;
    if (this.elapsed < this.maxEpisodeSteps || result.truncated) return result;
    // A new object only on the limit step: the hot path returns the env's result untouched.
    return { obs: result.obs, reward: result.reward, terminated: result.terminated, truncated: true, info: result.info };
  }
}
