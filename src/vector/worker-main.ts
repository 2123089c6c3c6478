import { isMainThread, receiveMessageOnPort, workerData } from "node:worker_threads";
import { SubEnvGroup, type GroupMailbox } from "./worker-group";
import { AdaptiveSpin } from "./worker-spin";
import { ControlLayout, WorkerStatus, type MainToWorker, type WorkerInit, type WorkerToMain } from "./worker-protocol";

// The entry script of an AsyncVectorEnv worker thread: it builds its group of sub-envs, then serves
// their commands from shared memory until asked to stop. Loaded by path (see worker-handle.ts);
// importing it on the main thread does nothing.

/** Idle this long in a blocking wait (fast wake-up) before switching to an async wait. */
const BLOCKING_IDLE_MS = 20;
/** While busy, yield to the event loop this often, so timers and async errors of env code run. */
const YIELD_EVERY_MS = 20;

type WaitAsync = (array: Int32Array, index: number, value: number) => { async: boolean; value: Promise<string> | string };
/** ES2024's Atomics.waitAsync (in Node ≥ 16; not yet in TypeScript's ES2022 lib). */
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** The worker's mailbox: its MessagePort, read synchronously, with counters so empty reads are skipped. */
function portMailbox(init: WorkerInit, control: Int32Array, layout: ControlLayout): GroupMailbox {
  let seen = 0;
  return {
    post(message: WorkerToMain): void {
      init.port.postMessage(message);
      // Counted so the main thread only reads ports that have something (an empty read costs ~1 µs).
      Atomics.add(control, layout.toMain(init.workerIndex), 1);
    },
    receive(): MainToWorker[] {
      const sent = Atomics.load(control, layout.toWorker(init.workerIndex));
      if (sent === seen) return [];
      seen = sent;
      const messages: MainToWorker[] = [];
      for (let received = receiveMessageOnPort(init.port); received !== undefined; received = receiveMessageOnPort(init.port)) {
        messages.push(received.message as MainToWorker);
      }
      return messages;
    },
  };
}

/** Serves the group's commands until the main thread sets the stop word; then closes the sub-envs. */
async function serve(init: WorkerInit, group: SubEnvGroup, control: Int32Array, layout: ControlLayout): Promise<void> {
  const wake = layout.wake(init.workerIndex);
  let lastYield = performance.now();
  // A pending Atomics.waitAsync does not keep a thread's event loop alive: without this timer an
  // idle worker would simply end. (The worker is unref'd: it never keeps the process alive.)
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  const spin = new AdaptiveSpin(init.spinMicros);
  for (;;) {
    if (Atomics.load(control, ControlLayout.STOP) !== 0) break;
    if (group.serveOnce() > 0) {
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
    if (group.anyCommand() || Atomics.load(control, ControlLayout.STOP) !== 0) continue;
    if (spin.until(() => Atomics.load(control, wake) !== seen)) continue;
    // A blocking wait wakes within microseconds; after a quiet spell, wait asynchronously so this
    // thread's event loop runs (timers and async errors of env code).
    if (Atomics.wait(control, wake, seen, BLOCKING_IDLE_MS) === "timed-out") {
      const waited = waitAsync(control, wake, seen);
      if (waited.async) await waited.value;
      lastYield = performance.now();
    }
  }
  clearInterval(keepAlive);
  group.close();
  Atomics.store(control, layout.status(init.workerIndex), WorkerStatus.stopped);
  Atomics.notify(control, layout.status(init.workerIndex));
  init.port.close();
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
  let group: SubEnvGroup;
  try {
    group = new SubEnvGroup(init, portMailbox(init, control, layout));
  } catch (error) {
    fatal(error);
    return;
  }
  serve(init, group, control, layout).catch(fatal);
}

if (!isMainThread && (workerData as Partial<WorkerInit> | null)?.memory !== undefined) start(workerData as WorkerInit);
