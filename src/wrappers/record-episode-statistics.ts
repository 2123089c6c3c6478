import type { ActionOf, AnyEnv, ObsOf, ResetArgs, ResetResult, StepResult, StepWithoutObsResult } from "../core/env";
import { passStepWithoutObs, Wrapper } from "../core/wrapper";

/** The summary of one finished episode, put in `info.episode` on its last step. */
export interface EpisodeStatistics {
  /** The undiscounted sum of rewards (CartPole: the number of steps the pole stayed up). */
  readonly return: number;
  /** The number of steps. */
  readonly length: number;
  /** Wall-clock seconds from the reset to the last step. */
  readonly durationSeconds: number;
}

/** Options of {@link RecordEpisodeStatistics}. */
export interface RecordEpisodeStatisticsOptions {
  /** How many recent episodes the queues keep (default 100, Gymnasium's `buffer_length`). */
  readonly historyLength?: number;
}

/**
 * Tracks each episode's return and length and reports them when it ends (Gymnasium's
 * `RecordEpisodeStatistics`): on the step that returns `terminated` or `truncated`,
 * `info.episode` is `{ return, length, durationSeconds }` (whole words instead of Gymnasium's
 * `r`, `l`, `t`), and the episode is appended to `returnQueue`, `lengthQueue` and
 * `durationQueue`, which keep the last `historyLength` episodes (for a moving average).
 *
 * Put it right above the env and below wrappers that change rewards or end episodes early
 * (reward clipping, EpisodicLife), so the reported return is the game's true score.
 *
 * @example
 * const env = new RecordEpisodeStatistics(make("CartPole-v1"));
 * env.reset({ seed: 42 });
 * let step;
 * do step = env.step(1); while (!step.terminated && !step.truncated);
 * step.info.episode;    //=> { return: 10, length: 10, durationSeconds: 0.0005 }  (the duration varies)
 * env.returnQueue;      //=> [10]
 */
export class RecordEpisodeStatistics<E extends AnyEnv> extends Wrapper<E> {
  /** Returns of the most recent episodes, oldest first (Gymnasium's `return_queue`). */
  readonly returnQueue: readonly number[] = [];
  /** Lengths of the most recent episodes, oldest first (Gymnasium's `length_queue`). */
  readonly lengthQueue: readonly number[] = [];
  /** Durations in seconds of the most recent episodes, oldest first (Gymnasium's `time_queue`). */
  readonly durationQueue: readonly number[] = [];
  /** How many episodes the queues keep. */
  readonly historyLength: number;
  private episodesFinished = 0;
  private episodeReturn = 0;
  private episodeLength = 0;
  private episodeStart = now();

  /**
   * @param env the env to observe.
   * @param options `historyLength` (default 100).
   */
  constructor(env: E, options: RecordEpisodeStatisticsOptions = {}) {
    super(env);
    const { historyLength = 100 } = options;
    if (!(Number.isSafeInteger(historyLength) && historyLength > 0)) {
      throw new RangeError(`Expected historyLength to be a positive integer, got ${historyLength}`);
    }
    this.historyLength = historyLength;
  }

  /** Episodes finished since the wrapper was created. */
  get episodeCount(): number {
    return this.episodesFinished;
  }

  override reset(args?: ResetArgs): ResetResult<ObsOf<E>> {
    const result = super.reset(args);
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.episodeStart = now();
    return result;
  }

  override step(action: ActionOf<E>): StepResult<ObsOf<E>> {
    return this.count(super.step(action));
  }

  /** Counts the step like `step` (frame skipping below a MaxAndSkip still counts every frame). */
  override stepWithoutObs(action: ActionOf<E>): StepWithoutObsResult<ObsOf<E>> {
    if (!this.stepIsFrom(RecordEpisodeStatistics)) return this.step(action);
    return this.count(passStepWithoutObs(this.env, action) as StepWithoutObsResult<ObsOf<E>>);
  }

  private count<R extends StepWithoutObsResult<ObsOf<E>>>(result: R): R {
    this.episodeReturn += result.reward;
    this.episodeLength += 1;
    if (result.terminated || result.truncated) this.recordEpisode(result);
    return result;
  }

  private recordEpisode(result: StepWithoutObsResult<ObsOf<E>>): void {
    if (result.info.episode !== undefined) {
      throw new Error(
        `Expected info.episode to be unset before RecordEpisodeStatistics fills it, got ${JSON.stringify(result.info.episode)} ` +
          "(is RecordEpisodeStatistics applied twice?)",
      );
    }
    const end = now();
    const episode: EpisodeStatistics = {
      return: this.episodeReturn,
      length: this.episodeLength,
      durationSeconds: (end - this.episodeStart) / 1000,
    };
    // Each step returns a fresh info object, so adding the key does not leak into other steps.
    result.info.episode = episode;
    push(this.returnQueue as number[], episode.return, this.historyLength);
    push(this.lengthQueue as number[], episode.length, this.historyLength);
    push(this.durationQueue as number[], episode.durationSeconds, this.historyLength);
    this.episodesFinished += 1;
    // As in Gymnasium, only the clock restarts here; return and length restart at reset.
    this.episodeStart = end;
  }
}

function push(queue: number[], value: number, capacity: number): void {
  queue.push(value);
  if (queue.length > capacity) queue.shift();
}

function now(): number {
  return performance.now();
}
