import * as fs from "node:fs";
import * as path from "node:path";
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { describeEnvRange } from "./worker-errors";
import { ControlLayout, WorkerStatus, type MainToWorker, type WorkerInit, type WorkerToMain } from "./worker-protocol";

let liveWorkers = 0;

/** How many AsyncVectorEnv worker threads are running in this process (started, not yet exited). */
export function liveWorkerCount(): number {
  return liveWorkers;
}

/**
 * The compiled worker entry script, beside this file: `dist/vector/worker-main.js` for the library,
 * `build/src/vector/worker-main.js` for the tests. A worker runs compiled JavaScript only.
 */
export function workerScriptPath(): string {
  const script = path.join(__dirname, "worker-main.js");
  if (!fs.existsSync(script)) {
    throw new Error(`Expected the compiled worker script at ${script}, got no such file (AsyncVectorEnv needs the compiled library: npm run build)`);
  }
  return script;
}

/**
 * The main thread's side of one worker thread: starts it, sends it messages, reads its messages,
 * and notices its death. Its event listeners reference only this handle (never the vector env), so
 * a vector env dropped without close() can still be garbage-collected and its workers ended.
 */
export class WorkerHandle {
  readonly worker: Worker;
  readonly index: number;
  readonly firstEnv: number;
  readonly envCount: number;
  /** The last `fatal` message the worker sent before it died, if any. */
  fatal: string | undefined;
  /** What this thread saw of the worker's end: an 'error' event, terminate(), the exit code. */
  private endReason: string | undefined;
  private readonly port: MessagePort;
  private readonly control: Int32Array;
  private readonly layout: ControlLayout;
  private readonly terminateWorker: () => Promise<number>;
  private readonly exited: Promise<void>;
  private toMainSeen = 0;

  /**
   * @param init what the worker is given, except its port (made here).
   * @param control the shared control words, to mark the worker dead from this thread too.
   */
  constructor(init: Omit<WorkerInit, "port">, control: Int32Array) {
    this.index = init.workerIndex;
    this.firstEnv = init.firstEnv;
    this.envCount = init.envCount;
    this.control = control;
    this.layout = new ControlLayout(init.numEnvs, init.numWorkers);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerScriptPath(), { workerData: { ...init, port: port2 }, transferList: [port2], name: `AsyncVectorEnv worker ${init.workerIndex}` });
    liveWorkers++;
    // Neither the worker nor its port may keep the process alive: a notebook kernel or a script
    // that forgot close() must still be able to exit.
    this.worker.unref();
    this.port.unref();
    this.exited = new Promise((resolve) => {
      this.worker.once("exit", (code) => {
        liveWorkers--;
        this.markDead(`exit code ${code}`);
        resolve();
      });
    });
    this.worker.on("error", (error) => this.markDead(`uncaught ${error.name}: ${error.message}`));
    this.terminateWorker = this.worker.terminate.bind(this.worker);
    // terminate() runs no code in the worker, and the 'exit' event cannot fire while this thread
    // is blocked waiting for the worker: mark it dead here, so a waiting step notices at once.
    this.worker.terminate = () => {
      this.markDead("terminated by worker.terminate()");
      return this.terminateWorker();
    };
  }

  /** Whether the worker ended without being asked. */
  get died(): boolean {
    return Atomics.load(this.control, this.layout.status(this.index)) === WorkerStatus.died;
  }

  /** Whether the worker stopped on request (close()). */
  get stopped(): boolean {
    return Atomics.load(this.control, this.layout.status(this.index)) === WorkerStatus.stopped;
  }

  /** `Worker 1 (sub-envs 4–7 of "CartPole-v1")`. */
  describe(envId: string): string {
    return `Worker ${this.index} (${describeEnvRange(this.firstEnv, this.envCount)} of ${JSON.stringify(envId)})`;
  }

  /** Why the worker died, in a few words: the fatal error it reported, else its exit code. */
  deathReason(): string {
    this.read(() => undefined, true);
    const exitCode = Atomics.load(this.control, this.layout.exitCode(this.index));
    const reasons = [this.fatal, this.endReason ?? `exit code ${exitCode}`].filter((reason) => reason !== undefined);
    return reasons.join("; ");
  }

  /** Sends a message the worker reads before the command that needs it. */
  post(message: MainToWorker): void {
    this.port.postMessage(message);
    Atomics.add(this.control, this.layout.toWorker(this.index), 1);
  }

  /** Wakes the worker after commands were set for its sub-envs. */
  wake(): void {
    Atomics.add(this.control, this.layout.wake(this.index), 1);
    Atomics.notify(this.control, this.layout.wake(this.index));
  }

  /**
   * Hands every message the worker posted to `handle` (fatal messages are kept in `fatal`). Skips
   * the port unless the worker's message counter moved, unless `always`.
   */
  read(handle: (message: WorkerToMain) => void, always = false): void {
    const posted = Atomics.load(this.control, this.layout.toMain(this.index));
    if (posted === this.toMainSeen && !always) return;
    this.toMainSeen = posted;
    for (let received = receiveMessageOnPort(this.port); received !== undefined; received = receiveMessageOnPort(this.port)) {
      const message = received.message as WorkerToMain;
      if (message.kind === "fatal") this.fatal = message.message;
      else handle(message);
    }
  }

  /** Ends the thread now (no clean-up runs in it); resolves when it has exited. */
  terminate(): Promise<void> {
    void this.terminateWorker();
    return this.exited;
  }

  /** Resolves when the thread has exited; keeps the process alive until then (a test can await it). */
  whenExited(): Promise<void> {
    this.worker.ref();
    return this.exited;
  }

  private markDead(reason: string): void {
    this.endReason ??= reason;
    const status = this.layout.status(this.index);
    if (Atomics.compareExchange(this.control, status, WorkerStatus.running, WorkerStatus.died) !== WorkerStatus.running) return;
    Atomics.store(this.control, ControlLayout.ANY_DEAD, 1);
    Atomics.notify(this.control, ControlLayout.TAIL);
  }
}
