import type { Env } from "../core/env";
import { assertKnownOptions } from "../core/options";
import type { BatchPolicy } from "../vector/collect-experience";
import { EpisodeTracker } from "./episode-tracker";
import { SyncVectorEnv } from "../vector/sync-vector-env";
import type { ObsArray, VectorEnv } from "../vector/types";

/** Anything with SB3's `predict`: a trained agent such as DQN. */
export interface Predictor {
  predict(obs: ArrayLike<number>, options?: { readonly deterministic?: boolean }): ArrayLike<number>;
}

/** Options of {@link evaluatePolicy}. */
export interface EvaluatePolicyOptions {
  /** Whole episodes to run. Default 10 (SB3's `n_eval_episodes`). */
  readonly nEpisodes?: number;
  /** Greedy actions (true, default) or the agent's exploring ones. Ignored for a policy function. */
  readonly deterministic?: boolean;
  /** Seeds the env's reset (sub-env i: seed + i), for the same start states every call. Default: none. */
  readonly seed?: number;
}

/** What {@link evaluatePolicy} returns. */
export interface EvaluationResult {
  /** Mean undiscounted return over the episodes. */
  readonly meanReturn: number;
  /** Standard deviation of the returns (population, like NumPy's default). */
  readonly stdReturn: number;
  /** Each episode's return, in the order the episodes ended. */
  readonly returns: number[];
  /** Each episode's length in steps, same order. */
  readonly lengths: number[];
}

/** A vector env, recognised by its batch-only members. */
export function isVectorEnv(env: unknown): env is VectorEnv<unknown, unknown> {
  return env !== null && typeof env === "object" && "numEnvs" in env && "singleObservationSpace" in env;
}

/**
 * A single env as a 1-env vector env (next-step autoreset), stepping the env itself: the caller's
 * env is neither copied nor closed.
 */
export function asVectorEnv(env: Env<unknown, unknown> | VectorEnv<unknown, unknown>): VectorEnv<unknown, unknown> {
  if (isVectorEnv(env)) return env;
  if (env === null || typeof env !== "object" || typeof (env as Env<unknown, unknown>).step !== "function") {
    throw new TypeError(`Expected an Env or a VectorEnv, got ${env === null ? "null" : typeof env}`);
  }
  return new SyncVectorEnv([() => env]);
}

/**
 * Runs a policy for `nEpisodes` whole episodes and reports the returns (SB3's `evaluate_policy`).
 *
 * Works on a single Env or a VectorEnv. With n sub-envs, sub-env i runs ⌊(nEpisodes + i) / n⌋
 * episodes (SB3's split): letting every sub-env run until nEpisodes have ended in total would
 * over-count short episodes, which end first. Episodes still running when the quota is met are
 * dropped, never counted half-way. Autoreset steps (next-step mode's reset pseudo-step) are not part
 * of any episode. An episode's return is RecordEpisodeStatistics' `info.episode` figure when the env
 * reports one (the true score below reward-shaping wrappers), else the sum of rewards. Under
 * EpisodicLife an episode is a whole game, not a life (see {@link EpisodeTracker}), as SB3's
 * `evaluate_policy` counts Monitor's episodes.
 *
 * @param policy An agent with `predict` (DQN), or a function from a batch of observations to actions.
 * @param env The evaluation env: keep it separate from the training env (its resets would disturb training).
 * @param options See {@link EvaluatePolicyOptions}.
 * @returns See {@link EvaluationResult}.
 * @example
 * const env = make("CartPole-v1");
 * const result = evaluatePolicy(() => [1], env, { nEpisodes: 3, seed: 42 });  // always push right
 * result.returns;      //=> [10, 10, 9]  (the pole falls within about ten steps)
 */
export function evaluatePolicy(
  policy: Predictor | BatchPolicy,
  env: Env<unknown, unknown> | VectorEnv<unknown, unknown>,
  options: EvaluatePolicyOptions = {},
): EvaluationResult {
  assertKnownOptions(options, ["nEpisodes", "deterministic", "seed"], "evaluatePolicy");
  const { nEpisodes = 10, deterministic = true, seed } = options;
  if (!(Number.isSafeInteger(nEpisodes) && nEpisodes > 0)) throw new RangeError(`Expected nEpisodes to be a positive integer, got ${String(nEpisodes)}`);
  const act: BatchPolicy =
    typeof policy === "function"
      ? policy
      : typeof policy?.predict === "function"
        ? (obs) => policy.predict(obs, { deterministic })
        : (() => {
            throw new TypeError(`Expected a policy: an agent with predict(obs) or a function (obs, numEnvs) => actions, got ${policy === null ? "null" : typeof policy}`);
          })();
  const envs = asVectorEnv(env);
  const n = envs.numEnvs;
  const targets = Array.from({ length: n }, (_, i) => Math.floor((nEpisodes + i) / n));
  const counts = new Array<number>(n).fill(0);
  const tracker = new EpisodeTracker({ numEnvs: n, autoreset: envs.autoreset });
  const returns: number[] = [];
  const lengths: number[] = [];
  let obs: ObsArray = envs.reset(seed === undefined ? {} : { seed }).obs;
  while (counts.some((count, i) => count < targets[i]!)) {
    const result = envs.step(act(obs, n));
    for (const episode of tracker.observe(result)) {
      if (counts[episode.envId]! >= targets[episode.envId]!) continue;
      returns.push(episode.return);
      lengths.push(episode.length);
      counts[episode.envId]! += 1;
    }
    obs = result.obs;
  }
  const meanReturn = returns.reduce((a, b) => a + b, 0) / returns.length;
  const stdReturn = Math.sqrt(returns.reduce((a, r) => a + (r - meanReturn) ** 2, 0) / returns.length);
  return { meanReturn, stdReturn, returns, lengths };
}
