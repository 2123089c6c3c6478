/**
 * n-step returns for a replay buffer fed by several envs at once: one short window of pending
 * transitions per env, turned into n-step transitions as they complete (Rainbow's multi-step
 * learning; SB3's `NStepReplayBuffer`, computed here at insertion instead of at sampling).
 */

/**
 * What a replay buffer stores its observations in: float32 or uint8 rows, or (FrameReplayBuffer)
 * float64 frame references, one number standing for a whole stacked observation.
 */
export type ObsStorage = Float32Array | Uint8Array | Float64Array;

/**
 * A transition on its way into storage. Its observations are rows read at offsets of arrays the
 * caller owns (a vector env's batch, a window's ring), so staging one copies and allocates nothing.
 * One object is reused for every transition: never keep it.
 */
export interface StagedTransition {
  /** Array holding the observation the action was chosen from, at `obsOffset`. */
  obs: ArrayLike<number>;
  obsOffset: number;
  action: number;
  /** The reward, or for an n-step transition the discounted sum r_t + γ r_{t+1} + … over `steps` rewards. */
  reward: number;
  /** Array holding the observation `steps` env steps later, at `nextObsOffset` (the true final one where the episode ended). */
  nextObs: ArrayLike<number>;
  nextObsOffset: number;
  /** The return ends in a terminal state: its target has no bootstrap term. */
  terminated: boolean;
  /** The return ends where the episode was cut short (time limit): bootstrap from `nextObs`. */
  truncated: boolean;
  /** k, the env steps the reward sums: 1 for plain transitions, up to n for n-step ones. */
  steps: number;
  /** Which env the transition came from. */
  envId: number;
}

/** Where a window sends the transitions it completes (the replay buffer's ring). */
export type TransitionSink = (transition: StagedTransition) => void;

/** Options of {@link NStepWindows}. */
export interface NStepWindowsOptions {
  readonly numEnvs: number;
  /** n: the most rewards one return sums (≥ 2; with n = 1 a window only delays the transition). */
  readonly nStep: number;
  /** γ, the discount of each later reward. */
  readonly gamma: number;
  /** Numbers in one observation. */
  readonly obsSize: number;
  /** Creates the storage for pending observations (same dtype as the buffer's, so a row copies exactly). */
  readonly createObs: (length: number) => ObsStorage;
}

/**
 * Per env, the last ≤ n one-step transitions not yet turned into n-step ones.
 *
 * Each env's transitions arrive in time order, and a window never spans two episodes:
 * - when a window holds n transitions, its oldest leaves as an n-step transition
 *   (obs_t, a_t, r_t + γ r_{t+1} + … + γ^{n−1} r_{t+n−1}, obs_{t+n}, steps n, terminated false);
 * - when an episode ends (terminated OR truncated), every pending transition leaves at once with the
 *   k ≤ n steps left until the end, and the episode's end as its own: after a TERMINATION
 *   terminated = true (the state after it has value 0: no bootstrap); after a TRUNCATION
 *   terminated = false, so the target bootstraps from the true final observation with γ^k
 *   (SB3 #284: a time limit is not a terminal state).
 *
 * @example
 * // γ = 0.5, n = 3; one env's rewards 1, 2, 4 then 8 with termination:
 * // after the 3rd step: (obs 0, reward 1 + 0.5·2 + 0.25·4 = 3, nextObs 3, steps 3)
 * // on termination:     (obs 1, 2 + 0.5·4 + 0.25·8 = 6, nextObs 4, steps 3, terminated)
 * //                     (obs 2, 4 + 0.5·8 = 8, nextObs 4, steps 2, terminated)
 * //                     (obs 3, 8, nextObs 4, steps 1, terminated)
 */
export class NStepWindows {
  readonly numEnvs: number;
  readonly nStep: number;
  readonly gamma: number;
  readonly obsSize: number;
  /** Env e's window is slots e·n … e·n + n − 1, used as a ring from `start[e]`. */
  private readonly obs: ObsStorage;
  private readonly actions: Int32Array;
  private readonly rewards: Float64Array;
  private readonly start: Int32Array;
  private readonly count: Int32Array;
  /** Each env's latest next observation: the bootstrap state if its episode is cut by {@link NStepWindows.truncateAll}. */
  private readonly lastNextObs: ObsStorage;
  /** returns[j]: the discounted return from the window's j-th transition to its newest. */
  private readonly returns: Float64Array;
  private readonly out: StagedTransition;

  constructor(options: NStepWindowsOptions) {
    const { numEnvs, nStep, gamma, obsSize, createObs } = options;
    this.numEnvs = numEnvs;
    this.nStep = nStep;
    this.gamma = gamma;
    this.obsSize = obsSize;
    this.obs = createObs(numEnvs * nStep * obsSize);
    this.actions = new Int32Array(numEnvs * nStep);
    this.rewards = new Float64Array(numEnvs * nStep);
    this.start = new Int32Array(numEnvs);
    this.count = new Int32Array(numEnvs);
    this.lastNextObs = createObs(numEnvs * obsSize);
    this.returns = new Float64Array(nStep);
    this.out = { obs: this.obs, obsOffset: 0, action: 0, reward: 0, nextObs: this.obs, nextObsOffset: 0, terminated: false, truncated: false, steps: 0, envId: 0 };
  }

  /** Bytes of the preallocated arrays. */
  get byteLength(): number {
    return this.obs.byteLength + this.actions.byteLength + this.rewards.byteLength + this.lastNextObs.byteLength + 8 * this.numEnvs;
  }

  /** Transitions waiting in env `envId`'s window. */
  pending(envId: number): number {
    return this.count[envId]!;
  }

  /**
   * Adds env `step.envId`'s next one-step transition and sends every n-step transition it completes
   * to `sink`, oldest first.
   *
   * @returns how many transitions went to `sink`: 0 while a window fills, 1 per step once full, up
   *   to n when an episode ends.
   */
  push(step: StagedTransition, sink: TransitionSink): number {
    const env = step.envId;
    const n = this.nStep;
    const size = this.obsSize;
    let count = this.count[env]!;
    const slot = env * n + ((this.start[env]! + count) % n);
    for (let j = 0; j < size; j++) this.obs[slot * size + j] = step.obs[step.obsOffset + j]!;
    this.actions[slot] = step.action;
    this.rewards[slot] = step.reward;
    count += 1;
    this.count[env] = count;
    const out = this.out;
    out.nextObs = step.nextObs;
    out.nextObsOffset = step.nextObsOffset;
    out.terminated = step.terminated;
    out.truncated = step.truncated;
    if (step.terminated || step.truncated) return this.emit(env, count, sink);
    for (let j = 0; j < size; j++) this.lastNextObs[env * size + j] = step.nextObs[step.nextObsOffset + j]!;
    return count < n ? 0 : this.emit(env, 1, sink);
  }

  /**
   * Ends every env's episode here as a truncation: pending transitions leave with the steps they
   * have, bootstrapping from each env's latest next observation. For a caller that resets the
   * envs itself, cutting the episodes short.
   *
   * @returns how many transitions went to `sink`.
   */
  truncateAll(sink: TransitionSink): number {
    let emitted = 0;
    for (let env = 0; env < this.numEnvs; env++) {
      const count = this.count[env]!;
      if (count === 0) continue;
      const out = this.out;
      out.nextObs = this.lastNextObs;
      out.nextObsOffset = env * this.obsSize;
      out.terminated = false;
      out.truncated = true;
      emitted += this.emit(env, count, sink);
    }
    return emitted;
  }

  /** Forgets env `envId`'s pending transitions. */
  discard(envId: number): void {
    this.count[envId] = 0;
  }

  /** Forgets every pending transition. */
  clear(): void {
    this.start.fill(0);
    this.count.fill(0);
  }

  /**
   * Sends the oldest `leaving` transitions of env `env`'s window to `sink`, each with the return
   * from it to the window's newest transition, and removes them from the window. The end of the
   * returns (next observation, flags) is already in `this.out`.
   */
  private emit(env: number, leaving: number, sink: TransitionSink): number {
    const n = this.nStep;
    const held = this.count[env]!;
    const first = this.start[env]!;
    // Suffix sums, newest first: G_j = r_j + γ G_{j+1}, so G_j sums the rewards from j to the newest.
    let sum = 0;
    for (let j = held - 1; j >= 0; j--) {
      sum = this.rewards[env * n + ((first + j) % n)]! + this.gamma * sum;
      this.returns[j] = sum;
    }
    const out = this.out;
    out.envId = env;
    out.obs = this.obs;
    for (let j = 0; j < leaving; j++) {
      const slot = env * n + ((first + j) % n);
      out.obsOffset = slot * this.obsSize;
      out.action = this.actions[slot]!;
      out.reward = this.returns[j]!;
      out.steps = held - j;
      sink(out);
    }
    this.start[env] = (first + leaving) % n;
    this.count[env] = held - leaving;
    return leaving;
  }
}
