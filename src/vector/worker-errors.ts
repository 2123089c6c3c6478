import type { SubEnvMethod } from "./worker-protocol";

/**
 * A sub-env of an AsyncVectorEnv threw inside its worker. The message names the sub-env, its id
 * and the original message; `cause` carries the original error's stack from the worker.
 *
 * After a throw in `step()` or `reset()` the worker has already replaced that sub-env by a freshly
 * built one, so the vector env stays usable: the next step of that sub-env starts the fresh env's
 * first episode (see `AsyncVectorEnv` for exactly what the caller sees).
 *
 * @example
 * try { envs.step(actions); } catch (error) {
 *   if (error instanceof SubEnvError) error.envIndex;  //=> 3
 *   // error.message: 'Sub-env 3 ("StepCounter-v0") threw in step(): StepCounter: deliberate failure at step 5'
 * }
 */
export class SubEnvError extends Error {
  override readonly name = "SubEnvError";

  /**
   * @param where which sub-env (`envIndex`, its `envId`), which method, and the original error's
   *   `message` and `stack` (as text: errors are not sent between threads as objects).
   */
  constructor(readonly where: { readonly envIndex: number; readonly envId: string; readonly method: SubEnvMethod; readonly name?: string; readonly message: string; readonly stack?: string }) {
    const method = where.method === "call" ? `call(${JSON.stringify(where.name ?? "")})` : `${where.method}()`;
    super(`Sub-env ${where.envIndex} (${JSON.stringify(where.envId)}) threw in ${method}: ${where.message}`, { cause: remoteError(where) });
  }

  /** The index of the sub-env that threw. */
  get envIndex(): number {
    return this.where.envIndex;
  }

  /** The method that threw: `"step"`, `"reset"` or `"call"`. */
  get method(): SubEnvMethod {
    return this.where.method;
  }
}

/**
 * A worker thread of an AsyncVectorEnv ended without being asked (env code called
 * `process.exit`, an error escaped to its event loop, or someone terminated it), or stopped
 * answering within `stepTimeoutMs`. The vector env is closed when this is thrown: its other
 * workers are ended too, and every later call throws; create a new one.
 *
 * @example
 * // error.message: 'Worker 1 (sub-envs 4–7 of "StepCounter-v0") died during step(): exit code 3; the vector env is closed'
 */
export class WorkerDiedError extends Error {
  override readonly name = "WorkerDiedError";

  /**
   * @param where the worker's index and its sub-envs, and the message.
   */
  constructor(
    message: string,
    readonly where: { readonly workerIndex: number; readonly firstEnv: number; readonly envCount: number },
  ) {
    super(message);
  }
}

/** Names a worker's sub-envs for messages: `sub-env 3`, `sub-envs 4–7`. */
export function describeEnvRange(firstEnv: number, envCount: number): string {
  return envCount === 1 ? `sub-env ${firstEnv}` : `sub-envs ${firstEnv}–${firstEnv + envCount - 1}`;
}

function remoteError(where: { message: string; stack?: string }): Error {
  const error = new Error(where.message);
  if (where.stack !== undefined) error.stack = where.stack;
  return error;
}
