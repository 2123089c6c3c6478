import { describeEnvRange } from "./worker-errors";
import { SubEnvGroup, type SubEnvGroupInit } from "./worker-group";
import type { MainToWorker, WorkerToMain } from "./worker-protocol";

/**
 * The group of sub-envs the main thread steps itself with `useMainThread`: while the workers step
 * their groups, the main thread steps this one instead of sleeping, and then spins for the workers
 * rather than waiting to be woken (waking a thread costs tens of µs on a VM). It steps its
 * sub-envs only while the workers have not finished enough for the caller, and a sub-env only once
 * no worker's sub-env sent earlier is still waiting: in send/recv mode results come back roughly in
 * the order they were sent, as from EnvPool's queue, and the main thread's sub-envs cannot starve
 * the workers' (they would otherwise always finish first). It is the same
 * SubEnvGroup as in a worker, and its messages are structured-cloned like a worker's, so results
 * are identical. What differs is isolation: these sub-envs run in the caller's thread, so a
 * `process.exit` or an asynchronous throw in their code ends the process, and `stepTimeoutMs`
 * cannot interrupt them.
 */
export class LocalGroup {
  readonly firstEnv: number;
  readonly envCount: number;
  private readonly group: SubEnvGroup;
  private inbox: MainToWorker[] = [];
  private outbox: WorkerToMain[] = [];

  /** @param init the group to build (built here, on the main thread). */
  constructor(init: SubEnvGroupInit) {
    this.firstEnv = init.firstEnv;
    this.envCount = init.envCount;
    this.group = new SubEnvGroup(init, {
      // Cloned as a port would, so a result never aliases a sub-env's internals.
      post: (message) => void this.outbox.push(structuredClone(message)),
      receive: () => {
        const messages = this.inbox;
        this.inbox = [];
        return messages;
      },
    });
  }

  /** `main-thread group (sub-envs 0–3)`. */
  describe(): string {
    return `the main thread's group (${describeEnvRange(this.firstEnv, this.envCount)})`;
  }

  /** Whether sub-env `env` belongs to this group. */
  owns(env: number): boolean {
    return env >= this.firstEnv && env < this.firstEnv + this.envCount;
  }

  /** Queues a message for the group (read before the command that needs it). */
  post(message: MainToWorker): void {
    this.inbox.push(message);
  }

  /** Runs sub-env `env`'s pending command now; says whether it had one. */
  serveEnv(env: number): boolean {
    return this.group.serveEnv(env);
  }

  /** Hands the group's messages to `handle`. */
  read(handle: (message: WorkerToMain) => void): void {
    if (this.outbox.length === 0) return;
    const messages = this.outbox;
    this.outbox = [];
    for (const message of messages) handle(message);
  }

  /** Closes the group's sub-envs. */
  close(): void {
    this.group.close();
  }
}
