import { Rng } from "../core/rng";
import type { AutoresetMode } from "../vector/types";
import type { ObsStorage, StagedTransition } from "./n-step";
import { checkBatch, type ResolvedReplayOptions } from "./replay-buffer-checks";
import type { ReplayBatch, StoredTransition, Transition, TransitionStore, VectorStepInput } from "./replay-types";
import { TransitionFeed } from "./transition-feed";
import { TransitionRing, createReplayBatch } from "./transition-ring";

/** Where a buffer writes one transition's observations: rows of these arrays at an offset. */
export interface ObservationRows {
  readonly obs: Float32Array;
  readonly nextObs: Float32Array;
}

/**
 * What {@link ReplayBuffer} and {@link FrameReplayBuffer} share, whatever they keep observations
 * in: their settings, the ring of transition fields ({@link TransitionRing}), the intake of
 * transitions (autoreset and n-step: {@link TransitionFeed}), and uniform sampling from a seeded
 * RNG. A subclass says how it keeps observations (`storeObservations`) and gives them back
 * (`copyObservations`), and how it takes transitions in (`add`, `addVectorStep`).
 *
 * @example
 * // Both buffers, fed the same 8 transitions of 84×84×4 stacks with seed 0, draw the same slots:
 * const options = { capacity: 100, obsShape: [84, 84, 4], seed: 0 };
 * const buffers: ReplayBufferBase[] = [new ReplayBuffer({ ...options, obsDtype: "uint8" }), new FrameReplayBuffer(options)];
 * // … each buffer.add(...) the same 8 transitions …
 * buffers.map((buffer) => Array.from(buffer.sample(4).indices)); //=> [[4, 7, 2, 2], [4, 7, 2, 2]]
 */
export abstract class ReplayBufferBase implements TransitionStore {
  readonly capacity: number;
  readonly obsShape: readonly number[];
  /** Numbers in one observation: the product of `obsShape`. */
  readonly obsSize: number;
  abstract readonly obsDtype: "float32" | "uint8";
  readonly numEnvs: number;
  readonly autoreset: AutoresetMode;
  readonly nStep: number;
  readonly gamma: number;
  /** Whether truncated transitions bootstrap (SB3's `handle_timeout_termination`); see the option. */
  readonly handleTimeoutTermination: boolean;
  /** Actions, rewards, flags, steps and envs of the stored transitions, slot by slot. */
  protected readonly ring: TransitionRing;
  /** Autoreset bookkeeping and n-step windows: what becomes a transition. */
  protected readonly feed: TransitionFeed;
  private readonly rng: Rng;

  /**
   * @param options The buffer's checked options.
   * @param staging How the feed carries an observation before it is stored: `stagedSize` numbers
   *   (the row itself, or a frame reference), in arrays from `createObs`.
   */
  protected constructor(options: ResolvedReplayOptions, staging: { readonly stagedSize: number; readonly createObs: (length: number) => ObsStorage }) {
    const { capacity, obsShape, numEnvs, autoreset, nStep, gamma, seed, handleTimeoutTermination } = options;
    this.capacity = capacity;
    this.obsShape = obsShape;
    this.obsSize = obsShape.reduce((product, dim) => product * dim, 1);
    this.numEnvs = numEnvs;
    this.autoreset = autoreset;
    this.nStep = nStep;
    this.gamma = gamma;
    this.handleTimeoutTermination = handleTimeoutTermination;
    this.ring = new TransitionRing({ capacity, nStep, gamma, handleTimeoutTermination });
    const store = (transition: StagedTransition) => {
      const sequence = this.ring.nextSequence;
      this.storeObservations(transition, { slot: this.ring.push(transition), sequence });
    };
    this.feed = new TransitionFeed({ numEnvs, autoreset, nStep, gamma, rowSize: this.obsSize, ...staging, store });
    this.rng = Rng.from(seed);
  }

  /** Transitions stored: grows to `capacity`, then stays there as the oldest are overwritten. */
  get size(): number {
    return this.ring.size;
  }

  /** Bytes of all preallocated arrays. */
  abstract get byteLength(): number;

  /** Adds one transition of env `envId` (default 0), e.g. from a single env's `step`. */
  abstract add(transition: Transition, envId?: number): void;

  /** Adds one vector step; returns how many transitions were stored. */
  abstract addVectorStep(step: VectorStepInput): number;

  /**
   * Ends every env's current episode in the buffer's bookkeeping, as a truncation. Call it after
   * resetting the vector env yourself (not needed for autoresets): with n-step returns, pending
   * transitions are stored with the steps they have, bootstrapping from their last next
   * observation; in next-step mode, the next step is no longer taken for a pseudo-step.
   *
   * @returns how many transitions were stored.
   */
  endEpisodes(): number {
    return this.feed.endEpisodes();
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

  /** Arrays for a batch of `batchSize`, to fill again and again with {@link ReplayBufferBase.sampleInto}. */
  createBatch(batchSize: number): ReplayBatch {
    return createReplayBatch(batchSize, this.obsSize);
  }

  /**
   * Like {@link ReplayBufferBase.sample}, but overwrites `batch` (from `createBatch`) instead of
   * allocating: the same draws as `sample(batch.batchSize)` would make. Observations come back as
   * float32 of the stored values (uint8 pixels as 0…255: the network scales them).
   *
   * @returns `batch`.
   */
  sampleInto(batch: ReplayBatch): ReplayBatch {
    checkBatch(this, batch.batchSize, batch);
    for (let b = 0; b < batch.batchSize; b++) {
      const slot = this.ring.draw(this.rng);
      this.ring.fillBatchRow(batch, b, slot);
      this.copyObservations(slot, batch, b * this.obsSize);
    }
    return batch;
  }

  /**
   * The transition in buffer slot `index`, e.g. `batch.indices[b]`. Until the ring wraps, slot i
   * holds the i-th transition stored.
   *
   * @throws RangeError unless slot `index` holds a stored transition.
   */
  transitionAt(index: number): StoredTransition {
    this.ring.assertLive(index);
    const rows = { obs: new Float32Array(this.obsSize), nextObs: new Float32Array(this.obsSize) };
    this.copyObservations(index, rows, 0);
    return { ...this.ring.fieldsAt(index), ...rows };
  }

  /**
   * Empties the buffer and the pending n-step windows. The sampling RNG and the next-step
   * bookkeeping (which env's next step is a final→reset pseudo-step) stay: they describe the vector
   * env feeding the buffer, which goes on. If you reset that env too, call `endEpisodes`.
   */
  clear(): void {
    this.ring.clear();
    this.feed.clear();
  }

  /** ", nStep 3, γ 0.99" for n-step buffers, for toString. */
  protected describeNStep(): string {
    return this.nStep > 1 ? `, nStep ${this.nStep}, γ ${this.gamma}` : "";
  }

  /**
   * Keeps the observations of a transition whose other fields went to ring slot `where.slot` (the
   * `where.sequence`-th transition stored, counting from 0).
   */
  protected abstract storeObservations(transition: StagedTransition, where: { readonly slot: number; readonly sequence: number }): void;

  /** Writes the observations of the transition in `slot` into `rows.obs` and `rows.nextObs` at `offset`. */
  protected abstract copyObservations(slot: number, rows: ObservationRows, offset: number): void;
}
