import type { AnyEnv, Info } from "../core/env";
import { AutoresetSlot } from "./autoreset";
import { batchLayout, type BatchLayout } from "./batch-layout";
import { buildSubEnv, type SubEnvSpec } from "./sub-env-spec";
import type { AutoresetMode } from "./types";
import { Command, ControlLayout, type MainToWorker, type SubEnvMethod, type WorkerToMain } from "./worker-protocol";
import { viewSharedMemory, type SharedMemoryBuffers, type SharedMemoryViews } from "./worker-shared-memory";
import { findOwner } from "./find-owner";

/** What a group of sub-envs is built from: plain data, so a worker thread can receive it. */
export interface SubEnvGroupInit {
  readonly spec: SubEnvSpec;
  readonly autoreset: AutoresetMode;
  readonly numWorkers: number;
  readonly numEnvs: number;
  /** The group is sub-envs `firstEnv .. firstEnv + envCount − 1`. */
  readonly firstEnv: number;
  readonly envCount: number;
  readonly memory: SharedMemoryBuffers;
  /** The spaces the main thread saw (as printed), so a group whose envs differ fails loudly. */
  readonly observationSpace: string;
  readonly actionSpace: string;
}

/** How a group exchanges messages with the AsyncVectorEnv: a MessagePort in a worker, arrays on the main thread. */
export interface GroupMailbox {
  /** Sends a message to the AsyncVectorEnv; throws when it cannot be sent (e.g. holds a function). */
  post(message: WorkerToMain): void;
  /** The messages the AsyncVectorEnv sent since the last call (reset options, calls). */
  receive(): readonly MainToWorker[];
}

/**
 * A contiguous group of an AsyncVectorEnv's sub-envs, served from shared memory: for each sub-env
 * whose command word is set, it steps (or resets, or calls) the sub-env through the same
 * AutoresetSlot as SyncVectorEnv — so both give bit-identical trajectories for the same seed —
 * writes the results into the sub-env's rows, and appends the sub-env to the completion ring.
 * Runs in a worker thread (worker-main.ts), or on the main thread with `useMainThread`.
 *
 * A sub-env that throws in step() or reset() is reported and replaced by a freshly built one,
 * whose next step resets it (ignoring the action) and says so in `info.restartedAfterError`.
 */
export class SubEnvGroup {
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

  /**
   * @param init what to build (the envs are built here, so a bad spec throws here).
   * @param mailbox where messages go to and come from.
   */
  constructor(
    private readonly init: SubEnvGroupInit,
    private readonly mailbox: GroupMailbox,
  ) {
    try {
      for (let k = 0; k < init.envCount; k++) this.slots.push(new AutoresetSlot(this.buildEnv(), init.autoreset));
    } catch (error) {
      this.close(); // the envs already built
      throw error;
    }
    const probe = this.slots[0]!.env;
    this.obsLayout = batchLayout(probe.observationSpace);
    this.actionLayout = batchLayout(probe.actionSpace);
    this.memory = viewSharedMemory(init.memory, { numEnvs: init.numEnvs, numWorkers: init.numWorkers, obsLayout: this.obsLayout, actionLayout: this.actionLayout });
    this.control = this.memory.control;
    this.layout = this.memory.layout;
    this.restartAfter = new Array<string | undefined>(init.envCount).fill(undefined);
    this.resetOptions = new Array<Readonly<Record<string, unknown>> | undefined>(init.envCount).fill(undefined);
  }

  /** Runs every sub-env that has a command; returns how many. */
  serveOnce(): number {
    let served = 0;
    for (let k = 0; k < this.init.envCount; k++) if (this.serveEnv(this.init.firstEnv + k)) served++;
    return served;
  }

  /** Runs sub-env `env`'s command, if it has one, and publishes it as finished; says whether it ran. */
  serveEnv(env: number): boolean {
    const { control, layout } = this;
    const k = env - this.init.firstEnv;
    const command = Atomics.load(control, layout.command(env));
    if (command === Command.idle) return false;
    if (command !== Command.step) this.receive();
    if (command === Command.step) this.step(k, env);
    else if (command === Command.reset) this.reset(k, env);
    else this.call(k, env);
    Atomics.store(control, layout.command(env), Command.idle);
    // Publish: claim a ring slot, write the id, and wake the main thread if it now has enough.
    const count = Atomics.add(control, ControlLayout.TAIL, 1);
    Atomics.store(control, layout.ring(count), env + 1);
    if (((count + 1 - Atomics.load(control, ControlLayout.WANT)) | 0) >= 0) Atomics.notify(control, ControlLayout.TAIL);
    return true;
  }

  /** Whether any sub-env of the group has a command waiting. */
  anyCommand(): boolean {
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
    this.slots[k] = new AutoresetSlot(this.buildEnv(), this.init.autoreset); // a throw here ends the group
    this.restartAfter[k] = error instanceof Error ? error.message : String(error);
  }

  /** Posts a message; throws (like a throwing env) when it holds what cannot cross threads (a function). */
  private post(message: WorkerToMain): void {
    try {
      this.mailbox.post(message);
    } catch (error) {
      throw new Error(`Expected ${message.kind === "call-result" ? "a result" : "an info"} that can be sent between threads (plain data, typed arrays), got one that cannot: ${(error as Error).message}`);
    }
  }

  private receive(): void {
    for (const message of this.mailbox.receive()) {
      if (message.kind === "call") this.calls.push(message);
      else for (const env of message.envs) this.resetOptions[env - this.init.firstEnv] = message.options;
    }
  }

  /** Closes every sub-env of the group (one that throws does not stop the others). */
  close(): void {
    for (const slot of this.slots) tryClose(slot.env);
  }

  private buildEnv(): AnyEnv {
    const env = buildSubEnv(this.init.spec);
    const seen = { observation: String(env.observationSpace), action: String(env.actionSpace) };
    if (seen.observation !== this.init.observationSpace || seen.action !== this.init.actionSpace) {
      throw new Error(`Expected every sub-env to have the spaces of the first one built (${this.init.observationSpace}, ${this.init.actionSpace}), got ${seen.observation}, ${seen.action}`);
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

