import type { Info } from "../core/env";
import type { BatchLayout } from "./batch-layout";
import type { ObsArray, VectorInfos, VectorStepResult } from "./types";
import { SubEnvError } from "./worker-errors";
import type { WorkerPool } from "./worker-pool";
import { Command, type WorkerToMain } from "./worker-protocol";

/**
 * What `AsyncVectorEnv.recv()` returns (EnvPool's `recv`): `batchSize` sub-envs in the order they
 * finished; row j of every array, and `infos.perEnv[j]`, belong to sub-env `envIds[j]`.
 */
export interface AsyncBatch<Obs, BatchObs extends ObsArray = ObsArray> extends VectorStepResult<Obs, BatchObs> {
  /** The sub-env of each row; `send(actions)` answers these, in this order. */
  readonly envIds: Int32Array;
}

type ErrorMessage = WorkerToMain & { kind: "error" };

/**
 * The main thread's bookkeeping of an AsyncVectorEnv's sub-envs: which are stepping, the messages
 * that arrived for them, and turning finished rows of shared memory into the batches reset, step
 * and recv return. A sub-env is "in flight" from the command that starts it until its result is
 * returned to the caller.
 */
export class AsyncResults<Obs> {
  /** Sub-envs in flight. */
  inFlightCount = 0;
  private readonly pool: WorkerPool;
  private readonly obsLayout: BatchLayout<Obs>;
  private readonly copy: boolean;
  private readonly batchSize: number;
  private readonly numEnvs: number;
  private readonly inFlight: Uint8Array;
  /** Finished and taken from the ring, not yet returned (after a recv() that threw). */
  private ready: number[] = [];
  private readonly infos: (Info | undefined)[];
  private readonly finalInfos: (Info | undefined)[];
  private readonly errors: (ErrorMessage | undefined)[];
  private readonly callResults: unknown[];
  /** Reused arrays when `copy` is false. */
  private readonly perEnv: Info[];
  private readonly gathered: { obs: ObsArray; rewards: Float64Array; terminated: Uint8Array; truncated: Uint8Array; envIds: Int32Array; perEnv: Info[] };
  /** Shared by every batch where no episode ended (always, in next-step mode). */
  private readonly noFinals: { readonly all: readonly null[]; readonly batch: readonly null[] };
  private readonly onMessage = (message: WorkerToMain): void => {
    if (message.kind === "info") {
      this.infos[message.env] = message.info;
      this.finalInfos[message.env] = message.finalInfo;
    } else if (message.kind === "error") this.errors[message.env] = message;
    else if (message.kind === "call-result") this.callResults[message.env] = message.value;
  };

  constructor(options: { pool: WorkerPool; obsLayout: BatchLayout<Obs>; copy: boolean; batchSize: number }) {
    ({ pool: this.pool, obsLayout: this.obsLayout, copy: this.copy, batchSize: this.batchSize } = options);
    const n = (this.numEnvs = this.pool.options.numEnvs);
    this.inFlight = new Uint8Array(n);
    this.infos = new Array<Info | undefined>(n).fill(undefined);
    this.finalInfos = new Array<Info | undefined>(n).fill(undefined);
    this.errors = new Array<ErrorMessage | undefined>(n).fill(undefined);
    this.callResults = new Array<unknown>(n).fill(undefined);
    this.perEnv = new Array<Info>(n);
    const b = this.batchSize;
    this.gathered = { obs: this.obsLayout.create(b), rewards: new Float64Array(b), terminated: new Uint8Array(b), truncated: new Uint8Array(b), envIds: new Int32Array(b), perEnv: new Array<Info>(b) };
    this.noFinals = { all: Object.freeze(new Array<null>(n).fill(null)), batch: Object.freeze(new Array<null>(b).fill(null)) };
  }

  /** Sets `command` for `envIds` (null: every sub-env), marks them in flight and wakes their workers. */
  start(envIds: ArrayLike<number> | null, command: number): void {
    const pool = this.pool;
    pool.beginBatch();
    if (envIds === null) {
      for (let env = 0; env < this.numEnvs; env++) pool.command(env, command);
      this.inFlight.fill(1);
      this.inFlightCount = this.numEnvs;
      for (const handle of pool.handles) handle.wake();
      return;
    }
    for (let j = 0; j < envIds.length; j++) {
      pool.command(envIds[j]!, command);
      this.inFlight[envIds[j]!] = 1;
    }
    this.inFlightCount += envIds.length;
    pool.wakeFor(envIds);
  }

  /** Throws unless `envIds` are distinct, valid sub-env ids that are not stepping. */
  assertIdle(envIds: ArrayLike<number>): void {
    const seen = new Uint8Array(this.numEnvs);
    for (let j = 0; j < envIds.length; j++) {
      const env = envIds[j]!;
      if (!Number.isInteger(env) || env < 0 || env >= this.numEnvs) throw new RangeError(`Expected env ids 0 ≤ id < ${this.numEnvs}, got ${String(env)}`);
      if (seen[env] === 1) throw new RangeError(`Expected distinct env ids, got ${env} twice`);
      if (this.inFlight[env] === 1) throw new RangeError(`Expected env ids waiting for an action (returned by recv()), got ${env}, which is still stepping`);
      seen[env] = 1;
    }
  }

  /** Runs `command` on every sub-env and waits: the lock-step reset() and step(). */
  collectAll(what: string, command: number): VectorStepResult<Obs, ObsArray> {
    const n = this.numEnvs;
    this.start(null, command);
    this.finishAll(what);
    const memory = this.pool.memory;
    const perEnv = this.copy ? new Array<Info>(n) : this.perEnv;
    for (let env = 0; env < n; env++) perEnv[env] = this.takeInfo(env);
    const copy = this.copy;
    return {
      obs: copy ? memory.obs.slice() : memory.obs,
      rewards: copy ? memory.rewards.slice() : memory.rewards,
      terminated: copy ? memory.terminated.slice() : memory.terminated,
      truncated: copy ? memory.truncated.slice() : memory.truncated,
      infos: this.finals(perEnv, null),
    };
  }

  /** EnvPool's recv: the first `batchSize` sub-envs to finish, in that order. */
  receive(what: string): VectorStepResult<Obs, ObsArray> & { envIds: Int32Array } {
    const b = this.batchSize;
    if (this.inFlightCount < b) {
      throw new Error(`Expected at least batchSize = ${b} sub-envs stepping for ${what}, got ${this.inFlightCount}: send() actions for the env ids recv() returned, or asyncReset()`);
    }
    const fromRing = b - Math.min(b, this.ready.length);
    if (fromRing > 0) this.pool.waitFor(fromRing, what);
    const envIds = this.copy ? new Int32Array(b) : this.gathered.envIds;
    for (let j = 0; j < b; j++) envIds[j] = this.ready.length > 0 ? this.ready.shift()! : this.pool.take();
    this.pool.read(this.onMessage);
    this.throwOnErrorInBatch(envIds);
    const memory = this.pool.memory;
    const size = this.obsLayout.size;
    const out = this.copy
      ? { obs: this.obsLayout.create(b), rewards: new Float64Array(b), terminated: new Uint8Array(b), truncated: new Uint8Array(b), perEnv: new Array<Info>(b) }
      : this.gathered;
    for (let j = 0; j < b; j++) {
      const env = envIds[j]!;
      out.obs.set(memory.obs.subarray(env * size, (env + 1) * size), j * size);
      out.rewards[j] = memory.rewards[env]!;
      out.terminated[j] = memory.terminated[env]!;
      out.truncated[j] = memory.truncated[env]!;
      out.perEnv[j] = this.takeInfo(env);
      this.inFlight[env] = 0;
    }
    this.inFlightCount -= b;
    return { obs: out.obs, rewards: out.rewards, terminated: out.terminated, truncated: out.truncated, infos: this.finals(out.perEnv, envIds), envIds };
  }

  /** Waits for every sub-env in flight and drops its result (reset() after send()). */
  discardInFlight(what: string): void {
    if (this.inFlightCount === 0) return;
    this.finishAll(what, false);
  }

  /** Runs `call` on `envs` and waits; returns their results in order. */
  call(envs: readonly number[], request: { name: string; args: readonly unknown[] }): unknown[] {
    if (this.inFlightCount > 0) throw new Error(`Expected no sub-env stepping for call(), got ${this.inFlightCount} sent with send(); recv() them first`);
    const args = structuredClone(request.args); // fails here, before any worker got a message
    for (const env of envs) this.pool.post(env, { kind: "call", env, name: request.name, args });
    this.start(envs, Command.call);
    this.finishAll(`call(${JSON.stringify(request.name)})`);
    return envs.map((env) => {
      const value = this.callResults[env];
      this.callResults[env] = undefined;
      return value;
    });
  }

  /** Waits for everything in flight; then throws the lowest sub-env's error, if any (and `report`). */
  private finishAll(what: string, report = true): void {
    const outstanding = this.inFlightCount - this.ready.length;
    if (outstanding > 0) this.pool.waitFor(outstanding, what);
    for (let k = 0; k < outstanding; k++) this.pool.take();
    this.ready = [];
    this.inFlight.fill(0);
    this.inFlightCount = 0;
    this.pool.read(this.onMessage);
    const failed = this.errors.findIndex((error) => error !== undefined);
    if (failed < 0 && report) return;
    const error = this.errors[failed];
    this.errors.fill(undefined);
    this.infos.fill(undefined);
    this.finalInfos.fill(undefined);
    if (report && error !== undefined) throw this.subEnvError(error);
  }

  /**
   * recv() got sub-envs that threw: keep the others for the next recv(), step the failed ones again
   * at once (their fresh env's first observation comes back from a later recv()), and throw.
   */
  private throwOnErrorInBatch(envIds: Int32Array): void {
    let first: ErrorMessage | undefined;
    const good: number[] = [];
    const failed: number[] = [];
    this.pool.beginBatch(); // the failed ones are sent again, as the youngest batch
    for (const env of envIds) {
      const error = this.errors[env];
      if (error === undefined) {
        good.push(env);
        continue;
      }
      first ??= error;
      failed.push(env);
      this.errors[env] = this.infos[env] = this.finalInfos[env] = undefined;
      this.pool.command(env, Command.step);
    }
    if (first === undefined) return;
    this.ready = [...good, ...this.ready];
    this.pool.wakeFor(failed);
    throw this.subEnvError(first);
  }

  private subEnvError(error: ErrorMessage): SubEnvError {
    return new SubEnvError({ envIndex: error.env, envId: this.pool.envId, method: error.method, ...(error.name === undefined ? {} : { name: error.name }), message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) });
  }

  private takeInfo(env: number): Info {
    const info = this.infos[env];
    this.infos[env] = undefined;
    return info ?? {};
  }

  /** The infos of a batch: per-env infos, plus final observations and infos where episodes ended (same-step). */
  private finals(perEnv: Info[], envIds: Int32Array | null): VectorInfos<Obs> {
    const memory = this.pool.memory;
    const count = envIds === null ? this.numEnvs : envIds.length;
    let finalObs: (Obs | null)[] | null = null;
    let finalInfo: (Info | null)[] | null = null;
    for (let j = 0; j < count; j++) {
      const env = envIds === null ? j : envIds[j]!;
      if (memory.hasFinal[env] !== 1) continue;
      finalObs ??= new Array<Obs | null>(count).fill(null);
      finalInfo ??= new Array<Info | null>(count).fill(null);
      finalObs[j] = this.obsLayout.read(memory.finalObs, env);
      finalInfo[j] = this.finalInfos[env] ?? {};
      this.finalInfos[env] = undefined;
    }
    const none = envIds === null ? this.noFinals.all : this.noFinals.batch;
    return { perEnv, finalObs: finalObs ?? none, finalInfo: finalInfo ?? none };
  }
}
