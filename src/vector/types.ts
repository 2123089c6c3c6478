import type { Info } from "../core/env";
import type { Space } from "../core/space";

/**
 * When a sub-environment whose episode ended is reset, as Gymnasium 1.x defines it.
 *
 * - `"next-step"` (Gymnasium's default, and EnvPool's): the step that ends an episode returns the true
 *   final observation with its reward and flags. The NEXT `step()` resets that sub-env, ignores its
 *   action, and returns the first observation of the new episode with reward 0 and both flags false.
 *   That final→reset pair is not a transition: a replay buffer must skip it.
 * - `"same-step"` (SB3's VecEnv, Gymnasium's older behaviour): the ending step resets at once and
 *   returns the new episode's first observation; the true final observation is in
 *   `infos.finalObs[i]` (and the final step's info in `infos.finalInfo[i]`).
 *
 * Trace for an env whose observation counts its steps, with a TimeLimit of 3 (ANCHORS.md):
 *   next-step: reset 0; 1; 2; 3 (truncated); 0 (reward 0, flags false); 1
 *   same-step: reset 0; 1; 2; 0 (reward 1, truncated, finalObs 3);       1
 */
export type AutoresetMode = "next-step" | "same-step";

/** The autoreset modes, for validation and documentation. */
export const AUTORESET_MODES: readonly AutoresetMode[] = ["next-step", "same-step"];

/**
 * Throws unless `mode` is one of {@link AUTORESET_MODES}: the check every vector env runs on its
 * `autoreset` option, so all reject a typo (`"next_step"`, Gymnasium's Python spelling) alike.
 */
export function assertAutoresetMode(mode: unknown): asserts mode is AutoresetMode {
  if (!AUTORESET_MODES.includes(mode as AutoresetMode)) {
    throw new RangeError(`Expected autoreset to be ${AUTORESET_MODES.map((m) => `"${m}"`).join(" or ")}, got ${JSON.stringify(mode)}`);
  }
}

/** The typed arrays a vector env batches observations into. */
export type ObsArray = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

/**
 * The batch array type for single observations of type `Obs`: a typed-array observation batches
 * into the same typed array (CartPole's Float32Array → Float32Array of `numEnvs × 4`), a Discrete
 * observation into an Int32Array (see `batchLayout`).
 */
export type BatchObsOf<Obs> = [Obs] extends [ObsArray] ? Obs : [Obs] extends [number] ? Int32Array : ObsArray;

/**
 * Per-env information of one vector step or reset. Index i is sub-env i.
 *
 * @example
 * const { infos } = envs.step(actions);
 * infos.perEnv[2].episode       // RecordEpisodeStatistics' summary when env 2's episode ended (next-step)
 * infos.finalObs[2]             // same-step: env 2's true last observation, or null
 */
export interface VectorInfos<Obs> {
  /** The info each sub-env returned from this step (or from its reset, on a reset). */
  readonly perEnv: readonly Info[];
  /**
   * Same-step autoreset: the true final observation of sub-env i when its episode ended on this step
   * (its row in `obs` already holds the new episode's first observation); `null` otherwise. Always
   * `null` in next-step mode, where `obs` itself holds the final observation.
   */
  readonly finalObs: readonly (Obs | null)[];
  /** Same-step autoreset: the info of sub-env i's final step; `null` otherwise. */
  readonly finalInfo: readonly (Info | null)[];
}

/** What `VectorEnv.reset` returns: a batch of first observations and their infos. */
export interface VectorResetResult<Obs, BatchObs extends ObsArray> {
  /** `numEnvs` observations back to back: shape `[numEnvs, ...singleObservationSpace.shape]`. */
  readonly obs: BatchObs;
  readonly infos: VectorInfos<Obs>;
}

/** What `VectorEnv.step` returns: one transition per sub-env, batched. */
export interface VectorStepResult<Obs, BatchObs extends ObsArray> {
  /** `numEnvs` observations back to back: shape `[numEnvs, ...singleObservationSpace.shape]`. */
  readonly obs: BatchObs;
  /** Reward of each sub-env (float64, like Gymnasium). */
  readonly rewards: Float64Array;
  /** 1 where the sub-env's episode really ended (a terminal state: do not bootstrap), else 0. */
  readonly terminated: Uint8Array;
  /** 1 where the episode was cut short (time limit: bootstrap from the final observation), else 0. */
  readonly truncated: Uint8Array;
  readonly infos: VectorInfos<Obs>;
}

/** Arguments of `VectorEnv.reset`: sub-env i is seeded with `seed + i` (Gymnasium's convention). */
export interface VectorResetArgs {
  readonly seed?: number;
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * `numEnvs` copies of an environment stepped together: the batched counterpart of `Env`
 * (Gymnasium's `VectorEnv`, SB3's `VecEnv`). Observations, rewards and flags come back as typed
 * arrays with one row per sub-env; sub-envs whose episode ended reset themselves (see
 * {@link AutoresetMode}).
 */
export interface VectorEnv<Obs, Action, BatchObs extends ObsArray = ObsArray> {
  /** How many sub-environments step together. */
  readonly numEnvs: number;
  /** The observation space of one sub-env. */
  readonly singleObservationSpace: Space<Obs>;
  /** The action space of one sub-env. */
  readonly singleActionSpace: Space<Action>;
  /** How sub-envs whose episode ended are reset. */
  readonly autoreset: AutoresetMode;
  /** Resets every sub-env; with a seed, sub-env i is seeded with `seed + i`. */
  reset(args?: VectorResetArgs): VectorResetResult<Obs, BatchObs>;
  /**
   * Steps every sub-env with its action: `actions[i]` for sub-env i (for Box actions, `numEnvs`
   * action vectors back to back).
   */
  step(actions: ArrayLike<number>): VectorStepResult<Obs, BatchObs>;
  /** Closes every sub-env (and, for worker-based vector envs, ends the workers). Idempotent. */
  close(): void;
}
