import { describeValue } from "./describe";
import type { ActionOf, AnyEnv, ObsOf, ResetArgs, ResetResult, StepResult, StepWithoutObsResult } from "./env";
import type { RgbFrame } from "./frame";
import { assertKnownOptions } from "./options";
import type { EnvSpec } from "./registry";
import { Space } from "./space";
import { passStepWithoutObs, Wrapper } from "./wrapper";

/**
 * Catches the mistakes that otherwise corrupt training silently (Gymnasium's PassiveEnvChecker and
 * OrderEnforcing in one wrapper). `make` puts it outermost on every env unless
 * `disableEnvChecker: true`.
 *
 * Throws an Error that names the problem when the caller
 * - steps before the first `reset`, or after a step that returned `terminated` or `truncated`
 *   (the episode is over; stepping on would train on transitions that do not exist);
 * - passes an action outside the action space or of the wrong type (a string, 1.5 for Discrete,
 *   a Float32Array of the wrong length for Box).
 *
 * Warns once per env (console.warn, not thrown) when the env returns an observation outside its
 * observation space, naming the index and value: that is the env's problem, not the caller's.
 * On the first reset and step it also checks the result's shape (reward a number, flags booleans,
 * info an object) and throws if wrong.
 *
 * Per step it costs a flag test, one `actionSpace.contains` and, until the first warning, one
 * `observationSpace.contains`: on CartPole about 20 ns, a fifth of a bare step, and steps through
 * `make` still run at several million per second. `disableEnvChecker: true` removes it.
 *
 * @example
 * const env = make("CartPole-v1");
 * env.step(0);       //=> throws Error: Expected env.reset() before env.step(), got step() on an env that was never reset
 * env.reset({ seed: 0 });
 * env.step(1.5);     //=> throws Error: Expected an action in Discrete(2) — an integer 0 ≤ a < 2, got 1.5
 */
export class EnvChecker<E extends AnyEnv> extends Wrapper<E> {
  private readonly checkedActionSpace: Space<ActionOf<E>>;
  private readonly checkedObservationSpace: Space<ObsOf<E>>;
  private hasReset = false;
  /** True before the first reset and after an episode ends: the one flag the hot path reads. */
  private needsReset = true;
  private lastEnding = "";
  private checkedFirstStep = false;
  private warnedObservation = false;
  private cachedSpec: EnvSpec | undefined;
  private cachedFrom: EnvSpec | undefined;

  constructor(env: E) {
    super(env);
    // Read the spaces once: spaces are fixed for an env's life, and a field read is cheaper than
    // walking the wrapper chain of getters on every step.
    this.checkedActionSpace = assertSpace(env.actionSpace, "actionSpace", env) as Space<ActionOf<E>>;
    this.checkedObservationSpace = assertSpace(env.observationSpace, "observationSpace", env) as Space<ObsOf<E>>;
  }

  /** The inner env's spec with `disableEnvChecker: false`: this env is being checked. */
  override get spec(): EnvSpec | undefined {
    const inner = this.env.spec;
    if (inner === undefined) return undefined;
    if (this.cachedFrom !== inner) {
      this.cachedSpec = Object.freeze({ ...inner, disableEnvChecker: false });
      this.cachedFrom = inner;
    }
    return this.cachedSpec;
  }

  override reset(args?: ResetArgs): ResetResult<ObsOf<E>> {
    if (args !== undefined) {
      assertKnownOptions(args, ["seed", "options"], "reset() (reset takes { seed?, options? })");
    }
    const result = super.reset(args);
    if (result === null || typeof result !== "object" || !("obs" in result)) {
      throw new TypeError(`Expected ${String(this.env)}.reset() to return { obs, info }, got ${describeValue(result)}`);
    }
    assertInfo(result.info, "reset()", this.env);
    this.checkObservation(result.obs, "reset()");
    this.hasReset = true;
    this.needsReset = false;
    return result;
  }

  override step(action: ActionOf<E>): StepResult<ObsOf<E>> {
    return this.checked(action, () => super.step(action));
  }

  /** The same checks as `step`; the observation is checked where there is one (the episode's end). */
  override stepWithoutObs(action: ActionOf<E>): StepWithoutObsResult<ObsOf<E>> {
    if (!this.stepIsFrom(EnvChecker)) return this.step(action);
    return this.checked(action, () => passStepWithoutObs(this.env, action) as StepWithoutObsResult<ObsOf<E>>);
  }

  private checked<R extends StepWithoutObsResult<ObsOf<E>>>(action: ActionOf<E>, takeStep: () => R): R {
    if (this.needsReset) throw this.resetNeededError();
    if (!this.checkedActionSpace.contains(action)) throw this.invalidActionError(action);
    const result = takeStep();
    if (!this.checkedFirstStep) {
      assertStepResult(result, this.env);
      this.checkedFirstStep = true;
    }
    // (A step without its observation has one at the episode's end: passStepWithoutObs checks.)
    if (!this.warnedObservation && result.obs !== undefined) this.checkObservation(result.obs, "step()");
    if (result.terminated || result.truncated) {
      this.needsReset = true;
      this.lastEnding = `terminated = ${result.terminated}, truncated = ${result.truncated}`;
    }
    return result;
  }

  override render(): RgbFrame {
    if (!this.hasReset) {
      throw new Error("Expected env.reset() before env.render(), got render() on an env that was never reset");
    }
    return super.render();
  }

  private checkObservation(obs: unknown, method: string): void {
    if (this.warnedObservation || this.checkedObservationSpace.contains(obs)) return;
    this.warnedObservation = true;
    const reason = this.checkedObservationSpace.whyNotContained(obs);
    console.warn(
      `${String(this.env)}: the observation returned by ${method} is outside ${String(this.checkedObservationSpace)}: ` +
        `${reason ?? describeValue(obs)}. (The env checker warns once per env.)`,
    );
  }

  private resetNeededError(): Error {
    const got = this.hasReset
      ? `step() after the episode ended (${this.lastEnding}); call env.reset() to start the next one`
      : "step() on an env that was never reset";
    return new Error(`Expected env.reset() before env.step(), got ${got}`);
  }

  private invalidActionError(action: unknown): Error {
    const space = this.checkedActionSpace;
    const reason = space.whyNotContained(action);
    const shown = describeValue(action);
    // The reason repeats the value for simple cases ("1.5 is not an integer"); show it only when it adds something.
    const detail = reason === undefined || reason.startsWith(shown) ? "" : ` (${reason})`;
    return new Error(`Expected an action in ${String(space)} — ${space.describeMember("a")}, got ${shown}${detail}`);
  }
}

function assertSpace(space: unknown, name: string, env: AnyEnv): Space<unknown> {
  if (!(space instanceof Space)) {
    throw new TypeError(`Expected ${String(env)}.${name} to be a Space (e.g. Discrete or Box), got ${describeValue(space)}`);
  }
  return space;
}

function assertInfo(info: unknown, method: string, env: AnyEnv): void {
  if (info === null || typeof info !== "object" || Array.isArray(info)) {
    throw new TypeError(`Expected the info returned by ${String(env)}.${method} to be an object, got ${describeValue(info)}`);
  }
}

/** The first step's result is checked in full, as Gymnasium's passive checker does. */
function assertStepResult(result: StepWithoutObsResult<unknown>, env: AnyEnv): void {
  if (result === null || typeof result !== "object") {
    throw new TypeError(`Expected ${String(env)}.step() to return { obs, reward, terminated, truncated, info }, got ${describeValue(result)}`);
  }
  for (const flag of ["terminated", "truncated"] as const) {
    if (typeof result[flag] !== "boolean") {
      throw new TypeError(`Expected ${flag} returned by ${String(env)}.step() to be a boolean, got ${describeValue(result[flag])}`);
    }
  }
  if (typeof result.reward !== "number") {
    throw new TypeError(`Expected the reward returned by ${String(env)}.step() to be a number, got ${describeValue(result.reward)}`);
  }
  if (!Number.isFinite(result.reward)) console.warn(`${String(env)}: the reward returned by step() is ${result.reward}.`);
  assertInfo(result.info, "step()", env);
}
