import type * as tf from "../backend/tf";
import type { VectorInfos } from "../vector/types";
import type { Logger } from "./logger";

/**
 * Callbacks: small hooks into `agent.learn` (SB3's `BaseCallback`). A callback sees the training run
 * through a {@link CallbackContext} with named fields (the agent, the step count, the last vector
 * step), never the trainer's local variables by name, and stops training by returning `false` from
 * `onStep`. Built-in ones: EvalCallback, StopTrainingOnRewardThreshold, CheckpointCallback,
 * ProgressCallback.
 */

/** What callbacks may ask of the agent being trained (DQN implements it). */
export interface Agent {
  /** Env steps taken so far, summed over sub-envs (SB3's `num_timesteps`). */
  readonly numTimesteps: number;
  /** Gradient steps taken so far (SB3's `_n_updates`). */
  readonly nUpdates: number;
  /** The agent's metrics. */
  readonly logger: Logger;
  /** Actions for a batch of observations (a single observation is a batch of one). */
  predict(obs: ArrayLike<number> | number, options?: { readonly deterministic?: boolean }): Int32Array;
  /** Saves the agent to a checkpoint directory. */
  save(dir: string): Promise<void>;
  /** Copies the current network weights into `bestWeights` (disposing the previous copy). */
  keepBestWeights(): void;
  /** The weights `keepBestWeights` copied last, or undefined. */
  readonly bestWeights: readonly tf.Tensor[] | undefined;
}

/** An episode that ended on the last vector step. */
export interface FinishedEpisode {
  /** The sub-env it ran in. */
  readonly envId: number;
  /** Undiscounted sum of rewards (RecordEpisodeStatistics' figure when the env reports one). */
  readonly return: number;
  /** Steps in the episode. */
  readonly length: number;
}

/** The last vector step of training, as a callback sees it. */
export interface VectorStepRecord {
  /** The actions sent to the sub-envs. */
  readonly actions: Int32Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly infos: VectorInfos<unknown>;
  /** Episodes that ended on this step. */
  readonly episodes: readonly FinishedEpisode[];
}

/** The result of one evaluation, as EvalCallback gives it to its child callbacks. */
export interface EvaluationRecord {
  /** `numTimesteps` when the evaluation ran. */
  readonly timesteps: number;
  readonly meanReturn: number;
  readonly stdReturn: number;
  readonly returns: readonly number[];
  /** The best mean return so far (this one included). */
  readonly bestMeanReturn: number;
}

/** What every hook receives. */
export interface CallbackContext<A extends Agent = Agent> {
  readonly agent: A;
  /** Env steps so far (`agent.numTimesteps`). */
  readonly numTimesteps: number;
  /** `numTimesteps` at which this `learn` call ends. */
  readonly totalTimesteps: number;
  /** The last vector step (absent before the first one, e.g. in onTrainingStart). */
  readonly step?: VectorStepRecord;
  /** Set by EvalCallback for its child callbacks (callbackOnNewBest, callbackAfterEval). */
  readonly evaluation?: EvaluationRecord;
}

/** What a hook may return: `false` from onStep stops training; promises are awaited. */
export type HookResult = boolean | void | Promise<boolean | void>;

/**
 * The base of all callbacks: override the hooks you need (SB3's `_on_step` and friends).
 *
 * @example
 * class StopAfterFirstEpisode extends BaseCallback {
 *   override onStep(ctx: CallbackContext): boolean {
 *     return (ctx.step?.episodes.length ?? 0) === 0;   // false stops training
 *   }
 * }
 * await new DQN({ env, policy: "MlpPolicy", seed: 0 }).learn({ totalSteps: 10_000, callbacks: [new StopAfterFirstEpisode()] });
 */
export abstract class BaseCallback {
  /** How many times onStep was called (SB3's `n_calls`); counted by the trainer before each call. */
  nCalls = 0;
  /** Before the first step of `learn`. */
  onTrainingStart(_ctx: CallbackContext): void | Promise<void> {}
  /** After every vector step. Return `false` to stop training. */
  onStep(_ctx: CallbackContext): HookResult {
    return true;
  }
  /** After each rollout of `trainFreq` vector steps, before the gradient steps. */
  onRolloutEnd(_ctx: CallbackContext): void | Promise<void> {}
  /** When `learn` ends (finished or stopped). */
  onTrainingEnd(_ctx: CallbackContext): void | Promise<void> {}
}

/** A callback, or a plain function used as `onStep` (return false to stop). */
export type Callback = BaseCallback | ((ctx: CallbackContext) => HookResult);

/** A function wrapped as a callback (SB3's `ConvertCallback`). */
class FunctionCallback extends BaseCallback {
  constructor(private readonly fn: (ctx: CallbackContext) => HookResult) {
    super();
  }
  override onStep(ctx: CallbackContext): HookResult {
    return this.fn(ctx);
  }
}

/**
 * Several callbacks run in order as one (SB3's `CallbackList`). onStep calls every callback (so all
 * see each step) and returns false if any did.
 *
 * @example
 * const list = new CallbackList([evalCallback, (ctx) => ctx.numTimesteps < 5000]);
 */
export class CallbackList extends BaseCallback {
  readonly callbacks: readonly BaseCallback[];

  /** @param callbacks Callbacks or functions (functions become onStep hooks). */
  constructor(callbacks: readonly Callback[] = []) {
    super();
    if (!Array.isArray(callbacks)) throw new TypeError(`Expected an array of callbacks, got ${typeof callbacks}`);
    this.callbacks = callbacks.map((c, i) => {
      if (typeof c === "function") return new FunctionCallback(c);
      if (c instanceof BaseCallback) return c;
      throw new TypeError(`Expected callbacks[${i}] to be a BaseCallback or a function, got ${c === null ? "null" : typeof c}`);
    });
  }

  override async onTrainingStart(ctx: CallbackContext): Promise<void> {
    for (const c of this.callbacks) await c.onTrainingStart(ctx);
  }

  /** Synchronous unless a callback returns a promise, so the training loop awaits only when needed. */
  override onStep(ctx: CallbackContext): HookResult {
    let proceed = true;
    let pending: Promise<boolean | void>[] | undefined;
    for (const c of this.callbacks) {
      c.nCalls++;
      const result = c.onStep(ctx);
      if (result instanceof Promise) (pending ??= []).push(result);
      else if (result === false) proceed = false;
    }
    if (pending === undefined) return proceed;
    return Promise.all(pending).then((results) => proceed && !results.includes(false));
  }

  override async onRolloutEnd(ctx: CallbackContext): Promise<void> {
    for (const c of this.callbacks) await c.onRolloutEnd(ctx);
  }

  override async onTrainingEnd(ctx: CallbackContext): Promise<void> {
    for (const c of this.callbacks) await c.onTrainingEnd(ctx);
  }
}

/** Options of {@link StopTrainingOnRewardThreshold}. */
export interface StopTrainingOnRewardThresholdOptions {
  /** Stop once the best mean evaluation return reaches this (CartPole-v1: 475, its reward_threshold). */
  readonly rewardThreshold: number;
  /** Print a line when it stops training. Default false. */
  readonly verbose?: boolean;
}

/**
 * Stops training once an evaluation's mean return reaches a threshold (SB3's
 * `StopTrainingOnRewardThreshold`). It reads the evaluation, so give it to an EvalCallback as
 * `callbackOnNewBest` (or `callbackAfterEval`); EvalCallback's `stopAtMeanReward` is a shortcut.
 *
 * @example
 * const stop = new StopTrainingOnRewardThreshold({ rewardThreshold: 475 });
 * new EvalCallback({ evalEnv, evalFreq: 5000, callbackOnNewBest: stop });
 */
export class StopTrainingOnRewardThreshold extends BaseCallback {
  readonly rewardThreshold: number;
  private readonly verbose: boolean;

  constructor(options: StopTrainingOnRewardThresholdOptions) {
    super();
    if (!Number.isFinite(options?.rewardThreshold)) throw new RangeError(`Expected rewardThreshold to be a finite number, got ${String(options?.rewardThreshold)}`);
    this.rewardThreshold = options.rewardThreshold;
    this.verbose = options.verbose ?? false;
  }

  override onStep(ctx: CallbackContext): boolean {
    if (ctx.evaluation === undefined) {
      throw new Error("Expected StopTrainingOnRewardThreshold to run inside an EvalCallback (as callbackOnNewBest or callbackAfterEval), got a call without an evaluation");
    }
    const proceed = ctx.evaluation.bestMeanReturn < this.rewardThreshold;
    if (!proceed && this.verbose) {
      console.log(`Stopping training: best mean return ${ctx.evaluation.bestMeanReturn.toFixed(2)} ≥ threshold ${this.rewardThreshold} at ${ctx.numTimesteps} steps`);
    }
    return proceed;
  }
}
