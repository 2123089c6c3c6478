import type { ActionOf, AnyEnv, Env, ObsOf } from "../core/env";
import type { MakeOptions } from "../core/make";
import { assertKnownOptions } from "../core/options";
import type { RegisteredEnvs } from "../core/registry";
import type { WrapperSpec } from "../wrappers/by-name";
import { AsyncVectorEnv } from "./async-vector-env";
import { buildSubEnv, resolveSubEnvSpec, type SubEnvSpec } from "./sub-env-spec";
import { SyncVectorEnv } from "./sync-vector-env";
import type { AutoresetMode, BatchObsOf, VectorEnv } from "./types";

/** Options of {@link makeVec}. Only `numEnvs` is required. */
export interface MakeVecOptions {
  /** How many copies of the env step together (a positive integer). */
  readonly numEnvs: number;
  /**
   * `"sync"` (default): sub-envs step one after another in this thread ({@link SyncVectorEnv});
   * fastest for cheap envs like CartPole. `"async"`: sub-envs step in worker threads
   * ({@link AsyncVectorEnv}); pays off only when a step costs more than the hand-off (tens of µs, Atari).
   */
  readonly mode?: "sync" | "async";
  /** When a sub-env whose episode ended is reset (default `"next-step"`); see `AutoresetMode`. */
  readonly autoreset?: AutoresetMode;
  /**
   * Seeds the first `reset()` if it is called without a seed (EnvPool's `seed`): sub-env i gets
   * `seed + i`. An explicit `reset({ seed })` wins.
   */
  readonly seed?: number;
  /** Wrappers by name, applied around each sub-env innermost first, e.g. `["RecordEpisodeStatistics"]`. */
  readonly wrappers?: readonly WrapperSpec[];
  /**
   * Options for `make(id, envOptions)`: the env's own options and `make`'s (`maxEpisodeSteps`,
   * `disableEnvChecker`). Plain data, so they can be sent to worker threads.
   */
  readonly envOptions?: MakeOptions & Readonly<Record<string, unknown>>;
  /** `false` reuses one set of result arrays (faster; see `SyncVectorEnvOptions.copy`). Default true. */
  readonly copy?: boolean;
  /** Async only: worker threads hosting the sub-envs (default: cores − 1, the main thread stepping one group). */
  readonly numWorkers?: number;
  /** Async only: whether the main thread steps a group of sub-envs too (see `AsyncVectorEnvOptions.useMainThread`). */
  readonly useMainThread?: boolean;
  /** Async only: how many sub-envs `recv()` returns (EnvPool's `batch_size`; default numEnvs). */
  readonly batchSize?: number;
  /** Async only: longest wait for the workers in one call, in ms (AsyncVectorEnv's default: 60 000). */
  readonly stepTimeoutMs?: number;
}

const COMMON_OPTIONS = ["numEnvs", "mode", "autoreset", "seed", "wrappers", "envOptions", "copy"];
const ASYNC_ONLY_OPTIONS = ["numWorkers", "useMainThread", "batchSize", "stepTimeoutMs"];

type EnvOf<Id extends keyof RegisteredEnvs> = RegisteredEnvs[Id] extends { env: infer E extends AnyEnv } ? E : AnyEnv;

/**
 * Creates a vector env of `numEnvs` copies of a registered env (Gymnasium's `make_vec`, SB3's
 * `make_vec_env`, EnvPool's `make`). Each sub-env is `make(id, envOptions)` wrapped by `wrappers`.
 * `id` may be Gymnasium's `"module:EnvId"` (a relative module path is resolved against the current
 * directory), so envs defined in your own module work in worker threads too.
 *
 * @returns a {@link SyncVectorEnv} for mode `"sync"`, an {@link AsyncVectorEnv} for `"async"`.
 * @throws Error naming any unknown option (with a "did you mean"), an async-only option given with
 *   mode `"sync"`, or a `numEnvs` that is not a positive integer.
 * @example
 * const envs = makeVec("CartPole-v1", { numEnvs: 4, seed: 42, wrappers: ["RecordEpisodeStatistics"] });
 * envs.reset().obs.length;      //=> 16   (4 sub-envs × 4 numbers; sub-env 0 starts like make("CartPole-v1") reset with seed 42)
 * envs.step([0, 1, 0, 1]).rewards; //=> Float64Array(4) [1, 1, 1, 1]
 */
export function makeVec<Id extends keyof RegisteredEnvs & string>(
  id: Id,
  options: MakeVecOptions & { readonly mode?: "sync" },
): SyncVectorEnv<ObsOf<EnvOf<Id>>, ActionOf<EnvOf<Id>>>;
export function makeVec<Obs = unknown, Action = unknown>(id: string, options: MakeVecOptions & { readonly mode?: "sync" }): SyncVectorEnv<Obs, Action>;
export function makeVec<Id extends keyof RegisteredEnvs & string>(
  id: Id,
  options: MakeVecOptions & { readonly mode: "async" },
): AsyncVectorEnv<ObsOf<EnvOf<Id>>, ActionOf<EnvOf<Id>>>;
export function makeVec<Obs = unknown, Action = unknown>(id: string, options: MakeVecOptions & { readonly mode: "async" }): AsyncVectorEnv<Obs, Action>;
export function makeVec<Obs = unknown, Action = unknown>(id: string, options: MakeVecOptions): VectorEnv<Obs, Action, BatchObsOf<Obs>>;
export function makeVec(id: string, options: MakeVecOptions): VectorEnv<unknown, unknown, BatchObsOf<unknown>> {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`Expected makeVec's options to be an object with numEnvs, got ${options === null ? "null" : typeof options}`);
  }
  const where = `makeVec(${JSON.stringify(id)})`;
  assertKnownOptions(options, [...COMMON_OPTIONS, ...ASYNC_ONLY_OPTIONS], where);
  const { numEnvs, mode = "sync", autoreset = "next-step", seed, wrappers = [], envOptions = {}, copy = true } = options;
  if (!(Number.isSafeInteger(numEnvs) && numEnvs > 0)) {
    throw new RangeError(`Expected numEnvs to be a positive integer, got ${JSON.stringify(numEnvs)}`);
  }
  if (mode !== "sync" && mode !== "async") throw new RangeError(`Expected mode "sync" or "async", got ${JSON.stringify(mode)}`);
  if (!Array.isArray(wrappers)) throw new TypeError(`Expected wrappers to be an array of wrapper names or specs, got ${typeof wrappers}`);
  const spec: SubEnvSpec = resolveSubEnvSpec({ id, options: envOptions, wrappers });

  if (mode === "sync") {
    const givenAsyncOnly = ASYNC_ONLY_OPTIONS.filter((name) => (options as unknown as Record<string, unknown>)[name] !== undefined);
    if (givenAsyncOnly.length > 0) {
      throw new Error(`Expected ${givenAsyncOnly.join(" and ")} only with mode "async" (they configure worker threads), got mode "sync"`);
    }
    const envFns = Array.from({ length: numEnvs }, () => (): Env<unknown, unknown> => buildSubEnv(spec));
    return new SyncVectorEnv(envFns, { autoreset, copy, seed });
  }
  // Undefined options take AsyncVectorEnv's defaults.
  const { numWorkers, useMainThread, batchSize, stepTimeoutMs } = options;
  return new AsyncVectorEnv({ spec, numEnvs, autoreset, copy, seed, numWorkers, useMainThread, batchSize, stepTimeoutMs });
}

