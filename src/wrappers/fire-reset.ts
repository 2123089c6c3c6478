import type { Env, ObsOf, ResetArgs, ResetResult, StepResult } from "../core/env";
import { Wrapper } from "../core/wrapper";
import { actionMeanings, withoutSeed } from "./atari-env";

/**
 * Presses FIRE after every reset, then takes action 2 (SB3's `FireResetEnv`, which does exactly
 * this). In Breakout nothing moves until FIRE launches the ball; an untrained agent that rarely
 * picks FIRE would watch a frozen screen for thousands of steps and learn nothing. Action 2 (RIGHT
 * in Breakout) follows because some games need a second input to start.
 *
 * Above {@link EpisodicLife} (as in `atariWrap`), every life starts with FIRE too, since a lost life
 * is an episode's end for the agent and the next `reset` is the life's first step.
 *
 * If an episode ends during either step, the env is reset again (without the seed, see
 * `withoutSeed`). `reset` returns the observation and info of the last call it made (SB3 returns
 * the step's stale observation and an empty info there).
 *
 * @example
 * const env = new FireReset(make("Breakout-v0"));
 * env.reset({ seed: 0 });   // the inner env sees: reset, step(1) FIRE, step(2) RIGHT
 * new FireReset(make("CartPole-v1"));
 * //=> throws TypeError: Expected FireReset's env to have unwrapped.getActionMeanings() (an Atari-like env), ...
 */
export class FireReset<E extends Env<unknown, number>> extends Wrapper<E> {
  /**
   * @param env an env whose action 1 is FIRE and which has at least 3 actions.
   */
  constructor(env: E) {
    super(env);
    const meanings = actionMeanings(env, "FireReset");
    if (meanings[1] !== "FIRE" || meanings.length < 3) {
      throw new Error(`Expected action 1 to be FIRE and at least 3 actions for FireReset, got action meanings ${JSON.stringify(meanings)}`);
    }
  }

  override reset(args?: ResetArgs): ResetResult<ObsOf<E>> {
    let result: ResetResult<ObsOf<E>> = super.reset(args);
    for (const action of [1, 2]) {
      const step = this.env.step(action) as StepResult<ObsOf<E>>;
      result = step;
      if (step.terminated || step.truncated) result = super.reset(withoutSeed(args));
    }
    return { obs: result.obs, info: result.info };
  }
}
