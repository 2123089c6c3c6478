import type { ActionOf, Env, ObsOf, ResetArgs, ResetResult, StepResult } from "../core/env";
import { Wrapper } from "../core/wrapper";
import { livesLeft, withoutSeed } from "./atari-env";

/**
 * Ends the agent's episode when a life is lost, but restarts the game only when it is really over
 * (SB3's `EpisodicLifeEnv`, from the Nature DQN paper).
 *
 * - `step` returns `terminated = true` when the lives drop (0 < lives < lives before the step),
 *   with `info.gameOver = false` so that score keepers (evaluatePolicy, DQN's episode log) know the
 *   game goes on. Lives reaching 0 is left to the env, which ends the game itself.
 * - The `reset` after such a step is not a real reset: it takes one NOOP step (action 0) and
 *   returns its observation, so the game goes on with the next life. Only after the env itself
 *   ended the episode (SB3's `was_real_done`), or when the NOOP step ends it, does `reset` reset
 *   the env. A `reset({ seed })` always resets the env: a seed asks for a reproducible start.
 *
 * Why: to a Q-learner, losing a life is then a terminal transition whose target is the reward
 * alone (no bootstrapped future). The value of the state just before a lost ball is pulled down at
 * once, instead of the loss being one step among thousands that the game's distant end discounts
 * away. The game still plays through all its lives, so every state stays reachable.
 *
 * Pitfall: above this wrapper an "episode" is one life. Scores recorded above it (a
 * RecordEpisodeStatistics over EpisodicLife) are per-life returns, a fifth of the game score in
 * Breakout, and not comparable with published results. Record episode statistics below it, as
 * `atariWrap` does.
 *
 * @example
 * const env = new EpisodicLife(make("Breakout-v0"));
 * env.reset({ seed: 0 });     // a real reset: 5 lives
 * // ... the ball is missed:
 * env.step(0).terminated;     //=> true   (lives 5 → 4)
 * env.reset();                // a NOOP step, the game goes on with 4 lives
 * env.unwrapped.lives;        //=> 4
 */
export class EpisodicLife<E extends Env<unknown, number>> extends Wrapper<E> {
  private lives = 0;
  private wasRealDone = true;

  /**
   * @param env an env whose `unwrapped.lives` counts the lives left.
   */
  constructor(env: E) {
    super(env);
    livesLeft(env, "EpisodicLife");
  }

  /** Whether the last step ended the game itself, so the next `reset` is a real one. */
  get gameOver(): boolean {
    return this.wasRealDone;
  }

  override step(action: ActionOf<E>): StepResult<ObsOf<E>> {
    const result = super.step(action);
    this.wasRealDone = result.terminated || result.truncated;
    const lives = livesLeft(this.env, "EpisodicLife");
    const lifeLost = lives > 0 && lives < this.lives;
    // Updated on every step, so a bonus life raises the bar for the next loss.
    this.lives = lives;
    if (!lifeLost || result.terminated) return result;
    // info.gameOver = false tells score keepers above that only a life ended, not the game.
    return { obs: result.obs, reward: result.reward, terminated: true, truncated: result.truncated, info: { ...result.info, gameOver: false } };
  }

  override reset(args?: ResetArgs): ResetResult<ObsOf<E>> {
    let result: ResetResult<ObsOf<E>>;
    if (this.wasRealDone || args?.seed !== undefined) {
      result = super.reset(args);
    } else {
      const step = this.env.step(0) as StepResult<ObsOf<E>>;
      result = step.terminated || step.truncated ? super.reset(withoutSeed(args)) : step;
    }
    // wasRealDone is left as it is (as in SB3): a second reset() right after a real one is real too.
    this.lives = livesLeft(this.env, "EpisodicLife");
    return { obs: result.obs, info: result.info };
  }
}
