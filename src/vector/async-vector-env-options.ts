import * as os from "node:os";
import { assertKnownOptions } from "../core/options";
import { assertSeed } from "../core/rng";
import type { SubEnvSpec } from "./sub-env-spec";
import { assertAutoresetMode, type AutoresetMode } from "./types";

/** Options of `AsyncVectorEnv` (`makeVec(id, { mode: "async", ... })` passes its options through). */
export interface AsyncVectorEnvOptions {
  /** How to build each sub-env, as plain data (registered id or `"module:EnvId"`, options, wrappers). */
  readonly spec: SubEnvSpec;
  /** How many sub-envs. */
  readonly numEnvs: number;
  /** When a sub-env whose episode ended is reset (default `"next-step"`, Gymnasium's and EnvPool's). */
  readonly autoreset?: AutoresetMode;
  /**
   * Worker threads hosting the sub-envs, each a contiguous group. Default: min(numEnvs, CPU cores);
   * with `useMainThread`, min(numEnvs − 1, CPU cores − 1).
   */
  readonly numWorkers?: number;
  /**
   * `true`: the main thread steps the first group of sub-envs itself while the workers step theirs.
   * With a core per thread nobody sleeps during a step, which is much faster for cheap envs (a
   * sleeping thread takes tens of µs to wake; measured on 2 cores: CartPole n=8 2.27M env-steps/s
   * instead of 0.11M, and 1.9× instead of 1.4× sync on a 50 µs env). The price is isolation: those
   * sub-envs run in your thread, so a `process.exit` or an asynchronous throw in their code ends the
   * process, and `stepTimeoutMs` cannot interrupt them (a synchronous throw is handled as usual).
   *
   * Default: `true` when you leave `numWorkers` to us and there is more than one sub-env (the fast
   * layout); `false` when you set `numWorkers` (you asked for that many worker threads) or for a
   * single sub-env. Pass `false` for full isolation of every sub-env.
   */
  readonly useMainThread?: boolean;
  /** How many sub-envs `recv()` returns (EnvPool's `batch_size`; default numEnvs). */
  readonly batchSize?: number;
  /**
   * `true` (default): every call returns fresh arrays, safe to keep (e.g. in a replay buffer).
   * `false`: `reset`/`step` return views of the SharedArrayBuffers the workers write into (no copy
   * at all), and `recv` reuses one set of arrays. Each call then overwrites what the previous one
   * returned: after `const prev = envs.step(a).obs; const next = envs.step(b).obs;`, `prev === next`
   * and both hold the newer observations. Copy what you keep (`obs.slice()`).
   */
  readonly copy?: boolean;
  /** Seed of the first reset when that call gives none (EnvPool's `seed`); sub-env i gets seed + i. */
  readonly seed?: number;
  /**
   * Longest wait for the workers in one call, in ms (default 60 000; `Infinity`: no limit). When it
   * passes, the call throws a WorkerDiedError and the vector env is closed, since a worker stuck in
   * env code cannot be interrupted. The first reset includes starting the workers (~0.1 s).
   */
  readonly stepTimeoutMs?: number;
}

/**
 * The longest an idle worker spins for its next command before sleeping, when every thread has a
 * core. Waking a sleeping thread costs ~15–60 µs (measured on a 2-core VM); a spin that short is
 * nothing to a free core, and it makes lock-step CartPole many times faster. With a worker per
 * core, spinning would take the core the main thread needs, so every thread sleeps at once. The
 * actual spin adapts (AdaptiveSpin): it shrinks to nothing when it does not pay.
 */
const WORKER_SPIN_MICROS = 50;
/** The longest the main thread spins for the workers before sleeping (same condition). */
const MAIN_SPIN_MICROS = 200;

const OPTION_NAMES: readonly string[] = ["spec", "numEnvs", "autoreset", "numWorkers", "useMainThread", "batchSize", "copy", "seed", "stepTimeoutMs"];

/** {@link AsyncVectorEnvOptions} checked, with every default filled in and the spin policy decided. */
export interface AsyncVectorEnvSettings extends Required<Omit<AsyncVectorEnvOptions, "seed">> {
  readonly seed: number | undefined;
  /** How long an idle worker spins for its next command before it sleeps (0: at once). */
  readonly workerSpinMicros: number;
  /** How long the main thread spins for the workers before it sleeps (0: at once). */
  readonly mainSpinMicros: number;
}

/**
 * Checks AsyncVectorEnv's options and fills in the defaults.
 *
 * @throws Error naming an unknown option, RangeError/TypeError `Expected <what>, got <actual>` for
 *   a bad value.
 * @example
 * resolveAsyncVectorEnvOptions({ spec: { id: "CartPole-v1" }, numEnvs: 8 }).numWorkers  //=> 2 on 2 cores
 */
export function resolveAsyncVectorEnvOptions(options: AsyncVectorEnvOptions): AsyncVectorEnvSettings {
  assertKnownOptions(options, OPTION_NAMES, "AsyncVectorEnv");
  const { spec, numEnvs, autoreset = "next-step", copy = true, seed, stepTimeoutMs = 60_000 } = options;
  const useMainThread = options.useMainThread ?? (options.numWorkers === undefined && numEnvs > 1);
  if (spec === null || typeof spec !== "object" || typeof spec.id !== "string") {
    throw new TypeError(`Expected spec to be a SubEnvSpec such as { id: "CartPole-v1" }, got ${JSON.stringify(spec)}`);
  }
  assertCount(numEnvs, "numEnvs", { min: 1, max: Infinity });
  if (typeof useMainThread !== "boolean") throw new TypeError(`Expected useMainThread to be a boolean, got ${String(useMainThread)}`);
  const cores = os.availableParallelism();
  const mainGroup = useMainThread ? 1 : 0;
  const { numWorkers = Math.max(0, Math.min(numEnvs, cores) - mainGroup), batchSize = numEnvs } = options;
  const workersMax = useMainThread ? `numEnvs − 1 = ${numEnvs - 1} (useMainThread steps one group)` : `numEnvs = ${numEnvs}`;
  assertCount(numWorkers, "numWorkers", { min: 1 - mainGroup, max: numEnvs - mainGroup, maxText: workersMax });
  assertCount(batchSize, "batchSize", { min: 1, max: numEnvs, maxText: `numEnvs = ${numEnvs}` });
  assertAutoresetMode(autoreset);
  if (typeof copy !== "boolean") throw new TypeError(`Expected copy to be a boolean, got ${String(copy)}`);
  if (seed !== undefined) assertSeed(seed);
  if (typeof stepTimeoutMs !== "number" || !(stepTimeoutMs > 0)) {
    throw new RangeError(`Expected stepTimeoutMs to be a positive number of milliseconds (or Infinity), got ${String(stepTimeoutMs)}`);
  }
  // Spin only when every thread (the workers and the main thread) has a core: a spinning thread
  // would otherwise hold up one that has work.
  const spin = numWorkers + 1 <= cores;
  return {
    spec, numEnvs, numWorkers, useMainThread, batchSize, autoreset, copy, seed, stepTimeoutMs,
    workerSpinMicros: spin ? WORKER_SPIN_MICROS : 0,
    mainSpinMicros: spin ? MAIN_SPIN_MICROS : 0,
  };
}

function assertCount(value: unknown, name: string, range: { min: number; max: number; maxText?: string }): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
    const expected = range.maxText === undefined ? "a positive integer" : `an integer from ${range.min} to ${range.maxText}`;
    throw new RangeError(`Expected ${name} to be ${expected}, got ${String(value)}`);
  }
}
