import { isMainThread, receiveMessageOnPort, workerData } from "node:worker_threads";
import type { AnyEnv, Info } from "../core/env";
import { AutoresetSlot } from "./autoreset";
import { batchLayout, type BatchLayout } from "./batch-layout";
import { buildSubEnv } from "./sub-env-spec";
import { Command, ControlLayout, WorkerStatus, type MainToWorker, type SubEnvMethod, type WorkerInit, type WorkerToMain } from "./worker-protocol";
import { viewSharedMemory, type SharedMemoryViews } from "./worker-shared-memory";

// The entry script of an AsyncVectorEnv worker thread: it builds its group of sub-envs from the
// SubEnvSpec, then serves their commands from shared memory until asked to stop. It runs the same
// AutoresetSlot as SyncVectorEnv, so both produce bit-identical trajectories for the same seed.
// Loaded by path (see worker-handle.ts); importing it on the main thread does nothing.

/** Idle this long in a blocking wait (fast wake-up) before switching to an async wait. */
const BLOCKING_IDLE_MS = 20;
/** While busy, yield to the event loop this often, so timers and async errors of env code run. */
const YIELD_EVERY_MS = 20;

type WaitAsync = (array: Int32Array, index: number, value: number) => { async: boolean; value: Promise<string> | string };
/** ES2024's Atomics.waitAsync (in Node ≥ 16; not yet in TypeScript's ES2022 lib). */
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

class WorkerLoop {
  private readonly memory: SharedMemoryViews;
  private readonly control: Int32Array;
  private readonly layout: ControlLayout;
  private readonly obsLayout: BatchLayout<unknown>;
  private readonly actionLayout: BatchLayout<unknown>;
  private readonly slots: AutoresetSlot<unknown, unknown>[] = [];
  /** Per sub-env: the message of the error that replaced it; its next step resets it instead. */
  private readonly restartAfter: (string | undefined)[];
  private readonly resetOptions: (Readonly<Record<string, unknown>> | undefined)[];
  private readonly calls: (MainToWorker & { kind: "call" })[] = [];
  private toWorkerSeen = 0;

  constructor(private readonly init: WorkerInit) {
    for (let k = 0; k < init.envCount; k++) this.slots.push(new AutoresetSlot(this.buildEnv(), init.autoreset));
    const probe = this.slots[0]!.env;
    this.obsLayout = batchLayout(probe.observationSpace);
    this.actionLayout = batchLayout(probe.actionSpace);
    this.memory = viewSharedMemory(init.memory, { numEnvs: init.numEnvs, numWorkers: init.numWorkers, obsLayout: this.obsLayout, actionLayout: this.actionLayout });
    this.control = this.memory.control;
    this.layout = this.memory.layout;
    this.restartAfter = new Array<string | undefined>(init.envCount).fill(undefined);
    this.resetOptions = new Array<Readonly<Record<string, unknown>> | undefined>(init.envCount).fill(undefined);
  }

  /** Serves commands until the main thread sets the stop word; then closes the sub-envs. */
  async run(): Promise<void> {
    const { control, layout, init } = this;
    const wake = layout.wake(init.workerIndex);
    let lastYield = performance.now();
    // A pending Atomics.waitAsync does not keep a thread's event loop alive: without this timer an
    // idle worker would simply end. (The worker is unref'd: it never keeps the process alive.)
    const keepAlive = setInterval(() => undefined, 2 ** 30);
    for (;;) {
      if (Atomics.load(control, ControlLayout.STOP) !== 0) break;
      if (this.serveOnce() > 0) {
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
        continue;
      }
      // Read the wake word BEFORE the last look at the command words: the main thread sets a
      // command, then bumps the wake word, so a command set after our look changes the word and
      // the wait returns at once instead of sleeping through it.
      const seen = Atomics.load(control, wake);
      if (this.anyCommand() || Atomics.load(control, ControlLayout.STOP) !== 0) continue;
      // A blocking wait wakes within microseconds (a training loop steps every few); after a
      // quiet spell, wait asynchronously so this thread's event loop runs (timers, async errors).
      if (this.spinUntilWoken(seen)) continue;
      if (Atomics.wait(control, wake, seen, BLOCKING_IDLE_MS) === "timed-out") {
        const waited = waitAsync(control, wake, seen);
        if (waited.async) await waited.value;
        lastYield = performance.now();
      }
    }
    clearInterval(keepAlive);
    for (const slot of this.slots) tryClose(slot.env);
    Atomics.store(control, layout.status(init.workerIndex), WorkerStatus.stopped);
    Atomics.notify(control, layout.status(init.workerIndex));
    init.port.close();
  }

  /** Runs every sub-env that has a command; returns how many. */
  private serveOnce(): number {
    const { control, layout, init } = this;
    let served = 0;
    for (let k = 0; k < init.envCount; k++) {
      const env = init.firstEnv + k;
      const command = Atomics.load(control, layout.command(env));
      if (command === Command.idle) continue;
      if (command !== Command.step) this.drainMessages();
      if (command === Command.step) this.step(k, env);
      else if (command === Command.reset) this.reset(k, env);
      else this.call(k, env);
      Atomics.store(control, layout.command(env), Command.idle);
      // Publish: claim a ring slot, write the id, and wake the main thread if it now has enough.
      const count = Atomics.add(control, ControlLayout.TAIL, 1);
      Atomics.store(control, layout.ring(count), env + 1);
      if (((count + 1 - Atomics.load(control, ControlLayout.WANT)) | 0) >= 0) Atomics.notify(control, ControlLayout.TAIL);
      served++;
    }
    return served;
  }

  /**
   * Spins up to `init.spinMicros` for the next command, and says whether one came. Waking a
   * sleeping thread costs tens of µs (more on a VM), which a cheap env's step cannot hide; spinning
   * is only enabled when the workers leave a core free for the main thread (see AsyncVectorEnv).
   */
  private spinUntilWoken(seen: number): boolean {
    if (this.init.spinMicros <= 0) return false;
    const wake = this.layout.wake(this.init.workerIndex);
    const end = performance.now() + this.init.spinMicros / 1000;
    while (performance.now() < end) if (Atomics.load(this.control, wake) !== seen) return true;
    return false;
  }

  private anyCommand(): boolean {
    for (let k = 0; k < this.init.envCount; k++) {
      if (Atomics.load(this.control, this.layout.command(this.init.firstEnv + k)) !== Command.idle) return true;
    }
    return false;
  }

  private step(k: number, env: number): void {
    const { memory, obsLayout } = this;
    const slot = this.slots[k]!;
    try {
      const restartMessage = this.restartAfter[k];
      if (restartMessage !== undefined) {
        // The sub-env was rebuilt after an error: this step starts its first episode (the action
        // is ignored), exactly like a next-step autoreset.
        this.restartAfter[k] = undefined;
        const { obs, info } = slot.reset();
        this.writeRow(env, { obs, reward: 0, terminated: false, truncated: false, finalObs: null });
        this.sendInfos(env, { ...info, restartedAfterError: restartMessage }, null);
        return;
      }
      const result = slot.step(this.actionLayout.read(memory.actions, env));
      this.writeRow(env, result);
      this.sendInfos(env, result.info, result.finalInfo);
      if (result.finalObs !== null) obsLayout.write(memory.finalObs, env, result.finalObs);
    } catch (error) {
      this.fail(k, env, "step", error);
    }
  }

  private reset(k: number, env: number): void {
    const seed = this.memory.seeds[env]!;
    const options = this.resetOptions[k];
    this.resetOptions[k] = undefined;
    try {
      this.restartAfter[k] = undefined;
      const { obs, info } = this.slots[k]!.reset({ ...(Number.isNaN(seed) ? {} : { seed }), ...(options === undefined ? {} : { options }) });
      this.writeRow(env, { obs, reward: 0, terminated: false, truncated: false, finalObs: null });
      this.sendInfos(env, info, null);
    } catch (error) {
      this.fail(k, env, "reset", error);
    }
  }

  private call(k: number, env: number): void {
    const index = this.calls.findIndex((call) => call.env === env);
    const request = this.calls.splice(index, 1)[0]!;
    try {
      const owner = findOwner(this.slots[k]!.env, request.name);
      if (owner === undefined) throw new Error(`Expected the sub-env or an env it wraps to have "${request.name}", got none`);
      const member = owner[request.name];
      const value: unknown = typeof member === "function" ? (member as (...args: unknown[]) => unknown).apply(owner, [...request.args]) : member;
      this.post({ kind: "call-result", env, value });
    } catch (error) {
      this.post(errorMessage(env, { method: "call", name: request.name, rebuilt: false }, error));
    }
  }

  private writeRow(env: number, row: { obs: unknown; reward: number; terminated: boolean; truncated: boolean; finalObs: unknown }): void {
    const { memory } = this;
    this.obsLayout.write(memory.obs, env, row.obs);
    memory.rewards[env] = row.reward;
    memory.terminated[env] = row.terminated ? 1 : 0;
    memory.truncated[env] = row.truncated ? 1 : 0;
    memory.hasFinal[env] = row.finalObs === null ? 0 : 1;
  }

  /** Only non-empty infos cross the thread boundary: most steps send nothing. */
  private sendInfos(env: number, info: Info, finalInfo: Info | null): void {
    const hasInfo = !isEmpty(info);
    const hasFinalInfo = finalInfo !== null && !isEmpty(finalInfo);
    if (!hasInfo && !hasFinalInfo) return;
    this.post({ kind: "info", env, ...(hasInfo ? { info } : {}), ...(hasFinalInfo ? { finalInfo } : {}) });
  }

  /** A sub-env threw: report it, then replace it with a fresh one whose next step resets it. */
  private fail(k: number, env: number, method: SubEnvMethod, error: unknown): void {
    this.post(errorMessage(env, { method, rebuilt: true }, error));
    tryClose(this.slots[k]!.env);
    this.slots[k] = new AutoresetSlot(this.buildEnv(), this.init.autoreset); // throws → fatal
    this.restartAfter[k] = error instanceof Error ? error.message : String(error);
  }

  /** Posts a message; throws (like a throwing env) when it holds what cannot cross threads (a function). */
  private post(message: WorkerToMain): void {
    try {
      this.init.port.postMessage(message);
    } catch (error) {
      throw new Error(`Expected ${message.kind === "call-result" ? "a result" : "an info"} that can be sent between threads (plain data, typed arrays), got one that cannot: ${(error as Error).message}`);
    }
    // Counted so the main thread only reads ports that have something (an empty read costs ~1 µs).
    Atomics.add(this.control, this.layout.toMain(this.init.workerIndex), 1);
  }

  private drainMessages(): void {
    const sent = Atomics.load(this.control, this.layout.toWorker(this.init.workerIndex));
    if (sent === this.toWorkerSeen) return;
    this.toWorkerSeen = sent;
    for (let received = receiveMessageOnPort(this.init.port); received !== undefined; received = receiveMessageOnPort(this.init.port)) {
      const message = received.message as MainToWorker;
      if (message.kind === "call") this.calls.push(message);
      else for (const env of message.envs) this.resetOptions[env - this.init.firstEnv] = message.options;
    }
  }

  private buildEnv(): AnyEnv {
    const env = buildSubEnv(this.init.spec);
    const seen = { observation: String(env.observationSpace), action: String(env.actionSpace) };
    if (seen.observation !== this.init.observationSpace || seen.action !== this.init.actionSpace) {
      throw new Error(`Expected the worker's sub-envs to have the spaces the main thread saw (${this.init.observationSpace}, ${this.init.actionSpace}), got ${seen.observation}, ${seen.action}`);
    }
    return env;
  }
}

function errorMessage(env: number, where: { method: SubEnvMethod; name?: string; rebuilt: boolean }, error: unknown): WorkerToMain {
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "error", env, ...where, message, ...(error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}) };
}

function isEmpty(info: Info): boolean {
  for (const _ in info) return false;
  return true;
}

function tryClose(env: AnyEnv): void {
  try {
    env.close();
  } catch {
    // A sub-env that fails to close must not stop the others from closing.
  }
}

function findOwner(env: object, name: string): Record<string, unknown> | undefined {
  let current: unknown = env;
  while (current !== null && typeof current === "object") {
    if (name in current) return current as Record<string, unknown>;
    current = (current as { env?: unknown }).env;
  }
  return undefined;
}

/**
 * Starts the worker. First it arranges that ending without being asked (process.exit in env code,
 * an uncaught error) is reported through shared memory: the status and exit code are stored and the
 * waiting main thread is woken, because its event loop, where the Worker's 'exit' event would
 * fire, is blocked in Atomics.wait.
 */
function start(init: WorkerInit): void {
  const control = new Int32Array(init.memory.control);
  const layout = new ControlLayout(init.numEnvs, init.numWorkers);
  const status = layout.status(init.workerIndex);
  process.on("exit", (code) => {
    if (Atomics.compareExchange(control, status, WorkerStatus.running, WorkerStatus.died) !== WorkerStatus.running) return;
    Atomics.store(control, layout.exitCode(init.workerIndex), code);
    Atomics.store(control, ControlLayout.ANY_DEAD, 1);
    Atomics.notify(control, ControlLayout.TAIL);
    Atomics.notify(control, status);
  });
  const fatal = (error: unknown): void => {
    try {
      const message = error instanceof Error ? error.message : String(error);
      init.port.postMessage({ kind: "fatal", message, ...(error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}) } satisfies WorkerToMain);
      Atomics.add(control, layout.toMain(init.workerIndex), 1);
    } finally {
      process.exit(1);
    }
  };
  process.on("uncaughtException", fatal);
  let loop: WorkerLoop;
  try {
    loop = new WorkerLoop(init);
  } catch (error) {
    fatal(error);
    return;
  }
  loop.run().catch(fatal);
}

if (!isMainThread && (workerData as Partial<WorkerInit> | null)?.memory !== undefined) start(workerData as WorkerInit);
