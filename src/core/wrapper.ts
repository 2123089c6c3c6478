import type { ActionOf, AnyEnv, Env, EnvMetadata, ObsOf, ResetArgs, ResetResult, StepResult, StepWithoutObsResult } from "./env";
import type { RgbFrame } from "./frame";
import type { EnvSpec } from "./registry";
import type { Space } from "./space";

/**
 * The base class of wrappers (Gymnasium's `gymnasium.Wrapper`): an env that holds another env and
 * forwards everything to it. A wrapper overrides only the one behaviour it changes (TimeLimit
 * overrides `step` and `reset`), so wrappers stack: `TimeLimit<EnvChecker<CartPoleEnv>>`.
 *
 * A wrapper that changes the observation or action type passes `Obs` / `Action` and overrides
 * `observationSpace` / `actionSpace`, `reset` and `step` accordingly.
 *
 * @typeParam Inner the wrapped env's type (kept, so `unwrapped` is typed as the innermost env).
 * @typeParam Obs the observation type seen through this wrapper (default: the inner env's).
 * @typeParam Action the action type accepted by this wrapper (default: the inner env's).
 * @example
 * class NegateReward<E extends AnyEnv> extends Wrapper<E> {
 *   override step(action: ActionOf<E>): StepResult<ObsOf<E>> {
 *     const result = super.step(action);  // super.step keeps the observation type; this.env.step erases it
 *     return { ...result, reward: -result.reward };
 *   }
 * }
 * const env = new NegateReward(new CartPoleEnv());
 * env.reset({ seed: 0 });
 * env.step(0).reward;          //=> -1
 * env.unwrapped.state.length;  //=> 4
 */
export class Wrapper<Inner extends AnyEnv, Obs = ObsOf<Inner>, Action = ActionOf<Inner>> implements Env<Obs, Action> {
  /** The env this wrapper wraps (one level down; `unwrapped` is the bottom). */
  readonly env: Inner;

  constructor(env: Inner) {
    if (env === null || typeof env !== "object" || typeof env.step !== "function") {
      throw new TypeError(`Expected an env to wrap (an object with reset and step), got ${env === null ? "null" : typeof env}`);
    }
    this.env = env;
  }

  get observationSpace(): Space<Obs> {
    return this.env.observationSpace as Space<unknown> as Space<Obs>;
  }

  get actionSpace(): Space<Action> {
    return this.env.actionSpace as Space<unknown> as Space<Action>;
  }

  get metadata(): EnvMetadata {
    return this.env.metadata;
  }

  get spec(): EnvSpec | undefined {
    return this.env.spec;
  }

  /** The innermost env, through every layer of wrappers. */
  get unwrapped(): Inner["unwrapped"] {
    return this.env.unwrapped;
  }

  reset(args?: ResetArgs): ResetResult<Obs> {
    return this.env.reset(args) as ResetResult<Obs>;
  }

  step(action: Action): StepResult<Obs> {
    return this.env.step(action) as StepResult<Obs>;
  }

  /**
   * `step` without drawing the observation where the envs below can skip it (see
   * {@link Env.stepWithoutObs}); otherwise a full `step`. The call is passed down only through a
   * wrapper that leaves `step` as it is: one that overrides `step` (to change the reward, the
   * episode end or the info) gets every step in full unless it overrides this method too, as
   * TimeLimit, RecordEpisodeStatistics and the env checker do. So a new wrapper is correct without
   * knowing of this method, and at worst forgoes the saving.
   */
  stepWithoutObs(action: Action): StepWithoutObsResult<Obs> {
    if (!this.stepIsFrom(Wrapper)) return this.step(action);
    return passStepWithoutObs(this.env, action) as StepWithoutObsResult<Obs>;
  }

  render(): RgbFrame {
    return this.env.render();
  }

  /**
   * Whether this wrapper's `step` is the one class `owner` defines, i.e. no subclass below it
   * changed `step`. A wrapper that overrides `stepWithoutObs` checks this first, so that a subclass
   * of it which overrides only `step` still sees every step.
   */
  protected stepIsFrom(owner: abstract new (...args: never[]) => { step(action: never): unknown }): boolean {
    return this.step === owner.prototype.step;
  }

  close(): void {
    this.env.close();
  }

  /** The wrapper stack as Gymnasium prints it: `TimeLimit<EnvChecker<CartPoleEnv<CartPole-v1>>>`. */
  toString(): string {
    return `${this.constructor.name}<${String(this.env)}>`;
  }
}

/**
 * `env.stepWithoutObs(action)` where the env has it, else `env.step(action)`: how a wrapper asks
 * the env below for a step whose observation it does not need. It holds the env to the contract
 * in one place for every caller: a step that ends the episode carries its final observation.
 *
 * @throws TypeError when the episode ended and `obs` is `undefined`.
 */
export function passStepWithoutObs<Obs, Action>(env: Env<Obs, Action>, action: Action): StepWithoutObsResult<Obs> {
  if (env.stepWithoutObs === undefined) return env.step(action);
  const result = env.stepWithoutObs(action);
  if (result.obs === undefined && (result.terminated || result.truncated)) {
    throw new TypeError(`Expected ${String(env)}.stepWithoutObs() to return the final observation on the step that ends the episode, got undefined`);
  }
  return result;
}
