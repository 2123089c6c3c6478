import type { Env, Info } from "../core/env";
import type { RgbFrame } from "../core/frame";
import { assertKnownOptions } from "../core/options";
import { assertSeed } from "../core/rng";
import type { Space } from "../core/space";
import { AutoresetSlot } from "./autoreset";
import { batchLayout, type BatchLayout } from "./batch-layout";
import type { AutoresetMode, BatchObsOf, VectorEnv, VectorInfos, VectorResetArgs, VectorResetResult, VectorStepResult } from "./types";
import { assertAutoresetMode } from "./types";
import { findOwner } from "./find-owner";

/** Options of {@link SyncVectorEnv}. */
export interface SyncVectorEnvOptions {
  /** When a sub-env whose episode ended is reset (default `"next-step"`, Gymnasium's and EnvPool's). */
  readonly autoreset?: AutoresetMode;
  /**
   * `true` (default): every `reset`/`step` returns fresh arrays, safe to keep (e.g. in a replay
   * buffer). `false`: one set of arrays (obs, rewards, flags, `infos.perEnv`) is overwritten by
   * every call, which saves allocation; the pitfall is keeping a reference, e.g.
   * `const prev = envs.step(a).obs; const next = envs.step(b).obs;` leaves `prev === next`, both
   * holding the newer observations. Copy what you keep (`obs.slice()`).
   */
  readonly copy?: boolean;
  /**
   * Seed of the first `reset()` when that call gives none (EnvPool's `seed` argument), so
   * `makeVec(id, { seed: 1 })` then `reset()` is reproducible. An explicit `reset({ seed })` wins.
   */
  readonly seed?: number;
}

const OPTION_NAMES = ["autoreset", "copy", "seed"];

interface Buffers<BatchObs> {
  readonly obs: BatchObs;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly perEnv: Info[];
}

/**
 * `numEnvs` copies of an env stepped one after another in this thread (Gymnasium's
 * `SyncVectorEnv`, SB3's `DummyVecEnv`). For cheap envs like CartPole this beats worker threads:
 * a step costs less than handing work to another thread (ANCHORS.md: Gymnasium's subprocess vector
 * env is 10× slower than its sync one on CartPole).
 *
 * Observations come back as one flat typed array of shape `[numEnvs, ...single shape]`
 * (`obsShape`), rewards as a Float64Array, the flags as Uint8Arrays (1 = true), so a batch goes
 * straight into a tensor. Sub-envs whose episode ended reset themselves as `autoreset` says.
 *
 * Seeding: `reset({ seed })` seeds sub-env i with `seed + i` (Gymnasium's convention). Seeds hash
 * into unrelated RNG streams (see `Rng`), so no two sub-envs share a stream: the identical-copies
 * pitfall (EnvPool #324) cannot happen. Two vector envs seeded `s` and `s + 1` do overlap (the
 * second's env 0 is the first's env 1): space such seeds `numEnvs` apart.
 *
 * @example
 * const envs = new SyncVectorEnv([0, 1, 2].map(() => () => make("StepCounter-v0", { maxEpisodeSteps: 3 })));
 * envs.reset({ seed: 0 }).obs;                  //=> Float32Array(3) [0, 0, 0]
 * envs.step([0, 1, 0]).obs;                     //=> Float32Array(3) [1, 1, 1]
 * envs.obsShape;                                //=> [3, 1]
 */
export class SyncVectorEnv<Obs = unknown, Action = unknown> implements VectorEnv<Obs, Action, BatchObsOf<Obs>> {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<Obs>;
  readonly singleActionSpace: Space<Action>;
  readonly autoreset: AutoresetMode;
  /** The sub-envs, in order (read them, e.g. `envs.envs[0].unwrapped`; stepping them directly breaks the batch). */
  readonly envs: readonly Env<Obs, Action>[];
  /** Shape of an observation batch: `[numEnvs, ...singleObservationSpace.shape]`. */
  readonly obsShape: readonly number[];
  /** Whether each call returns fresh arrays (see {@link SyncVectorEnvOptions.copy}). */
  readonly copy: boolean;
  private readonly slots: AutoresetSlot<Obs, Action>[];
  private readonly obsLayout: BatchLayout<Obs>;
  private readonly actionLayout: BatchLayout<Action>;
  /** Validated actions of the current step: all are checked before any sub-env moves. */
  private readonly actionValues: Action[];
  /** The buffers reused when `copy` is false. */
  private readonly shared: Buffers<BatchObsOf<Obs>>;
  /** Shared by every call where no episode ended (always, in next-step mode): saves two arrays a step. */
  private readonly noFinals: readonly null[];
  private pendingSeed: number | undefined;
  private hasReset = false;
  private closed = false;

  /**
   * @param envFns one function per sub-env that creates it (closures, so each gets its own instance).
   * @param options `autoreset`, `copy`, `seed`; see {@link SyncVectorEnvOptions}.
   * @throws Error if `envFns` is empty, an element is not a function, or the sub-envs' spaces
   *   differ (naming the sub-env).
   */
  constructor(envFns: readonly (() => Env<Obs, Action>)[], options: SyncVectorEnvOptions = {}) {
    assertKnownOptions(options, OPTION_NAMES, "SyncVectorEnv");
    const { autoreset = "next-step", copy = true, seed } = options;
    assertAutoresetMode(autoreset);
    if (typeof copy !== "boolean") throw new TypeError(`Expected copy to be a boolean, got ${String(copy)}`);
    if (seed !== undefined) assertSeed(seed);
    if (!Array.isArray(envFns) || envFns.length === 0) {
      throw new RangeError(`Expected a non-empty array of functions that create the sub-envs, got ${Array.isArray(envFns) ? "[]" : typeof envFns}`);
    }
    this.envs = Object.freeze(createEnvs<Obs, Action>(envFns));
    this.numEnvs = this.envs.length;
    this.autoreset = autoreset;
    this.copy = copy;
    this.pendingSeed = seed;
    const first = this.envs[0];
    this.singleObservationSpace = first.observationSpace;
    this.singleActionSpace = first.actionSpace;
    this.obsLayout = batchLayout(this.singleObservationSpace);
    this.actionLayout = batchLayout(this.singleActionSpace);
    this.obsShape = Object.freeze([this.numEnvs, ...this.obsLayout.shape]);
    this.slots = this.envs.map((env) => new AutoresetSlot(env, autoreset));
    this.actionValues = new Array<Action>(this.numEnvs);
    this.shared = this.createBuffers();
    this.noFinals = Object.freeze(new Array<null>(this.numEnvs).fill(null));
  }

  /**
   * Resets every sub-env. With a seed (or the constructor's `seed`, on the first reset), sub-env i
   * is seeded with `seed + i`; without one, each continues its own RNG stream.
   *
   * @returns the first observations `[numEnvs, ...shape]` and each sub-env's reset info.
   */
  reset(args: VectorResetArgs = {}): VectorResetResult<Obs, BatchObsOf<Obs>> {
    this.assertOpen("reset");
    assertKnownOptions(args, ["seed", "options"], "SyncVectorEnv.reset() (reset takes { seed?, options? })");
    const seed = args.seed ?? this.pendingSeed;
    if (seed !== undefined) {
      assertSeed(seed);
      assertSeed(seed + this.numEnvs - 1);
    }
    this.pendingSeed = undefined;
    const buffers = this.copy ? this.createBuffers() : this.shared;
    for (let i = 0; i < this.numEnvs; i++) {
      const subArgs = { ...(seed === undefined ? {} : { seed: seed + i }), ...(args.options === undefined ? {} : { options: args.options }) };
      let result;
      try {
        result = this.slots[i].reset(subArgs);
      } catch (error) {
        throw subEnvError(error, { index: i, env: this.envs[i], method: "reset" });
      }
      this.obsLayout.write(buffers.obs, i, result.obs);
      buffers.perEnv[i] = result.info;
    }
    this.hasReset = true;
    return { obs: buffers.obs, infos: { perEnv: buffers.perEnv, finalObs: this.noFinals, finalInfo: this.noFinals } };
  }

  /**
   * Steps every sub-env with its action (`actions[i]` for sub-env i; Box actions back to back).
   * A sub-env whose episode ended is reset per `autoreset`: in next-step mode its action in the
   * following call is ignored (that call returns the reset observation, reward 0, flags 0).
   *
   * @throws Error `Expected N actions (one per sub-env), got M` for a wrong count, and the sub-env's
   *   error (naming it) if one throws; all actions are validated before any sub-env moves.
   */
  step(actions: ArrayLike<number>): VectorStepResult<Obs, BatchObsOf<Obs>> {
    this.assertOpen("step");
    if (!this.hasReset) throw new Error("Expected reset() before step(), got step() on a SyncVectorEnv that was never reset");
    const n = this.numEnvs;
    const actionLayout = this.actionLayout;
    if (actions === null || typeof actions !== "object" || actions.length !== n * actionLayout.size) throw this.actionCountError(actions);
    const actionValues = this.actionValues;
    for (let i = 0; i < n; i++) actionValues[i] = actionLayout.read(actions, i);

    const { obs, rewards, terminated, truncated, perEnv } = this.copy ? this.createBuffers() : this.shared;
    let finalObs: (Obs | null)[] | readonly null[] = this.noFinals;
    let finalInfo: (Info | null)[] | readonly null[] = this.noFinals;
    let i = 0;
    try {
      for (; i < n; i++) {
        const result = this.slots[i].step(actionValues[i]);
        this.obsLayout.write(obs, i, result.obs);
        rewards[i] = result.reward;
        terminated[i] = result.terminated ? 1 : 0;
        truncated[i] = result.truncated ? 1 : 0;
        perEnv[i] = result.info;
        if (result.finalObs !== null) {
          // Same-step mode, an episode ended: only now are per-step arrays worth allocating.
          if (finalObs === this.noFinals) {
            finalObs = new Array<Obs | null>(n).fill(null);
            finalInfo = new Array<Info | null>(n).fill(null);
          }
          (finalObs as (Obs | null)[])[i] = result.finalObs;
          (finalInfo as (Info | null)[])[i] = result.finalInfo;
        }
      }
    } catch (error) {
      throw subEnvError(error, { index: i, env: this.envs[i], method: "step" });
    }
    const infos: VectorInfos<Obs> = { perEnv, finalObs, finalInfo };
    return { obs, rewards, terminated, truncated, infos };
  }

  /**
   * Calls method `name` with `args` on every sub-env, or reads property `name` if it is not a
   * method (Gymnasium's `VectorEnv.call`). The name is looked up through the wrapper stack,
   * outermost first, so a wrapper's own members are found too.
   *
   * @returns one result per sub-env.
   * @example
   * envs.call<number>("elapsedSteps");   //=> [2, 2, 2]   (TimeLimit's counter of each sub-env)
   */
  call<T = unknown>(name: string, ...args: unknown[]): T[] {
    this.assertOpen("call");
    return this.envs.map((env, index) => {
      const owner = findOwner(env, name);
      if (owner === undefined) throw new Error(`Expected sub-env ${index} (${String(env)}) or an env it wraps to have "${name}", got none`);
      const value = owner[name];
      return (typeof value === "function" ? value.apply(owner, args) : value) as T;
    });
  }

  /**
   * Draws sub-env `index` (default 0): notebooks animate one sub-env of the batch.
   *
   * @throws RangeError for an index outside 0..numEnvs−1.
   */
  render(index = 0): RgbFrame {
    this.assertOpen("render");
    if (!Number.isInteger(index) || index < 0 || index >= this.numEnvs) {
      throw new RangeError(`Expected a sub-env index 0 ≤ i < ${this.numEnvs}, got ${String(index)}`);
    }
    return this.envs[index].render();
  }

  /** Closes every sub-env. Calling it again does nothing; any other call afterwards throws. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const env of this.envs) env.close();
  }

  /** Whether `close()` was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** `SyncVectorEnv(CartPole-v1, numEnvs=8, next-step)` */
  toString(): string {
    const first = this.envs[0];
    return `SyncVectorEnv(${first.spec?.id ?? String(first)}, numEnvs=${this.numEnvs}, ${this.autoreset})`;
  }

  private createBuffers(): Buffers<BatchObsOf<Obs>> {
    const n = this.numEnvs;
    return {
      obs: this.obsLayout.create(n) as BatchObsOf<Obs>,
      rewards: new Float64Array(n),
      terminated: new Uint8Array(n),
      truncated: new Uint8Array(n),
      perEnv: new Array<Info>(n),
    };
  }

  private assertOpen(method: string): void {
    if (this.closed) throw new Error(`Expected an open vector env, got ${method}() after close()`);
  }

  private actionCountError(actions: unknown): Error {
    const size = this.actionLayout.size;
    const got = actions !== null && typeof actions === "object" && "length" in actions ? String(actions.length) : String(actions);
    if (size === 1) return new RangeError(`Expected ${this.numEnvs} actions (one per sub-env), got ${got}`);
    return new RangeError(`Expected ${this.numEnvs} actions (one per sub-env) of ${size} numbers each, got ${got}`);
  }
}

function createEnvs<Obs, Action>(envFns: readonly (() => Env<Obs, Action>)[]): Env<Obs, Action>[] {
  const envs: Env<Obs, Action>[] = [];
  try {
    envFns.forEach((envFn, index) => {
      if (typeof envFn !== "function") throw new TypeError(`Expected envFns[${index}] to be a function that creates an env, got ${typeof envFn}`);
      const env = envFn();
      if (env === null || typeof env !== "object" || typeof env.step !== "function" || typeof env.reset !== "function") {
        throw new TypeError(`Expected envFns[${index}]() to return an env (with reset and step), got ${env === null ? "null" : typeof env}`);
      }
      // `() => env` returning one shared env would step it numEnvs times per vector step, silently.
      const shared = envs.findIndex((other) => other.unwrapped === env.unwrapped);
      if (shared >= 0) throw new Error(`Expected envFns[${index}]() to create a new env, got the same env as envFns[${shared}]() (write () => make(id), not () => env)`);
      envs.push(env);
      assertSameSpace(env.observationSpace, envs[0].observationSpace, { index, what: "observation space" });
      assertSameSpace(env.actionSpace, envs[0].actionSpace, { index, what: "action space" });
    });
  } catch (error) {
    // Do not leak the sub-envs already made (they may hold resources), nor the mismatched one.
    for (const env of envs) env.close();
    throw error;
  }
  return envs;
}

/**
 * Batching needs one layout for all rows, and a learner one meaning per column: same class,
 * shape, dtype, bounds, `n`. A Space prints all of those, so comparing prints compares them.
 */
function assertSameSpace(space: Space<unknown>, reference: Space<unknown>, where: { index: number; what: string }): void {
  if (space === reference) return;
  if (space?.constructor === reference.constructor && String(space) === String(reference)) return;
  throw new Error(`Expected sub-env ${where.index}'s ${where.what} to equal sub-env 0's ${String(reference)}, got ${String(space)}`);
}

/** Names the sub-env that threw, in the format AsyncVectorEnv's SubEnvError uses; `cause` is the original error. */
function subEnvError(error: unknown, where: { index: number; env: Env<unknown, unknown>; method: string }): Error {
  const message = error instanceof Error ? error.message : String(error);
  const id = JSON.stringify(where.env.spec?.id ?? String(where.env));
  return new Error(`Sub-env ${where.index} (${id}) threw in ${where.method}(): ${message}`, { cause: error });
}

