import type { Worker } from "node:worker_threads";
import { Discrete } from "../core/discrete";
import type { RgbFrame } from "../core/frame";
import { assertKnownOptions } from "../core/options";
import { assertSeed } from "../core/rng";
import type { Space } from "../core/space";
import { batchLayout, type BatchLayout } from "./batch-layout";
import { buildSubEnv, resolveSubEnvSpec, type SubEnvSpec } from "./sub-env-spec";
import { resolveAsyncVectorEnvOptions, type AsyncVectorEnvOptions } from "./async-vector-env-options";
import { type AutoresetMode, type BatchObsOf, type VectorEnv, type VectorResetArgs, type VectorResetResult, type VectorStepResult } from "./types";
import { AsyncResults, type AsyncBatch } from "./worker-results";
import { liveWorkerCount } from "./worker-handle";
import { WorkerPool } from "./worker-pool";
import { allOpenPools, openPoolOwners, trackPool } from "./worker-pool-registry";
import { Command } from "./worker-protocol";

export type { AsyncBatch } from "./worker-results";
export type { AsyncVectorEnvOptions } from "./async-vector-env-options";
export { SubEnvError, WorkerDiedError } from "./worker-errors";

/**
 * `numEnvs` sub-envs stepped in parallel by worker threads (Gymnasium's `AsyncVectorEnv`, SB3's
 * `SubprocVecEnv`, EnvPool), with the same `reset`/`step` as `SyncVectorEnv`, so one training loop
 * serves both. Worth it when a step is expensive (pixels, Atari-like games). For CartPole a step
 * costs less than handing it to another thread and SyncVectorEnv stays faster, as in Gymnasium
 * (ANCHORS.md). On a 2-core machine `{ numWorkers: 1, useMainThread: true }` is fastest: both
 * threads work and neither has to be woken (see `useMainThread` for its trade-off).
 *
 * How: each worker builds a contiguous group of sub-envs from `spec` and runs them through the same
 * AutoresetSlot as SyncVectorEnv, so the same seed gives bit-identical trajectories. Observations,
 * rewards, flags and actions live in SharedArrayBuffers written in place; `reset`/`step` block on
 * Atomics until every sub-env is done (no per-step message, no copy between threads). Only non-empty
 * infos, errors and `call` results travel as messages.
 *
 * EnvPool's asynchronous mode (`batchSize < numEnvs`): `asyncReset()`, then loop `recv()` → act →
 * `send(actions)`. `recv` returns whichever `batchSize` sub-envs finished first, with their `envIds`.
 * It blocks, as EnvPool's does: the loop stays synchronous, like the lock-step one (a Promise per
 * batch would cost more than a CartPole step and buy nothing: there is nothing to do until
 * observations arrive), and the workers keep stepping the other sub-envs meanwhile.
 *
 * Faults: a sub-env that throws surfaces as a {@link SubEnvError} (`Sub-env 3 ("StepCounter-v0")
 * threw in step(): …`) once the other sub-envs finished the call (their step happened; its results
 * are dropped). The sub-env is replaced by a freshly built, unseeded one: its next step ignores the
 * action and returns the fresh env's first observation with reward 0, both flags false, and
 * `infos.perEnv[i].restartedAfterError` holding the message. In asynchronous mode it is stepped again
 * at once and comes back that way from a later `recv()`, and the sub-envs that had finished come
 * back from the next `recv()`. A worker that dies (process.exit in env code, an uncaught async error,
 * `terminate()`) or a call that outlasts `stepTimeoutMs` throws a {@link WorkerDiedError} naming the
 * worker and its sub-envs; the vector env is then closed.
 *
 * Lifetime: always `close()` (idempotent, synchronous; `await closeAsync()` also waits for the
 * threads to exit). Workers never keep the process alive, a vector env garbage-collected without
 * close() has its workers ended, and `AsyncVectorEnv.closeAll()` ends every open one (put it at the
 * top of a notebook cell that creates one).
 *
 * @example
 * const envs = new AsyncVectorEnv({ spec: { id: "CartPole-v1" }, numEnvs: 8, numWorkers: 2 });
 * envs.reset({ seed: 0 }).obs.length;                //=> 32   (8 × 4; the rows SyncVectorEnv gives for seed 0)
 * envs.step(new Int32Array(8).fill(1)).rewards;      //=> Float64Array(8) [1, 1, 1, 1, 1, 1, 1, 1]
 * envs.close();
 * // EnvPool style: the 4 sub-envs that finish first, with their ids
 * const pool = new AsyncVectorEnv({ spec: { id: "CartPole-v1" }, numEnvs: 8, batchSize: 4, seed: 0 });
 * pool.asyncReset();
 * let batch = pool.recv();                           // batch.envIds: Int32Array(4), e.g. [0, 1, 4, 5]
 * pool.send(new Int32Array(4).fill(0));              // actions for batch.envIds, in that order
 * batch = pool.recv();
 * pool.close();
 */
export class AsyncVectorEnv<Obs = unknown, Action = unknown> implements VectorEnv<Obs, Action, BatchObsOf<Obs>> {
  readonly numEnvs: number;
  /** Worker threads hosting the sub-envs. */
  readonly numWorkers: number;
  /** Whether the main thread steps a group of sub-envs too. */
  readonly useMainThread: boolean;
  /** How many sub-envs `recv()` returns. */
  readonly batchSize: number;
  readonly singleObservationSpace: Space<Obs>;
  readonly singleActionSpace: Space<Action>;
  readonly autoreset: AutoresetMode;
  /** The sub-env spec, with a relative module path made absolute. */
  readonly spec: SubEnvSpec;
  /** Shape of an observation batch: `[numEnvs, ...singleObservationSpace.shape]`. */
  readonly obsShape: readonly number[];
  /** Whether each call returns fresh arrays (see {@link AsyncVectorEnvOptions.copy}). */
  readonly copy: boolean;
  /** See {@link AsyncVectorEnvOptions.stepTimeoutMs}. */
  readonly stepTimeoutMs: number;
  private readonly pool: WorkerPool;
  private readonly results: AsyncResults<Obs>;
  private readonly actionLayout: BatchLayout<Action>;
  private readonly discreteActions: boolean;
  /** The env ids the last recv() returned, waiting for send(). */
  private lastReceived: Int32Array | null = null;
  private pendingSeed: number | undefined;
  private hasReset = false;

  /**
   * @param options `spec` and `numEnvs` (required), `autoreset`, `numWorkers`, `useMainThread`,
   *   `batchSize`, `copy`, `seed`, `stepTimeoutMs`; see {@link AsyncVectorEnvOptions}.
   * @throws for invalid options, and whatever building the sub-env throws (it is built once on this
   *   thread first, to read its spaces and fail early).
   */
  constructor(options: AsyncVectorEnvOptions) {
    const settings = resolveAsyncVectorEnvOptions(options);
    const { spec, numEnvs, numWorkers, useMainThread, batchSize, autoreset, copy, seed, stepTimeoutMs } = settings;
    this.numEnvs = numEnvs;
    this.numWorkers = numWorkers;
    this.useMainThread = useMainThread;
    this.batchSize = batchSize;
    this.autoreset = autoreset;
    this.copy = copy;
    this.stepTimeoutMs = stepTimeoutMs;
    this.pendingSeed = seed;
    this.spec = resolveSubEnvSpec(spec);
    // Built here once, like Gymnasium's AsyncVectorEnv does, for the spaces (workers cannot send
    // Space objects) and so a bad id or option fails here rather than inside a worker.
    const probe = buildSubEnv(this.spec);
    this.singleObservationSpace = probe.observationSpace as Space<Obs>;
    this.singleActionSpace = probe.actionSpace as Space<Action>;
    probe.close();
    const obsLayout = batchLayout(this.singleObservationSpace);
    this.actionLayout = batchLayout(this.singleActionSpace);
    this.discreteActions = this.singleActionSpace instanceof Discrete;
    this.obsShape = Object.freeze([numEnvs, ...obsLayout.shape]);
    const { workerSpinMicros, mainSpinMicros } = settings;
    const spaces = { observationSpace: String(this.singleObservationSpace), actionSpace: String(this.singleActionSpace) };
    const layouts = { obsLayout: obsLayout as BatchLayout<unknown>, actionLayout: this.actionLayout as BatchLayout<unknown> };
    this.pool = new WorkerPool({ spec: this.spec, autoreset, numEnvs, numWorkers, useMainThread, stepTimeoutMs, workerSpinMicros, mainSpinMicros, ...spaces, ...layouts });
    this.results = new AsyncResults<Obs>({ pool: this.pool, obsLayout, copy, batchSize });
    trackPool(this, this.pool, "AsyncVectorEnv.closeAll()");
  }

  /**
   * Resets every sub-env and waits for them. With a seed (or the constructor's `seed`, on the first
   * reset), sub-env i is seeded with `seed + i`; without one, each continues its own RNG stream.
   * Sub-envs still stepping after `send()` are waited for and their results dropped.
   */
  reset(args: VectorResetArgs = {}): VectorResetResult<Obs, BatchObsOf<Obs>> {
    this.startReset(args, "reset");
    const { obs, infos } = this.results.collectAll("reset()", Command.reset);
    return { obs: obs as BatchObsOf<Obs>, infos };
  }

  /**
   * Steps every sub-env with its action (`actions[i]` for sub-env i; Box actions back to back) and
   * waits for all of them. In next-step mode a sub-env whose episode ended ignores its action and
   * returns its reset observation, reward 0, flags 0.
   *
   * @throws RangeError for a wrong number of actions or an invalid Discrete action (before any
   *   sub-env moves), SubEnvError when a sub-env threw, WorkerDiedError when a worker died.
   */
  step(actions: ArrayLike<number>): VectorStepResult<Obs, BatchObsOf<Obs>> {
    this.assertReady("step");
    if (this.results.inFlightCount > 0) {
      throw new Error(`Expected no sub-env still stepping for step(), got ${this.results.inFlightCount} sent with send(); recv() them first, or reset()`);
    }
    this.writeActions(actions, null);
    this.lastReceived = null;
    const result = this.results.collectAll("step()", Command.step);
    return result as VectorStepResult<Obs, BatchObsOf<Obs>>;
  }

  /**
   * EnvPool's `async_reset`: starts resetting every sub-env (seeded as in `reset`) without waiting;
   * the first observations come from `recv()`, `batchSize` at a time (reward 0, flags false).
   */
  asyncReset(args: VectorResetArgs = {}): void {
    this.startReset(args, "asyncReset", false);
  }

  /**
   * EnvPool's `send`: starts stepping the sub-envs `envIds` (default: those the last `recv()`
   * returned) with `actions[j]` for `envIds[j]`, without waiting.
   *
   * @throws RangeError for an unknown, repeated or still-stepping env id, or a wrong number of actions.
   */
  send(actions: ArrayLike<number>, envIds?: ArrayLike<number>): void {
    this.assertReady("send");
    const ids = envIds ?? this.lastReceived;
    if (ids === null) throw new Error("Expected env ids to send actions to, got none: call recv() first (send() defaults to the ids it returned), or pass envIds");
    this.results.assertIdle(ids);
    this.writeActions(actions, ids);
    this.lastReceived = null;
    this.results.start(ids, Command.step);
  }

  /**
   * EnvPool's `recv`: blocks until `batchSize` sub-envs have finished what `send`/`asyncReset`
   * started, and returns them in the order they finished, with `envIds[j]` the sub-env of row j.
   * `infos.perEnv[j]` (and `finalObs[j]`, `finalInfo[j]`) belong to `envIds[j]` too.
   *
   * @throws Error when fewer than `batchSize` sub-envs are stepping; SubEnvError and
   *   WorkerDiedError as `step` does.
   */
  recv(): AsyncBatch<Obs, BatchObsOf<Obs>> {
    this.assertReady("recv");
    const batch = this.results.receive("recv()");
    this.lastReceived = batch.envIds;
    return batch as AsyncBatch<Obs, BatchObsOf<Obs>>;
  }

  /**
   * Calls method `name` with `args` on every sub-env, or reads property `name` (Gymnasium's
   * `VectorEnv.call`), looking through the wrapper stack. Arguments and results are copied between
   * threads, so they must be plain data (no functions).
   *
   * @returns one result per sub-env.
   * @example
   * envs.call<number>("elapsedSteps");   //=> [2, 2, 2, 2]   (each sub-env's TimeLimit counter)
   */
  call<T = unknown>(name: string, ...args: unknown[]): T[] {
    this.assertOpen("call");
    return this.results.call(Array.from({ length: this.numEnvs }, (_, i) => i), { name, args }) as T[];
  }

  /**
   * Draws sub-env `index` (default 0), rendered in its worker: notebooks animate one sub-env.
   *
   * @throws RangeError for an index outside 0..numEnvs−1.
   */
  render(index = 0): RgbFrame {
    this.assertOpen("render");
    if (!Number.isInteger(index) || index < 0 || index >= this.numEnvs) throw new RangeError(`Expected a sub-env index 0 ≤ i < ${this.numEnvs}, got ${String(index)}`);
    return this.results.call([index], { name: "render", args: [] })[0] as RgbFrame;
  }

  /**
   * Ends every worker: asks them to close their sub-envs, waits up to a second, then terminates
   * them. Synchronous and idempotent; any other call afterwards throws.
   */
  close(): void {
    this.pool.close();
  }

  /** close(), then resolves when every worker thread has exited. */
  async closeAsync(): Promise<void> {
    this.close();
    await this.pool.whenExited();
  }

  /** Whether the vector env was closed (by close(), closeAll(), or a dead worker). */
  get isClosed(): boolean {
    return this.pool.isClosed;
  }

  /** The worker threads, for diagnostics (`threadId`); terminating one is noticed by the next call. */
  get workers(): readonly Worker[] {
    return this.pool.handles.map((handle) => handle.worker);
  }

  /** `AsyncVectorEnv(CartPole-v1, numEnvs=8, numWorkers=2, next-step)` */
  toString(): string {
    const batch = this.batchSize === this.numEnvs ? "" : `, batchSize=${this.batchSize}`;
    const main = this.useMainThread ? " + main thread" : "";
    return `AsyncVectorEnv(${this.spec.id}, numEnvs=${this.numEnvs}, numWorkers=${this.numWorkers}${main}${batch}, ${this.autoreset})`;
  }

  /** The AsyncVectorEnvs that are open (not closed, not garbage-collected). */
  static openPools(): AsyncVectorEnv[] {
    return openPoolOwners().filter((owner): owner is AsyncVectorEnv => owner instanceof AsyncVectorEnv && !owner.isClosed);
  }

  /**
   * Closes every open AsyncVectorEnv of this process (e.g. at the top of a notebook cell that
   * creates one, so re-running the cell does not pile up worker threads).
   *
   * @returns how many were closed.
   */
  static closeAll(): number {
    const pools = allOpenPools();
    for (const pool of pools) pool.close();
    return pools.length;
  }

  /** How many worker threads of AsyncVectorEnvs are running in this process. */
  static liveWorkers(): number {
    return liveWorkerCount();
  }

  private startReset(args: VectorResetArgs, method: string, wait = true): void {
    this.assertOpen(method);
    assertKnownOptions(args, ["seed", "options"], `AsyncVectorEnv.${method}() (it takes { seed?, options? })`);
    const seed = args.seed ?? this.pendingSeed;
    if (seed !== undefined) {
      assertSeed(seed);
      assertSeed(seed + this.numEnvs - 1);
    }
    // Cloned first: a value that cannot cross threads fails here, before any sub-env is touched.
    const options = args.options === undefined ? undefined : structuredClone(args.options);
    this.pendingSeed = undefined;
    this.results.discardInFlight(`${method}()`);
    this.lastReceived = null;
    const seeds = this.pool.memory.seeds;
    for (let i = 0; i < this.numEnvs; i++) seeds[i] = seed === undefined ? Number.NaN : seed + i;
    if (options !== undefined) this.pool.postResetOptions(options);
    this.hasReset = true;
    if (!wait) this.results.start(null, Command.reset);
  }

  /** Validates every action before any sub-env moves, then writes them into the shared rows. */
  private writeActions(actions: ArrayLike<number>, envIds: ArrayLike<number> | null): void {
    const count = envIds === null ? this.numEnvs : envIds.length;
    const size = this.actionLayout.size;
    if (actions === null || typeof actions !== "object" || actions.length !== count * size) {
      const got = actions !== null && typeof actions === "object" && "length" in actions ? String(actions.length) : String(actions);
      const each = size === 1 ? "" : ` of ${size} numbers each`;
      throw new RangeError(`Expected ${count} actions (one per ${envIds === null ? "sub-env" : "env id"})${each}, got ${got}`);
    }
    if (this.discreteActions) for (let j = 0; j < count; j++) this.actionLayout.read(actions, j);
    const shared = this.pool.memory.actions;
    if (envIds === null) {
      shared.set(actions);
      return;
    }
    for (let j = 0; j < count; j++) {
      const env = envIds[j]!;
      for (let e = 0; e < size; e++) shared[env * size + e] = actions[j * size + e]!;
    }
  }

  private assertReady(method: string): void {
    this.assertOpen(method);
    if (!this.hasReset) throw new Error(`Expected reset() or asyncReset() before ${method}(), got ${method}() on an AsyncVectorEnv that was never reset`);
  }

  private assertOpen(method: string): void {
    if (!this.pool.isClosed) return;
    const because = this.pool.closedBecause === undefined ? "after close()" : `after it was closed: ${this.pool.closedBecause}`;
    throw new Error(`Expected an open vector env, got ${method}() ${because}`);
  }
}
