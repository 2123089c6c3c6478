import { parseEnvId, type SubEnvSpec } from "./sub-env-spec";
import type { BatchLayout } from "./batch-layout";
import type { AutoresetMode } from "./types";
import { WorkerDiedError } from "./worker-errors";
import { WorkerHandle } from "./worker-handle";
import { LocalGroup } from "./worker-local-group";
import { AdaptiveSpin } from "./worker-spin";
import { untrackPool } from "./worker-pool-registry";
import { Command, ControlLayout, type MainToWorker, type WorkerToMain } from "./worker-protocol";
import { allocateSharedMemory, viewSharedMemory, type SharedMemoryViews } from "./worker-shared-memory";

/** How long the main thread sleeps in one Atomics.wait before it checks for dead workers and timeouts. */
const WAIT_SLICE_MS = 50;
/** How long close() waits for the workers to close their sub-envs before it terminates them. */
const CLOSE_GRACE_MS = 1000;

/** What a {@link WorkerPool} needs: the sub-env spec, the layouts and how to split the sub-envs. */
export interface WorkerPoolOptions {
  readonly spec: SubEnvSpec;
  readonly autoreset: AutoresetMode;
  readonly numEnvs: number;
  readonly numWorkers: number;
  readonly obsLayout: BatchLayout<unknown>;
  readonly actionLayout: BatchLayout<unknown>;
  /** The spaces as printed, for the workers' consistency check. */
  readonly observationSpace: string;
  readonly actionSpace: string;
  /** Give up on a wait after this long (Infinity: never). */
  readonly stepTimeoutMs: number;
  /** The main thread steps the first group of sub-envs itself (see LocalGroup). */
  readonly useMainThread: boolean;
  /** How long an idle worker spins for its next command before it sleeps (0: sleeps at once). */
  readonly workerSpinMicros: number;
  /** How long the main thread spins for the workers before it sleeps (0: sleeps at once). */
  readonly mainSpinMicros: number;
}

/**
 * The worker threads of one AsyncVectorEnv and the shared memory they work in: posting commands,
 * waiting for completions (without ever blocking for good), reading the workers' messages, and
 * ending the workers. It holds no reference to the AsyncVectorEnv, so a FinalizationRegistry can
 * end the workers of a vector env that was garbage-collected without close().
 *
 * Synchronisation: the main thread sets a sub-env's command word, then bumps its worker's wake word
 * and notifies it; the worker runs the command, sets the word back to idle, appends the sub-env's
 * id to the completion ring and bumps the shared tail, notifying when the tail reaches the count
 * the main thread waits for. Every wait is sliced so dead workers and timeouts are noticed. With
 * `useMainThread` the main thread steps its own group (a LocalGroup, same ring) before it waits.
 */
export class WorkerPool {
  readonly memory: SharedMemoryViews;
  readonly handles: readonly WorkerHandle[];
  /** The group the main thread steps itself, with `useMainThread`. */
  readonly local: LocalGroup | null = null;
  /** Worker index of each sub-env (−1: the main thread's group). */
  readonly workerOf: Int32Array;
  /** The env id the sub-envs are made from (without a `module:` prefix), for messages. */
  readonly envId: string;
  /** Why the pool was closed when it was closed by a failure (later calls repeat it). */
  closedBecause: string | undefined;
  private closed = false;
  /** Completions taken from the ring so far (compared with the shared tail; both wrap as int32). */
  private head = 0;
  /** Which batch of commands each sub-env's current one came with (see serveLocal). */
  private readonly sentWith: Float64Array;
  private batches = 0;
  private readonly spin: AdaptiveSpin;

  constructor(readonly options: WorkerPoolOptions) {
    const { numEnvs, numWorkers } = options;
    this.envId = parseEnvId(options.spec.id).envId;
    const buffers = allocateSharedMemory(options);
    this.memory = viewSharedMemory(buffers, options);
    this.memory.seeds.fill(Number.NaN);
    this.workerOf = new Int32Array(numEnvs).fill(-1);
    this.sentWith = new Float64Array(numEnvs);
    this.spin = new AdaptiveSpin(options.mainSpinMicros);
    const { spec, autoreset, observationSpace, actionSpace, workerSpinMicros: spinMicros, useMainThread } = options;
    const group = { spec, autoreset, numWorkers, numEnvs, memory: buffers, observationSpace, actionSpace };
    // Contiguous groups whose sizes differ by at most one; the first ones get the extra sub-envs
    // (the main thread's group first: it starts at once, while each worker first has to wake up).
    const groups = numWorkers + (useMainThread ? 1 : 0);
    const sizes = Array.from({ length: groups }, (_, g) => Math.floor(numEnvs / groups) + (g < numEnvs % groups ? 1 : 0));
    if (useMainThread) this.local = new LocalGroup({ ...group, firstEnv: 0, envCount: sizes[0]! });
    const handles: WorkerHandle[] = [];
    try {
      for (let workerIndex = 0, firstEnv = useMainThread ? sizes[0]! : 0; workerIndex < numWorkers; workerIndex++) {
        const envCount = sizes[workerIndex + (useMainThread ? 1 : 0)]!;
        this.workerOf.fill(workerIndex, firstEnv, firstEnv + envCount);
        handles.push(new WorkerHandle({ ...group, workerIndex, firstEnv, envCount, spinMicros }, this.memory.control));
        firstEnv += envCount;
      }
    } catch (error) {
      for (const handle of handles) void handle.terminate();
      this.local?.close();
      throw error;
    }
    this.handles = handles;
  }

  /** Whether close() (or a failure) ended the workers. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts a batch of commands: they count as sent together (see serveLocal). */
  beginBatch(): void {
    this.batches++;
  }

  /** Sets sub-env `env`'s command word (the caller wakes the workers afterwards). */
  command(env: number, command: number): void {
    this.sentWith[env] = this.batches;
    Atomics.store(this.memory.control, this.memory.layout.command(env), command);
  }

  /** Wakes every worker that owns one of `envs` (each once). */
  wakeFor(envs: ArrayLike<number>): void {
    if (envs.length === this.options.numEnvs) {
      for (const handle of this.handles) handle.wake();
      return;
    }
    const woken = new Uint8Array(this.handles.length);
    for (let j = 0; j < envs.length; j++) {
      const worker = this.workerOf[envs[j]!]!;
      if (worker >= 0) woken[worker] = 1;
    }
    for (let w = 0; w < woken.length; w++) if (woken[w] === 1) this.handles[w]!.wake();
  }

  /** Sends `message` to the group of sub-env `env`. */
  post(env: number, message: MainToWorker): void {
    const worker = this.workerOf[env]!;
    if (worker < 0) this.local!.post(message);
    else this.handles[worker]!.post(message);
  }

  /** Sends every group the options of the reset about to start. */
  postResetOptions(options: Readonly<Record<string, unknown>>): void {
    const groups = [...this.handles, ...(this.local === null ? [] : [this.local])];
    for (const group of groups) {
      const envs = Array.from({ length: group.envCount }, (_, k) => group.firstEnv + k);
      group.post({ kind: "reset-options", envs, options });
    }
  }

  /**
   * Blocks until at least `count` completions are in the ring; while the workers have not
   * finished enough, the main thread steps its own group's sub-envs (useMainThread, see
   * serveLocal). Waits in slices, checking after each for dead workers and for `stepTimeoutMs`
   * (time spent stepping the main thread's group does not count).
   *
   * @param what the operation, for error messages (`"step()"`).
   * @throws WorkerDiedError (and closes the pool) when a worker died or the timeout passed.
   */
  waitFor(count: number, what: string): void {
    const control = this.memory.control;
    const target = (this.head + count) | 0;
    let started = performance.now();
    // With a core to spare (see mainSpinMicros), spin first: a cheap batch is often done before a
    // sleeping thread would even have been woken (AdaptiveSpin stops when that does not pay).
    let spun = false;
    for (;;) {
      let localWaiting = false;
      if (this.local !== null && ((Atomics.load(control, ControlLayout.TAIL) - target) | 0) < 0) {
        const before = performance.now();
        localWaiting = this.serveLocal(what);
        started += performance.now() - before;
      }
      const tail = Atomics.load(control, ControlLayout.TAIL);
      if (((tail - target) | 0) >= 0) return;
      // Wake at the target; or at the next completion while main-thread sub-envs wait for it.
      Atomics.store(control, ControlLayout.WANT, localWaiting ? (tail + 1) | 0 : target);
      if (Atomics.load(control, ControlLayout.TAIL) !== tail) continue;
      if (Atomics.load(control, ControlLayout.ANY_DEAD) !== 0) this.failOnDeath(what);
      const now = performance.now();
      if (now - started > this.options.stepTimeoutMs) this.failOnTimeout(what, now - started);
      if (!spun) {
        spun = true;
        if (this.spin.until(() => Atomics.load(control, ControlLayout.TAIL) !== tail)) continue;
      }
      Atomics.wait(control, ControlLayout.TAIL, tail, Math.min(WAIT_SLICE_MS, Math.max(1, this.options.stepTimeoutMs - (now - started))));
    }
  }

  /** Takes the next finished sub-env from the ring (call after waitFor). */
  take(): number {
    const control = this.memory.control;
    const slot = this.memory.layout.ring(this.head);
    // The worker claims a slot (bumps the tail) just before writing it: wait out that instant
    // (unless the worker died in it).
    let value = Atomics.load(control, slot);
    for (let spins = 1; value === 0; spins++) {
      if ((spins & 1023) === 0 && Atomics.load(control, ControlLayout.ANY_DEAD) !== 0) this.failOnDeath("a step");
      value = Atomics.load(control, slot);
    }
    Atomics.store(control, slot, 0);
    this.head = (this.head + 1) | 0;
    return value - 1;
  }

  /** Hands every message the workers posted to `handle`. */
  read(handle: (message: WorkerToMain) => void): void {
    for (const worker of this.handles) worker.read(handle);
    this.local?.read(handle);
  }

  /** Whether sub-env `env` has a command its worker has not finished. */
  busy(env: number): boolean {
    return Atomics.load(this.memory.control, this.memory.layout.command(env)) !== Command.idle;
  }

  /**
   * Asks the workers to stop (they close their sub-envs), waits up to a second for them, then
   * terminates them. Idempotent.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    untrackPool(this);
    const control = this.memory.control;
    Atomics.store(control, ControlLayout.STOP, 1);
    for (const handle of this.handles) handle.wake();
    const deadline = performance.now() + CLOSE_GRACE_MS;
    for (const handle of this.handles) {
      const status = this.memory.layout.status(handle.index);
      while (!handle.stopped && !handle.died && performance.now() < deadline) Atomics.wait(control, status, 0, 10);
    }
    for (const handle of this.handles) void handle.terminate();
    this.local?.close();
  }

  /** Ends the workers at once, without letting them close their sub-envs (finalization, failures). */
  terminateNow(reason: string): void {
    this.closedBecause ??= reason;
    if (this.closed) return;
    this.closed = true;
    untrackPool(this);
    Atomics.store(this.memory.control, ControlLayout.STOP, 1);
    for (const handle of this.handles) void handle.terminate();
    this.local?.close();
  }

  /** Resolves when every worker thread has exited. */
  whenExited(): Promise<void> {
    return Promise.all(this.handles.map((handle) => handle.whenExited())).then(() => undefined);
  }

  /**
   * Steps the main thread's sub-envs whose command is no younger than every worker's pending one,
   * so results come back in the order they were sent (EnvPool's queue) instead of the main thread's
   * first; returns whether some still wait. A throw that escapes (a sub-env that cannot even be
   * rebuilt) leaves its sub-envs unanswered: the pool closes.
   */
  private serveLocal(what: string): boolean {
    const local = this.local!;
    let oldestWorkerBatch = Infinity;
    for (let env = 0; env < this.options.numEnvs; env++) {
      if (this.workerOf[env]! >= 0 && this.sentWith[env]! < oldestWorkerBatch && this.busy(env)) oldestWorkerBatch = this.sentWith[env]!;
    }
    let waiting = false;
    try {
      for (let env = local.firstEnv; env < local.firstEnv + local.envCount; env++) {
        if (this.sentWith[env]! <= oldestWorkerBatch) local.serveEnv(env);
        else waiting ||= this.busy(env);
      }
    } catch (error) {
      const message = `${local.describe()} failed during ${what}: ${(error as Error).message}; the vector env is closed (create a new one)`;
      this.terminateNow(message);
      throw new Error(message, { cause: error });
    }
    return waiting;
  }

  private failOnDeath(what: string): never {
    const died = this.handles.filter((handle) => handle.died);
    const dead = died.length > 0 ? died : this.handles.slice(0, 1);
    const envId = this.envId;
    const first = dead[0]!;
    const message = `${dead.map((handle) => handle.describe(envId)).join(" and ")} died during ${what}: ${dead.map((handle) => handle.deathReason()).join(" / ")}; the vector env is closed (create a new one)`;
    this.terminateNow(message);
    throw new WorkerDiedError(message, { workerIndex: first.index, firstEnv: first.firstEnv, envCount: first.envCount });
  }

  private failOnTimeout(what: string, waited: number): never {
    const stuck = this.handles.filter((handle) => {
      for (let env = handle.firstEnv; env < handle.firstEnv + handle.envCount; env++) if (this.busy(env)) return true;
      return false;
    });
    const culprit = stuck[0] ?? this.handles[0]!;
    const names = stuck.map((handle) => handle.describe(this.envId)).join(" and ") || "no worker";
    const message =
      `Expected ${what} to finish within stepTimeoutMs = ${this.options.stepTimeoutMs} ms, got no answer after ${Math.round(waited)} ms from ${names}; ` +
      `the vector env is closed (a worker stuck in env code cannot be interrupted; raise stepTimeoutMs for slow envs)`;
    this.terminateNow(message);
    throw new WorkerDiedError(message, { workerIndex: culprit.index, firstEnv: culprit.firstEnv, envCount: culprit.envCount });
  }
}
