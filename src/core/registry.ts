import type { AnyEnv } from "./env";
import { closestName } from "./options";

/**
 * Creates an env from its env-specific options (the options given to `make`, over the registered
 * defaults). Gymnasium's `entry_point`.
 */
export type EnvCreator = (options: Readonly<Record<string, unknown>>) => AnyEnv;

/**
 * How an env id is made (Gymnasium's `EnvSpec`). `make(id).spec` is the spec of that made env: it
 * records the time limit actually applied and the options actually used.
 */
export interface EnvSpec {
  /** The env id, `Name-vN` (the version changes whenever behaviour changes). */
  readonly id: string;
  /** Creates the bare env, before `make` adds the checker and the time limit. */
  readonly entryPoint: EnvCreator;
  /** Episodes are truncated after this many steps by a TimeLimit; `undefined` = no limit. */
  readonly maxEpisodeSteps: number | undefined;
  /** The average return at which the task counts as solved (CartPole-v1: 475). */
  readonly rewardThreshold: number | undefined;
  /** The env cannot repeat a run from the same seed and actions. */
  readonly nondeterministic: boolean;
  /** `make` skips the env checker for this env. */
  readonly disableEnvChecker: boolean;
  /** Env-specific options passed to `entryPoint` (Gymnasium's `kwargs`). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Names of the env-specific options `make` accepts for this id; any other name is an error. */
  readonly optionNames: readonly string[];
}

/** What `register` takes: only `id` and `entryPoint` are required. */
export interface RegisterArgs {
  readonly id: string;
  readonly entryPoint: EnvCreator;
  /** Default time limit applied by `make` (a positive integer); omit for none. */
  readonly maxEpisodeSteps?: number;
  readonly rewardThreshold?: number;
  readonly nondeterministic?: boolean;
  readonly disableEnvChecker?: boolean;
  /** Default env-specific options. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Env-specific option names `make` accepts (default: the keys of `options`). */
  readonly optionNames?: readonly string[];
}

/**
 * Maps each registered id to its env class and option type, so `make("CartPole-v1")` is typed
 * (`make(...).unwrapped.state` compiles). Env modules extend it by declaration merging:
 *
 * ```ts
 * declare module "../core/registry" {
 *   interface RegisteredEnvs { "CartPole-v1": { env: CartPoleEnv; options: CartPoleOptions } }
 * }
 * ```
 */
export interface RegisteredEnvs {}

const specs = new Map<string, EnvSpec>();

/** Every registered env spec by id (Gymnasium's `gym.registry`). */
export const registry: ReadonlyMap<string, EnvSpec> = specs;

/**
 * Registers an env id so that `make(id)` can create it (Gymnasium's `gym.register`). Registering
 * an id again replaces it, with a warning (re-running a notebook cell does this).
 *
 * @returns the registered spec.
 * @example
 * register({ id: "CartPole-v1", entryPoint: (options) => new CartPoleEnv(options),
 *            maxEpisodeSteps: 500, rewardThreshold: 475, optionNames: ["suttonBartoReward"] });
 * spec("CartPole-v1").maxEpisodeSteps;  //=> 500
 */
export function register(args: RegisterArgs): EnvSpec {
  const { id, entryPoint, maxEpisodeSteps, rewardThreshold, options = {} } = args;
  if (typeof id !== "string" || id.length === 0) {
    throw new TypeError(`Expected id to be a non-empty string, got ${JSON.stringify(id)}`);
  }
  if (typeof entryPoint !== "function") {
    throw new TypeError(`Expected entryPoint of "${id}" to be a function returning an env, got ${typeof entryPoint}`);
  }
  if (maxEpisodeSteps !== undefined && !(Number.isSafeInteger(maxEpisodeSteps) && maxEpisodeSteps > 0)) {
    throw new RangeError(`Expected maxEpisodeSteps of "${id}" to be a positive integer, got ${maxEpisodeSteps}`);
  }
  if (specs.has(id)) console.warn(`Overriding the registered env "${id}".`);
  const spec: EnvSpec = Object.freeze({
    id,
    entryPoint,
    maxEpisodeSteps,
    rewardThreshold,
    nondeterministic: args.nondeterministic ?? false,
    disableEnvChecker: args.disableEnvChecker ?? false,
    options: Object.freeze({ ...options }),
    optionNames: Object.freeze([...(args.optionNames ?? Object.keys(options))]),
  });
  specs.set(id, spec);
  return spec;
}

/**
 * The registered spec of `id` (Gymnasium's `gym.spec`).
 *
 * @throws Error naming the registered ids (and the closest one) when `id` is not registered.
 * @example
 * spec("CartPole-v1").rewardThreshold;  //=> 475
 * spec("CartPole-v2");  //=> throws Error: Expected a registered env id, got "CartPole-v2" (did you
 *                       //   mean "CartPole-v1"?). Registered ids: CartPole-v0, CartPole-v1
 */
export function spec(id: string): EnvSpec {
  const found = specs.get(id);
  if (found !== undefined) return found;
  const registered = [...specs.keys()];
  if (registered.length === 0) {
    throw new Error(
      `Expected a registered env id, got ${JSON.stringify(id)}; no envs are registered yet ` +
        `(import the package or its envs module, which registers the built-in envs)`,
    );
  }
  const suggestion = closestName(id, registered);
  const hint = suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`;
  throw new Error(`Expected a registered env id, got ${JSON.stringify(id)}${hint}. Registered ids: ${registered.sort().join(", ")}`);
}
