import { assertKnownOptions } from "../core/options";
import { Rng, assertSeed } from "../core/rng";
import { assertAutoresetMode, type AutoresetMode } from "../vector/types";
import { NStepWindows, type ObsStorage, type StagedTransition, type TransitionSink } from "./n-step";
import { assertReplayOptions, checkAction, checkBatch, checkObservation, checkVectorStep } from "./replay-buffer-checks";
import type { ReplayBatch, ReplayBufferOptions, StoredTransition, Transition, VectorStepInput } from "./replay-types";

export type { ReplayBatch, ReplayBufferOptions, StoredTransition, Transition, VectorStepInput } from "./replay-types";

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
 * pixels get a frame-deduplicating buffer of their own.
 *
 * Speed (2-core machine, `node build/bench/replay-buffer.js`, capacity 100 000): `addVectorStep`
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
export class ReplayBuffer {
  readonly capacity: number;
  readonly obsShape: readonly number[];
  /** Numbers in one observation: the product of `obsShape`. */
  readonly obsSize: number;
  readonly obsDtype: "float32" | "uint8";
  readonly numEnvs: number;
  readonly autoreset: AutoresetMode;
  readonly nStep: number;
  readonly gamma: number;
  /** Whether truncated transitions bootstrap (SB3's `handle_timeout_termination`); see the option. */
  readonly handleTimeoutTermination: boolean;
  private readonly obs: ObsStorage;
  private readonly nextObs: ObsStorage;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly terminated: Uint8Array;
  private readonly truncated: Uint8Array;
  private readonly steps: Uint16Array;
  private readonly envIds: Int32Array;
  /** discountByStep[k] = γ^k. */
  private readonly discountByStep: Float32Array;
  /** Next-step autoreset: 1 where the env's previous step ended, so this step is its final→reset pseudo-step. */
  private readonly previousEnded: Uint8Array;
  private readonly windows: NStepWindows | undefined;
  private readonly staged: StagedTransition;
  private readonly sink: TransitionSink;
  /** Holds a Discrete final observation (a number) as a row. */
  private readonly scalarRow = new Float64Array(1);
  private readonly rng: Rng;
  private position = 0;
  private stored = 0;

  /**
   * @throws Error naming an unknown option; RangeError for a capacity, obsShape, numEnvs or nStep
   *   that is not a positive integer (nStep ≤ 65 535), a gamma outside [0, 1], an unknown obsDtype
   *   or autoreset, an invalid seed.
   */
  constructor(options: ReplayBufferOptions) {
    assertKnownOptions(options, OPTION_NAMES, "ReplayBuffer");
    const { capacity, obsShape, obsDtype = "float32", numEnvs = 1, autoreset = "next-step", nStep = 1, gamma = 0.99, seed } = options ?? ({} as ReplayBufferOptions);
    assertReplayOptions({ capacity, obsShape, obsDtype, numEnvs, nStep, gamma });
    assertAutoresetMode(autoreset);
    if (seed !== undefined) assertSeed(seed);
    this.capacity = capacity;
    this.obsShape = Object.freeze([...obsShape]);
    this.obsSize = obsShape.reduce((product, dim) => product * dim, 1);
    this.obsDtype = obsDtype;
    this.numEnvs = numEnvs;
    this.autoreset = autoreset;
    this.nStep = nStep;
    this.gamma = gamma;
    this.handleTimeoutTermination = options.handleTimeoutTermination ?? true;
    if (typeof this.handleTimeoutTermination !== "boolean") {
      throw new TypeError(`Expected handleTimeoutTermination to be a boolean, got ${String(options.handleTimeoutTermination)}`);
    }
    const createObs = (length: number): ObsStorage => (obsDtype === "uint8" ? new Uint8Array(length) : new Float32Array(length));
    try {
      this.obs = createObs(capacity * this.obsSize);
      this.nextObs = createObs(capacity * this.obsSize);
    } catch (error) {
      const gigabytes = (2 * capacity * this.obsSize * (obsDtype === "uint8" ? 1 : 4)) / 1e9;
      throw new RangeError(`Expected a buffer that fits in memory, got capacity ${capacity} × 2 observations of ${this.obsSize} ${obsDtype} = ${gigabytes.toFixed(1)} GB: lower capacity`, { cause: error });
    }
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Uint8Array(capacity);
    this.truncated = new Uint8Array(capacity);
    this.steps = new Uint16Array(capacity);
    this.envIds = new Int32Array(capacity);
    this.discountByStep = Float32Array.from({ length: nStep + 1 }, (_, k) => gamma ** k);
    this.previousEnded = new Uint8Array(numEnvs);
    this.windows = nStep > 1 ? new NStepWindows({ numEnvs, nStep, gamma, obsSize: this.obsSize, createObs }) : undefined;
    this.staged = { obs: this.obs, obsOffset: 0, action: 0, reward: 0, nextObs: this.obs, nextObsOffset: 0, terminated: false, truncated: false, steps: 1, envId: 0 };
    this.sink = (transition) => this.store(transition);
    this.rng = Rng.from(seed);
  }

  /** Transitions stored: grows to `capacity`, then stays there as the oldest are overwritten. */
  get size(): number {
    return this.stored;
  }

  /** Bytes of all preallocated arrays (storage and n-step windows). */
  get byteLength(): number {
    const perTransition = 2 * this.obs.BYTES_PER_ELEMENT * this.obsSize + 4 + 4 + 1 + 1 + 2 + 4;
    return this.capacity * perTransition + this.numEnvs + (this.windows?.byteLength ?? 0);
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
    if (!(Number.isInteger(envId) && envId >= 0 && envId < this.numEnvs)) {
      throw new RangeError(`Expected envId to be an integer 0 ≤ envId < ${this.numEnvs}, got ${String(envId)}`);
    }
    if (transition === null || typeof transition !== "object") throw new TypeError(`Expected a transition { obs, action, reward, nextObs, terminated, truncated }, got ${String(transition)}`);
    const { obs, action, reward, nextObs, terminated, truncated } = transition;
    checkObservation(this, obs, { name: "obs", envId });
    checkObservation(this, nextObs, { name: "nextObs", envId });
    checkAction(action, envId);
    if (!Number.isFinite(reward)) throw new RangeError(`Expected a finite reward for env ${envId}, got ${String(reward)}`);
    if (typeof terminated !== "boolean" || typeof truncated !== "boolean") {
      throw new TypeError(`Expected terminated and truncated to be booleans for env ${envId}, got ${String(terminated)} and ${String(truncated)}`);
    }
    const staged = this.staged;
    staged.envId = envId;
    staged.obs = obs;
    staged.obsOffset = 0;
    staged.action = action;
    staged.reward = reward;
    staged.nextObs = nextObs;
    staged.nextObsOffset = 0;
    staged.terminated = terminated;
    staged.truncated = truncated;
    this.commit();
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
    const { obs, actions, result } = step;
    const { rewards, terminated, truncated, infos } = result;
    const size = this.obsSize;
    const nextStep = this.autoreset === "next-step";
    const staged = this.staged;
    let added = 0;
    for (let i = 0; i < this.numEnvs; i++) {
      const ended = terminated[i] === 1 || truncated[i] === 1;
      if (nextStep && this.previousEnded[i] === 1) {
        this.previousEnded[i] = ended ? 1 : 0;
        continue; // the final→reset pseudo-step: not a transition
      }
      if (nextStep) this.previousEnded[i] = ended ? 1 : 0;
      staged.envId = i;
      staged.obs = obs;
      staged.obsOffset = i * size;
      staged.action = actions[i]!;
      staged.reward = rewards[i]!;
      staged.nextObs = result.obs;
      staged.nextObsOffset = i * size;
      staged.terminated = terminated[i] === 1;
      staged.truncated = truncated[i] === 1;
      if (ended && !nextStep) {
        // Same-step: the row of result.obs already starts the next episode; the true final obs is here.
        const final = infos.finalObs[i] as ArrayLike<number> | number;
        staged.nextObsOffset = 0;
        if (typeof final === "number") {
          this.scalarRow[0] = final;
          staged.nextObs = this.scalarRow;
        } else {
          staged.nextObs = final;
        }
      }
      added += this.commit();
    }
    return added;
  }

  /**
   * Ends every env's current episode in the buffer's bookkeeping, as a truncation. Call it after
   * resetting the vector env yourself (not needed for autoresets): with n-step returns, pending
   * transitions are stored with the steps they have, bootstrapping from their last next
   * observation; in next-step mode, the next step is no longer taken for a pseudo-step.
   *
   * @returns how many transitions were stored.
   */
  endEpisodes(): number {
    this.previousEnded.fill(0);
    return this.windows?.truncateAll(this.sink) ?? 0;
  }

  /**
   * A minibatch of `batchSize` transitions drawn uniformly with replacement (like SB3), from the
   * seeded RNG, in fresh arrays.
   *
   * @throws RangeError unless 1 ≤ batchSize ≤ size.
   */
  sample(batchSize: number): ReplayBatch {
    checkBatch(this, batchSize);
    return this.sampleInto(this.createBatch(batchSize));
  }

  /** Arrays for a batch of `batchSize`, to fill again and again with {@link ReplayBuffer.sampleInto}. */
  createBatch(batchSize: number): ReplayBatch {
    if (!(Number.isSafeInteger(batchSize) && batchSize > 0)) throw new RangeError(`Expected batchSize to be a positive integer, got ${String(batchSize)}`);
    const rows = batchSize * this.obsSize;
    const [obs, nextObs] = [new Float32Array(rows), new Float32Array(rows)];
    const [rewards, terminated, discounts] = [new Float32Array(batchSize), new Float32Array(batchSize), new Float32Array(batchSize)];
    return { batchSize, obs, actions: new Int32Array(batchSize), rewards, nextObs, terminated, discounts, indices: new Int32Array(batchSize) };
  }

  /**
   * Like {@link ReplayBuffer.sample}, but overwrites `batch` (from {@link ReplayBuffer.createBatch})
   * instead of allocating: the same draws as `sample(batch.batchSize)` would make.
   *
   * @returns `batch`.
   */
  sampleInto(batch: ReplayBatch): ReplayBatch {
    checkBatch(this, batch.batchSize, batch);
    const size = this.obsSize;
    const { obs, nextObs, actions, rewards, terminated, discounts, indices } = batch;
    for (let b = 0; b < batch.batchSize; b++) {
      const index = this.rng.integer(this.stored);
      indices[b] = index;
      actions[b] = this.actions[index]!;
      rewards[b] = this.rewards[index]!;
      terminated[b] = this.terminated[index]!;
      discounts[b] = this.discountByStep[this.steps[index]!]!;
      const from = index * size;
      const to = b * size;
      if (size <= 32) {
        for (let j = 0; j < size; j++) {
          obs[to + j] = this.obs[from + j]!;
          nextObs[to + j] = this.nextObs[from + j]!;
        }
      } else {
        // set() converts uint8 to float32 element by element, and is fast for long rows.
        obs.set(this.obs.subarray(from, from + size), to);
        nextObs.set(this.nextObs.subarray(from, from + size), to);
      }
    }
    return batch;
  }

  /**
   * The transition in buffer slot `index` (0 ≤ index < size), e.g. `batch.indices[b]`. Until the
   * ring wraps, slot i holds the i-th transition stored.
   */
  transitionAt(index: number): StoredTransition {
    if (!(Number.isInteger(index) && index >= 0 && index < this.stored)) {
      throw new RangeError(`Expected an index 0 ≤ index < ${this.stored} (the buffer's size), got ${String(index)}`);
    }
    const from = index * this.obsSize;
    return {
      obs: Float32Array.from(this.obs.subarray(from, from + this.obsSize)),
      action: this.actions[index]!,
      reward: this.rewards[index]!,
      nextObs: Float32Array.from(this.nextObs.subarray(from, from + this.obsSize)),
      terminated: this.terminated[index] === 1,
      truncated: this.truncated[index] === 1,
      steps: this.steps[index]!,
      discount: this.discountByStep[this.steps[index]!]!,
      envId: this.envIds[index]!,
    };
  }

  /**
   * Empties the buffer and the pending n-step windows. The sampling RNG and the next-step
   * bookkeeping (which env's next step is a final→reset pseudo-step) stay: they describe the vector
   * env feeding the buffer, which goes on. If you reset that env too, call {@link ReplayBuffer.endEpisodes}.
   */
  clear(): void {
    this.position = 0;
    this.stored = 0;
    this.windows?.clear();
  }

  /** `ReplayBuffer(size 12/1000, obs [4] float32, numEnvs 8, next-step, nStep 3, γ 0.99)` */
  toString(): string {
    const n = this.nStep > 1 ? `, nStep ${this.nStep}, γ ${this.gamma}` : "";
    return `ReplayBuffer(size ${this.stored}/${this.capacity}, obs [${this.obsShape.join(", ")}] ${this.obsDtype}, numEnvs ${this.numEnvs}, ${this.autoreset}${n})`;
  }

  /** Stores the staged one-step transition, or passes it through its env's n-step window. Returns transitions stored. */
  private commit(): number {
    const staged = this.staged;
    staged.steps = 1;
    if (this.windows !== undefined) return this.windows.push(staged, this.sink);
    this.store(staged);
    return 1;
  }

  /** Writes a transition into the ring's next slot, overwriting the oldest once full. */
  private store(transition: StagedTransition): void {
    const slot = this.position;
    const size = this.obsSize;
    const to = slot * size;
    const { obs, obsOffset, nextObs, nextObsOffset } = transition;
    for (let j = 0; j < size; j++) {
      this.obs[to + j] = obs[obsOffset + j]!;
      this.nextObs[to + j] = nextObs[nextObsOffset + j]!;
    }
    this.actions[slot] = transition.action;
    this.rewards[slot] = transition.reward;
    // With handleTimeoutTermination off, a time-limit cut is stored as if the episode had ended.
    this.terminated[slot] = transition.terminated || (transition.truncated && !this.handleTimeoutTermination) ? 1 : 0;
    this.truncated[slot] = transition.truncated ? 1 : 0;
    this.steps[slot] = transition.steps;
    this.envIds[slot] = transition.envId;
    this.position = slot + 1 === this.capacity ? 0 : slot + 1;
    if (this.stored < this.capacity) this.stored += 1;
  }
}

