/**
 * The part of a replay buffer that does not depend on how observations are kept: a ring of
 * `capacity` slots holding each transition's action, reward, flags, steps and env, the uniform draw
 * of a slot, and the copy of those fields into a batch. {@link ReplayBuffer} keeps observation rows
 * beside it, {@link FrameReplayBuffer} frame references.
 */
import type { Rng } from "../core/rng";
import type { StagedTransition } from "./n-step";
import type { ReplayBatch, StoredTransition } from "./replay-types";

/** Options of {@link TransitionRing}. */
export interface TransitionRingOptions {
  /** Slots in the ring. */
  readonly capacity: number;
  /** The largest k a transition can sum (n of n-step returns): discounts γ^0 … γ^n are precomputed. */
  readonly nStep: number;
  /** γ, for the discounts γ^k. */
  readonly gamma: number;
  /** Whether truncated transitions bootstrap (SB3's `handle_timeout_termination`). */
  readonly handleTimeoutTermination: boolean;
}

/** A stored transition without its observations. */
export type TransitionFields = Omit<StoredTransition, "obs" | "nextObs">;

/**
 * A ring of transitions in insertion order: `push` writes the next slot, overwriting the oldest
 * once all `capacity` slots are live. The live slots are the `size` slots before the write
 * position; a buffer whose observations can be lost early (the frame buffer) drops the oldest
 * ones with {@link TransitionRing.dropThrough}, so the live slots stay one contiguous run.
 *
 * @example
 * const ring = new TransitionRing({ capacity: 2, nStep: 1, gamma: 0.5, handleTimeoutTermination: true });
 * ring.push({ ...staged, reward: 1 }); ring.push({ ...staged, reward: 2 }); ring.push({ ...staged, reward: 3 });
 * ring.size;                  //=> 2
 * ring.fieldsAt(0).reward;    //=> 3   (slot 0, the oldest, was overwritten)
 */
export class TransitionRing {
  readonly capacity: number;
  readonly handleTimeoutTermination: boolean;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly terminated: Uint8Array;
  private readonly truncated: Uint8Array;
  private readonly steps: Uint16Array;
  private readonly envIds: Int32Array;
  /** discountByStep[k] = γ^k. */
  private readonly discountByStep: Float32Array;
  /** The slot the next transition goes to. */
  private position = 0;
  /** Live transitions: the `stored` slots before `position`, wrapping around. */
  private stored = 0;
  /** Transitions ever pushed: the sequence number of the next one. */
  private pushed = 0;

  constructor(options: TransitionRingOptions) {
    const { capacity, nStep, gamma, handleTimeoutTermination } = options;
    this.capacity = capacity;
    this.handleTimeoutTermination = handleTimeoutTermination;
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Uint8Array(capacity);
    this.truncated = new Uint8Array(capacity);
    this.steps = new Uint16Array(capacity);
    this.envIds = new Int32Array(capacity);
    this.discountByStep = Float32Array.from({ length: nStep + 1 }, (_, k) => gamma ** k);
  }

  /** Live transitions. */
  get size(): number {
    return this.stored;
  }

  /** Bytes of the per-slot arrays: 16 a transition (action, reward, flags, steps, env). */
  get byteLength(): number {
    return this.capacity * (4 + 4 + 1 + 1 + 2 + 4);
  }

  /** The sequence number the next pushed transition gets (transitions pushed so far). */
  get nextSequence(): number {
    return this.pushed;
  }

  /**
   * Writes `transition`'s fields (not its observations) into the next slot.
   *
   * @returns the slot, where the caller writes the observations.
   */
  push(transition: StagedTransition): number {
    const slot = this.position;
    this.actions[slot] = transition.action;
    this.rewards[slot] = transition.reward;
    // With handleTimeoutTermination off, a time-limit cut is stored as if the episode had ended.
    this.terminated[slot] = transition.terminated || (transition.truncated && !this.handleTimeoutTermination) ? 1 : 0;
    this.truncated[slot] = transition.truncated ? 1 : 0;
    this.steps[slot] = transition.steps;
    this.envIds[slot] = transition.envId;
    this.position = slot + 1 === this.capacity ? 0 : slot + 1;
    if (this.stored < this.capacity) this.stored += 1;
    this.pushed += 1;
    return slot;
  }

  /**
   * Drops every live transition whose sequence number is ≤ `sequence` (the oldest first).
   *
   * @returns how many were dropped.
   */
  dropThrough(sequence: number): number {
    const oldest = this.pushed - this.stored;
    const dropped = Math.min(this.stored, sequence - oldest + 1);
    if (dropped <= 0) return 0;
    this.stored -= dropped;
    return dropped;
  }

  /**
   * A live slot drawn uniformly with `rng`: one `rng.integer(size)` draw. While no transition was
   * dropped early, the draw is the slot itself (as in a plain ring), so two buffers fed the same
   * stream with the same seed sample the same slots.
   */
  draw(rng: Rng): number {
    const r = rng.integer(this.stored);
    if (this.stored === this.capacity) return r;
    const first = this.position - this.stored;
    const slot = first + r;
    return first < 0 ? (slot < 0 ? slot + this.capacity : slot) : slot;
  }

  /** Whether `slot` holds a live transition. */
  isLive(slot: number): boolean {
    if (!(Number.isInteger(slot) && slot >= 0 && slot < this.capacity)) return false;
    const age = (this.position - 1 - slot + this.capacity) % this.capacity; // 0 for the newest
    return age < this.stored;
  }

  /** Throws a RangeError unless `index` is a live slot. */
  assertLive(index: number): void {
    if (this.isLive(index)) return;
    const first = (this.position - this.stored + this.capacity) % this.capacity;
    if (first === 0 || this.stored === this.capacity) {
      throw new RangeError(`Expected an index 0 ≤ index < ${this.stored} (the buffer's size), got ${String(index)}`);
    }
    const last = (first + this.stored - 1) % this.capacity;
    throw new RangeError(`Expected the slot of a stored transition (slots ${first}…${last}${last < first ? ", wrapping around" : ""}; e.g. batch.indices[b]), got ${String(index)}`);
  }

  /** Copies slot `slot`'s fields into row `b` of `batch` (its observations are the caller's). */
  fillBatchRow(batch: ReplayBatch, b: number, slot: number): void {
    batch.indices[b] = slot;
    batch.actions[b] = this.actions[slot]!;
    batch.rewards[b] = this.rewards[slot]!;
    batch.terminated[b] = this.terminated[slot]!;
    batch.discounts[b] = this.discountByStep[this.steps[slot]!]!;
  }

  /** The fields of the transition in `slot` (not checked: see {@link TransitionRing.assertLive}). */
  fieldsAt(slot: number): TransitionFields {
    return {
      action: this.actions[slot]!,
      reward: this.rewards[slot]!,
      terminated: this.terminated[slot] === 1,
      truncated: this.truncated[slot] === 1,
      steps: this.steps[slot]!,
      discount: this.discountByStep[this.steps[slot]!]!,
      envId: this.envIds[slot]!,
    };
  }

  /** Forgets every transition (the sequence numbering goes on). */
  clear(): void {
    this.position = 0;
    this.stored = 0;
  }
}

/**
 * Arrays for a minibatch of `batchSize` observations of `obsSize` numbers, for a buffer's
 * `sampleInto` to fill again and again.
 *
 * @throws RangeError unless batchSize is a positive integer.
 * @example
 * createReplayBatch(32, 4).obs.length; //=> 128
 */
export function createReplayBatch(batchSize: number, obsSize: number): ReplayBatch {
  if (!(Number.isSafeInteger(batchSize) && batchSize > 0)) throw new RangeError(`Expected batchSize to be a positive integer, got ${String(batchSize)}`);
  const rows = batchSize * obsSize;
  const [obs, nextObs] = [new Float32Array(rows), new Float32Array(rows)];
  const [rewards, terminated, discounts] = [new Float32Array(batchSize), new Float32Array(batchSize), new Float32Array(batchSize)];
  return { batchSize, obs, actions: new Int32Array(batchSize), rewards, nextObs, terminated, discounts, indices: new Int32Array(batchSize) };
}
