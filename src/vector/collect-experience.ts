import { assertKnownOptions } from "../core/options";
import { Rng, assertSeed } from "../core/rng";
import type { Space } from "../core/space";
import type { WrapperSpec } from "../wrappers/by-name";
import { batchLayout } from "./batch-layout";
import { makeVec } from "./make-vec";
import type { ObsArray } from "./types";

/**
 * Chooses one action per runner from a batch of observations (`numEnvs` rows back to back).
 * The batch is reused between calls: copy what you keep.
 */
export type BatchPolicy = (obs: ObsArray, numEnvs: number) => ArrayLike<number>;

/** Options of {@link collectExperience}. */
export interface CollectExperienceOptions {
  /** A registered env id (or `"module:EnvId"`), as for `makeVec`. */
  readonly id: string;
  /** How many env copies (runners) collect side by side. */
  readonly numRunners: number;
  /** Steps each runner takes: `numSteps × numRunners` transitions in all. */
  readonly numSteps: number;
  /** Picks the actions (default: uniformly random actions from the action space, seeded by `seed`). */
  readonly policy?: BatchPolicy;
  /** Options for `make(id, envOptions)`, e.g. `{ maxEpisodeSteps: 200 }`. */
  readonly envOptions?: Readonly<Record<string, unknown>>;
  /** Wrappers by name around each runner's env. */
  readonly wrappers?: readonly WrapperSpec[];
  /** Seeds runner i's env with `seed + i`, and the default random policy. */
  readonly seed?: number;
  /**
   * `"sync"` (default) steps the runners in this thread; `"async"` in `numRunners` worker threads.
   * The transitions are identical either way (both run the same autoreset code), so this is purely
   * speed: sync wins for cheap envs (CartPole: worker hand-off costs more than a step), async for
   * envs whose step costs tens of microseconds or more.
   */
  readonly mode?: "sync" | "async";
}

/**
 * Transitions as a struct of arrays: transition k is `(obs[k], actions[k], rewards[k], nextObs[k],
 * terminated[k], truncated[k])`, taken by runner `envIds[k]`. Ordered time-major: runner i's step t
 * is transition `t × numRunners + i`. Row k of `obs`/`nextObs` spans `obsSize` elements.
 */
export interface Experience {
  /** Observations the actions were chosen from, `[count, ...obsShape]`. */
  readonly obs: ObsArray;
  /** The actions taken (Int32Array for Discrete, one element each; Box: `actionSize` each). */
  readonly actions: ObsArray;
  readonly rewards: Float64Array;
  /**
   * The observation each action led to. Where the episode ended this is the TRUE final observation
   * (never the next episode's first one), so a learner can bootstrap through truncations.
   */
  readonly nextObs: ObsArray;
  /** 1 where the transition reached a terminal state (its next state's value is 0). */
  readonly terminated: Uint8Array;
  /** 1 where the episode was cut short by a time limit (still bootstrap from `nextObs`). */
  readonly truncated: Uint8Array;
  /** Which runner took each transition. */
  readonly envIds: Int32Array;
  /** Number of transitions: `numSteps × numRunners`. */
  readonly count: number;
  /** Shape of one observation. */
  readonly obsShape: readonly number[];
  /** Returns of the episodes that ended during collection, in the order they ended. */
  readonly episodeReturns: Float64Array;
  /** Lengths of those episodes. */
  readonly episodeLengths: Int32Array;
}

const OPTION_NAMES = ["id", "numRunners", "numSteps", "policy", "envOptions", "wrappers", "seed", "mode"];

/**
 * Runs `numRunners` copies of an env for `numSteps` steps each and returns every transition, and
 * nothing else: the experience-gathering half of RLlib's EnvRunnerGroup, without the framework.
 * It uses a vector env with SAME-STEP autoreset, so every step is a real transition and the true
 * final observation of each ended episode is at hand (next-step mode would add a final→reset pair
 * per episode that is not a transition).
 *
 * @returns the transitions (see {@link Experience}); the env is closed afterwards.
 * @throws Error for unknown options, and a non-positive `numRunners` or `numSteps`.
 * @example
 * const batch = collectExperience({ id: "StepCounter-v0", envOptions: { maxEpisodeSteps: 3 }, numRunners: 2, numSteps: 3, seed: 0 });
 * batch.count;               //=> 6
 * Array.from(batch.obs);     //=> [0, 0, 1, 1, 2, 2]
 * Array.from(batch.nextObs); //=> [1, 1, 2, 2, 3, 3]   (3: the true final obs, though the runners were reset)
 * Array.from(batch.truncated);      //=> [0, 0, 0, 0, 1, 1]
 * Array.from(batch.episodeReturns); //=> [3, 3]
 */
export function collectExperience(options: CollectExperienceOptions): Experience {
  assertKnownOptions(options, OPTION_NAMES, "collectExperience");
  const { id, numRunners, numSteps, envOptions = {}, wrappers = [], seed, mode = "sync" } = options;
  if (!(Number.isSafeInteger(numRunners) && numRunners > 0)) throw new RangeError(`Expected numRunners to be a positive integer, got ${String(numRunners)}`);
  if (!(Number.isSafeInteger(numSteps) && numSteps > 0)) throw new RangeError(`Expected numSteps to be a positive integer, got ${String(numSteps)}`);
  if (seed !== undefined) assertSeed(seed);

  // copy: false, since every row is copied into the experience arrays below anyway.
  const envs = makeVec(id, {
    numEnvs: numRunners,
    mode,
    autoreset: "same-step",
    envOptions,
    wrappers,
    copy: false,
    seed,
    ...(mode === "async" ? { numWorkers: numRunners } : {}),
  });
  try {
    const obsLayout = batchLayout(envs.singleObservationSpace);
    const actionLayout = batchLayout(envs.singleActionSpace);
    const policy = options.policy ?? randomPolicy(envs.singleActionSpace, seed);
    const count = numSteps * numRunners;
    const obsSize = obsLayout.size;
    const experience = {
      obs: obsLayout.create(count),
      actions: actionLayout.create(count),
      rewards: new Float64Array(count),
      nextObs: obsLayout.create(count),
      terminated: new Uint8Array(count),
      truncated: new Uint8Array(count),
      envIds: new Int32Array(count),
    };
    const episodeReturns: number[] = [];
    const episodeLengths: number[] = [];
    const runningReturns = new Float64Array(numRunners);
    const runningLengths = new Int32Array(numRunners);

    let obs = envs.reset().obs;
    for (let t = 0; t < numSteps; t++) {
      const first = t * numRunners;
      experience.obs.set(obs, first * obsSize);
      const actions = policy(obs, numRunners);
      const step = envs.step(actions);
      // Written after step() validated the count, so a wrong-length policy output fails there.
      experience.actions.set(actions, first * actionLayout.size);
      experience.nextObs.set(step.obs, first * obsSize);
      experience.rewards.set(step.rewards, first);
      experience.terminated.set(step.terminated, first);
      experience.truncated.set(step.truncated, first);
      for (let i = 0; i < numRunners; i++) {
        experience.envIds[first + i] = i;
        runningReturns[i] += step.rewards[i];
        runningLengths[i] += 1;
        const finalObs = step.infos.finalObs[i];
        if (finalObs === null) continue;
        // The row of step.obs holds the NEXT episode's first observation: the easy-to-miss bug
        // (SB3 #934, CleanRL #460) is to store that as this transition's next observation.
        obsLayout.write(experience.nextObs, first + i, finalObs);
        episodeReturns.push(runningReturns[i]);
        episodeLengths.push(runningLengths[i]);
        runningReturns[i] = 0;
        runningLengths[i] = 0;
      }
      obs = step.obs;
    }
    return {
      ...experience,
      count,
      obsShape: obsLayout.shape,
      episodeReturns: Float64Array.from(episodeReturns),
      episodeLengths: Int32Array.from(episodeLengths),
    };
  } finally {
    envs.close();
  }
}

/**
 * The default policy: a uniformly random action per runner. Its RNG is a spawned child of `seed`,
 * not `seed` itself, so the actions are not correlated with runner 0's env (which is seeded with
 * `seed`).
 */
function randomPolicy(space: Space<unknown>, seed: number | undefined): BatchPolicy {
  const rng = seed === undefined ? Rng.fromEntropy() : Rng.fromSeed(seed).spawn(1)[0];
  space.seed(rng.integer(2 ** 31));
  const layout = batchLayout(space);
  let actions: ObsArray | undefined;
  return (_obs, numEnvs) => {
    if (actions === undefined || actions.length !== numEnvs * layout.size) actions = layout.create(numEnvs);
    for (let i = 0; i < numEnvs; i++) layout.write(actions, i, space.sample());
    return actions;
  };
}
