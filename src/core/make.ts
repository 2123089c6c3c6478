import { TimeLimit } from "../wrappers/time-limit";
import { describeValue } from "./describe";
import type { ActionOf, AnyEnv, Env, ObsOf } from "./env";
import { EnvChecker } from "./env-checker";
import { assertKnownOptions } from "./options";
import { spec as findSpec, type EnvSpec, type RegisteredEnvs } from "./registry";

/** Options `make` understands for every env, besides the env's own options. */
export interface MakeOptions {
  /**
   * Overrides the registered time limit. `Infinity` applies no TimeLimit at all: the "unlimited
   * CartPole", whose episodes end only by termination (`make("CartPole-v1", { maxEpisodeSteps:
   * Infinity })`). Gymnasium spells this `max_episode_steps=-1`.
   */
  readonly maxEpisodeSteps?: number;
  /** `true` skips the EnvChecker (Gymnasium's `disable_env_checker`); saves a few percent per step. */
  readonly disableEnvChecker?: boolean;
  /**
   * Accepted for Gymnasium familiarity; `"rgb_array"` is the only mode, since `render()` always
   * returns an RgbFrame (notebooks display frames themselves).
   */
  readonly renderMode?: "rgb_array";
}

const MAKE_OPTION_NAMES = ["maxEpisodeSteps", "disableEnvChecker", "renderMode"] as const;

/**
 * The env type `make` returns for a registered id: typed spaces, `unwrapped` typed as the env class
 * (so `make("CartPole-v1").unwrapped.state` compiles), and a `spec` that is always present.
 */
export type MadeEnv<E extends AnyEnv> = Env<ObsOf<E>, ActionOf<E>> & { readonly unwrapped: E; readonly spec: EnvSpec };

type OptionsOf<Id extends keyof RegisteredEnvs> = RegisteredEnvs[Id] extends { options: infer O } ? O : object;
type EnvOf<Id extends keyof RegisteredEnvs> = RegisteredEnvs[Id] extends { env: infer E extends AnyEnv } ? E : AnyEnv;

/**
 * Creates a registered env, wrapped the way Gymnasium's `gym.make` wraps it: the bare env, then a
 * TimeLimit with the registered (or overridden) `maxEpisodeSteps`, then the EnvChecker outermost,
 * where it sees every action and the final `truncated` flag.
 *
 * @param id a registered id such as `"CartPole-v1"`.
 * @param options env-specific options (CartPole: `suttonBartoReward`) and {@link MakeOptions}.
 * @returns the wrapped env; `env.spec` records what was applied.
 * @throws Error for an unknown id (listing the registered ids, with a "did you mean") and for
 *   unknown option names (naming them).
 * @example
 * const env = make("CartPole-v1");
 * String(env);                   //=> "EnvChecker<TimeLimit<CartPoleEnv<CartPole-v1>>>"
 * env.spec.maxEpisodeSteps;      //=> 500
 * env.spec.rewardThreshold;      //=> 475
 * const unlimited = make("CartPole-v1", { maxEpisodeSteps: Infinity });
 * unlimited.spec.maxEpisodeSteps; //=> undefined   (no TimeLimit: only termination ends an episode)
 */
export function make<Id extends keyof RegisteredEnvs & string>(
  id: Id,
  options?: MakeOptions & Partial<OptionsOf<Id>>,
): MadeEnv<EnvOf<Id>>;
export function make<Obs = unknown, Action = unknown>(
  id: string,
  options?: MakeOptions & Readonly<Record<string, unknown>>,
): Env<Obs, Action>;
export function make(id: string, givenOptions: object = {}): MadeEnv<AnyEnv> {
  const options = givenOptions as MakeOptions & Readonly<Record<string, unknown>>;
  const registered = findSpec(id);
  assertKnownOptions(options, [...registered.optionNames, ...MAKE_OPTION_NAMES], `make(${JSON.stringify(id)})`);
  const { maxEpisodeSteps, disableEnvChecker, renderMode, ...envOptions } = options;
  const timeLimit = maxEpisodeSteps ?? registered.maxEpisodeSteps;
  if (timeLimit !== undefined && timeLimit !== Infinity && !(Number.isSafeInteger(timeLimit) && timeLimit > 0)) {
    throw new RangeError(
      `Expected maxEpisodeSteps to be a positive integer, or Infinity for no time limit, got ${describeValue(timeLimit)}`,
    );
  }
  if (disableEnvChecker !== undefined && typeof disableEnvChecker !== "boolean") {
    throw new TypeError(`Expected disableEnvChecker to be a boolean, got ${describeValue(disableEnvChecker)}`);
  }
  if (renderMode !== undefined && renderMode !== "rgb_array") {
    throw new RangeError(
      `Expected renderMode "rgb_array" (render() always returns an RgbFrame), got ${describeValue(renderMode)}`,
    );
  }

  const envSpecificOptions = Object.freeze({ ...registered.options, ...envOptions });
  let env = registered.entryPoint(envSpecificOptions);
  // As in Gymnasium, the bare env's spec has no time limit and no checker; the wrappers that add
  // them report themselves in their own `spec`.
  const bareSpec: EnvSpec = Object.freeze({
    ...registered,
    options: envSpecificOptions,
    maxEpisodeSteps: undefined,
    disableEnvChecker: true,
  });
  (env.unwrapped as { spec: EnvSpec | undefined }).spec = bareSpec;

  if (timeLimit !== undefined && timeLimit !== Infinity) env = new TimeLimit(env, timeLimit);
  if (!(disableEnvChecker ?? registered.disableEnvChecker)) env = new EnvChecker(env);
  return env as MadeEnv<AnyEnv>;
}
