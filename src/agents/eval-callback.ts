import * as path from "node:path";
import type * as tf from "../backend/tf";
import type { Env } from "../core/env";
import { assertKnownOptions } from "../core/options";
import { assertSeed } from "../core/rng";
import type { VectorEnv } from "../vector/types";
import { BaseCallback, type CallbackContext, type EvaluationRecord, type HookResult } from "./callbacks";
import { evaluatePolicy } from "./evaluate";

/** Options of {@link EvalCallback}. */
export interface EvalCallbackOptions {
  /** A separate env to evaluate on (Env or VectorEnv; a vector env of n copies evaluates n episodes at once). */
  readonly evalEnv: Env<unknown, unknown> | VectorEnv<unknown, unknown>;
  /** Evaluate every this many env steps (summed over sub-envs; SB3's `eval_freq` counts vector steps instead). */
  readonly evalFreq: number;
  /** Whole episodes per evaluation. Default 5 (SB3's). */
  readonly nEvalEpisodes?: number;
  /** Greedy actions. Default true (SB3's). */
  readonly deterministic?: boolean;
  /** Also save each new best model to `<bestModelSavePath>/best_model` (a checkpoint directory). */
  readonly bestModelSavePath?: string;
  /** Runs (its onStep) after each new best, with `ctx.evaluation`; returning false stops training. */
  readonly callbackOnNewBest?: BaseCallback;
  /** Runs (its onStep) after every evaluation, with `ctx.evaluation`; returning false stops training. */
  readonly callbackAfterEval?: BaseCallback;
  /** Stop training once an evaluation's mean return reaches this (e.g. 475 for CartPole-v1). */
  readonly stopAtMeanReward?: number;
  /** Seeds the eval env's first reset, so a run's evaluations are reproducible. Default: none. */
  readonly seed?: number;
  /** Print one line per evaluation. Default false. */
  readonly verbose?: boolean;
}

/** One evaluation, as kept in {@link EvalCallback.evaluations} for plotting. */
export interface EvaluationPoint {
  /** Env steps of training when it ran. */
  readonly timesteps: number;
  readonly meanReturn: number;
  readonly stdReturn: number;
  readonly returns: readonly number[];
}

/** The best model an EvalCallback has seen. */
export interface BestModel {
  readonly timesteps: number;
  readonly meanReturn: number;
  /** The online network's weights then (owned by the agent: `agent.bestWeights`). */
  readonly weights: readonly tf.Tensor[];
}

const OPTION_NAMES = ["evalEnv", "evalFreq", "nEvalEpisodes", "deterministic", "bestModelSavePath", "callbackOnNewBest", "callbackAfterEval", "stopAtMeanReward", "seed", "verbose"];

/**
 * Evaluates the agent every `evalFreq` env steps on a separate env and keeps the best model (SB3's
 * `EvalCallback`). DQN's learning curve swings: an agent that balances CartPole for 500 steps can
 * forget it ten thousand steps later (the source notes, §3.3). Keeping the best evaluated weights,
 * in memory (`agent.loadBestWeights()`) and optionally on disk, turns a swinging run into a good model.
 *
 * Each evaluation records `eval/meanReturn` and `eval/meanEpisodeLength` in the agent's logger and
 * writes a log row.
 *
 * @example
 * const evalCallback = new EvalCallback({ evalEnv: makeVec("CartPole-v1", { numEnvs: 10 }), evalFreq: 5000, nEvalEpisodes: 20, stopAtMeanReward: 475 });
 * await agent.learn({ totalSteps: 100_000, callbacks: [evalCallback] });
 * evalCallback.evaluations.map((e) => e.meanReturn);  //=> [24.1, 187.3, 500]  (stopped at 475)
 * agent.loadBestWeights();
 */
export class EvalCallback extends BaseCallback {
  /** Every evaluation so far, in order. */
  readonly evaluations: EvaluationPoint[] = [];
  /** The best mean return so far (−Infinity before the first evaluation). */
  bestMeanReturn = -Infinity;
  /** The latest mean return (NaN before the first evaluation). */
  lastMeanReturn = NaN;
  private readonly options: EvalCallbackOptions;
  private best: { timesteps: number; meanReturn: number } | undefined;
  private lastEvalIndex = 0;
  private seedPending: boolean;
  private agentOfBest: CallbackContext["agent"] | undefined;

  constructor(options: EvalCallbackOptions) {
    super();
    assertKnownOptions(options, OPTION_NAMES, "EvalCallback");
    const { evalEnv, evalFreq, nEvalEpisodes = 5, stopAtMeanReward, seed } = options;
    if (evalEnv === null || typeof evalEnv !== "object") throw new TypeError(`Expected evalEnv to be an Env or a VectorEnv, got ${evalEnv === null ? "null" : typeof evalEnv}`);
    if (!(Number.isSafeInteger(evalFreq) && evalFreq > 0)) throw new RangeError(`Expected evalFreq to be a positive integer (env steps), got ${String(evalFreq)}`);
    if (!(Number.isSafeInteger(nEvalEpisodes) && nEvalEpisodes > 0)) throw new RangeError(`Expected nEvalEpisodes to be a positive integer, got ${String(nEvalEpisodes)}`);
    if (stopAtMeanReward !== undefined && !Number.isFinite(stopAtMeanReward)) throw new RangeError(`Expected stopAtMeanReward to be a finite number, got ${String(stopAtMeanReward)}`);
    if (seed !== undefined) assertSeed(seed);
    this.options = options;
    this.seedPending = seed !== undefined;
  }

  /** The best model so far (weights in memory), or undefined before the first evaluation. */
  get bestModel(): BestModel | undefined {
    const weights = this.agentOfBest?.bestWeights;
    return this.best && weights ? { ...this.best, weights } : undefined;
  }

  override onTrainingStart(ctx: CallbackContext): void {
    // Count from the run's current step, so a continued run does not evaluate at once.
    this.lastEvalIndex = Math.floor(ctx.numTimesteps / this.options.evalFreq);
  }

  override onStep(ctx: CallbackContext): HookResult {
    const index = Math.floor(ctx.numTimesteps / this.options.evalFreq);
    if (index <= this.lastEvalIndex) return true;
    this.lastEvalIndex = index;
    return this.evaluate(ctx);
  }

  /** Runs one evaluation now (onStep calls it every evalFreq env steps). Resolves to false to stop training. */
  async evaluate(ctx: CallbackContext): Promise<boolean> {
    const { evalEnv, nEvalEpisodes = 5, deterministic = true, seed, bestModelSavePath, stopAtMeanReward, verbose = false } = this.options;
    const result = evaluatePolicy(ctx.agent, evalEnv, { nEpisodes: nEvalEpisodes, deterministic, ...(this.seedPending ? { seed: seed! } : {}) });
    this.seedPending = false;
    const point: EvaluationPoint = { timesteps: ctx.numTimesteps, meanReturn: result.meanReturn, stdReturn: result.stdReturn, returns: result.returns };
    this.evaluations.push(point);
    this.lastMeanReturn = result.meanReturn;
    const logger = ctx.agent.logger;
    logger.record("eval/meanReturn", result.meanReturn);
    logger.record("eval/meanEpisodeLength", result.lengths.reduce((a, b) => a + b, 0) / result.lengths.length);
    logger.dump(ctx.numTimesteps);
    if (verbose) console.log(`Eval num_timesteps=${ctx.numTimesteps}, episode_return=${result.meanReturn.toFixed(2)} +/- ${result.stdReturn.toFixed(2)}`);

    let proceed = true;
    const isNewBest = result.meanReturn > this.bestMeanReturn;
    if (isNewBest) {
      this.bestMeanReturn = result.meanReturn;
      this.best = { timesteps: ctx.numTimesteps, meanReturn: result.meanReturn };
      ctx.agent.keepBestWeights();
      this.agentOfBest = ctx.agent;
      if (verbose) console.log("New best mean return!");
      if (bestModelSavePath !== undefined) await ctx.agent.save(path.join(bestModelSavePath, "best_model"));
    }
    const evaluation: EvaluationRecord = { ...point, bestMeanReturn: this.bestMeanReturn };
    const childContext: CallbackContext = { ...ctx, evaluation };
    for (const child of [isNewBest ? this.options.callbackOnNewBest : undefined, this.options.callbackAfterEval]) {
      if (child === undefined) continue;
      child.nCalls++;
      if ((await child.onStep(childContext)) === false) proceed = false;
    }
    if (stopAtMeanReward !== undefined && result.meanReturn >= stopAtMeanReward) {
      if (verbose) console.log(`Stopping training: mean return ${result.meanReturn.toFixed(2)} ≥ ${stopAtMeanReward}`);
      proceed = false;
    }
    return proceed;
  }
}
