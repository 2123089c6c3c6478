/**
 * The checks {@link ReplayBuffer} and {@link FrameReplayBuffer} run at their boundary. Every input
 * is checked before anything is stored, so a rejected call leaves the buffer as it was; messages
 * follow `Expected …, got …`.
 */
import { describeValue } from "../core/describe";
import { assertKnownOptions } from "../core/options";
import { assertSeed } from "../core/rng";
import { assertAutoresetMode, type AutoresetMode } from "../vector/types";
import type { ReplayBatch, ReplayBufferOptions, Transition, VectorStepInput } from "./replay-types";

/** {@link ReplayBufferOptions} with the defaults filled in. */
export type ResolvedReplayOptions = Required<Omit<ReplayBufferOptions, "seed">> & { readonly seed: number | undefined };

/**
 * The options with their defaults (obsDtype float32, 1 env, next-step autoreset, nStep 1, γ 0.99,
 * timeouts bootstrapped), after checking them all.
 *
 * @param where `name`: the class, for messages; `optionNames`: every option it understands.
 * @throws Error naming an unknown option; RangeError / TypeError for a value out of range.
 */
export function resolveReplayOptions(options: ReplayBufferOptions, where: { readonly name: string; readonly optionNames: readonly string[] }): ResolvedReplayOptions {
  assertKnownOptions(options, where.optionNames, where.name);
  const { capacity, obsShape, obsDtype = "float32", numEnvs = 1, autoreset = "next-step", nStep = 1, gamma = 0.99, seed, handleTimeoutTermination = true } = options ?? ({} as ReplayBufferOptions);
  assertReplayOptions({ capacity, obsShape, obsDtype, numEnvs, nStep, gamma });
  assertAutoresetMode(autoreset);
  if (seed !== undefined) assertSeed(seed);
  if (typeof handleTimeoutTermination !== "boolean") {
    throw new TypeError(`Expected handleTimeoutTermination to be a boolean, got ${String(handleTimeoutTermination)}`);
  }
  return { capacity, obsShape: Object.freeze([...obsShape]), obsDtype, numEnvs, autoreset, nStep, gamma, seed, handleTimeoutTermination };
}

/** What the checks need to know of a buffer. */
export interface BufferLayout {
  readonly numEnvs: number;
  readonly obsSize: number;
  readonly obsDtype: "float32" | "uint8";
  readonly autoreset: AutoresetMode;
  readonly size: number;
}

/** Steps are stored in a Uint16Array (k ≤ n), which bounds n. */
const MAX_N_STEP = 65535;

/** Throws for a constructor option out of range (autoreset and seed have checks of their own). */
export function assertReplayOptions(options: { capacity: unknown; obsShape: unknown; obsDtype: unknown; numEnvs: unknown; nStep: unknown; gamma: unknown }): void {
  const { capacity, obsShape, obsDtype, numEnvs, nStep, gamma } = options;
  assertPositiveInteger(capacity, "capacity");
  if (!Array.isArray(obsShape) || !obsShape.every((dim) => Number.isSafeInteger(dim) && dim > 0)) {
    throw new RangeError(`Expected obsShape to be an array of positive integers (the shape of one observation, e.g. [4]), got ${describeValue(obsShape)}`);
  }
  if (obsDtype !== "float32" && obsDtype !== "uint8") throw new RangeError(`Expected obsDtype to be "float32" or "uint8", got ${describeValue(obsDtype)}`);
  assertPositiveInteger(numEnvs, "numEnvs");
  assertPositiveInteger(nStep, "nStep");
  if ((nStep as number) > MAX_N_STEP) throw new RangeError(`Expected nStep ≤ ${MAX_N_STEP}, got ${describeValue(nStep)}`);
  if (typeof gamma !== "number" || !(gamma >= 0 && gamma <= 1)) throw new RangeError(`Expected gamma (the discount) to be a number in [0, 1], got ${describeValue(gamma)}`);
}

/** Throws unless `value` is one observation of `obsSize` numbers (and, for uint8 storage, bytes). */
export function checkObservation(layout: BufferLayout, value: unknown, where: { name: string; envId: number }): asserts value is ArrayLike<number> {
  const length = lengthOf(value);
  if (length !== layout.obsSize) throw new RangeError(`Expected ${where.name} of ${layout.obsSize} numbers for env ${where.envId}, got ${describeLength(value)}`);
  checkBytes(layout, value as ArrayLike<number>, { name: where.name });
}

/**
 * Throws unless `transition` is one transition of env `envId` the buffer can store: observations of
 * `obsSize` numbers, a Discrete action, a finite reward, boolean flags.
 */
export function checkTransition(layout: BufferLayout, transition: Transition, envId: number): void {
  if (!(Number.isInteger(envId) && envId >= 0 && envId < layout.numEnvs)) {
    throw new RangeError(`Expected envId to be an integer 0 ≤ envId < ${layout.numEnvs}, got ${String(envId)}`);
  }
  if (transition === null || typeof transition !== "object") throw new TypeError(`Expected a transition { obs, action, reward, nextObs, terminated, truncated }, got ${String(transition)}`);
  const { obs, action, reward, nextObs, terminated, truncated } = transition;
  checkObservation(layout, obs, { name: "obs", envId });
  checkObservation(layout, nextObs, { name: "nextObs", envId });
  checkAction(action, envId);
  if (!Number.isFinite(reward)) throw new RangeError(`Expected a finite reward for env ${envId}, got ${String(reward)}`);
  if (typeof terminated !== "boolean" || typeof truncated !== "boolean") {
    throw new TypeError(`Expected terminated and truncated to be booleans for env ${envId}, got ${String(terminated)} and ${String(truncated)}`);
  }
}

/** Throws unless `action` is a Discrete action: an integer ≥ 0 that fits an int32. */
export function checkAction(action: unknown, envId: number): void {
  if (typeof action !== "number" || !Number.isInteger(action) || action < 0 || action > 2147483647) {
    throw new RangeError(`Expected a non-negative integer action (Discrete) for env ${envId}, got ${describeValue(action)}`);
  }
}

/**
 * Throws unless `step` is one vector step the buffer can store: arrays of `numEnvs` rows, integer
 * actions, finite rewards, and final observations where (and only where) the buffer's autoreset
 * mode puts them, which catches a buffer created with the other mode than its vector env.
 */
export function checkVectorStep(layout: BufferLayout, step: VectorStepInput): void {
  if (step === null || typeof step !== "object" || step.result === null || typeof step.result !== "object") {
    throw new TypeError(`Expected { obs, actions, result } with result from envs.step(actions), got ${describeValue(step)}`);
  }
  const { numEnvs, obsSize } = layout;
  const { obs, actions, result } = step;
  const rows = numEnvs * obsSize;
  const shape = `(${numEnvs} env${numEnvs === 1 ? "" : "s"} × ${obsSize})`;
  if (lengthOf(obs) !== rows) throw new RangeError(`Expected obs of ${rows} numbers ${shape}, the observations the actions were chosen from, got ${describeLength(obs)}`);
  if (lengthOf(result.obs) !== rows) throw new RangeError(`Expected result.obs of ${rows} numbers ${shape}, got ${describeLength(result.obs)}`);
  if (obs === result.obs) {
    throw new Error("Expected obs and result.obs to be different arrays, got the same array: a vector env with copy: false overwrites its obs in place, so keep a copy (obs = result.obs.slice())");
  }
  if (lengthOf(actions) !== numEnvs) throw new RangeError(`Expected ${numEnvs} actions (one per env), got ${describeLength(actions)}`);
  checkPerEnv(result.rewards, { name: "result.rewards", numEnvs });
  checkPerEnv(result.terminated, { name: "result.terminated", numEnvs });
  checkPerEnv(result.truncated, { name: "result.truncated", numEnvs });
  const finalObs: readonly unknown[] = result.infos?.finalObs ?? [];
  for (let i = 0; i < numEnvs; i++) {
    checkAction(actions[i], i);
    if (!Number.isFinite(result.rewards[i])) throw new RangeError(`Expected a finite reward for env ${i}, got ${describeValue(result.rewards[i])}`);
    const final = finalObs[i] ?? null;
    const ended = result.terminated[i] === 1 || result.truncated[i] === 1;
    if (layout.autoreset === "next-step" && final !== null) {
      throw new Error(`Expected no infos.finalObs with next-step autoreset, got one for env ${i}: the vector env uses same-step autoreset, so create the buffer with autoreset: envs.autoreset`);
    }
    if (layout.autoreset === "same-step" && ended) {
      if (final === null) {
        throw new Error(`Expected infos.finalObs[${i}] (same-step autoreset's true final observation) for env ${i}, whose episode ended, got null: the vector env seems to use next-step autoreset, so create the buffer with autoreset: envs.autoreset`);
      }
      if (!(typeof final === "number" && obsSize === 1)) checkObservation(layout, final, { name: `infos.finalObs[${i}]`, envId: i });
      else checkBytes(layout, [final], { name: `infos.finalObs[${i}]` });
    }
  }
  checkBytes(layout, obs, { name: "obs" });
  checkBytes(layout, result.obs, { name: "result.obs" });
}

/** Throws unless 1 ≤ batchSize ≤ size and `batch`, if given, has arrays for that batch size. */
export function checkBatch(layout: BufferLayout, batchSize: unknown, batch?: ReplayBatch): void {
  if (typeof batchSize !== "number" || !Number.isSafeInteger(batchSize) || batchSize <= 0) {
    throw new RangeError(`Expected batchSize to be a positive integer, got ${describeValue(batchSize)}`);
  }
  if (layout.size === 0) throw new RangeError("Expected transitions to sample from, got an empty buffer (add some first: DQN waits learningStarts steps)");
  if (batchSize > layout.size) throw new RangeError(`Expected batchSize ≤ size (${layout.size} transitions stored), got ${batchSize}`);
  if (batch === undefined) return;
  const rows = batchSize * layout.obsSize;
  const expected = { obs: rows, nextObs: rows, actions: batchSize, rewards: batchSize, terminated: batchSize, discounts: batchSize, indices: batchSize };
  for (const [name, length] of Object.entries(expected)) {
    const array = batch[name as keyof typeof expected];
    if (lengthOf(array) !== length) {
      throw new RangeError(`Expected batch.${name} of ${length} numbers for batchSize ${batchSize} (make batches with createBatch), got ${describeLength(array)}`);
    }
  }
}

/** For error messages: an array-like's length, else the value itself. */
export function describeLength(value: unknown): string {
  const length = lengthOf(value);
  return length === undefined ? describeValue(value) : String(length);
}

function lengthOf(value: unknown): number | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const length = (value as { length?: unknown }).length;
  return typeof length === "number" ? length : undefined;
}

/** uint8 storage would silently wrap 256 to 0 and truncate 0.5: reject values that are not bytes. */
function checkBytes(layout: BufferLayout, array: ArrayLike<number>, where: { name: string }): void {
  if (layout.obsDtype !== "uint8" || array instanceof Uint8Array || array instanceof Uint8ClampedArray) return;
  for (let j = 0; j < array.length; j++) {
    const value = array[j]!;
    if (!(Number.isInteger(value) && value >= 0 && value <= 255)) {
      throw new RangeError(`Expected ${where.name} values to be integers 0…255 (obsDtype "uint8"), got ${describeValue(value)} at index ${j}`);
    }
  }
}

function checkPerEnv(array: unknown, where: { name: string; numEnvs: number }): void {
  if (lengthOf(array) !== where.numEnvs) throw new RangeError(`Expected ${where.name} of ${where.numEnvs} numbers (one per env), got ${describeLength(array)}`);
}

function assertPositiveInteger(value: unknown, name: string): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`Expected ${name} to be a positive integer, got ${describeValue(value)}`);
  }
}
