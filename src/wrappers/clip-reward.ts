import type { ActionOf, AnyEnv, ObsOf, StepResult } from "../core/env";
import { Wrapper } from "../core/wrapper";

/**
 * Replaces each reward by its sign: −1, 0 or +1 (SB3's `ClipRewardEnv`, from the Nature DQN paper).
 * Atari scores range from 1 point (Pong) to thousands (a Breakout top row is 7, Space Invaders'
 * mothership hundreds); clipping lets one learning rate and one network serve every game, and keeps
 * a rare big reward from blowing up the TD error. The price: the agent cannot tell a 7-point brick
 * from a 1-point brick any more, so record scores below this wrapper (`atariWrap` does).
 *
 * A NaN reward stays NaN (a bug upstream should stay visible, not become 0).
 *
 * @example
 * const env = new ClipReward(make("Breakout-v0"));
 * env.reset({ seed: 0 });
 * // ... later the ball breaks a top-row brick, worth 7 points in the game:
 * step.reward;          //=> 1
 * // a step that scores nothing:
 * env.step(0).reward;   //=> 0
 */
export class ClipReward<E extends AnyEnv> extends Wrapper<E> {
  override step(action: ActionOf<E>): StepResult<ObsOf<E>> {
    const result = super.step(action);
    const { reward } = result;
    if (reward === 1 || reward === -1 || Object.is(reward, 0)) return result; // already clipped: no new object
    // Written out rather than Math.sign so that −0 becomes 0.
    const clipped = reward > 0 ? 1 : reward < 0 ? -1 : reward === 0 ? 0 : NaN;
    return { obs: result.obs, reward: clipped, terminated: result.terminated, truncated: result.truncated, info: result.info };
  }
}
