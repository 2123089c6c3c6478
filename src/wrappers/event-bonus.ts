import { describeValue } from "../core/describe";
import type { ActionOf, AnyEnv, ObsOf, ResetArgs, ResetResult, StepResult } from "../core/env";
import { assertKnownOptions } from "../core/options";
import { Wrapper } from "../core/wrapper";

/** Options of {@link EventBonus}. */
export interface EventBonusOptions {
  /** The key of `info.events` that earns the bonus, e.g. `"paddleHit"` (Breakout) or `"jumped"` (CoinJump). */
  readonly event: string;
  /** Added to the reward each time the event happens; negative for a penalty, 0 to only count. */
  readonly bonus: number;
}

/**
 * Reward shaping by events: adds `bonus` to the reward of every step whose `info.events[event]` is
 * set (`true`, or a count > 0, which earns the bonus that many times). The source notes' idea for
 * Breakout's delayed reward (problem 1): pay the paddle hit at once instead of waiting for the
 * brick it sends the ball to.
 *
 * Where it goes: directly on the env (below frame skipping, whose `info` is the last frame's only,
 * so a hit on an earlier frame of the skip would be missed), and above RecordEpisodeStatistics, so
 * `info.episode` keeps the game's own score. That is the score to judge a shaped agent by: the
 * bonus is a teaching aid, not the task.
 *
 * Why shaping can hurt: a bonus that is not the difference of a potential (Ng, Harada & Russell
 * 1999: F = γΦ(s′) − Φ(s)) changes which policy is optimal. An agent paid per paddle hit can
 * prefer long rallies to broken bricks, the "cobra effect" of reward design.
 *
 * `episodeEvents` counts the events since the last reset, whatever the bonus (0 counts only).
 *
 * @example
 * const env = new EventBonus(new RecordEpisodeStatistics(make("DelayedChain-v0", { delay: 2 })), { event: "keyAction", bonus: 0.5 });
 * env.reset({ seed: 0 });
 * env.step(0).reward;   //=> 0.5   (the key action: the bonus now, instead of nothing)
 * env.step(1).reward;   //=> 0
 * env.step(1).reward;   //=> 1     (the game's own reward, 2 steps after the key action)
 * env.episodeEvents;    //=> 1
 * // info.episode.return of that step is 1: the env's score, recorded below the bonus.
 */
export class EventBonus<E extends AnyEnv> extends Wrapper<E> {
  /** The `info.events` key that earns the bonus. */
  readonly event: string;
  /** Reward added per event. */
  readonly bonus: number;
  private count = 0;

  /**
   * @param env an env whose step info has `events` (a missing `events` or key counts as no event).
   * @param options the event's name and the bonus.
   */
  constructor(env: E, options: EventBonusOptions) {
    super(env);
    assertKnownOptions(options, ["event", "bonus"], "EventBonus");
    const { event, bonus } = options;
    if (typeof event !== "string" || event === "") throw new TypeError(`Expected event to be the name of an info.events key, got ${describeValue(event)}`);
    if (typeof bonus !== "number" || !Number.isFinite(bonus)) throw new RangeError(`Expected bonus to be a finite number, got ${describeValue(bonus)}`);
    this.event = event;
    this.bonus = bonus;
  }

  /** How many times the event happened since the last reset (a count of 3 in one step adds 3). */
  get episodeEvents(): number {
    return this.count;
  }

  override reset(args?: ResetArgs): ResetResult<ObsOf<E>> {
    this.count = 0;
    return super.reset(args);
  }

  override step(action: ActionOf<E>): StepResult<ObsOf<E>> {
    const result = super.step(action);
    const events = result.info["events"] as Record<string, unknown> | undefined;
    const value = events?.[this.event];
    const times = value === true ? 1 : typeof value === "number" && value > 0 ? value : 0;
    if (times === 0) return result;
    this.count += times;
    if (this.bonus === 0) return result;
    return { obs: result.obs, reward: result.reward + this.bonus * times, terminated: result.terminated, truncated: result.truncated, info: result.info };
  }
}
