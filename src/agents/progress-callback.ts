import { assertKnownOptions } from "../core/options";
import { BaseCallback, type CallbackContext } from "./callbacks";

/**
 * Anything that shows progress: `update` often (it must be cheap, and throttle itself), `done` once.
 * The notebook's `LiveProgress` is one; agents do not depend on the notebook layer.
 */
export interface ProgressReporter {
  update(step: number, info?: { readonly metrics?: Readonly<Record<string, number>> }): void;
  done(): void;
}

/** Options of {@link ProgressCallback}. */
export interface ProgressCallbackOptions {
  /** Where progress goes, e.g. `new LiveProgress({ total: 50_000, label: "DQN" })`. */
  readonly reporter: ProgressReporter;
  /**
   * Metrics shown, as display name → logger key. Default: return ← rollout/episodeReturnMean,
   * eval ← eval/meanReturn, epsilon ← rollout/explorationRate, loss ← train/loss. Metrics not yet
   * recorded are left out.
   */
  readonly metrics?: Readonly<Record<string, string>>;
}

/** The default metrics of {@link ProgressCallback}. */
export const DEFAULT_PROGRESS_METRICS: Readonly<Record<string, string>> = Object.freeze({
  return: "rollout/episodeReturnMean",
  eval: "eval/meanReturn",
  epsilon: "rollout/explorationRate",
  loss: "train/loss",
});

/**
 * Reports training progress after every vector step (SB3's `ProgressBarCallback`, with metrics):
 * `reporter.update(numTimesteps, { metrics })`, then `reporter.done()` when training ends.
 *
 * @example
 * const progress = new LiveProgress({ total: 50_000, label: "DQN on CartPole", chartMetric: "return" });
 * await agent.learn({ totalSteps: 50_000, callbacks: [new ProgressCallback({ reporter: progress })] });
 */
export class ProgressCallback extends BaseCallback {
  private readonly reporter: ProgressReporter;
  private readonly metrics: readonly (readonly [string, string])[];

  constructor(options: ProgressCallbackOptions) {
    super();
    assertKnownOptions(options, ["reporter", "metrics"], "ProgressCallback");
    const { reporter, metrics = DEFAULT_PROGRESS_METRICS } = options;
    if (reporter === null || typeof reporter !== "object" || typeof reporter.update !== "function" || typeof reporter.done !== "function") {
      throw new TypeError(`Expected reporter to have update(step, { metrics }) and done(), got ${reporter === null ? "null" : typeof reporter}`);
    }
    this.reporter = reporter;
    this.metrics = Object.entries(metrics);
  }

  override onStep(ctx: CallbackContext): boolean {
    const metrics: Record<string, number> = {};
    for (const [name, key] of this.metrics) {
      const value = ctx.agent.logger.get(key);
      if (value !== undefined && Number.isFinite(value)) metrics[name] = value;
    }
    this.reporter.update(ctx.numTimesteps, { metrics });
    return true;
  }

  override onTrainingEnd(): void {
    this.reporter.done();
  }
}
