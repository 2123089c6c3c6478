import { describeValue } from "../core/describe";
import { FrameStore, NO_FRAME } from "./frame-store";
import { findShiftMismatch, firstDifference, notAFrameStackError, notTheLastObservationError, rowsEqual, type StackLayout } from "./frame-stack-checks";
import type { StagedTransition } from "./n-step";
import { ReplayBufferBase, type ObservationRows } from "./replay-buffer-base";
import { checkTransition, checkVectorStep, resolveReplayOptions } from "./replay-buffer-checks";
import type { FrameReplayBufferOptions, Transition, VectorStepInput } from "./replay-types";
import type { FeedHooks } from "./transition-feed";

export type { FrameReplayBufferOptions } from "./replay-types";

const OPTION_NAMES = ["capacity", "obsShape", "obsDtype", "numEnvs", "autoreset", "nStep", "gamma", "seed", "handleTimeoutTermination", "frameCapacity"];

/** Share of `capacity` the default frameCapacity adds for episodes' first frames: episodes of ≥ 20 steps on average fit. */
const SPARE_FRAMES_PER_TRANSITION = 1 / 20;

/**
 * A replay buffer for stacked pixel observations (Atari's 84×84×4) that keeps each frame ONCE: not
 * four times (once per stack it appears in), not once for obs and again for nextObs. Each
 * transition holds two numbers naming its stacks, and `sampleInto` rebuilds obs and nextObs from the
 * frames. 100 000 transitions of 84×84×4 take 0.75 GB instead of {@link ReplayBuffer}'s 5.6 GB.
 * It has ReplayBuffer's interface ({@link TransitionStore}), its autoreset and n-step handling
 * (the same {@link TransitionFeed}), and, fed the same stream with the same seed, samples the same
 * transitions as ReplayBuffer would (while none is dropped early: see Memory).
 *
 * How a stack is rebuilt: frames arrive from all sub-envs interleaved; each frame links to the
 * frame before it in its sub-env's episode (see {@link FrameStore}). An episode's first stack is
 * stored as its distinct frames, so "reset" padding (the first frame four times) costs one frame
 * and a stack never reaches into the previous episode. The true final observation of an episode
 * (next-step: the row of result.obs; same-step: infos.finalObs) is a frame like any other.
 *
 * What it checks, rather than store garbage: each next observation must be its observation shifted
 * by one frame (nextObs channels 0…k−2 = obs channels 1…k−1: channels-last, newest last); each
 * step's obs must be the stack the sub-env's previous step returned. Either failure throws an Error
 * naming the problem, before anything of the step is stored.
 *
 * Memory: frameCapacity × (height × width + 16) + capacity × 32 bytes. Frames are a ring: when the
 * oldest frame is overwritten, every transition still using it is dropped first (the oldest
 * transitions), so a transition with a lost frame is never sampled. With the default frameCapacity
 * this happens only when episodes average under 20 steps (see `frameCapacity`).
 *
 * @example
 * // Stacks of 2 frames of 1 pixel, one env: reset [5, 5], then the frames 6, 7 (episode ends).
 * const buffer = new FrameReplayBuffer({ capacity: 10, obsShape: [1, 1, 2], seed: 0 });
 * buffer.add({ obs: [5, 5], action: 0, reward: 1, nextObs: [5, 6], terminated: false, truncated: false });
 * buffer.add({ obs: [5, 6], action: 1, reward: 1, nextObs: [6, 7], terminated: true, truncated: false });
 * buffer.framesWritten;                    //=> 3   (5, 6, 7: each frame once)
 * Array.from(buffer.transitionAt(1).obs);  //=> [5, 6]
 * Array.from(buffer.sample(2).nextObs);    //=> [5, 6, 6, 7]
 */
export class FrameReplayBuffer extends ReplayBufferBase {
  readonly obsDtype = "uint8" as const;
  /** Frames kept: see the option. */
  readonly frameCapacity: number;
  private readonly layout: StackLayout;
  private readonly frames: FrameStore;
  /** Per slot of the ring: the newest frame of the transition's obs, and of its nextObs. */
  private readonly obsFrames: Float64Array;
  private readonly nextObsFrames: Float64Array;
  /** Per sub-env: the newest frame of its current stack (NO_FRAME: none yet, or its episode ended). */
  private readonly heads: Float64Array;
  /** Per sub-env: its oldest frame still in play (current stack and pending n-step transitions). */
  private readonly inPlayFrom: Float64Array;
  /**
   * Per sub-env: a copy of its current stack (the stack `heads` names), so that checking the next
   * obs against it is a word-by-word comparison rather than a walk over four frames.
   */
  private readonly currentStacks: Uint8Array;
  /** One-number "observations" staged through the feed: frame names. */
  private readonly obsRef = new Float64Array(1);
  private readonly nextObsRef = new Float64Array(1);
  private readonly hooks: FeedHooks;
  private dropped = 0;

  /**
   * @throws Error naming an unknown option; RangeError for any option ReplayBuffer rejects, an
   *   obsShape that is not [height, width, stack], an obsDtype other than "uint8", or a
   *   frameCapacity below capacity plus the sub-envs' reserve.
   */
  constructor(options: FrameReplayBufferOptions) {
    const obsDtype = options?.obsDtype ?? "uint8";
    if (obsDtype !== "uint8") throw new RangeError(`Expected obsDtype "uint8" (frames are pixels), got ${describeValue(obsDtype)}`);
    const resolved = resolveReplayOptions({ ...options, obsDtype }, { name: "FrameReplayBuffer", optionNames: OPTION_NAMES });
    const { capacity, obsShape, numEnvs, nStep } = resolved;
    if (obsShape.length !== 3) {
      throw new RangeError(`Expected obsShape [height, width, stack] (channels-last stacked frames, e.g. [84, 84, 4]), got [${obsShape.join(", ")}]`);
    }
    const [height, width, stack] = obsShape as [number, number, number];
    // Each sub-env's frames in play (its stack and n-step window) reach back up to nStep + stack
    // of its steps, and a step writes up to stack + 1 frames (a new episode's first stack).
    const reserve = numEnvs * (nStep + stack + 1) * (stack + 1);
    const frameCapacity = options.frameCapacity ?? capacity + Math.ceil(capacity * SPARE_FRAMES_PER_TRANSITION) + reserve;
    if (!(Number.isSafeInteger(frameCapacity) && frameCapacity >= capacity + reserve)) {
      throw new RangeError(`Expected frameCapacity to be an integer ≥ capacity + ${reserve} (one frame a transition, plus each sub-env's frames in play), got ${describeValue(frameCapacity)}`);
    }
    // The feed carries one number per observation: the name of its newest frame.
    super(resolved, { stagedSize: 1, createObs: (length) => new Float64Array(length) });
    this.layout = { height, width, stack };
    this.frameCapacity = frameCapacity;
    try {
      this.frames = new FrameStore({ frameCapacity, frameSize: height * width, stack, onOverwrite: (user) => (this.dropped += this.ring.dropThrough(user)) });
    } catch (error) {
      throw new RangeError(`Expected frames that fit in memory, got ${frameCapacity} frames of ${height}×${width} = ${((frameCapacity * height * width) / 1e9).toFixed(1)} GB: lower capacity`, { cause: error });
    }
    this.obsFrames = new Float64Array(capacity);
    this.nextObsFrames = new Float64Array(capacity);
    this.heads = new Float64Array(numEnvs).fill(NO_FRAME);
    this.inPlayFrom = new Float64Array(numEnvs).fill(Infinity);
    this.currentStacks = new Uint8Array(numEnvs * this.obsSize);
    this.hooks = { encode: (staged) => this.encode(staged), episodeStart: (envId, obs, offset) => this.startStack(envId, obs, offset) };
  }

  /** Bytes of all preallocated arrays: frames, links, transitions, n-step windows. */
  get byteLength(): number {
    const perEnv = this.heads.byteLength + this.inPlayFrom.byteLength + this.currentStacks.byteLength;
    return this.frames.byteLength + this.ring.byteLength + this.obsFrames.byteLength + this.nextObsFrames.byteLength + perEnv + this.feed.byteLength;
  }

  /** Frames stored so far (each frame of the stream once). */
  get framesWritten(): number {
    return this.frames.framesWritten;
  }

  /** Transitions dropped before `capacity` forced them out, because their frames made room for new ones. */
  get droppedEarly(): number {
    return this.dropped;
  }

  /**
   * Adds one transition of env `envId` (default 0), like {@link ReplayBuffer.add}. After a
   * transition that ends an episode, the next `obs` of that env starts a new one.
   *
   * @throws RangeError as ReplayBuffer.add; Error if nextObs is not obs shifted by one frame, or obs
   *   is not the nextObs of this env's previous transition (within an episode). Nothing is stored then.
   */
  add(transition: Transition, envId = 0): void {
    checkTransition(this, transition, envId);
    this.releaseIdleEnvs(this.layout.stack + 1);
    const staged = this.feed.stageTransition(transition, envId);
    this.checkStacks(staged);
    this.encode(staged);
    this.feed.commit();
  }

  /**
   * Adds one vector step, like {@link ReplayBuffer.addVectorStep}: same-step autoreset's true
   * final observations come from `result.infos.finalObs`, next-step pseudo-steps are skipped (their
   * reset observation starts the sub-env's next stack).
   *
   * @returns how many transitions were stored.
   * @throws as ReplayBuffer.addVectorStep; Error for observations that are not frame stacks or do
   *   not follow the previous step's (see the class). Nothing is stored then.
   */
  addVectorStep(step: VectorStepInput): number {
    checkVectorStep(this, step);
    this.releaseIdleEnvs(this.numEnvs * (this.layout.stack + 1));
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.feed.stageSubEnvStep(step, i)) this.checkStacks(this.feed.staged);
    }
    return this.feed.addVectorStep(step, this.hooks);
  }

  /**
   * Ends every env's episode in the bookkeeping, as ReplayBuffer.endEpisodes does; each env's next
   * obs then starts a new stack. Call it after resetting the vector env yourself.
   *
   * @returns how many transitions were stored.
   */
  override endEpisodes(): number {
    const stored = super.endEpisodes();
    for (let i = 0; i < this.numEnvs; i++) this.setHead(i, NO_FRAME);
    return stored;
  }

  /** `FrameReplayBuffer(size 12/1000, frames 84×84 × 4, 1320 frames kept, numEnvs 8, next-step)` */
  override toString(): string {
    const { height, width, stack } = this.layout;
    return `FrameReplayBuffer(size ${this.size}/${this.capacity}, frames ${height}×${width} × ${stack}, ${this.frameCapacity} frames kept, numEnvs ${this.numEnvs}, ${this.autoreset}${this.describeNStep()})`;
  }

  /** Throws unless the staged transition's obs is its env's current stack and nextObs follows it. */
  private checkStacks(staged: StagedTransition): void {
    const { envId, obs, obsOffset, nextObs, nextObsOffset } = staged;
    const size = this.obsSize;
    const current = { a: obs, aOffset: obsOffset, b: this.currentStacks, bOffset: envId * size };
    if (this.heads[envId] !== NO_FRAME && !rowsEqual(current, size)) {
      const j = firstDifference(current, size);
      throw notTheLastObservationError({ envId, channel: j % this.layout.stack, pixel: Math.floor(j / this.layout.stack) }, this.layout);
    }
    const mismatch = findShiftMismatch({ obs, obsOffset, next: nextObs, nextOffset: nextObsOffset }, this.layout);
    if (mismatch !== undefined) {
      const { channel, pixel } = mismatch;
      const k = this.layout.stack;
      const [obsValue, nextValue] = [obs[obsOffset + pixel * k + channel + 1]!, nextObs[nextObsOffset + pixel * k + channel]!];
      throw notAFrameStackError({ envId, channel, pixel, obsValue, nextValue }, this.layout);
    }
  }

  /**
   * Stores the (checked) staged transition's new frame, the newest of nextObs, and replaces its
   * observations by frame names: the feed and its n-step windows carry those instead of rows.
   */
  private encode(staged: StagedTransition): void {
    const envId = staged.envId;
    if (this.heads[envId] === NO_FRAME) this.startStack(envId, staged.obs, staged.obsOffset);
    const head = this.heads[envId]!;
    const next = this.frames.append(staged.nextObs, staged.nextObsOffset, this.layout.stack - 1, head);
    // After an ending step the env's next obs starts a new episode: it has no stack to follow.
    if (staged.terminated || staged.truncated) {
      this.setHead(envId, NO_FRAME);
    } else {
      copyRow({ from: staged.nextObs, fromOffset: staged.nextObsOffset, to: this.currentStacks, toOffset: envId * this.obsSize }, this.obsSize);
      this.setHead(envId, next);
    }
    this.obsRef[0] = head;
    this.nextObsRef[0] = next;
    staged.obs = this.obsRef;
    staged.obsOffset = 0;
    staged.nextObs = this.nextObsRef;
    staged.nextObsOffset = 0;
  }

  /** Stores the stacked observation at `obs[offset…]` as the first of a stack of env `envId`. */
  private startStack(envId: number, obs: ArrayLike<number>, offset: number): void {
    copyRow({ from: obs, fromOffset: offset, to: this.currentStacks, toOffset: envId * this.obsSize }, this.obsSize);
    this.setHead(envId, this.frames.appendStack(obs, offset));
  }

  /** Keeps the frame names of a finished transition, recording which frames it uses. */
  protected storeObservations(transition: StagedTransition, where: { readonly slot: number; readonly sequence: number }): void {
    const { slot, sequence } = where;
    const obsFrame = transition.obs[transition.obsOffset]!;
    const nextObsFrame = transition.nextObs[transition.nextObsOffset]!;
    this.obsFrames[slot] = obsFrame;
    this.nextObsFrames[slot] = nextObsFrame;
    this.frames.markUsed(obsFrame, sequence);
    this.frames.markUsed(nextObsFrame, sequence);
  }

  /** Rebuilds the transition's stacks from its frames (float32 values 0…255). */
  protected copyObservations(slot: number, rows: ObservationRows, offset: number): void {
    this.frames.writeStack(this.obsFrames[slot]!, rows.obs, offset);
    this.frames.writeStack(this.nextObsFrames[slot]!, rows.nextObs, offset);
  }

  private setHead(envId: number, head: number): void {
    this.heads[envId] = head;
    // Its pending n-step transitions' stacks start up to nStep − 1 steps back, each stack − 1 more.
    this.inPlayFrom[envId] = head === NO_FRAME ? Infinity : this.frames.ancestor(head, this.nStep + this.layout.stack - 2);
  }

  /**
   * Forgets the stack and pending n-step transitions of any env whose frames in play the next
   * `margin` frames would overwrite. Only an env left idle while others add many frames (with
   * `add`) gets here; a vector env's sub-envs all move each step and the reserve covers them. Its
   * next obs then starts a new stack, stored whole: still exact.
   */
  private releaseIdleEnvs(margin: number): void {
    const firstOverwritten = this.frames.framesWritten + margin - this.frameCapacity;
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.inPlayFrom[i]! >= firstOverwritten) continue;
      this.setHead(i, NO_FRAME);
      this.feed.discardPending(i);
    }
  }
}

/** Copies `length` numbers of a row into a byte array (typed arrays with one memcpy). */
function copyRow(rows: { readonly from: ArrayLike<number>; readonly fromOffset: number; readonly to: Uint8Array; readonly toOffset: number }, length: number): void {
  const { from, fromOffset, to, toOffset } = rows;
  if (ArrayBuffer.isView(from)) {
    to.set((from as unknown as Uint8Array).subarray(fromOffset, fromOffset + length), toOffset);
    return;
  }
  for (let j = 0; j < length; j++) to[toOffset + j] = from[fromOffset + j]!;
}
