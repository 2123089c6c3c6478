/**
 * How a replay buffer turns what an env produced into the transitions it stores, whatever it keeps
 * observations in: which sub-env steps of a vector step are transitions (autoreset), where each
 * one's true next observation is, and the n-step windows they pass through.
 */
import type { AutoresetMode } from "../vector/types";
import { NStepWindows, type ObsStorage, type StagedTransition, type TransitionSink } from "./n-step";
import type { Transition, VectorStepInput } from "./replay-types";

/** Options of {@link TransitionFeed}. */
export interface TransitionFeedOptions {
  readonly numEnvs: number;
  readonly autoreset: AutoresetMode;
  readonly nStep: number;
  readonly gamma: number;
  /** Numbers in one observation row of the vector steps fed in. */
  readonly rowSize: number;
  /**
   * Numbers the buffer keeps per staged observation, and what it keeps them in: the row itself
   * (`rowSize`, float32 or uint8), or for the frame buffer one frame reference (1, float64). The
   * n-step windows hold this form.
   */
  readonly stagedSize: number;
  readonly createObs: (length: number) => ObsStorage;
  /** Where finished (n-step) transitions go: the buffer's storage. */
  readonly store: TransitionSink;
}

/** What a buffer may do as the feed walks a vector step (the frame buffer's frame bookkeeping). */
export interface FeedHooks {
  /**
   * Called with each real transition staged as rows of the step's arrays, before it is committed:
   * may put the buffer's own form of the observations into `staged` (offsets and arrays).
   */
  encode?(staged: StagedTransition): void;
  /**
   * Called where row `envId` of `obs` (at `offset`) is the first observation of a new episode: a
   * same-step reset, or the reset observation of a next-step final→reset pseudo-step.
   */
  episodeStart?(envId: number, obs: ArrayLike<number>, offset: number): void;
}

/**
 * The shared intake of {@link ReplayBuffer} and {@link FrameReplayBuffer}: autoreset bookkeeping
 * (which step of a sub-env is next-step autoreset's final→reset pseudo-step), staging of each
 * transition as rows of the caller's arrays (copying nothing), and the n-step windows.
 *
 * @example
 * // A next-step vector env of 1 sub-env whose episode ended on the previous step:
 * feed.addVectorStep({ obs, actions: [0], result }); //=> 0   (the pseudo-step: no transition)
 */
export class TransitionFeed {
  readonly numEnvs: number;
  readonly autoreset: AutoresetMode;
  readonly rowSize: number;
  /** The transition being staged: fill it, then {@link TransitionFeed.commit}. Reused: never keep it. */
  readonly staged: StagedTransition;
  private readonly windows: NStepWindows | undefined;
  private readonly store: TransitionSink;
  /** Next-step autoreset: 1 where the env's previous step ended, so this step is its final→reset pseudo-step. */
  private readonly previousEnded: Uint8Array;
  /** Holds a Discrete final observation (a number) as a row. */
  private readonly scalarRow = new Float64Array(1);

  constructor(options: TransitionFeedOptions) {
    const { numEnvs, autoreset, nStep, gamma, rowSize, stagedSize, createObs, store } = options;
    this.numEnvs = numEnvs;
    this.autoreset = autoreset;
    this.rowSize = rowSize;
    this.store = store;
    this.previousEnded = new Uint8Array(numEnvs);
    this.windows = nStep > 1 ? new NStepWindows({ numEnvs, nStep, gamma, obsSize: stagedSize, createObs }) : undefined;
    const empty = createObs(0);
    this.staged = { obs: empty, obsOffset: 0, action: 0, reward: 0, nextObs: empty, nextObsOffset: 0, terminated: false, truncated: false, steps: 1, envId: 0 };
  }

  /** Bytes of the n-step windows and the autoreset flags. */
  get byteLength(): number {
    return this.numEnvs + (this.windows?.byteLength ?? 0);
  }

  /** Transitions waiting in env `envId`'s n-step window (0 without n-step returns). */
  pending(envId: number): number {
    return this.windows?.pending(envId) ?? 0;
  }

  /** Stages one transition of env `envId` given whole (a single env's step, {@link ReplayBuffer.add}). */
  stageTransition(transition: Transition, envId: number): StagedTransition {
    const staged = this.staged;
    staged.envId = envId;
    staged.obs = transition.obs;
    staged.obsOffset = 0;
    staged.action = transition.action;
    staged.reward = transition.reward;
    staged.nextObs = transition.nextObs;
    staged.nextObsOffset = 0;
    staged.terminated = transition.terminated;
    staged.truncated = transition.truncated;
    return staged;
  }

  /**
   * Stages sub-env `envId`'s share of a (checked) vector step, without changing any bookkeeping:
   * obs is its row of `step.obs`; nextObs its row of `result.obs`, or in same-step mode, where its
   * episode ended, `infos.finalObs[envId]`, the true final observation (the row already starts the
   * next episode).
   *
   * @returns false for next-step autoreset's final→reset pseudo-step (reward 0, flags false, action
   *   ignored): no transition (`staged` is then not filled).
   */
  stageSubEnvStep(step: VectorStepInput, envId: number): boolean {
    const nextStep = this.autoreset === "next-step";
    if (nextStep && this.previousEnded[envId] === 1) return false;
    const { rewards, terminated, truncated, infos } = step.result;
    const staged = this.staged;
    const offset = envId * this.rowSize;
    staged.envId = envId;
    staged.obs = step.obs;
    staged.obsOffset = offset;
    staged.action = step.actions[envId]!;
    staged.reward = rewards[envId]!;
    staged.nextObs = step.result.obs;
    staged.nextObsOffset = offset;
    staged.terminated = terminated[envId] === 1;
    staged.truncated = truncated[envId] === 1;
    if ((staged.terminated || staged.truncated) && !nextStep) {
      const final = infos.finalObs[envId] as ArrayLike<number> | number;
      staged.nextObsOffset = 0;
      if (typeof final === "number") {
        this.scalarRow[0] = final;
        staged.nextObs = this.scalarRow;
      } else {
        staged.nextObs = final;
      }
    }
    return true;
  }

  /**
   * Adds one (checked) vector step: a transition for each sub-env, except next-step pseudo-steps.
   *
   * @returns how many transitions were stored (with n-step returns, those completed by this step).
   */
  addVectorStep(step: VectorStepInput, hooks: FeedHooks = {}): number {
    const { terminated, truncated } = step.result;
    const nextStep = this.autoreset === "next-step";
    let added = 0;
    for (let i = 0; i < this.numEnvs; i++) {
      const ended = terminated[i] === 1 || truncated[i] === 1;
      const isTransition = this.stageSubEnvStep(step, i);
      if (nextStep) this.previousEnded[i] = ended ? 1 : 0;
      if (!isTransition) {
        hooks.episodeStart?.(i, step.result.obs, i * this.rowSize);
        continue; // the final→reset pseudo-step: not a transition
      }
      hooks.encode?.(this.staged);
      added += this.commit();
      // Same-step: the row of result.obs already starts the next episode.
      if (ended && !nextStep) hooks.episodeStart?.(i, step.result.obs, i * this.rowSize);
    }
    return added;
  }

  /** Stores the staged one-step transition, or passes it through its env's n-step window. Returns transitions stored. */
  commit(): number {
    const staged = this.staged;
    staged.steps = 1;
    if (this.windows !== undefined) return this.windows.push(staged, this.store);
    this.store(staged);
    return 1;
  }

  /**
   * Ends every env's episode in the bookkeeping, as a truncation: pending n-step transitions are
   * stored with the steps they have, and in next-step mode the next step is no longer a pseudo-step.
   *
   * @returns how many transitions were stored.
   */
  endEpisodes(): number {
    this.previousEnded.fill(0);
    return this.windows?.truncateAll(this.store) ?? 0;
  }

  /** Forgets env `envId`'s pending n-step transitions (the frame buffer, when their frames are gone). */
  discardPending(envId: number): void {
    this.windows?.discard(envId);
  }

  /** Forgets every pending n-step transition; the autoreset bookkeeping stays (the env goes on). */
  clear(): void {
    this.windows?.clear();
  }
}
