/**
 * The types a {@link ReplayBuffer} takes and returns: its options, a transition going in, a
 * minibatch coming out.
 */
import type { ObsArray, VectorStepResult, AutoresetMode } from "../vector/types";
import type { ReplayBuffer } from "./replay-buffer";

/** Options of {@link ReplayBuffer}. Only `capacity` and `obsShape` are required. */
export interface ReplayBufferOptions {
  /** Transitions kept; once full, each new one overwrites the oldest (a ring, like SB3's `buffer_size`). */
  readonly capacity: number;
  /** Shape of ONE observation, e.g. `[4]` for CartPole (`[]` for a Discrete observation). */
  readonly obsShape: readonly number[];
  /**
   * Storage type of observations: `"float32"` (default) or `"uint8"` (pixels: 4× smaller; values
   * must be integers 0…255). Sampled batches are float32 either way, holding the stored values.
   */
  readonly obsDtype?: "float32" | "uint8";
  /** Sub-envs of the vector env that feeds the buffer (default 1). Each gets its own n-step window. */
  readonly numEnvs?: number;
  /**
   * The autoreset mode of that vector env (default `"next-step"`, Gymnasium's): it decides where
   * {@link ReplayBuffer.addVectorStep} finds the true final observation and which steps it skips.
   * Pass `envs.autoreset`.
   */
  readonly autoreset?: AutoresetMode;
  /** n of n-step returns (default 1: plain one-step transitions). Rainbow uses 3. */
  readonly nStep?: number;
  /** Discount γ of the n-step returns (default 0.99, SB3's and CleanRL's). Unused when nStep is 1. */
  readonly gamma?: number;
  /** Seed of the sampling RNG; without one, sampling is seeded from entropy (not reproducible). */
  readonly seed?: number;
  /**
   * SB3's `handle_timeout_termination` (default true): a transition cut by a time limit (truncated,
   * not terminated) is stored with terminated = 0, so its TD target bootstraps from the true final
   * observation. `false` stores it as terminal: the classic mistake (SB3 #284) of treating the time
   * limit as the end of the world, kept as an option so notebook 04 can measure what it costs.
   */
  readonly handleTimeoutTermination?: boolean;
}

/** One transition given to {@link ReplayBuffer.add}: what one `env.step(action)` produced. */
export interface Transition {
  /** The observation the action was chosen from. */
  readonly obs: ArrayLike<number>;
  readonly action: number;
  readonly reward: number;
  /** The observation the step returned: where the episode ended, its TRUE final observation. */
  readonly nextObs: ArrayLike<number>;
  /** The step reached a terminal state (its value is 0: no bootstrap). */
  readonly terminated: boolean;
  /** The episode was cut short (time limit): still bootstrap from `nextObs`. */
  readonly truncated: boolean;
}

/**
 * A minibatch as flat typed arrays, ready for `tf.tensor(batch.obs, [batchSize, ...obsShape])`.
 * The TD target of sample b is
 * `rewards[b] + discounts[b] · (1 − terminated[b]) · max_a Q_target(nextObs[b], a)`.
 */
export interface ReplayBatch {
  batchSize: number;
  /** `[batchSize × obsSize]`; uint8 storage comes back as float32 of the stored values (0…255, not divided by 255: the network scales). */
  obs: Float32Array;
  actions: Int32Array;
  /** The reward, or with n-step returns r_t + γ r_{t+1} + … over the k ≤ n steps actually taken. */
  rewards: Float32Array;
  /** The observation k steps later: the true final observation where the episode ended. */
  nextObs: Float32Array;
  /** 1 where the return ends in a terminal state (no bootstrap); 0 after a truncation (bootstrap). */
  terminated: Float32Array;
  /** γ^k, the factor of the bootstrap term (k = steps actually summed; γ for one-step transitions). */
  discounts: Float32Array;
  /** The buffer slots sampled (for tests and debugging; see {@link ReplayBuffer.transitionAt}). */
  indices: Int32Array;
}

/** One stored transition, as {@link ReplayBuffer.transitionAt} returns it. */
export interface StoredTransition extends Transition {
  readonly obs: Float32Array;
  readonly nextObs: Float32Array;
  /** k: the env steps the reward sums (1 unless n-step). */
  readonly steps: number;
  /** γ^k. */
  readonly discount: number;
  /** The env the transition came from. */
  readonly envId: number;
}

/** What {@link ReplayBuffer.addVectorStep} takes: one `envs.step(actions)` with what went into it. */
export interface VectorStepInput {
  /** The observations the actions were chosen from (the previous step's or reset's `obs`). */
  readonly obs: ArrayLike<number>;
  /** One integer action per sub-env. */
  readonly actions: ArrayLike<number>;
  /** What `envs.step(actions)` returned. */
  readonly result: VectorStepResult<unknown, ObsArray>;
}
