import type { MessagePort } from "node:worker_threads";
import type { Info } from "../core/env";
import type { SubEnvGroupInit } from "./worker-group";

// The protocol between AsyncVectorEnv (main thread) and its workers. Everything that happens on
// every step goes through shared memory and Atomics (no structured cloning, no event loop); only
// rare, variable-sized things (non-empty infos, errors, reset options, call()) travel as messages
// on a MessagePort, which both sides read synchronously with `receiveMessageOnPort`.

/** What the main thread asks of one sub-env: the value of its command word. */
export const Command = {
  /** Nothing to do (the worker sets this back before it reports the sub-env done). */
  idle: 0,
  /** Step the sub-env with its row of the shared actions (AutoresetSlot decides step vs reset). */
  step: 1,
  /** Reset the sub-env with its shared seed (NaN: no seed) and any options sent by message. */
  reset: 2,
  /** Run the `call` message sent for this sub-env and send its result back. */
  call: 3,
} as const;

/** Where a worker is in its life: the value of its status word. */
export const WorkerStatus = {
  running: 0,
  /** Stopped on request (close()): its sub-envs were closed. */
  stopped: 1,
  /** Ended without being asked: process.exit in env code, an uncaught error, terminate(). */
  died: 2,
} as const;

/**
 * Indices into the shared Int32Array of control words. One array holds every word both sides
 * synchronise on, so a single `Atomics.wait` target (the completion tail) wakes the main thread
 * whether a sub-env finished or a worker died.
 *
 * - `tail`: completions pushed so far (wraps around as an int32; only differences matter).
 * - `want`: the tail value the main thread waits for; a worker notifies when it reaches it, so the
 *   main thread wakes once per batch rather than once per sub-env.
 * - `stop`: 1 once close() asked the workers to stop.
 * - `anyDead`: non-zero once a worker died, so the waiting main thread checks one word per wake.
 * - per worker: `wake` (bumped by the main thread after it posts commands), `status`, `exitCode`,
 *   `toMain` (messages the worker posted, so the main thread skips empty ports) and `toWorker`.
 * - per sub-env: its command word.
 * - the completion ring: sub-env ids + 1 in the order they finished (0 = slot not yet written).
 */
export class ControlLayout {
  static readonly TAIL = 0;
  static readonly WANT = 1;
  static readonly STOP = 2;
  static readonly ANY_DEAD = 3;
  private static readonly WORKER_BASE = 4;
  private static readonly WORDS_PER_WORKER = 5;
  /** Slots in the completion ring: a power of two ≥ numEnvs, so indices stay right when the tail wraps. */
  readonly ringCapacity: number;
  /** Int32 words in all. */
  readonly length: number;
  private readonly envBase: number;
  private readonly ringBase: number;

  constructor(
    readonly numEnvs: number,
    readonly numWorkers: number,
  ) {
    this.ringCapacity = 2 ** Math.ceil(Math.log2(Math.max(2, numEnvs)));
    this.envBase = ControlLayout.WORKER_BASE + ControlLayout.WORDS_PER_WORKER * numWorkers;
    this.ringBase = this.envBase + numEnvs;
    this.length = this.ringBase + this.ringCapacity;
  }

  wake(worker: number): number {
    return ControlLayout.WORKER_BASE + ControlLayout.WORDS_PER_WORKER * worker;
  }
  status(worker: number): number {
    return this.wake(worker) + 1;
  }
  exitCode(worker: number): number {
    return this.wake(worker) + 2;
  }
  toMain(worker: number): number {
    return this.wake(worker) + 3;
  }
  toWorker(worker: number): number {
    return this.wake(worker) + 4;
  }
  command(env: number): number {
    return this.envBase + env;
  }
  /** The ring slot of completion number `count` (any int32; wrapping is fine). */
  ring(count: number): number {
    return this.ringBase + (count & (this.ringCapacity - 1));
  }
}

/** What a worker is given at start (`workerData`): its group, plain data, shared buffers and its port. */
export interface WorkerInit extends SubEnvGroupInit {
  readonly workerIndex: number;
  /** Spin this long for the next command before sleeping (0: sleep at once). */
  readonly spinMicros: number;
  /** The worker's end of its MessageChannel. */
  readonly port: MessagePort;
}

/** Messages the main thread sends a worker (each before it sets the command word that needs it). */
export type MainToWorker =
  | { readonly kind: "reset-options"; readonly envs: readonly number[]; readonly options: Readonly<Record<string, unknown>> }
  | { readonly kind: "call"; readonly env: number; readonly name: string; readonly args: readonly unknown[] };

/** The sub-env method that failed, as error messages name it. */
export type SubEnvMethod = "step" | "reset" | "call";

/** Messages a worker sends the main thread (each before it reports the sub-env done). */
export type WorkerToMain =
  | { readonly kind: "info"; readonly env: number; readonly info?: Info; readonly finalInfo?: Info }
  | { readonly kind: "call-result"; readonly env: number; readonly value: unknown }
  | {
      readonly kind: "error";
      readonly env: number;
      readonly method: SubEnvMethod;
      /** For call(): the member called. */
      readonly name?: string;
      readonly message: string;
      readonly stack?: string;
      /** The sub-env was replaced by a freshly built one (after step/reset failures). */
      readonly rebuilt: boolean;
    }
  | { readonly kind: "fatal"; readonly message: string; readonly stack?: string };
