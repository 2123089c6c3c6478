import type { ObsStorage, StagedTransition } from "./n-step";
import { ReplayBufferBase, type ObservationRows } from "./replay-buffer-base";
import { checkTransition, checkVectorStep, resolveReplayOptions } from "./replay-buffer-checks";
import type { ReplayBufferOptions, Transition, VectorStepInput } from "./replay-types";

export type { ReplayBatch, ReplayBufferOptions, StoredTransition, Transition, TransitionStore, VectorStepInput } from "./replay-types";

const OPTION_NAMES = ["capacity", "obsShape", "obsDtype", "numEnvs", "autoreset", "nStep", "gamma", "seed", "handleTimeoutTermination"];

/**
 * Experience replay for DQN-family learners (SB3's `ReplayBuffer`, CleanRL's `rb`): a ring of the
 * last `capacity` transitions, fed a whole vector-env step at a time, sampled uniformly.
 *
 * What it stores, and why:
 * - `terminated`, never "done". A truncated episode (time limit) is stored with terminated = 0, so
 *   its TD target still bootstraps from the true final observation: the state after a time limit
 *   has value, and treating it as terminal teaches the agent that time limits are cliffs (SB3 #284).
 * - The true final observation of every ended episode, as `nextObs`. Observations and next
 *   observations are stored separately, which costs memory but cannot lose the final observation
 *   the way SB3's `optimize_memory_usage` could (SB3 #934, CleanRL #460).
 * - Only real transitions. With next-step autoreset (Gymnasium's default) the step after an ending
 *   step returns the reset observation with reward 0 and flags false: a final→reset pair that is no
 *   transition, and learning from it teaches that the final state leads to the start state for free.
 *   CleanRL's loop, written for same-step autoreset, broke exactly there (CleanRL #499).
 *   `addVectorStep` skips that step for each env whose previous step ended.
 * - With `nStep` n > 1, n-step transitions whose returns never cross an episode end (see
 *   {@link NStepWindows}): obs_t, a_t, r_t + γ r_{t+1} + … + γ^{k−1} r_{t+k−1}, obs_{t+k}, k ≤ n.
 *
 * Memory (preallocated, {@link ReplayBuffer.byteLength}): per transition 2 × obsSize × (4 bytes for
 * float32, 1 for uint8) + 16 bytes (action, reward, flags, steps, env). CartPole with capacity
 * 100 000: 4.8 MB. Atari frames (4×84×84 uint8) would take 56 kB a transition, 5.6 GB for 100 000:
 * stacked frames go in a {@link FrameReplayBuffer}, which keeps each frame once (0.75 GB).
 *
 * Speed (2-core machine, `npm run bench -- --only replay`, capacity 100 000): `addVectorStep`
 * for 8 CartPole envs 0.4 µs (n-step 3: 0.7–1.9 µs), `sample(64)` 8–13 µs, `sampleInto` 4–7 µs —
 * negligible beside a 4 ms tfjs train step.
 *
 * @example
 * const envs = makeVec("StepCounter-v0", { numEnvs: 2, envOptions: { maxEpisodeSteps: 3 } });
 * const buffer = new ReplayBuffer({ capacity: 1000, obsShape: [1], numEnvs: 2, autoreset: envs.autoreset, seed: 0 });
 * let obs = envs.reset({ seed: 0 }).obs;
 * for (let t = 0; t < 5; t++) {
 *   const actions = [0, 1];
 *   const result = envs.step(actions);
 *   buffer.addVectorStep({ obs, actions, result });  //=> 2, 2, 2, 0 (the final→reset step), 2
 *   obs = result.obs;  // easy to overlook
 * }
 * buffer.size;                     //=> 8
 * Array.from(buffer.sample(4).obs); //=> [2, 0, 1, 1]
 */
export class ReplayBuffer extends ReplayBufferBase {
  readonly obsDtype: "float32" | "uint8";
  private readonly obs: ObsStorage;
  private readonly nextObs: ObsStorage;

  /**
   * @throws Error naming an unknown option; RangeError for a capacity, obsShape, numEnvs or nStep
   *   that is not a positive integer (nStep ≤ 65 535), a gamma outside [0, 1], an unknown obsDtype
   *   or autoreset, an invalid seed.
   */
  constructor(options: ReplayBufferOptions) {
    const resolved = resolveReplayOptions(options, { name: "ReplayBuffer", optionNames: OPTION_NAMES });
    const { capacity, obsShape, obsDtype } = resolved;
    const obsSize = obsShape.reduce((product, dim) => product * dim, 1);
    const createObs = (length: number): ObsStorage => (obsDtype === "uint8" ? new Uint8Array(length) : new Float32Array(length));
    super(resolved, { stagedSize: obsSize, createObs });
    this.obsDtype = obsDtype;
    try {
      this.obs = createObs(capacity * obsSize);
      this.nextObs = createObs(capacity * obsSize);
    } catch (error) {
      const gigabytes = (2 * capacity * obsSize * (obsDtype === "uint8" ? 1 : 4)) / 1e9;
      throw new RangeError(`Expected a buffer that fits in memory, got capacity ${capacity} × 2 observations of ${obsSize} ${obsDtype} = ${gigabytes.toFixed(1)} GB: lower capacity`, { cause: error });
    }
  }

  /** Bytes of all preallocated arrays (storage and n-step windows). */
  get byteLength(): number {
    return this.obs.byteLength + this.nextObs.byteLength + this.ring.byteLength + this.feed.byteLength;
  }

  /**
   * Adds one transition of env `envId` (default 0), e.g. from a single env's `step`. It is stored
   * as given (or, with n-step returns, joins env `envId`'s window): no autoreset skipping here, so
   * do not mix `add` and `addVectorStep` for one env.
   *
   * @throws RangeError for observations of the wrong length, a non-integer action, a non-finite
   *   reward, an envId outside 0…numEnvs−1; nothing is stored then.
   */
  add(transition: Transition, envId = 0): void {
    checkTransition(this, transition, envId);
    this.feed.stageTransition(transition, envId);
    this.feed.commit();
  }

  /**
   * Adds one vector step: a transition for each sub-env, except where there is none.
   * - Same-step autoreset: where env i's episode ended its row of `result.obs` already belongs to
   *   the new episode, so nextObs is `result.infos.finalObs[i]`, the true final observation.
   * - Next-step autoreset: nextObs is always the row of `result.obs`; the step after env i's episode
   *   ended is its final→reset pseudo-step (reward 0, flags false, action ignored) and is skipped.
   *
   * Keep `obs` and `result.obs` distinct arrays: with `copy: false` a vector env overwrites its obs
   * array in place, so pass a copy (`obs = result.obs.slice()`), or keep the default `copy: true`.
   *
   * @returns how many transitions were stored: numEnvs, minus skipped pseudo-steps; with n-step
   *   returns, the n-step transitions completed by this step (0 while windows fill).
   * @throws Error for arrays of the wrong length, a vector env whose autoreset differs from the
   *   buffer's, aliased `obs` and `result.obs`; nothing is stored then.
   */
  addVectorStep(step: VectorStepInput): number {
    checkVectorStep(this, step);
    return this.feed.addVectorStep(step);
  }

  /** `ReplayBuffer(size 12/1000, obs [4] float32, numEnvs 8, next-step, nStep 3, γ 0.99)` */
  override toString(): string {
    return `ReplayBuffer(size ${this.size}/${this.capacity}, obs [${this.obsShape.join(", ")}] ${this.obsDtype}, numEnvs ${this.numEnvs}, ${this.autoreset}${this.describeNStep()})`;
  }

  /** Copies the transition's observation rows into slot `where.slot`. */
  protected storeObservations(transition: StagedTransition, where: { readonly slot: number }): void {
    const size = this.obsSize;
    const to = where.slot * size;
    const { obs, obsOffset, nextObs, nextObsOffset } = transition;
    for (let j = 0; j < size; j++) {
      this.obs[to + j] = obs[obsOffset + j]!;
      this.nextObs[to + j] = nextObs[nextObsOffset + j]!;
    }
  }

  protected copyObservations(slot: number, rows: ObservationRows, offset: number): void {
    const size = this.obsSize;
    const from = slot * size;
    if (size <= 32) {
      for (let j = 0; j < size; j++) {
        rows.obs[offset + j] = this.obs[from + j]!;
        rows.nextObs[offset + j] = this.nextObs[from + j]!;
      }
    } else {
      // set() converts uint8 to float32 element by element, and is fast for long rows.
      rows.obs.set(this.obs.subarray(from, from + size), offset);
      rows.nextObs.set(this.nextObs.subarray(from, from + size), offset);
    }
  }
}
