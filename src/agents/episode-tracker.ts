import type { Info } from "../core/env";
import type { AutoresetMode, ObsArray, VectorStepResult } from "../vector/types";
import type { FinishedEpisode } from "./callbacks";
import type { Logger } from "./logger";

const NONE: readonly FinishedEpisode[] = Object.freeze([]);

/**
 * Follows the episodes of every sub-env of a vector env, for the rollout/* metrics (SB3's
 * `ep_info_buffer`: the last 100 episodes). It sums rewards itself, so it needs no wrapper, but
 * prefers RecordEpisodeStatistics' `info.episode` where the env reports one (the true score below
 * wrappers that change rewards). Next-step autoreset's reset pseudo-step belongs to no episode.
 * An end that EpisodicLife made at a lost life (`info.gameOver === false`) is not the end of the
 * game: the sums go on, so Atari episodes are reported as whole games, like SB3's Monitor does.
 *
 * @example
 * const envs = makeVec("CartPole-v1", { numEnvs: 2, seed: 0 });
 * const tracker = new EpisodeTracker({ numEnvs: 2, autoreset: envs.autoreset });
 * envs.reset();
 * tracker.observe(envs.step([0, 1]));  //=> []  (no episode ended on this step)
 * tracker.returnMean;                  //=> NaN  (until the first episode ends)
 */
export class EpisodeTracker {
  /** Episodes finished since construction (or the last `reset`). */
  episodes = 0;
  private readonly returns: number[] = [];
  private readonly lengths: number[] = [];
  private readonly runningReturn: Float64Array;
  private readonly runningLength: Int32Array;
  private readonly resetPending: Uint8Array;

  /**
   * @param options numEnvs and autoreset of the vector env; `window`: episodes averaged (default 100, SB3's).
   */
  constructor(private readonly options: { readonly numEnvs: number; readonly autoreset: AutoresetMode; readonly window?: number }) {
    this.runningReturn = new Float64Array(options.numEnvs);
    this.runningLength = new Int32Array(options.numEnvs);
    this.resetPending = new Uint8Array(options.numEnvs);
  }

  /** Forgets the running episodes (after the vector env was reset by hand); keeps the history. */
  restartEpisodes(): void {
    this.runningReturn.fill(0);
    this.runningLength.fill(0);
    this.resetPending.fill(0);
  }

  /** Clears everything: history, count and running episodes. */
  reset(): void {
    this.restartEpisodes();
    this.returns.length = 0;
    this.lengths.length = 0;
    this.episodes = 0;
  }

  /**
   * Takes one vector step's results.
   *
   * @returns The episodes that ended on this step (a shared empty array when none did).
   */
  observe(result: VectorStepResult<unknown, ObsArray>): readonly FinishedEpisode[] {
    let finished: FinishedEpisode[] | undefined;
    const window = this.options.window ?? 100;
    for (let i = 0; i < this.options.numEnvs; i++) {
      if (this.resetPending[i] === 1) {
        this.resetPending[i] = 0;
        continue;
      }
      this.runningReturn[i] += result.rewards[i]!;
      this.runningLength[i] += 1;
      if (result.terminated[i] !== 1 && result.truncated[i] !== 1) continue;
      const info: Info | null | undefined = result.infos.finalInfo[i] ?? result.infos.perEnv[i];
      this.resetPending[i] = this.options.autoreset === "next-step" ? 1 : 0;
      // EpisodicLife ended the agent's episode at a lost life: the game, and its score, go on.
      if (info?.gameOver === false) continue;
      const episode = { envId: i, return: info?.episode?.return ?? this.runningReturn[i]!, length: info?.episode?.length ?? this.runningLength[i]! };
      (finished ??= []).push(episode);
      this.returns.push(episode.return);
      this.lengths.push(episode.length);
      if (this.returns.length > window) {
        this.returns.shift();
        this.lengths.shift();
      }
      this.episodes += 1;
      this.runningReturn[i] = 0;
      this.runningLength[i] = 0;
    }
    return finished ?? NONE;
  }

  /** Records `rollout/episodeReturnMean` and `rollout/episodeLengthMean` (SB3's ep_rew_mean, ep_len_mean). */
  recordTo(logger: Logger): void {
    logger.record("rollout/episodeReturnMean", this.returnMean);
    logger.record("rollout/episodeLengthMean", this.lengthMean);
  }

  /** Mean return of the last `window` episodes (NaN before the first ends). */
  get returnMean(): number {
    return mean(this.returns);
  }

  /** Mean length of the last `window` episodes (NaN before the first ends). */
  get lengthMean(): number {
    return mean(this.lengths);
  }
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
