/**
 * The types a replay buffer takes and returns: its options, a transition going in, a minibatch
 * coming out, and {@link TransitionStore}, what DQN needs of any replay buffer.
 */
import type { ObsArray, VectorStepResult, AutoresetMode } from "../vector/types";
import type { ReplayBuffer } from "./replay-buffer";
import type { FrameReplayBuffer } from "./frame-replay-buffer";

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

/**
 * Options of {@link FrameReplayBuffer}: those of {@link ReplayBufferOptions}, for observations that
 * are stacks of frames. Only `capacity` and `obsShape` are required.
 */
export interface FrameReplayBufferOptions extends Omit<ReplayBufferOptions, "obsDtype"> {
  /**
   * `[height, width, stack]`: channels-last stacks of `stack` uint8 frames, the oldest in channel 0
   * and the newest in channel stack − 1 (Gymnasium's FrameStackObservation), e.g. `[84, 84, 4]`.
   */
  readonly obsShape: readonly number[];
  /** Only `"uint8"` (frames are pixels); accepted so options written for ReplayBuffer carry over. */
  readonly obsDtype?: "uint8";
  /**
   * Frames kept, each height × width bytes (default: capacity + capacity / 20 + a reserve for each
   * sub-env's frames in play). A transition needs one new frame, an episode one more for its
   * first observation (up to `stack` if its first stack is not all one frame), so the default
   * holds every transition while episodes average ≥ 20 steps. With shorter episodes the oldest
   * transitions are dropped before `capacity` is reached (`size` stays below it): raise this then.
   */
  readonly frameCapacity?: number;
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

/**
 * What DQN needs of a replay buffer, whatever it keeps observations in: {@link ReplayBuffer}
 * (observation rows, any shape) and {@link FrameReplayBuffer} (stacked pixel frames, each frame
 * once) both implement it, so DQN's `replayBufferClass` can pick either (SB3's `replay_buffer_class`).
 *
 * @example
 * const buffer: TransitionStore = new FrameReplayBuffer({ capacity: 1000, obsShape: [84, 84, 4], seed: 0 });
 * buffer.addVectorStep({ obs, actions, result }); //=> 1
 * buffer.sampleInto(buffer.createBatch(32));      // once size ≥ 32
 */
export interface TransitionStore {
  /** Transitions kept at most. */
  readonly capacity: number;
  /** Shape of one observation. */
  readonly obsShape: readonly number[];
  /** Numbers in one observation. */
  readonly obsSize: number;
  /** How observation values are kept (batches are float32 either way). */
  readonly obsDtype: "float32" | "uint8";
  readonly numEnvs: number;
  readonly autoreset: AutoresetMode;
  readonly nStep: number;
  readonly gamma: number;
  readonly handleTimeoutTermination: boolean;
  /** Transitions stored now (what can be sampled). */
  readonly size: number;
  /** Bytes of the buffer's preallocated arrays. */
  readonly byteLength: number;
  /** Adds one transition of env `envId` (a single env's step). */
  add(transition: Transition, envId?: number): void;
  /** Adds one vector step; returns how many transitions were stored. */
  addVectorStep(step: VectorStepInput): number;
  /** Ends every env's episode in the bookkeeping (after resetting the envs yourself). */
  endEpisodes(): number;
  /** A fresh batch of `batchSize` uniformly drawn transitions. */
  sample(batchSize: number): ReplayBatch;
  /** Arrays for a batch, for {@link TransitionStore.sampleInto}. */
  createBatch(batchSize: number): ReplayBatch;
  /** Fills `batch` with uniformly drawn transitions; returns it. */
  sampleInto(batch: ReplayBatch): ReplayBatch;
  /** The stored transition in slot `index` (e.g. `batch.indices[b]`). */
  transitionAt(index: number): StoredTransition;
  /** Forgets every stored transition. */
  clear(): void;
}
